//go:build linux

package secret

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringMarker is the file beside the database saying that the key lives in
// the desktop's Secret Service, so a start that cannot reach the keyring
// fails with a sentence instead of making a new key.
const KeyringMarker = "field.key.keyring"

const keyringService = "budayang"

// keyringProbe bounds how long the first question to the Secret Service may
// take: a locked keyring on a headless machine may never answer.
const keyringProbe = 3 * time.Second

// KeyringStore keeps the key in the Secret Service (GNOME Keyring, KWallet)
// under the data directory's absolute path.
type KeyringStore struct {
	Account string
	Marker  string
}

// Describe implements KeyStore.
func (k KeyringStore) Describe() string { return "系统密钥环 (Secret Service) " + k.Account }

// Load implements KeyStore: it reads the key, or on first use creates one,
// stores it and writes the marker.
func (k KeyringStore) Load() ([]byte, error) {
	v, err := keyring.Get(keyringService, k.Account)
	if err == nil {
		key, derr := base64.StdEncoding.DecodeString(v)
		if derr != nil || len(key) != KeySize {
			return nil, fmt.Errorf("key in the keyring for %s is malformed", k.Account)
		}
		return key, nil
	}
	_, markErr := os.Stat(k.Marker)
	if markErr == nil || !errors.Is(err, keyring.ErrNotFound) {
		return nil, fmt.Errorf("个人信息加密密钥保存在系统密钥环中，但现在无法读取（%v）；请在桌面会话中解锁密钥环后重试", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := keyring.Set(keyringService, k.Account, base64.StdEncoding.EncodeToString(key)); err != nil {
		return nil, fmt.Errorf("store the key in the keyring: %w", err)
	}
	if err := os.WriteFile(k.Marker, []byte("secret-service\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write keyring marker: %w", err)
	}
	return key, nil
}

// platformStore picks the keyring when the directory's key is already there
// or when a new key can go there, and the key file otherwise.
func platformStore(dataDir string, file FileStore) KeyStore {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	k := KeyringStore{Account: abs, Marker: filepath.Join(dataDir, KeyringMarker)}
	if _, err := os.Stat(k.Marker); err == nil {
		return k
	}
	if _, err := os.Stat(file.Path); err == nil {
		return file
	}
	if keyringReachable() {
		return k
	}
	return file
}

func keyringReachable() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false
	}
	done := make(chan error, 1)
	go func() {
		_, err := keyring.Get(keyringService, "probe")
		done <- err
	}()
	select {
	case err := <-done:
		return err == nil || errors.Is(err, keyring.ErrNotFound)
	case <-time.After(keyringProbe):
		return false
	}
}

// Existing implements MovableStore: the key in the keyring, or none when
// the keyring answers that it holds none for this directory.
func (k KeyringStore) Existing() ([]byte, bool, error) {
	v, err := keyring.Get(keyringService, k.Account)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("个人信息加密密钥环现在无法读取（%v）；请在桌面会话中解锁密钥环后重试", err)
	}
	key, derr := base64.StdEncoding.DecodeString(v)
	if derr != nil || len(key) != KeySize {
		return nil, false, fmt.Errorf("key in the keyring for %s is malformed", k.Account)
	}
	return key, true, nil
}

// Install implements MovableStore: the key goes into the keyring and the
// marker beside the database, as Load keeps a key it makes.
func (k KeyringStore) Install(key []byte) error {
	if len(key) != KeySize {
		return fmt.Errorf("key has %d bytes, want %d", len(key), KeySize)
	}
	if _, ok, err := k.Existing(); err != nil {
		return err
	} else if ok {
		return ErrKeyPresent
	}
	if err := keyring.Set(keyringService, k.Account, base64.StdEncoding.EncodeToString(key)); err != nil {
		return fmt.Errorf("store the key in the keyring: %w", err)
	}
	if err := os.WriteFile(k.Marker, []byte("secret-service\n"), 0o600); err != nil {
		return fmt.Errorf("write keyring marker: %w", err)
	}
	return nil
}
