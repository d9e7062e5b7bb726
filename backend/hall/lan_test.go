package hall_test

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"budayang/backend/hall"
)

// lanHost serves h's site the way the hall host does on its LAN: one port
// for TLS and plain HTTP behind the LAN guards. Every connection appears to
// come from peer, so a loopback test can stand for a phone on the Wi-Fi.
type lanHost struct {
	addr string
	id   *hall.Identity
}

func startLAN(t *testing.T, h *harness, peer string, cfg hall.LANConfig) *lanHost {
	t.Helper()
	id, err := hall.LoadIdentity(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.h.SetLAN(hall.LAN{Identity: id, Addr: ln.Addr().String()})
	srv := hall.NewLANServer(h.h, cfg)
	go func() { _ = srv.Serve(hall.OnePort(forged{ln, peer}, id.TLSConfig())) }()
	t.Cleanup(func() { srv.Close() })
	return &lanHost{addr: ln.Addr().String(), id: id}
}

type forged struct {
	net.Listener
	peer string
}

func (f forged) Accept() (net.Conn, error) {
	c, err := f.Listener.Accept()
	if err != nil || f.peer == "" {
		return c, err
	}
	return forgedConn{c, f.peer}, nil
}

type forgedConn struct {
	net.Conn
	peer string
}

func (c forgedConn) RemoteAddr() net.Addr {
	addr, _ := net.ResolveTCPAddr("tcp", c.peer)
	return addr
}

func testLANConfig() hall.LANConfig {
	return hall.LANConfig{BodyTimeout: 300 * time.Millisecond, HeaderTimeout: time.Second, IdleTimeout: time.Second, Names: []string{"hall.example.lan"}}
}

// call sends one request to the LAN host over TLS (trusting any
// certificate: the pin is tested on its own) or plain HTTP.
func (l *lanHost) call(t *testing.T, overTLS bool, method, path, host, token, body string) (*http.Response, string) {
	t.Helper()
	scheme := "http"
	if overTLS {
		scheme = "https"
	}
	req, err := http.NewRequest(method, scheme+"://"+l.addr+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, string(raw)
}

const loginBody = `{"user":"admin","password":"Admin12345"}`

// Staff passwords and sessions never cross the LAN in the clear: from
// another machine they are refused over plain HTTP and accepted over TLS,
// while public reads and the host's own loopback keep plain HTTP.
func TestLAN_StaffCredentialsNeedTLS(t *testing.T) {
	h := start(t)
	token := h.setupAndLogin()
	lan := startLAN(t, h, "192.168.1.50:50000", testLANConfig())
	tests := []struct {
		name         string
		tls          bool
		method, path string
		token, body  string
		status       int
	}{
		{"PlainLoginRefused", false, "POST", "/api/v1/login", "", loginBody, 403},
		{"PlainBearerRefused", false, "GET", "/api/v1/me", token, "", 403},
		{"PlainTokenQueryRefused", false, "GET", "/api/v1/me?token=" + token, "", "", 403},
		{"PlainLinkTokenRefused", false, "GET", "/api/v1/events?t=anything", "", "", 403},
		{"PlainPublicReadServed", false, "GET", "/api/v1/health", "", "", 200},
		{"PlainPageServed", false, "GET", "/", "", "", 200},
		{"TLSLoginAccepted", true, "POST", "/api/v1/login", "", loginBody, 200},
		{"TLSBearerAccepted", true, "GET", "/api/v1/me", token, "", 200},
		{"TLSPageServed", true, "GET", "/", "", "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := lan.call(t, tt.tls, tt.method, tt.path, "", tt.token, tt.body)
			if res.StatusCode != tt.status {
				t.Fatalf("got %d %s, want %d", res.StatusCode, body, tt.status)
			}
			if tt.status == 403 && (!strings.Contains(body, "https_required") || !strings.Contains(body, "https://")) {
				t.Errorf("refusal should tell to use https: %s", body)
			}
			if tt.tls != (res.TLS != nil) {
				t.Errorf("TLS: got %v, want %v", res.TLS != nil, tt.tls)
			}
		})
	}
	t.Run("LoopbackPlainLoginServed", func(t *testing.T) {
		local := startLAN(t, h, "", testLANConfig())
		if res, body := local.call(t, false, "POST", "/api/v1/login", "", "", loginBody); res.StatusCode != 200 {
			t.Fatalf("got %d %s, want 200", res.StatusCode, body)
		}
	})
}

// A page from another origin whose name was rebound to the host's address
// carries its own Host: with a staff credential or a write it is refused.
func TestLAN_HostCheck(t *testing.T) {
	h := start(t)
	token := h.setupAndLogin()
	lan := startLAN(t, h, "", testLANConfig())
	me, _ := os.Hostname()
	tests := []struct {
		name         string
		method, path string
		host, token  string
		body         string
		status       int
	}{
		{"RebindWithBearer", "GET", "/api/v1/me", "evil.example:8470", token, "", 421},
		{"RebindLogin", "POST", "/api/v1/login", "evil.example", "", loginBody, 421},
		{"RebindWrite", "POST", "/api/v1/setup", "evil.example", "", setupBody, 421},
		{"RebindPublicRead", "GET", "/api/v1/health", "evil.example", "", "", 200},
		{"IPLiteral", "GET", "/api/v1/me", "192.168.1.10:8470", token, "", 200},
		{"Localhost", "GET", "/api/v1/me", "localhost:8470", token, "", 200},
		{"ConfiguredName", "GET", "/api/v1/me", "Hall.Example.LAN:8470", token, "", 200},
		{"Hostname", "GET", "/api/v1/me", me + ":8470", token, "", 200},
		{"HostnameOnTheLAN", "GET", "/api/v1/me", me + ".lan:8470", token, "", 200},
		{"HostnameUnderAnotherDomain", "GET", "/api/v1/me", me + ".evil.example:8470", token, "", 421},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := lan.call(t, true, tt.method, tt.path, tt.host, tt.token, tt.body)
			if res.StatusCode != tt.status {
				t.Fatalf("got %d %s, want %d", res.StatusCode, body, tt.status)
			}
		})
	}
}

// Every answer carries the headers that stop framing, sniffing, referrers
// and foreign scripts.
func TestLAN_SecurityHeaders(t *testing.T) {
	h := start(t)
	h.setupAndLogin()
	lan := startLAN(t, h, "", testLANConfig())
	want := map[string]string{
		"X-Frame-Options":        "DENY",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
	}
	for _, path := range []string{"/", "/assets/app.js", "/api/v1/health", "/api/v1/nothing", "/api/v1/me"} {
		t.Run(path, func(t *testing.T) {
			res, _ := lan.call(t, true, "GET", path, "", "", "")
			for k, v := range want {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s: got %q, want %q", k, got, v)
				}
			}
			csp := res.Header.Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("CSP %q lacks %q", csp, d)
				}
			}
		})
	}
}

// A client that sends headers and then trickles a body that never ends is
// cut off within the body timeout, not held open.
func TestLAN_SlowBodyCut(t *testing.T) {
	h := start(t)
	h.setupAndLogin()
	lan := startLAN(t, h, "", testLANConfig())
	c, err := net.Dial("tcp", lan.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"user\":")
	start := time.Now()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = io.ReadAll(bufio.NewReader(c))
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("connection still open after %v", time.Since(start))
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("closed after %v, want about the 300 ms body timeout", d)
	}
}

// A body over MaxBody is answered 413 with a sentence, not as malformed.
func TestLAN_OversizedBody(t *testing.T) {
	h := start(t)
	token := h.setupAndLogin()
	big := `{"name":"` + strings.Repeat("长", hall.MaxBody/3+10) + `"}`
	code, body := h.do("PUT", "/api/v1/site", token, big)
	if code != 413 || body["code"] != "too_large" {
		t.Fatalf("got %d %v, want 413 too_large", code, body)
	}
}

// One port serves both: the first byte of each connection decides, read
// off the accept loop, so a client that connects and stays silent holds up
// no one else.
func TestOnePort_SilentClientHoldsOnlyItself(t *testing.T) {
	h := start(t)
	h.setupAndLogin()
	lan := startLAN(t, h, "", testLANConfig())
	silent, err := net.Dial("tcp", lan.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	for _, overTLS := range []bool{false, true} {
		if res, body := lan.call(t, overTLS, "GET", "/api/v1/health", "", "", ""); res.StatusCode != 200 || (res.TLS != nil) != overTLS {
			t.Errorf("TLS %v: got %d %s", overTLS, res.StatusCode, body)
		}
	}
}
