//go:build !windows

package secret

import "fmt"

// protection names how the key file is protected on this system. Linux and
// macOS rely on the 0600 mode; a Secret Service or Keychain store can be
// added as another KeyStore (see the package doc).
const protection = "key file (0600)"

func protect(key []byte) ([]byte, error) { return key, nil }

func unprotect(raw []byte) ([]byte, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("key file has %d bytes, want %d", len(raw), KeySize)
	}
	return raw, nil
}
