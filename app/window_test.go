package app

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/cases"
	"budayang/backend/cli"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/events"
	"budayang/backend/hall"
	"budayang/backend/site"
	"budayang/backend/store/storetest"
)

// shownTray keeps what the App put in the tray.
type shownTray struct {
	mu     sync.Mutex
	alerts []string
	duty   []string // "now | next", each time the duty lines were set
}

func (t *shownTray) SetDuty(now, next string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.duty = append(t.duty, now+" | "+next)
}

func (t *shownTray) SetAlert(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.alerts = append(t.alerts, line)
}
func (*shownTray) SetStatus(string) {}
func (*shownTray) SetHidden(bool)   {}

// hallHost runs a set-up site as the hall host does on its LAN port and
// returns it with the pin a window that joined it holds.
func hallHost(t *testing.T) (*core.Core, hall.Pin) {
	t.Helper()
	c, err := core.Open(context.Background(), core.Options{DataDir: t.TempDir(), Clock: clock.NewFixed(storetest.Epoch),
		PasswordCost: bcrypt.MinCost, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Setup(context.Background(), site.Profile{Name: "测试镇便民服务中心", Kind: "town", Population: 42000}, "Admin12345", 3); err != nil {
		t.Fatal(err)
	}
	id, err := hall.LoadIdentity(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := hall.New(c, nil)
	h.SetLAN(hall.LAN{Identity: id, Addr: ln.Addr().String()})
	srv := hall.NewLANServer(h, hall.DefaultLANConfig(func(string) string { return "" }))
	go func() { _ = srv.Serve(hall.OnePort(ln, id.TLSConfig())) }()
	t.Cleanup(func() { srv.Close() })
	return c, hall.Pin{Host: "https://" + ln.Addr().String(), Fingerprint: hex.EncodeToString(id.Fingerprint)}
}

// A clerk who signs in on a window workstation gets their case reminders
// in the tray: the App hands the session to the door, the door follows the
// hall host's stream with it, and the host's case:due reaches the tray.
func TestApp_WindowWorkstationTrayHearsTheHost(t *testing.T) {
	host, pin := hallHost(t)
	bus := events.NewBus()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	remote, err := hall.NewPinnedRemote(pin, bus, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go remote.Follow(ctx)
	tray := &shownTray{}
	a := New(cli.DesktopOptions{Door: remote, Bus: bus, Log: log, Host: pin.Host, UseSession: remote.UseSession})
	a.tray = tray
	sub := bus.Subscribe(1024)
	defer sub.Close()

	res := a.Invoke(InvokeRequest{Method: "POST", Path: "/api/v1/login", Body: `{"user":"admin","password":"Admin12345"}`})
	var login struct {
		Staff struct{ ID string }
	}
	if err := json.Unmarshal([]byte(res.Body), &login); res.Status != 200 || err != nil || login.Staff.ID == "" {
		t.Fatalf("login through the window: %d %s", res.Status, res.Body)
	}
	due := events.Event{Type: cases.EventDue, Data: cases.DueEvent{Cases: []cases.DueCase{
		{Number: "2026-0001", HolderID: login.Staff.ID, Overdue: true},
	}}}
	// The window reopens the host's stream with the session as the login
	// returns; reminders published before it is in place are not heard.
	deadline := time.Now().Add(5 * time.Second)
	for heard := false; !heard; {
		if time.Now().After(deadline) {
			t.Fatal("the window never heard the host's case:due")
		}
		host.Bus.Publish(due)
		tick := time.After(100 * time.Millisecond)
		for waiting := true; waiting && !heard; {
			select {
			case e := <-sub.C:
				if e.Type == cases.EventDue {
					a.notice(e)
					heard = true
				}
			case <-tick:
				waiting = false
			}
		}
	}
	tray.mu.Lock()
	defer tray.mu.Unlock()
	if len(tray.alerts) != 1 || tray.alerts[0] != "办件提醒：1件已超期" {
		t.Errorf("tray alerts %q, want the one overdue case", tray.alerts)
	}
}

// The App tells a window workstation's door each time the signed-in
// session changes, and only then.
func TestApp_WatchSessionTellsTheDoor(t *testing.T) {
	var told []string
	a := New(cli.DesktopOptions{UseSession: func(token string) { told = append(told, token) }})
	for _, c := range []struct {
		method, path, token string
		status              int
		body                string
	}{
		{"POST", "/api/v1/login", "", 200, `{"token":"t1","staff":{"id":"s1"}}`},
		{"GET", "/api/v1/me", "t1", 200, `{"id":"s1"}`},
		{"POST", "/api/v1/logout", "t1", 204, ``},
		{"GET", "/api/v1/me", "t2", 200, `{"id":"s2"}`},
		{"GET", "/api/v1/cases", "t2", 401, `{"code":"unauthorized"}`},
	} {
		a.watchSession(InvokeRequest{Method: c.method, Path: c.path, Token: c.token}, c.status, c.body)
	}
	want := []string{"t1", "", "t2", ""}
	if len(told) != len(want) {
		t.Fatalf("told %q, want %q", told, want)
	}
	for i := range want {
		if told[i] != want[i] {
			t.Fatalf("told %q, want %q", told, want)
		}
	}
}
