package secret

import (
	"fmt"
	"os"
	"path/filepath"
)

// SaveCredential writes a 32-byte secret received from elsewhere (the
// county site credential) to path the way the field key file is kept: mode
// 0600, DPAPI-protected on Windows, through a temporary file and a rename.
// It belongs beside the database, never inside it or its backups.
func SaveCredential(path string, cred []byte) error {
	if len(cred) != KeySize {
		return fmt.Errorf("credential has %d bytes, want %d", len(cred), KeySize)
	}
	data, err := protect(cred)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// LoadCredential reads a secret written by SaveCredential.
func LoadCredential(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return unprotect(raw)
}
