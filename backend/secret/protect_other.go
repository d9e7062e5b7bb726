//go:build !windows

package secret

import "fmt"

// protection names how the key file is protected on this system: by its
// 0600 mode, where no desktop key store is reachable (see keyring_linux.go).
const protection = "key file (0600)"

func protect(key []byte) ([]byte, error) { return key, nil }

func unprotect(raw []byte) ([]byte, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("key file has %d bytes, want %d", len(raw), KeySize)
	}
	return raw, nil
}
