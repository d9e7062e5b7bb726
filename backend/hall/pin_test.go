package hall_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"budayang/backend/events"
	"budayang/backend/hall"
	"budayang/backend/store/storetest"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// A window trusts the host whose certificate it pinned when it joined, and
// refuses another machine answering at the same address with a sentence
// naming both fingerprints.
func TestRemote_PinnedCertificate(t *testing.T) {
	h := start(t)
	h.setupAndLogin()
	lan := startLAN(t, h, "", testLANConfig())
	other, err := hall.LoadIdentity(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base := "https://" + lan.addr
	t.Run("SameCertificate", func(t *testing.T) {
		r, err := hall.NewPinnedRemote(hall.Pin{Host: base, Fingerprint: hex.EncodeToString(lan.id.Fingerprint)}, events.NewBus(), nil, quiet())
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Check(context.Background()); err != nil {
			t.Fatalf("check: %v", err)
		}
		if status, body := r.Invoke(context.Background(), "GET", "/api/v1/health", "", "", ""); status != 200 {
			t.Fatalf("health: got %d %s", status, body)
		}
	})
	t.Run("SwappedCertificate", func(t *testing.T) {
		r, err := hall.NewPinnedRemote(hall.Pin{Host: base, Fingerprint: hex.EncodeToString(other.Fingerprint)}, events.NewBus(), nil, quiet())
		if err != nil {
			t.Fatal(err)
		}
		var pe *hall.PinError
		if err := r.Check(context.Background()); !errors.As(err, &pe) {
			t.Fatalf("check: got %v, want *PinError", err)
		}
		status, body := r.Invoke(context.Background(), "POST", "/api/v1/login", loginBody, "", "")
		if status != 502 || !strings.Contains(body, "cert_mismatch") {
			t.Fatalf("login: got %d %s, want 502 cert_mismatch", status, body)
		}
		for _, fp := range [][]byte{other.Fingerprint, lan.id.Fingerprint} {
			if !strings.Contains(body, hall.ShortFingerprint(fp)) {
				t.Errorf("refusal %s does not name %s", body, hall.ShortFingerprint(fp))
			}
		}
	})
}

// The admin's join code carries the host's address and certificate; a
// window that joins with it pins that certificate and nothing else.
func TestJoinCode_RoundTrip(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	lan := startLAN(t, h, "", testLANConfig())
	code, body := h.do("GET", "/api/v1/hall/join-code", admin, "")
	if code != 200 {
		t.Fatalf("join code: got %d %v", code, body)
	}
	if body["fingerprint"] != hall.ShortFingerprint(lan.id.Fingerprint) {
		t.Errorf("fingerprint: got %v, want %s", body["fingerprint"], hall.ShortFingerprint(lan.id.Fingerprint))
	}
	now := storetest.Epoch
	jc, err := hall.ParseJoinCode(body["code"].(string), now)
	if err != nil {
		t.Fatalf("parse %q: %v", body["code"], err)
	}
	if got := jc.URLs(); len(got) != 1 || got[0] != "https://"+lan.addr {
		t.Errorf("addresses: got %v, want [https://%s]", got, lan.addr)
	}

	t.Run("JoinPinsTheCertificate", func(t *testing.T) {
		pin, err := hall.Join(context.Background(), jc, "")
		if err != nil {
			t.Fatal(err)
		}
		if pin.Host != "https://"+lan.addr || pin.Fingerprint != hex.EncodeToString(lan.id.Fingerprint) {
			t.Errorf("pin: got %+v", pin)
		}
		dir := t.TempDir()
		if err := hall.SavePin(dir, pin); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := hall.LoadPin(dir); err != nil || !ok || got != pin {
			t.Errorf("load pin: got %+v %v %v, want %+v", got, ok, err, pin)
		}
	})
	t.Run("LowerCaseWithoutDashes", func(t *testing.T) {
		if _, err := hall.ParseJoinCode(strings.ToLower(strings.ReplaceAll(body["code"].(string), "-", "")), now); err != nil {
			t.Errorf("got %v", err)
		}
	})
	t.Run("Mistyped", func(t *testing.T) {
		s := []byte(body["code"].(string))
		if s[5] == 'A' {
			s[5] = 'B'
		} else {
			s[5] = 'A'
		}
		if _, err := hall.ParseJoinCode(string(s), now); err == nil || !strings.Contains(err.Error(), "不正确") {
			t.Errorf("got %v, want a sentence saying the code is wrong", err)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		if _, err := hall.ParseJoinCode(body["code"].(string), now.Add(hall.JoinCodeTTL+time.Minute)); err == nil || !strings.Contains(err.Error(), "过期") {
			t.Errorf("got %v, want expired", err)
		}
	})
	t.Run("OtherHostRefused", func(t *testing.T) {
		h2 := start(t)
		h2.setupAndLogin()
		impostor := startLAN(t, h2, "", testLANConfig())
		_, err := hall.Join(context.Background(), jc, "https://"+impostor.addr)
		if err == nil {
			t.Fatal("joined a host with another certificate")
		}
		for _, fp := range [][]byte{lan.id.Fingerprint, impostor.id.Fingerprint} {
			if !strings.Contains(err.Error(), hall.ShortFingerprint(fp)) {
				t.Errorf("refusal %q does not name %s", err, hall.ShortFingerprint(fp))
			}
		}
	})
	t.Run("AnonymousRefused", func(t *testing.T) {
		if code, _ := h.do("GET", "/api/v1/hall/join-code", "", ""); code != 401 {
			t.Errorf("anonymous: got %d, want 401", code)
		}
	})
}

// The host makes its key once, readable by its user only, and keeps it.
func TestIdentity_MadeOnce(t *testing.T) {
	dir := t.TempDir()
	first, err := hall.LoadIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	again, err := hall.LoadIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Fingerprint, again.Fingerprint) {
		t.Error("certificate changed on reload")
	}
	if fi, err := os.Stat(filepath.Join(dir, hall.KeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v, want mode 0600", fi.Mode().Perm(), err)
	}
	leaf, err := x509.ParseCertificate(first.Cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if leaf.PublicKeyAlgorithm != x509.ECDSA || leaf.VerifyHostname("localhost") != nil || leaf.VerifyHostname("127.0.0.1") != nil {
		t.Errorf("certificate: %v, names %v %v", leaf.PublicKeyAlgorithm, leaf.DNSNames, leaf.IPAddresses)
	}
}

// The window's UI fetches some files (PDFs) through its asset server, which
// names itself in Host: the window sends them on under the hall host's name.
func TestRemote_ProxyNamesTheHost(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	lan := startLAN(t, h, "", testLANConfig())
	r, err := hall.NewPinnedRemote(hall.Pin{Host: "https://" + lan.addr, Fingerprint: hex.EncodeToString(lan.id.Fingerprint)}, events.NewBus(), nil, quiet())
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "http://wails.localhost/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("got %d %s, want 200", w.Code, w.Body)
	}
}
