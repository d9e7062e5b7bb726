//go:build !linux

package secret

// platformStore is the key file: DPAPI-protected on Windows.
func platformStore(_ string, file FileStore) KeyStore { return file }
