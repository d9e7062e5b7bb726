package hall

import (
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// LANConfig is how the hall host faces its LAN.
type LANConfig struct {
	// BodyTimeout bounds reading one request body; a client that trickles a
	// body is cut off instead of holding a connection.
	BodyTimeout time.Duration
	// HeaderTimeout bounds reading one request's headers.
	HeaderTimeout time.Duration
	// IdleTimeout closes a kept-alive connection left idle this long.
	IdleTimeout time.Duration
	// Names are host names, besides IP literals, localhost and the
	// machine's hostname, under which staff may reach the host.
	Names []string
}

// DefaultLANConfig is what the hall host uses; names come from the
// environment variable BUDAYANG_HOST_NAMES (comma-separated).
func DefaultLANConfig(getenv func(string) string) LANConfig {
	var names []string
	for _, n := range strings.Split(getenv("BUDAYANG_HOST_NAMES"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return LANConfig{BodyTimeout: 30 * time.Second, HeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, Names: names}
}

// maxHeaderBytes bounds a request's header block.
const maxHeaderBytes = 64 << 10

// NewLANServer returns the HTTP server for h on the hall's LAN: timeouts
// for slow headers, slow bodies and idle connections, a bounded header,
// security headers on every answer, and the guards that keep staff
// credentials off plain HTTP and off foreign host names. Event streams are
// long-lived GETs without a body, so no timeout ever cuts them.
func NewLANServer(h http.Handler, cfg LANConfig) *http.Server {
	return &http.Server{
		Handler:           &lanGuard{next: h, cfg: cfg, hostname: hostname()},
		ReadHeaderTimeout: cfg.HeaderTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

func hostname() string {
	n, _ := os.Hostname()
	return strings.ToLower(strings.TrimSuffix(n, ".local"))
}

// contentSecurityPolicy allows the built UI's own scripts, styles injected
// at run time by Naive UI, images and fonts as data: or blob: URLs, PDFs
// shown from blob: URLs (a blob document inherits this policy, and the
// browser's PDF viewer is an embedded object), the display's voice clips,
// and calls to this host only; no page may frame it.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; " +
	"frame-src 'self' blob:; object-src 'self' blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

type lanGuard struct {
	next     http.Handler
	cfg      LANConfig
	hostname string
}

func (g *lanGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	staff := carriesStaffCredential(r)
	if staff && r.TLS == nil && !fromLoopback(r) {
		writeTransportError(w, http.StatusForbidden, "https_required",
			"请改用 https:// 地址访问（https://"+r.Host+"/）：明文 http 会让局域网上的他人截获密码和登录凭据。")
		return
	}
	if (staff || isWrite(r)) && !g.knownHost(r.Host) {
		writeTransportError(w, http.StatusMisdirectedRequest, "misdirected",
			"请求的主机名“"+hostOnly(r.Host)+"”不是本机的地址，已拒绝；请用本机的 IP 地址或主机名访问，或把该名称加入 BUDAYANG_HOST_NAMES。")
		return
	}
	if r.ContentLength != 0 && g.cfg.BodyTimeout > 0 {
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(g.cfg.BodyTimeout))
		r.Body = &bodyDeadline{ReadCloser: r.Body, rc: rc}
	}
	g.next.ServeHTTP(w, r)
}

// bodyDeadline lifts the body's read deadline once the body is read: the
// server then watches the connection for a client that goes away, and an
// expired deadline there would cancel a handler still at work.
type bodyDeadline struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *bodyDeadline) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// carriesStaffCredential reports whether r carries a staff password or
// session: a login, or a Bearer token in the header or the query.
func carriesStaffCredential(r *http.Request) bool {
	if r.Method == http.MethodPost && (r.URL.Path == "/api/v1/login" || r.URL.Path == "/api/v1/setup") {
		return true
	}
	// A link token (?t=) opens a staff PDF or stream; it must not cross the
	// LAN in clear either, nor a stray ?token= from an old bookmark.
	q := r.URL.Query()
	return bearer(r) != "" || q.Get(LinkParam) != "" || q.Get("token") != ""
}

func isWrite(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// knownHost reports whether host names this machine: an IP literal,
// localhost, its hostname (bare or under a LAN suffix) or a configured name. A page
// from another origin whose name was rebound to this address carries its
// own name, and is refused.
func (g *lanGuard) knownHost(host string) bool {
	name := strings.ToLower(strings.TrimSuffix(hostOnly(host), "."))
	if name == "" {
		return true // HTTP/1.0 without Host: not a browser
	}
	if net.ParseIP(strings.Trim(name, "[]")) != nil || name == "localhost" {
		return true
	}
	if g.hostname != "" && name == g.hostname {
		return true
	}
	for _, suffix := range lanSuffixes {
		if g.hostname != "" && name == g.hostname+suffix {
			return true
		}
	}
	for _, n := range g.cfg.Names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// lanSuffixes are the domains that mDNS and home or office routers give a
// machine's hostname on the LAN.
var lanSuffixes = []string{".local", ".lan", ".home", ".internal", ".localdomain", ".home.arpa"}

func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

func writeTransportError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"error": msg, "code": code})
}
