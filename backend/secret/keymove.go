package secret

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"unicode/utf8"

	"golang.org/x/crypto/scrypt"

	"budayang/backend/apperr"
)

// MovableStore is a KeyStore whose key can be carried to another computer:
// read without a new one being made, and given a key made elsewhere.
type MovableStore interface {
	KeyStore
	// Existing returns the key kept here, or ok false when there is none
	// yet; unlike Load it never makes one.
	Existing() (key []byte, ok bool, err error)
	// Install keeps key as this store's key, the way Load would have kept a
	// key it made (DPAPI on Windows, the keyring where it is used). It fails
	// when a key is already kept.
	Install(key []byte) error
}

// MinPassphrase is the least number of characters an export passphrase has:
// the export file travels on a USB stick, and the passphrase alone stands
// between a lost stick and every citizen's name and ID number.
const MinPassphrase = 12

// The export file: magic, version, scrypt salt, GCM nonce, then the sealed
// key. The header is the GCM associated data, so a changed byte anywhere
// fails to open.
var exportMagic = []byte("BUDAYANGKEY")

const (
	exportVersion = 1
	saltSize      = 16
	nonceSize     = 12
	headerSize    = 11 + 1 + saltSize + nonceSize
	// ExportSize is the length of an export file.
	ExportSize = headerSize + KeySize + 16
)

// scrypt cost of version 1 (N=2^15, r=8, p=1: about 32 MiB and a tenth of
// a second, once per export or import).
const scryptN, scryptR, scryptP = 1 << 15, 8, 1

// CheckPassphrase refuses a passphrase too short to guard the export file.
func CheckPassphrase(passphrase string) error {
	if utf8.RuneCountInString(passphrase) < MinPassphrase {
		return apperr.Errorf(apperr.Invalid, "密钥导出口令至少 %d 个字符（现为 %d 个）；请在环境变量 BUDAYANG_KEY_PASSPHRASE 中提供更长的口令", MinPassphrase, utf8.RuneCountInString(passphrase))
	}
	return nil
}

// SealExport returns key sealed under passphrase as an export file's bytes.
func SealExport(key []byte, passphrase string) ([]byte, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("key has %d bytes, want %d", len(key), KeySize)
	}
	if err := CheckPassphrase(passphrase); err != nil {
		return nil, err
	}
	header := make([]byte, headerSize)
	copy(header, exportMagic)
	header[len(exportMagic)] = exportVersion
	if _, err := rand.Read(header[len(exportMagic)+1:]); err != nil {
		return nil, err
	}
	aead, err := exportAEAD(header, passphrase)
	if err != nil {
		return nil, err
	}
	nonce := header[headerSize-nonceSize:]
	return aead.Seal(header, nonce, key, header), nil
}

// OpenExport returns the key in an export file's bytes. A wrong passphrase
// and a damaged file give the same Chinese sentence: GCM cannot tell them
// apart.
func OpenExport(file []byte, passphrase string) ([]byte, error) {
	if len(file) < len(exportMagic)+1 || !bytes.Equal(file[:len(exportMagic)], exportMagic) {
		return nil, apperr.Errorf(apperr.Invalid, "这不是不打烊的密钥导出文件（请用 budayang key export 生成的文件）")
	}
	if v := file[len(exportMagic)]; v != exportVersion {
		return nil, apperr.Errorf(apperr.Invalid, "密钥导出文件的格式版本为 %d，本程序只认识版本 %d；请在新电脑上安装与旧电脑相同或更新的版本", v, exportVersion)
	}
	if len(file) != ExportSize {
		return nil, apperr.Errorf(apperr.Invalid, "密钥导出文件不完整或已损坏（%d 字节，应为 %d 字节）；请从旧电脑重新导出", len(file), ExportSize)
	}
	header := file[:headerSize]
	aead, err := exportAEAD(header, passphrase)
	if err != nil {
		return nil, err
	}
	key, err := aead.Open(nil, header[headerSize-nonceSize:], file[headerSize:], header)
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "口令不对，或密钥导出文件已损坏：未导入任何内容；请核对 BUDAYANG_KEY_PASSPHRASE 是否与导出时相同")
	}
	return key, nil
}

func exportAEAD(header []byte, passphrase string) (cipher.AEAD, error) {
	salt := header[len(exportMagic)+1 : headerSize-nonceSize]
	k, err := scrypt.Key([]byte(passphrase), salt, scryptN, scryptR, scryptP, 32)
	if err != nil {
		return nil, fmt.Errorf("derive export key: %w", err)
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// KeyFingerprint identifies key without revealing it: the fingerprint a
// Sealer over key has, which the database keeps.
func KeyFingerprint(key []byte) string {
	return hex.EncodeToString(derive(key, "budayang key fingerprint v1")[:8])
}

// Export returns the key kept in ks sealed under passphrase, and the key's
// fingerprint. It refuses when ks holds no key yet rather than making one.
func Export(ks KeyStore, passphrase string) (file []byte, fingerprint string, err error) {
	if err := CheckPassphrase(passphrase); err != nil {
		return nil, "", err
	}
	m, ok := ks.(MovableStore)
	if !ok {
		return nil, "", fmt.Errorf("key store %s cannot be exported", ks.Describe())
	}
	key, ok, err := m.Existing()
	if err != nil {
		return nil, "", fmt.Errorf("read the key from %s: %w", ks.Describe(), err)
	}
	if !ok {
		return nil, "", apperr.Errorf(apperr.NotFound, "这里还没有个人信息加密密钥（%s），没有可导出的密钥；请确认 --data 指向旧电脑的数据目录", ks.Describe())
	}
	file, err = SealExport(key, passphrase)
	if err != nil {
		return nil, "", err
	}
	return file, KeyFingerprint(key), nil
}

// ErrKeyPresent is returned by Install when the store already keeps a key.
var ErrKeyPresent = errors.New("a key is already kept here")

// Import opens an export file with passphrase and keeps its key in ks. It
// writes nothing when the file does not open, and refuses when ks already
// keeps a different key: that key may seal a database of its own. The same
// key already kept is success with installed false.
func Import(ks KeyStore, file []byte, passphrase string) (installed bool, fingerprint string, err error) {
	m, ok := ks.(MovableStore)
	if !ok {
		return false, "", fmt.Errorf("key store %s cannot take an imported key", ks.Describe())
	}
	key, err := OpenExport(file, passphrase)
	if err != nil {
		return false, "", err
	}
	fp := KeyFingerprint(key)
	have, ok, err := m.Existing()
	if err != nil {
		return false, "", apperr.Errorf(apperr.Conflict, "这里已有密钥（%s），但无法读取（%v），未导入；若它是从另一台电脑拷来的，请先把它移出数据目录再导入", ks.Describe(), err)
	}
	if ok {
		if bytes.Equal(have, key) {
			return false, fp, nil
		}
		return false, "", apperr.Errorf(apperr.Conflict, "这里已有另一把个人信息加密密钥（%s，指纹 %s），未导入；它可能正用于另一个数据库。请换一个空的数据目录导入", ks.Describe(), KeyFingerprint(have))
	}
	if err := m.Install(key); err != nil {
		return false, "", fmt.Errorf("keep the imported key in %s: %w", ks.Describe(), err)
	}
	return true, fp, nil
}

// Existing implements MovableStore.
func (f FileStore) Existing() ([]byte, bool, error) {
	raw, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	key, err := unprotect(raw)
	if err != nil {
		return nil, false, err
	}
	return key, true, nil
}

// Install implements MovableStore: the key file is written as Load writes
// a new one (0600, DPAPI on Windows), never over an existing file.
func (f FileStore) Install(key []byte) error {
	if len(key) != KeySize {
		return fmt.Errorf("key has %d bytes, want %d", len(key), KeySize)
	}
	err := f.writeNew(key)
	if errors.Is(err, os.ErrExist) {
		return ErrKeyPresent
	}
	return err
}
