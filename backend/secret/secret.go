// Package secret seals citizens' personal fields (names, ID numbers, phones)
// with AES-256-GCM before they reach the database file, so a copied file or
// backup shows none of them in plain text (PIPL art. 51). The key lives
// outside the database, in a KeyStore: a 0600 key file in the data directory
// by default, protected further by the operating system where one offers it
// (DPAPI on Windows).
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"budayang/backend/apperr"
)

// KeySize is the length of the master key: AES-256.
const KeySize = 32

// KeyStore keeps the master key outside the database file.
type KeyStore interface {
	// Load returns the key, creating and saving a new random one when none
	// exists yet.
	Load() ([]byte, error)
	// Describe says in a few words where the key is kept, for the admin page
	// and the log.
	Describe() string
}

// prefix marks a sealed value and its format version.
const prefix = "v1:"

// Sealer encrypts and decrypts single fields. The associated data binds a
// ciphertext to its row and field, so a value copied into another row or
// column does not open.
type Sealer struct {
	aead  cipher.AEAD
	index []byte
	audit []byte
	// Fingerprint identifies the key without revealing it; the database
	// stores it so a wrong key file is reported instead of garbling reads.
	Fingerprint string
	where       string
}

// New returns a Sealer over the key in ks.
func New(ks KeyStore) (*Sealer, error) {
	key, err := ks.Load()
	if err != nil {
		return nil, fmt.Errorf("load field key from %s: %w", ks.Describe(), err)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("field key from %s has %d bytes, want %d", ks.Describe(), len(key), KeySize)
	}
	enc := derive(key, "budayang field encryption v1")
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, index: derive(key, "budayang blind index v1"), audit: derive(key, AuditLabel),
		Fingerprint: KeyFingerprint(key), where: ks.Describe()}, nil
}

// AuditLabel derives the audit chain's key from the master key. The audit
// key shares the master key's store (keyring, DPAPI or 0600 file) rather
// than having a second one: a second key in the same store would fall to
// whoever reads the first, and one key is one thing to keep with the data
// directory.
const AuditLabel = "budayang audit chain v1"

// AuditKey is the key the audit log's entries are signed with (HMAC-SHA256),
// derived from the master key under AuditLabel, so it is never in the
// database or its backups.
func (s *Sealer) AuditKey() []byte { return append([]byte(nil), s.audit...) }

func derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Where says where the key is kept.
func (s *Sealer) Where() string { return s.where }

// Seal encrypts plain for the field named by aad (for example
// "case/<id>/id_number"). The empty string seals to the empty string.
func (s *Sealer) Seal(plain, aad string) (string, error) {
	if plain == "" {
		return "", nil
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	out := s.aead.Seal(nonce, nonce, []byte(plain), []byte(aad))
	return prefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// ErrOpen is returned when a sealed value does not open with this key.
var ErrOpen = errors.New("sealed value does not open with this key")

// Open decrypts a value sealed by Seal with the same aad.
func (s *Sealer) Open(sealed, aad string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	if !strings.HasPrefix(sealed, prefix) {
		return "", ErrOpen
	}
	raw, err := base64.RawStdEncoding.DecodeString(sealed[len(prefix):])
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", ErrOpen
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(aad))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}

// Index returns a keyed hash of value (a blind index): equal values give
// equal hashes, so a record can be found by its ID number without storing
// the number.
func (s *Sealer) Index(value string) string {
	m := hmac.New(sha256.New, s.index)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// WrongKey is the sentence shown when the database was sealed with another
// key (the key file was lost or replaced).
func WrongKey(where string) error {
	return apperr.Errorf(apperr.Internal, "个人信息加密密钥与数据库不匹配（密钥位置：%s），无法读取办件中的个人信息；请恢复原密钥文件。", where)
}

// SealedContact is a citizen's name and phone as a row stores them, with
// the phone's keyed hash beside for search by phone.
type SealedContact struct{ Name, Phone, PhoneIndex string }

// ContactAAD binds a sealed contact field to its row: kind is the table
// ("booking", "rating"), field "name" or "phone".
func ContactAAD(kind, id, field string) string { return kind + "/" + id + "/" + field }

// SealContact seals name and phone for the row kind/id. An empty field seals
// to empty, and an empty phone has no index.
func (s *Sealer) SealContact(kind, id, name, phone string) (SealedContact, error) {
	var out SealedContact
	var err error
	if out.Name, err = s.Seal(name, ContactAAD(kind, id, "name")); err != nil {
		return SealedContact{}, fmt.Errorf("seal %s %s: %w", kind, id, err)
	}
	if out.Phone, err = s.Seal(phone, ContactAAD(kind, id, "phone")); err != nil {
		return SealedContact{}, fmt.Errorf("seal %s %s: %w", kind, id, err)
	}
	if phone != "" {
		out.PhoneIndex = s.Index(phone)
	}
	return out, nil
}

// OpenContact opens a name and phone sealed by SealContact for the row
// kind/id, in place. Errors: WrongKey when either does not open.
func (s *Sealer) OpenContact(kind, id string, name, phone *string) error {
	var err error
	if *name, err = s.Open(*name, ContactAAD(kind, id, "name")); err != nil {
		return WrongKey(s.where)
	}
	if *phone, err = s.Open(*phone, ContactAAD(kind, id, "phone")); err != nil {
		return WrongKey(s.where)
	}
	return nil
}

// Plain returns v in the clear: opened when it was sealed, as it is when it
// was stored before sealing (until the start-up pass seals it). Errors:
// WrongKey when a sealed v does not open.
func (s *Sealer) Plain(v, aad string) (string, error) {
	if !strings.HasPrefix(v, prefix) {
		return v, nil
	}
	p, err := s.Open(v, aad)
	if err != nil {
		return "", WrongKey(s.where)
	}
	return p, nil
}
