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
type Remote struct {
	base   *url.URL
	client *http.Client
	stream *http.Client
	proxy  *httputil.ReverseProxy
	bus    *events.Bus
	log    *slog.Logger
	ui     http.Handler
	up     atomic.Bool
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

// Follow republishes the host's event stream on the local bus until ctx
// ends, reconnecting after a break; each break is a host:unreachable.
func (r *Remote) Follow(ctx context.Context) {
	for ctx.Err() == nil {
		err := r.follow(ctx)
		if ctx.Err() != nil {
			return
		}
		r.down(err)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}

func (r *Remote) follow(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base.String()+"/api/v1/events", nil)
	if err != nil {
		return err
	}
	res, err := r.stream.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("event stream: %s", res.Status)
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
			raw := json.RawMessage(strings.TrimPrefix(line, "data: "))
			var data any
			if json.Unmarshal(raw, &data) == nil {
				r.bus.Publish(events.Event{Type: typ, Data: data, JSON: raw})
			}
			typ = ""
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return errors.New("event stream ended")
}

// OnThisMachine reports whether the host's address is a loopback one, which
// plain HTTP may reach without crossing the LAN.
func (r *Remote) OnThisMachine() bool {
	h := r.base.Hostname()
	ip := net.ParseIP(h)
	return h == "localhost" || (ip != nil && ip.IsLoopback())
}
