package secret

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// KeyFileName is the key file inside the data directory.
const KeyFileName = "field.key"

// FileStore keeps the key in a file readable by its owner only (0600). On
// Windows the file holds the key protected with DPAPI for the current user
// (see keystore_windows.go), so the file alone is useless on another account
// or machine.
type FileStore struct {
	Path string
}

// DefaultStore returns the key store of a data directory, never the
// database itself: the desktop's key store where there is one (the Secret
// Service of GNOME Keyring or KWallet on Linux), else the key file beside
// the database (DPAPI-protected on Windows). A directory keeps the store its
// key was made in.
func DefaultStore(dataDir string) KeyStore {
	return platformStore(dataDir, FileStore{Path: filepath.Join(dataDir, KeyFileName)})
}

// Describe implements KeyStore.
func (f FileStore) Describe() string { return protection + " " + f.Path }

// Load implements KeyStore: it reads the key, or creates one with mode 0600
// when the file does not exist. A key file with wider permissions is
// narrowed to 0600.
func (f FileStore) Load() ([]byte, error) {
	raw, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return f.create()
	}
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(f.Path); err == nil && st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(f.Path, 0o600); err != nil {
			return nil, fmt.Errorf("narrow key file permissions: %w", err)
		}
	}
	return unprotect(raw)
}

func (f FileStore) create() ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := f.writeNew(key); err != nil {
		if errors.Is(err, os.ErrExist) {
			return f.Load()
		}
		return nil, err
	}
	return key, nil
}

// writeNew writes key, protected, where no key file is yet; an error
// wrapping os.ErrExist when one appeared meanwhile.
func (f FileStore) writeNew(key []byte) error {
	data, err := protect(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return err
	}
	// O_EXCL: two processes opening a fresh directory at once must not each
	// write a different key.
	tmp := f.Path + ".new"
	file, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := file.Write(data); err != nil {
		file.Close()
		os.Remove(tmp)
		return err
	}
	if err := file.Sync(); err != nil {
		file.Close()
		os.Remove(tmp)
		return err
	}
	file.Close()
	err = os.Link(tmp, f.Path)
	os.Remove(tmp)
	return err
}

// MemoryStore holds a key in memory (tests).
type MemoryStore struct{ Key []byte }

// Load implements KeyStore.
func (m MemoryStore) Load() ([]byte, error) { return m.Key, nil }

// Describe implements KeyStore.
func (MemoryStore) Describe() string { return "memory" }
