package hall

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"budayang/backend/apperr"
)

// PinFile holds, in a window's data directory (0600), the hall host it
// joined and that host's certificate fingerprint.
const PinFile = "hall-pin.json"

// Pin is a joined hall host: its https address and the SHA-256 of its
// certificate.
type Pin struct {
	Host        string `json:"host"`
	Fingerprint string `json:"fingerprint"` // hex
}

// LoadPin reads the window's pin from dataDir; ok is false when the window
// has not joined a host yet.
func LoadPin(dataDir string) (pin Pin, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dataDir, PinFile))
	if errors.Is(err, os.ErrNotExist) {
		return Pin{}, false, nil
	}
	if err != nil {
		return Pin{}, false, fmt.Errorf("read the pinned hall host: %w", err)
	}
	if err := json.Unmarshal(b, &pin); err != nil {
		return Pin{}, false, fmt.Errorf("read the pinned hall host: %w", err)
	}
	return pin, true, nil
}

// SavePin writes pin to dataDir, readable by this user only.
func SavePin(dataDir string, pin Pin) error {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(pin, "", "  ")
	return writeFile(filepath.Join(dataDir, PinFile), b, 0o600)
}

// PinError is a hall host that presented another certificate than the one
// pinned: another machine answering at the host's address, or the host
// reinstalled.
type PinError struct {
	Want, Got []byte
}

func (e *PinError) Error() string {
	return fmt.Sprintf("叫号主机的证书与加入时记录的不一致（记录的指纹 %s，收到的指纹 %s），已拒绝连接：可能有其他设备冒充主机。"+
		"如主机确实重装过，请在主机的 设置 → 窗口加入码 取得新加入码，运行 budayang --hall 加入码 重新加入。",
		ShortFingerprint(e.Want), ShortFingerprint(e.Got))
}

// pinnedTLS trusts exactly the certificate whose SHA-256 starts with pin,
// whatever its names or issuer: the host's certificate is self-signed and
// its addresses change with DHCP, so the pin is the whole check.
func pinnedTLS(pin []byte) *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // the chain is replaced by the pin below
		NextProtos:         []string{"http/1.1"},
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return &PinError{Want: pin}
			}
			sum := sha256.Sum256(cs.PeerCertificates[0].Raw)
			if !bytes.HasPrefix(sum[:], pin) {
				return &PinError{Want: pin, Got: sum[:]}
			}
			return nil
		},
	}
}

func pinnedTransport(pin []byte) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = pinnedTLS(pin)
	t.ForceAttemptHTTP2 = false
	return t
}

// Join reaches the host a join code names, at base when it is given (an
// https URL) or else at each address in the code, and returns the pin of
// the first that presents the code's certificate. A host with another
// certificate is refused with *PinError.
func Join(ctx context.Context, code JoinCode, base string) (Pin, error) {
	urls := code.URLs()
	if base != "" {
		if !strings.HasPrefix(base, "https://") {
			return Pin{}, apperr.Errorf(apperr.Invalid, "加入大厅主机须用 https 地址（如 https://192.168.1.10:8470），收到“%s”", base)
		}
		urls = []string{strings.TrimRight(base, "/")}
	}
	var got []byte
	errs := make([]string, 0, len(urls))
	for _, u := range urls {
		client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS12, InsecureSkipVerify: true, NextProtos: []string{"http/1.1"},
			VerifyConnection: func(cs tls.ConnectionState) error {
				if len(cs.PeerCertificates) > 0 {
					sum := sha256.Sum256(cs.PeerCertificates[0].Raw)
					got = sum[:]
				}
				return pinnedTLS(code.Pin).VerifyConnection(cs)
			},
		}}}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u+"/api/v1/health", nil)
		if err != nil {
			return Pin{}, apperr.Errorf(apperr.Invalid, "主机地址“%s”不正确", u)
		}
		res, err := client.Do(req)
		if err != nil {
			var pe *PinError
			if errors.As(err, &pe) {
				return Pin{}, apperr.Errorf(apperr.Forbidden, "%s", pe.Error())
			}
			errs = append(errs, fmt.Sprintf("%s：%v", u, err))
			continue
		}
		res.Body.Close()
		return Pin{Host: u, Fingerprint: hex.EncodeToString(got)}, nil
	}
	return Pin{}, apperr.Errorf(apperr.Unavailable, "无法连接加入码所指的叫号主机（%s），请确认主机已开机并在同一局域网。", strings.Join(errs, "；"))
}

// Short is the pinned fingerprint's short form, as messages show it.
func (p Pin) Short() string {
	b, _ := hex.DecodeString(p.Fingerprint)
	return ShortFingerprint(b)
}

func (p Pin) bytes() ([]byte, error) {
	b, err := hex.DecodeString(p.Fingerprint)
	if err != nil || len(b) < joinPinBytes {
		return nil, fmt.Errorf("pinned fingerprint %q is not a SHA-256", p.Fingerprint)
	}
	return b, nil
}
