package hall

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Files of the hall host's TLS identity inside its data directory.
const (
	CertFile = "hall-cert.pem"
	KeyFile  = "hall-key.pem"
)

// Identity is the hall host's own key and self-signed certificate. Windows
// trust it by its fingerprint, pinned when they join, not by a CA.
type Identity struct {
	Cert tls.Certificate
	// Fingerprint is the SHA-256 of the certificate's DER bytes.
	Fingerprint []byte
}

// LoadIdentity reads the host's identity from dataDir, making a new ECDSA
// P-256 key (0600) and a ten-year self-signed certificate the first time.
// The certificate names localhost, the machine's hostname and its LAN
// addresses at the time it is made; windows check the pin, not the names.
func LoadIdentity(dataDir string) (*Identity, error) {
	certPath, keyPath := filepath.Join(dataDir, CertFile), filepath.Join(dataDir, KeyFile)
	if _, err := os.Stat(certPath); errors.Is(err, os.ErrNotExist) {
		if err := makeIdentity(certPath, keyPath, time.Now()); err != nil {
			return nil, fmt.Errorf("make the hall host's certificate: %w", err)
		}
	}
	cert, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return nil, fmt.Errorf("load the hall host's certificate: %w", err)
	}
	sum := sha256.Sum256(cert.Certificate[0])
	return &Identity{Cert: cert, Fingerprint: sum[:]}, nil
}

func makeIdentity(certPath, keyPath string, now time.Time) error {
	if err := os.MkdirAll(filepath.Dir(certPath), 0o700); err != nil {
		return err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return err
	}
	name, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "Budayang hall host " + name, Organization: []string{"不打烊 Budayang"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if name != "" {
		tmpl.DNSNames = append(tmpl.DNSNames, name, strings.TrimSuffix(name, ".local")+".local")
	}
	tmpl.IPAddresses = append(tmpl.IPAddresses, LANAddrs()...)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	// The key is written before the certificate: a certificate on disk always
	// has its key beside it.
	if err := writeFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return err
	}
	return writeFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

// writeFile writes data to path through a temporary file and a rename, so
// a crash leaves the old file or the new one.
func writeFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(perm); err != nil {
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

// LANAddrs lists the machine's non-loopback unicast IP addresses, IPv4 first.
func LANAddrs() []net.IP {
	addrs, _ := net.InterfaceAddrs()
	var v4, v6 []net.IP
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || n.IP.IsLoopback() || n.IP.IsLinkLocalUnicast() || n.IP.IsMulticast() {
			continue
		}
		if ip := n.IP.To4(); ip != nil {
			v4 = append(v4, ip)
		} else {
			v6 = append(v6, n.IP)
		}
	}
	return append(v4, v6...)
}

// ShortFingerprint is the form people see: the first eight bytes in four
// groups, enough to tell two certificates apart in a message.
func ShortFingerprint(fp []byte) string {
	if len(fp) > 8 {
		fp = fp[:8]
	}
	h := strings.ToUpper(hex.EncodeToString(fp))
	var parts []string
	for len(h) > 4 {
		parts = append(parts, h[:4])
		h = h[4:]
	}
	return strings.Join(append(parts, h), "-")
}

// TLSConfig is the host's server configuration: HTTP/1.1 only, so the event
// stream and every guard see the same connection type as plain HTTP.
func (id *Identity) TLSConfig() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{id.Cert},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
	}
}
