// Package app is the Wails door of 不打烊: the window, its bound methods, the
// bridge from the Go event bus to Wails runtime events, and the tray. It is
// the only package besides the root's desktop_on.go that imports Wails; every
// request it carries goes through the same hall handler that `serve` runs.
package app

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"budayang/backend/cli"
	"budayang/backend/countysync"
	"budayang/backend/events"
	"budayang/backend/hall"
	"budayang/backend/roster"
)

// InvokeRequest is one API call from the window's frontend.
type InvokeRequest struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Body   string `json:"body"`
	Token  string `json:"token"`
}

// InvokeResponse is the HTTP status and JSON text the hall handler answered.
type InvokeResponse struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// App is the struct bound to the window as window.go.app.App.
type App struct {
	opts        cli.DesktopOptions
	workstation string

	mu         sync.Mutex
	ctx        context.Context // the Wails context, set at start-up
	token      string          // the signed-in person's session, learnt from Invoke
	staffID    string          // whose session it is, for the tray's reminders
	hidden     bool            // the window is hidden to the tray
	quitting   bool            // a quit was asked for: do not hide on close
	closeHidAt time.Time       // when closing the window last hid it
	tray       trayView
}

// trayView is what App needs of the tray; a no-op where there is none.
type trayView interface {
	SetStatus(line string)
	SetHidden(hidden bool)
	// SetAlert shows a reminder for the signed-in person in the tray.
	SetAlert(line string)
	// SetDuty shows who is on duty now and next, read-only.
	SetDuty(now, next string)
}

type noTray struct{}

func (noTray) SetAlert(string)     {}
func (noTray) SetStatus(string)    {}
func (noTray) SetHidden(bool)      {}
func (noTray) SetDuty(_, _ string) {}

// New returns the App for opts. The workstation name recorded in the audit log
// for the window's requests is the host name.
func New(opts cli.DesktopOptions) *App {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "desktop"
	}
	return &App{opts: opts, workstation: host, tray: noTray{}}
}

// Invoke runs one API request through the hall handler in-process and returns
// its status and JSON body; it never fails at the transport level. It watches
// sessions go by so that closing the window can honour the signed-in person's
// close-to-tray preference.
func (a *App) Invoke(req InvokeRequest) InvokeResponse {
	ctx := a.context()
	status, body := a.opts.Door.Invoke(ctx, req.Method, req.Path, req.Body, req.Token, a.workstation)
	a.watchSession(req, status, body)
	return InvokeResponse{Status: status, Body: body}
}

// watchSession learns the signed-in session from the calls that pass, and
// tells a window workstation's door when it changes, so the hall host's
// events for staff follow the person at this window.
func (a *App) watchSession(req InvokeRequest, status int, body string) {
	a.mu.Lock()
	before := a.token
	a.learnSession(req, status, body)
	after := a.token
	a.mu.Unlock()
	if after != before && a.opts.UseSession != nil {
		a.opts.UseSession(after)
	}
}

// learnSession updates token and staffID from one call; a.mu is held.
func (a *App) learnSession(req InvokeRequest, status int, body string) {
	path, _, _ := strings.Cut(req.Path, "?")
	method := strings.ToUpper(req.Method)
	switch {
	case method == http.MethodPost && path == "/api/v1/login" && status == http.StatusOK:
		var s struct {
			Token string `json:"token"`
			Staff struct {
				ID string `json:"id"`
			} `json:"staff"`
		}
		if json.Unmarshal([]byte(body), &s) == nil {
			a.token, a.staffID = s.Token, s.Staff.ID
		}
	case method == http.MethodPost && path == "/api/v1/logout":
		a.token, a.staffID = "", ""
	case status == http.StatusUnauthorized && req.Token == a.token:
		a.token, a.staffID = "", ""
	case req.Token != "" && status < 400:
		// A reloaded frontend resumes a stored session without logging in;
		// its first /me says whose it is.
		a.token = req.Token
		var me struct {
			ID string `json:"id"`
		}
		if method == http.MethodGet && path == "/api/v1/me" && json.Unmarshal([]byte(body), &me) == nil {
			a.staffID = me.ID
		}
	}
}

// Ready is called by the frontend once it has mounted. It writes the ready
// file given with --ready-file, which the smoke test and the start-up
// benchmark wait for.
func (a *App) Ready() {
	a.opts.Log.Info("frontend ready")
	if a.opts.ReadyFile == "" {
		return
	}
	tmp := a.opts.ReadyFile + ".tmp"
	if err := os.WriteFile(tmp, []byte("ready\n"), 0o644); err != nil {
		a.opts.Log.Error("write ready file", "path", a.opts.ReadyFile, "err", err)
		return
	}
	if err := os.Rename(tmp, filepath.Clean(a.opts.ReadyFile)); err != nil {
		a.opts.Log.Error("write ready file", "path", a.opts.ReadyFile, "err", err)
	}
}

func (a *App) context() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ctx == nil {
		return context.Background()
	}
	return a.ctx
}

// startup runs when the window exists: it starts forwarding bus events.
func (a *App) startup(ctx context.Context) {
	a.mu.Lock()
	a.ctx = ctx
	a.mu.Unlock()
	sub := a.opts.Bus.Subscribe(256)
	go a.forward(ctx, sub)
	go a.watchDuty(ctx)
	a.refreshStatus()
}

// forward sends every bus event to the window as a Wails runtime event of
// the same name, until the window closes.
func (a *App) forward(ctx context.Context, sub *events.Subscription) {
	defer sub.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-sub.C:
			if !ok {
				return
			}
			runtime.EventsEmit(ctx, e.Type, e.Data)
			a.notice(e)
		}
	}
}

// notice shows in the tray what e means for the person signed in here: a
// reminder of theirs, the hall host's connection coming or going, or a
// roster change that may change who is on duty.
func (a *App) notice(e events.Event) {
	a.mu.Lock()
	staffID, tray := a.staffID, a.tray
	a.mu.Unlock()
	if line := alert(e, staffID); line != "" {
		tray.SetAlert(line)
	}
	if line := syncAlert(e); line != "" {
		tray.SetAlert(line)
	}
	if e.Type == hall.HostReachable || e.Type == hall.HostUnreachable || e.Type == countysync.EventStalled {
		a.refreshStatus()
	}
	if e.Type == roster.Changed {
		a.refreshDuty()
	}
}

// refreshStatus puts the state on the tray's status line: the hall host's
// connection for a window workstation, the site's own otherwise.
func (a *App) refreshStatus() {
	status, body := a.opts.Door.Invoke(a.context(), http.MethodGet, "/api/v1/status", "", "", a.workstation)
	if a.opts.Host != "" {
		line := "已连接大厅主机 " + a.opts.Host
		if status == http.StatusBadGateway {
			line = "无法连接大厅主机 " + a.opts.Host
		}
		a.mu.Lock()
		tray := a.tray
		a.mu.Unlock()
		tray.SetStatus(line)
		return
	}
	var st struct {
		TestClock bool `json:"test_clock"`
		County    struct {
			Stalled bool `json:"stalled"`
		} `json:"county"`
	}
	_ = json.Unmarshal([]byte(body), &st)
	a.mu.Lock()
	tray := a.tray
	a.mu.Unlock()
	tray.SetStatus(statusLine(st.TestClock, st.County.Stalled))
}

// statusLine words the site's state for the tray: until sites sync with a
// county it works offline by design, a stalled sync is an alarm, and a
// clock set for tests (BUDAYANG_CLOCK) is named first so that nobody runs
// a centre on it.
func statusLine(testClock, stalled bool) string {
	line := "离线工作（未配置县级服务）"
	if stalled {
		line = "县平台同步停滞"
	}
	if testClock {
		return "测试时钟 · " + line
	}
	return line
}

// beforeClose decides what closing the window means: hide it to the tray
// when the signed-in person prefers that, otherwise quit.
func (a *App) beforeClose(ctx context.Context) (prevent bool) {
	a.mu.Lock()
	quitting, token, tray := a.quitting, a.token, a.tray
	a.mu.Unlock()
	if quitting || token == "" || !a.hasTray() {
		return false
	}
	// Asked through the door, so a window workstation asks its hall host,
	// where the session lives.
	status, body := a.opts.Door.Invoke(ctx, http.MethodGet, "/api/v1/me/preferences", "", token, a.workstation)
	var prefs struct {
		CloseToTray bool `json:"close_to_tray"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &prefs) != nil || !prefs.CloseToTray {
		return false
	}
	a.mu.Lock()
	if a.quitting { // a signal arrived meanwhile
		a.mu.Unlock()
		return false
	}
	a.closeHidAt = time.Now()
	a.mu.Unlock()
	runtime.WindowHide(ctx)
	a.setHidden(true)
	tray.SetHidden(true)
	return true
}

func (a *App) hasTray() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, none := a.tray.(noTray)
	return !none
}

func (a *App) setHidden(h bool) {
	a.mu.Lock()
	a.hidden = h
	a.mu.Unlock()
}

// toggleWindow shows a hidden window or hides a shown one (tray menu).
func (a *App) toggleWindow() {
	a.mu.Lock()
	ctx, hidden, tray := a.ctx, a.hidden, a.tray
	a.mu.Unlock()
	if ctx == nil {
		return
	}
	if hidden {
		a.showWindow()
		return
	}
	runtime.WindowHide(ctx)
	a.setHidden(true)
	tray.SetHidden(true)
}

func (a *App) showWindow() {
	a.mu.Lock()
	ctx, tray := a.ctx, a.tray
	a.mu.Unlock()
	if ctx == nil {
		return
	}
	runtime.WindowShow(ctx)
	runtime.WindowUnminimise(ctx)
	a.setHidden(false)
	tray.SetHidden(false)
}

// quit leaves the app through the Wails runtime, bypassing close-to-tray.
func (a *App) quit() {
	a.mu.Lock()
	a.quitting = true
	ctx := a.ctx
	a.mu.Unlock()
	if ctx != nil {
		runtime.Quit(ctx)
	}
}
