package hall

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"budayang/backend/events"
)

// Event types of the link between a window workstation and its hall host.
const (
	HostReachable   = "host:reachable"
	HostUnreachable = "host:unreachable"
)

// Remote is the door of a window workstation (role "window"): every API call
// goes to the hall host at its address, and the host's event stream is
// republished on the local bus, so the window's UI works as if the hall were
// local. When the host cannot be reached, calls answer 502 with a sentence
// that says so, and the bus carries host:unreachable until it is back.
//
// The host's stream carries the staff events (reminders, cases, calendar)
// only to a signed-in session, so Remote follows it with the session
// UseSession was last given, and with none (public events only) before
// anyone signs in.
type Remote struct {
	base   *url.URL
	client *http.Client
	stream *http.Client
	proxy  *httputil.ReverseProxy
	bus    *events.Bus
	log    *slog.Logger
	ui     http.Handler
	up     atomic.Bool

	mu      sync.Mutex
	token   string             // the session the stream is followed with
	restart context.CancelFunc // ends the current stream, to follow anew
}

// NewRemote returns the door to the hall host at base (http://host:port).
// The window serves its own built UI from ui, so it can say the host is
// gone when it is; only /api/ goes to the host.
func NewRemote(base string, bus *events.Bus, ui fs.FS, log *slog.Logger) (*Remote, error) {
	return newRemote(base, http.DefaultTransport, bus, ui, log)
}

// NewPinnedRemote returns the door to the hall host a window joined: over
// https, trusting only the pinned certificate. A host presenting another
// one is refused, and each call says so with both fingerprints.
func NewPinnedRemote(pin Pin, bus *events.Bus, ui fs.FS, log *slog.Logger) (*Remote, error) {
	fp, err := pin.bytes()
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(pin.Host, "https://") {
		return nil, fmt.Errorf("叫号主机地址应形如 https://192.168.1.10:8470，收到“%s”", pin.Host)
	}
	return newRemote(pin.Host, pinnedTransport(fp), bus, ui, log)
}

func newRemote(base string, rt http.RoundTripper, bus *events.Bus, ui fs.FS, log *slog.Logger) (*Remote, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("叫号主机地址应形如 https://192.168.1.10:8470，收到“%s”", base)
	}
	r := &Remote{base: u, client: &http.Client{Timeout: 10 * time.Second, Transport: rt},
		stream: &http.Client{Transport: rt}, bus: bus, log: log}
	if ui != nil {
		r.ui = spa(ui)
	}
	r.proxy = httputil.NewSingleHostReverseProxy(u)
	r.proxy.Transport = rt
	direct := r.proxy.Director
	r.proxy.Director = func(req *http.Request) {
		direct(req)
		// The window's own asset server names itself in Host; the hall host
		// accepts staff calls only under its own names.
		req.Host = u.Host
	}
	r.proxy.FlushInterval = -1 // stream SSE through
	r.proxy.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, err error) {
		r.down(err)
		writeJSON(w, http.StatusBadGateway, unreachableBody(u.Host, err))
	}
	return r, nil
}

func unreachableBody(host string, err error) map[string]string {
	var pe *PinError
	if errors.As(err, &pe) {
		return map[string]string{"error": pe.Error(), "code": "cert_mismatch"}
	}
	return map[string]string{"error": fmt.Sprintf("无法连接叫号主机 %s，请检查网络或主机是否开机。", host), "code": "unreachable"}
}

// Check reaches the host once and returns *PinError when it presents
// another certificate than the pinned one; any other failure is left to
// the calls, which report the host unreachable until it is back.
func (r *Remote) Check(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base.String()+"/api/v1/health", nil)
	if err != nil {
		return err
	}
	res, err := r.client.Do(req)
	var pe *PinError
	if errors.As(err, &pe) {
		return pe
	}
	if err == nil {
		res.Body.Close()
	}
	return nil
}

// ServeHTTP forwards an API request to the host and serves the UI itself.
func (r *Remote) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if r.ui != nil && !strings.HasPrefix(req.URL.Path, "/api/") {
		r.ui.ServeHTTP(w, req)
		return
	}
	r.proxy.ServeHTTP(w, req)
}

// Invoke forwards one API call from the window's frontend to the host.
func (r *Remote) Invoke(ctx context.Context, method, path, body, token, _ string) (int, string) {
	req, err := http.NewRequestWithContext(ctx, method, r.base.String()+path, strings.NewReader(body))
	if err != nil {
		return http.StatusBadRequest, `{"error":"请求格式不正确。","code":"invalid"}`
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", authorization(token))
	}
	res, err := r.client.Do(req)
	if err != nil {
		r.down(err)
		b, _ := json.Marshal(unreachableBody(r.base.Host, err))
		return http.StatusBadGateway, string(b)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		r.down(err)
		b, _ := json.Marshal(unreachableBody(r.base.Host, err))
		return http.StatusBadGateway, string(b)
	}
	r.reachable()
	return res.StatusCode, string(b)
}

// Reachable reports whether the last contact with the host succeeded.
func (r *Remote) Reachable() bool { return r.up.Load() }

// Host is the hall host's address (scheme, host and port), as the window
// names it to the person.
func (r *Remote) Host() string { return r.base.Scheme + "://" + r.base.Host }

func (r *Remote) down(err error) {
	if r.up.Swap(false) {
		r.log.Warn("hall host unreachable", "host", r.base.Host, "err", err)
		r.bus.Publish(events.Event{Type: HostUnreachable, Data: map[string]string{"host": r.base.Host}})
	}
}

func (r *Remote) reachable() {
	if !r.up.Swap(true) {
		r.log.Info("hall host reachable", "host", r.base.Host)
		r.bus.Publish(events.Event{Type: HostReachable, Data: map[string]string{"host": r.base.Host}})
	}
}

// UseSession makes Follow hear the host's events as the staff session
// token does: every event while it holds, only the public ones for "" (no
// one signed in on this window). A different token ends the current stream
// and opens a new one at once.
func (r *Remote) UseSession(token string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if token == r.token {
		return
	}
	r.token = token
	if r.restart != nil {
		r.restart()
	}
}

// session returns the token to follow with and a context that ends with
// ctx or when UseSession changes the token.
func (r *Remote) session(ctx context.Context) (string, context.Context, context.CancelFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sctx, cancel := context.WithCancel(ctx)
	r.restart = cancel
	return r.token, sctx, cancel
}

// dropSession forgets token, unless UseSession has moved on meanwhile.
func (r *Remote) dropSession(token string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.token == token {
		r.token = ""
	}
}

// Follow backoff: the first retry after the host could not be reached, and
// the longest wait between retries.
const (
	followRetry    = 500 * time.Millisecond
	followMaxRetry = 10 * time.Second
)

// errSessionRefused is the host's 401 to a staff stream: the session ended
// there (logout, deactivation, password reset or change elsewhere).
var errSessionRefused = errors.New("event stream: session refused")

// Follow republishes the host's event stream on the local bus until ctx
// ends. A stream that ends (the host restarting, the session ending) is
// opened again at once; a session the host refuses gives way to the
// public stream until UseSession brings another; a host that cannot be
// reached is a host:unreachable, retried with a growing wait.
func (r *Remote) Follow(ctx context.Context) {
	wait := followRetry
	for ctx.Err() == nil {
		token, sctx, cancel := r.session(ctx)
		connected, err := r.follow(sctx, token)
		switch {
		case ctx.Err() != nil:
		case sctx.Err() != nil: // UseSession: follow with the new session
		case errors.Is(err, errSessionRefused):
			r.log.Info("hall host ended this window's session; following public events", "host", r.base.Host)
			r.dropSession(token)
		case connected:
			wait = followRetry
		default:
			r.down(err)
			select {
			case <-sctx.Done():
			case <-time.After(wait):
			}
			wait = min(2*wait, followMaxRetry)
		}
		cancel()
	}
}

// follow reads one stream, with token's session when it is not "", until
// it ends; connected says whether the host answered it.
func (r *Remote) follow(ctx context.Context, token string) (connected bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base.String()+"/api/v1/events", nil)
	if err != nil {
		return false, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := r.stream.Do(req)
	if err != nil {
		return false, err
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusUnauthorized && token != "" {
		r.reachable()
		return true, errSessionRefused
	}
	if res.StatusCode != http.StatusOK {
		return false, fmt.Errorf("event stream: %s", res.Status)
	}
	r.reachable()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	typ := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			typ = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && typ != "":
			if ctx.Err() != nil {
				// Signed out (or another session) meanwhile: what the old
				// session still brings is not for this window any more.
				return true, ctx.Err()
			}
			raw := json.RawMessage(strings.TrimPrefix(line, "data: "))
			var data any
			if json.Unmarshal(raw, &data) == nil {
				r.bus.Publish(events.Event{Type: typ, Data: data, JSON: raw})
			}
			typ = ""
		}
	}
	if err := sc.Err(); err != nil {
		return true, err
	}
	return true, errors.New("event stream ended")
}

// OnThisMachine reports whether the host's address is a loopback one, which
// plain HTTP may reach without crossing the LAN.
func (r *Remote) OnThisMachine() bool {
	h := r.base.Hostname()
	ip := net.ParseIP(h)
	return h == "localhost" || (ip != nil && ip.IsLoopback())
}
