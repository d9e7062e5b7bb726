// Package countysync is the site's side of the county link: enrolment with
// a code that pins the county's certificate, and the worker that pushes the
// outbox to the county in order, exactly once in effect.
package countysync

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/county"
	"budayang/backend/secret"
)

// Files beside the database, never inside it or its backups.
const (
	// ConfigFile holds the county address, the site id and the pinned
	// certificate fingerprint (0600).
	ConfigFile = "county.json"
	// CredentialFile holds the site credential, kept like the field key.
	CredentialFile = "county.credential"
)

// Config is what enrolment leaves on the site.
type Config struct {
	County      string    `json:"county"`
	SiteID      string    `json:"site_id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	Fingerprint string    `json:"fingerprint"` // hex SHA-256 of the county's certificate
	EnrolledAt  time.Time `json:"enrolled_at"`
}

// LoadConfig reads the enrolment of dataDir; nil when the site is not
// enrolled.
func LoadConfig(dataDir string) (*Config, error) {
	raw, err := os.ReadFile(filepath.Join(dataDir, ConfigFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read county enrolment: %w", err)
	}
	var c Config
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("read county enrolment %s: %w", ConfigFile, err)
	}
	return &c, nil
}

func saveConfig(dataDir string, c *Config) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dataDir, ".tmp-county-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dataDir, ConfigFile))
}

// PinError is a county certificate other than the pinned one.
type PinError struct {
	Pinned, Got []byte
	// First is set while enrolling, when only the code's prefix of the
	// fingerprint is known.
	First bool
}

func (e *PinError) Error() string {
	if e.First {
		return fmt.Sprintf("县平台出示的证书（%s）与登记码所载的（%s）不符：连接可能被冒充，已停止登记。请核对县平台地址后重试。",
			county.ShortFingerprint(e.Got), county.ShortFingerprint(e.Pinned))
	}
	return fmt.Sprintf("县平台的证书已变更：本站点固定的是 %s，这次连接出示的是 %s。若县平台确实更换了证书，请重新登记本站点；否则连接可能被冒充。",
		county.ShortFingerprint(e.Pinned), county.ShortFingerprint(e.Got))
}

// pinnedClient trusts exactly the certificate whose SHA-256 starts with
// pin (all 32 bytes once enrolled, the code's 16 while enrolling), and no
// CA. A mismatch fails the handshake with a *PinError.
func pinnedClient(pin []byte, first bool, timeout time.Duration) (*http.Client, *pinCheck) {
	pc := &pinCheck{pin: pin, first: first}
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{
			InsecureSkipVerify:    true, // verified by VerifyPeerCertificate against the pin
			VerifyPeerCertificate: pc.verify,
			MinVersion:            tls.VersionTLS12,
		},
		Proxy:                 nil,
		ResponseHeaderTimeout: timeout,
		TLSHandshakeTimeout:   10 * time.Second,
		MaxIdleConnsPerHost:   2,
	}
	return &http.Client{Transport: tr, Timeout: timeout}, pc
}

type pinCheck struct {
	pin   []byte
	first bool
	// got is the full fingerprint of the certificate last accepted.
	got []byte
}

func (p *pinCheck) verify(raw [][]byte, _ [][]*x509.Certificate) error {
	if len(raw) == 0 {
		return &PinError{Pinned: p.pin, First: p.first}
	}
	sum := sha256.Sum256(raw[0])
	if !bytes.Equal(sum[:len(p.pin)], p.pin) {
		return &PinError{Pinned: p.pin, Got: sum[:], First: p.first}
	}
	p.got = sum[:]
	return nil
}

// asUserError turns a transport error into a sentence: a pin mismatch says
// so, anything else says the county cannot be reached.
func asUserError(err error) error {
	var pe *PinError
	if errors.As(err, &pe) {
		return apperr.Errorf(apperr.Forbidden, "%s", pe.Error())
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	return apperr.Errorf(apperr.Unavailable, "连不上县平台：%v", err)
}

func fingerprintBytes(c *Config) ([]byte, error) {
	fp, err := hex.DecodeString(c.Fingerprint)
	if err != nil || len(fp) != sha256.Size {
		return nil, fmt.Errorf("county enrolment %s holds a bad fingerprint", ConfigFile)
	}
	return fp, nil
}

func loadCredential(dataDir string) ([]byte, error) {
	cred, err := secret.LoadCredential(filepath.Join(dataDir, CredentialFile))
	if err != nil {
		return nil, fmt.Errorf("load the county site credential: %w", err)
	}
	return cred, nil
}
