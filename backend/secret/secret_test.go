package secret_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"budayang/backend/secret"
)

func TestFileStore_CreatesKeyOnceWith0600(t *testing.T) {
	ks := secret.FileStore{Path: filepath.Join(t.TempDir(), secret.KeyFileName)}
	k1, err := ks.Load()
	if err != nil {
		t.Fatal(err)
	}
	k2, err := ks.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1, k2) || len(k1) != secret.KeySize {
		t.Fatalf("second load gave another key")
	}
	if runtime.GOOS != "windows" {
		st, _ := os.Stat(ks.Path)
		if st.Mode().Perm() != 0o600 {
			t.Errorf("key file mode: got %o, want 600", st.Mode().Perm())
		}
	}
}

func TestSealer(t *testing.T) {
	s, err := secret.New(secret.MemoryStore{Key: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := s.Seal("51172519900307123X", "case/1/id_number")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("RoundTrip", func(t *testing.T) {
		got, err := s.Open(sealed, "case/1/id_number")
		if err != nil || got != "51172519900307123X" {
			t.Errorf("got %q %v", got, err)
		}
	})
	t.Run("NoPlainText", func(t *testing.T) {
		if strings.Contains(sealed, "1990") {
			t.Errorf("sealed value shows the plain text: %s", sealed)
		}
	})
	t.Run("BoundToField", func(t *testing.T) {
		if _, err := s.Open(sealed, "case/2/id_number"); err != secret.ErrOpen {
			t.Errorf("opened under another row: %v", err)
		}
	})
	t.Run("OtherKeyFails", func(t *testing.T) {
		other, _ := secret.New(secret.MemoryStore{Key: bytes.Repeat([]byte{8}, 32)})
		if _, err := other.Open(sealed, "case/1/id_number"); err != secret.ErrOpen {
			t.Errorf("opened with another key: %v", err)
		}
		if other.Fingerprint == s.Fingerprint {
			t.Error("two keys share a fingerprint")
		}
	})
	t.Run("FreshNonce", func(t *testing.T) {
		again, _ := s.Seal("51172519900307123X", "case/1/id_number")
		if again == sealed {
			t.Error("same ciphertext twice: nonce reused")
		}
	})
	t.Run("BlindIndexStable", func(t *testing.T) {
		// Another sealer on the same key (the next start) finds the same
		// rows; another value or another key does not.
		again, err := secret.New(secret.MemoryStore{Key: bytes.Repeat([]byte{7}, 32)})
		if err != nil {
			t.Fatal(err)
		}
		other, _ := secret.New(secret.MemoryStore{Key: bytes.Repeat([]byte{8}, 32)})
		id := "51172519900307123X"
		tests := []struct {
			name      string
			got, want string
			same      bool
		}{
			{"SameKeySameValue", again.Index(id), s.Index(id), true},
			{"OtherValue", s.Index("511725199003071232"), s.Index(id), false},
			{"OtherKey", other.Index(id), s.Index(id), false},
		}
		for _, tt := range tests {
			if (tt.got == tt.want) != tt.same {
				t.Errorf("%s: index %q vs %q, want same=%v", tt.name, tt.got, tt.want, tt.same)
			}
		}
		if strings.Contains(s.Index(id), "1990") || s.Index(id) == "" {
			t.Errorf("index %q is empty or shows the plain text", s.Index(id))
		}
	})
}

func TestFileStore_ShortFileRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("DPAPI format")
	}
	p := filepath.Join(t.TempDir(), "k")
	os.WriteFile(p, []byte("short"), 0o600)
	if _, err := secret.New(secret.FileStore{Path: p}); err == nil {
		t.Error("a 5-byte key file was accepted")
	}
}
