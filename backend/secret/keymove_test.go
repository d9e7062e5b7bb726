package secret_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/secret"
)

const passphrase = "海棠镇 key on USB 2026"

// fileStore is a site's key file in a fresh temporary data directory.
func fileStore(t *testing.T) secret.FileStore {
	t.Helper()
	return secret.FileStore{Path: filepath.Join(t.TempDir(), secret.KeyFileName)}
}

// A key exported from one data directory and imported into a fresh one
// opens what the old key sealed, and the new directory's default store
// keeps it from then on.
func TestExportImport_MovesTheKey(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	oldDir, newDir := t.TempDir(), filepath.Join(t.TempDir(), "new-pc")
	old, err := secret.New(secret.DefaultStore(oldDir))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := old.Seal("51172519900307123X", "case/1/id_number")
	if err != nil {
		t.Fatal(err)
	}
	file, _, err := secret.Export(secret.DefaultStore(oldDir), passphrase)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(file, mustKey(t, secret.DefaultStore(oldDir))) {
		t.Fatal("the export file holds the key in plain")
	}
	installed, fp, err := secret.Import(secret.DefaultStore(newDir), file, passphrase)
	if err != nil || !installed || fp != old.Fingerprint {
		t.Fatalf("import: installed %v, fingerprint %q (want %q), %v", installed, fp, old.Fingerprint, err)
	}
	moved, err := secret.New(secret.DefaultStore(newDir))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := moved.Open(sealed, "case/1/id_number"); err != nil || got != "51172519900307123X" {
		t.Errorf("open on the new PC: %q, %v", got, err)
	}
	if moved.Fingerprint != old.Fingerprint {
		t.Errorf("fingerprint: got %s, want %s", moved.Fingerprint, old.Fingerprint)
	}
}

func mustKey(t *testing.T, ks secret.KeyStore) []byte {
	t.Helper()
	k, err := ks.Load()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// An import that cannot be trusted writes nothing: no key file appears in
// the target, whatever went wrong.
func TestImport_Refusals(t *testing.T) {
	src := fileStore(t)
	key := mustKey(t, src)
	good, _, err := secret.Export(src, passphrase)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)-5] ^= 1
	salted := append([]byte(nil), good...)
	salted[14] ^= 1
	future := append([]byte(nil), good...)
	future[len("BUDAYANGKEY")] = 2
	tests := []struct {
		name       string
		file       []byte
		passphrase string
		want       string
	}{
		{"WrongPassphrase", good, "another long passphrase", "口令不对"},
		{"Truncated", good[:len(good)-1], passphrase, "不完整"},
		{"Extended", append(append([]byte(nil), good...), 0), passphrase, "不完整"},
		{"FlippedCiphertext", flipped, passphrase, "已损坏"},
		{"FlippedSalt", salted, passphrase, "已损坏"},
		{"NewerVersion", future, passphrase, "版本为 2"},
		{"NotAnExport", key, passphrase, "不是不打烊的密钥导出文件"},
		{"Empty", nil, passphrase, "不是不打烊的密钥导出文件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := fileStore(t)
			_, _, err := secret.Import(dst, tt.file, tt.passphrase)
			if apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), tt.want) {
				t.Errorf("got %v, want an Invalid sentence with %q", err, tt.want)
			}
			if _, err := os.Stat(dst.Path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a key file was written: %v", err)
			}
		})
	}
}

// A directory that already keeps a key takes an import only of that same
// key; another key is refused and the kept one left as it was.
func TestImport_OverExistingKey(t *testing.T) {
	src := fileStore(t)
	mustKey(t, src)
	file, _, err := secret.Export(src, passphrase)
	if err != nil {
		t.Fatal(err)
	}
	same := secret.FileStore{Path: filepath.Join(t.TempDir(), secret.KeyFileName)}
	if _, _, err := secret.Import(same, file, passphrase); err != nil {
		t.Fatal(err)
	}
	other := fileStore(t)
	otherKey := mustKey(t, other)
	// A key file that does not open here: on Windows, one copied from
	// another PC (DPAPI); anywhere, a damaged one.
	foreign := fileStore(t)
	os.WriteFile(foreign.Path, []byte("DPAPI blob of another PC"), 0o600)
	tests := []struct {
		name          string
		dst           secret.FileStore
		wantInstalled bool
		wantCode      string
		wantKey       []byte
	}{
		{"SameKeyAccepted", same, false, "", mustKey(t, src)},
		{"OtherKeyRefused", other, false, apperr.Conflict, otherKey},
		{"UnreadableKeyRefused", foreign, false, apperr.Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			installed, _, err := secret.Import(tt.dst, file, passphrase)
			if installed != tt.wantInstalled || (tt.wantCode == "" && err != nil) || (tt.wantCode != "" && apperr.Code(err) != tt.wantCode) {
				t.Errorf("got installed %v, %v; want %v, code %q", installed, err, tt.wantInstalled, tt.wantCode)
			}
			if tt.wantKey == nil {
				if raw, _ := os.ReadFile(tt.dst.Path); string(raw) != "DPAPI blob of another PC" {
					t.Error("the unreadable key file changed")
				}
				return
			}
			if !bytes.Equal(mustKey(t, tt.dst), tt.wantKey) {
				t.Error("the kept key changed")
			}
		})
	}
}

// Export reads the key and never makes one; a short passphrase is refused.
func TestExport_Refusals(t *testing.T) {
	withKey := fileStore(t)
	mustKey(t, withKey)
	tests := []struct {
		name       string
		ks         secret.FileStore
		passphrase string
		wantCode   string
		want       string
	}{
		{"ShortPassphrase", withKey, "elevenchars", apperr.Invalid, "至少 12 个字符"},
		{"ShortInChineseCharacters", withKey, "一二三四五六七八九十一", apperr.Invalid, "至少 12 个字符"},
		{"NoKeyYet", fileStore(t), passphrase, apperr.NotFound, "没有可导出的密钥"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := secret.Export(tt.ks, tt.passphrase)
			if apperr.Code(err) != tt.wantCode || !strings.Contains(apperr.Message(err), tt.want) {
				t.Errorf("got %v, want %s with %q", err, tt.wantCode, tt.want)
			}
		})
	}
	t.Run("NoKeyMade", func(t *testing.T) {
		ks := fileStore(t)
		secret.Export(ks, passphrase)
		if _, err := os.Stat(ks.Path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("export made a key file: %v", err)
		}
	})
}
