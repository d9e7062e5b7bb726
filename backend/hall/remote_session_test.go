package hall_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"budayang/backend/cases"
	"budayang/backend/events"
	"budayang/backend/hall"
)

// restartingHost serves a harness's site on the hall's LAN port the way
// the host does, and can be stopped and started again at the same address
// with the same certificate, as when the hall host's PC restarts.
type restartingHost struct {
	t    *testing.T
	h    *harness
	id   *hall.Identity
	addr string
	srv  *http.Server
}

func startRestartingHost(t *testing.T, h *harness) *restartingHost {
	t.Helper()
	id, err := hall.LoadIdentity(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rh := &restartingHost{t: t, h: h, id: id, addr: "127.0.0.1:0"}
	rh.start()
	h.h.SetLAN(hall.LAN{Identity: id, Addr: rh.addr})
	t.Cleanup(func() { rh.srv.Close() })
	return rh
}

func (rh *restartingHost) start() {
	rh.t.Helper()
	ln, err := net.Listen("tcp", rh.addr)
	if err != nil {
		rh.t.Fatal(err)
	}
	rh.addr = ln.Addr().String()
	rh.srv = hall.NewLANServer(rh.h.h, testLANConfig())
	go func() { _ = rh.srv.Serve(hall.OnePort(ln, rh.id.TLSConfig())) }()
}

func (rh *restartingHost) stop() { rh.srv.Close() }

// window is a window workstation's bus, pinned to a host and following it.
type window struct {
	remote *hall.Remote
	sub    *events.Subscription
}

func joinWindow(t *testing.T, rh *restartingHost) *window {
	t.Helper()
	bus := events.NewBus()
	r, err := hall.NewPinnedRemote(hall.Pin{Host: "https://" + rh.addr, Fingerprint: hex.EncodeToString(rh.id.Fingerprint)}, bus, nil, quiet())
	if err != nil {
		t.Fatal(err)
	}
	w := &window{remote: r, sub: bus.Subscribe(1024)}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); w.sub.Close() })
	go r.Follow(ctx)
	w.wait(t, hall.HostReachable)
	return w
}

// wait returns the window's next event of type typ.
func (w *window) wait(t *testing.T, typ string) events.Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case e := <-w.sub.C:
			if e.Type == typ {
				return e
			}
		case <-timeout:
			t.Fatalf("no %s event within 5 s", typ)
		}
	}
}

// hears publishes staff-only events on the host until one reaches the
// window: a stream the window just (re)opened may not be in place on the
// host yet, so the first ones can be missed.
func (w *window) hears(t *testing.T, host *events.Bus) events.Event {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for n := 1; time.Now().Before(deadline); n++ {
		host.Publish(dueEvent(n))
		tick := time.After(100 * time.Millisecond)
		for waiting := true; waiting; {
			select {
			case e := <-w.sub.C:
				if e.Type == cases.EventDue {
					return e
				}
			case <-tick:
				waiting = false
			}
		}
	}
	t.Fatal("the window never heard the host's staff events")
	return events.Event{}
}

// hearsOnlyPublic publishes a staff-only event and then a public one on
// the host until the public one reaches the window, and fails if the
// staff one ever does. Events reach a stream in the order published, so
// the public one vouches that the staff one would have arrived before it.
func (w *window) hearsOnlyPublic(t *testing.T, host *events.Bus) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for n := 1; time.Now().Before(deadline); n++ {
		host.Publish(dueEvent(n))
		host.Publish(events.Event{Type: "queue:changed", Data: map[string]int{"n": n}})
		tick := time.After(100 * time.Millisecond)
		for waiting := true; waiting; {
			select {
			case e := <-w.sub.C:
				switch e.Type {
				case cases.EventDue:
					t.Fatalf("a staff-only event reached the window: %s", e.JSON)
				case "queue:changed":
					return
				}
			case <-tick:
				waiting = false
			}
		}
	}
	t.Fatal("the window never heard the host's public events")
}

func dueEvent(n int) events.Event {
	return events.Event{Type: cases.EventDue, Data: cases.DueEvent{Cases: []cases.DueCase{{Number: fmt.Sprint(n), HolderID: "s1"}}}}
}

// A window workstation hears the host's staff events (reminders, cases,
// calendar) once someone signs in on it, and only the public ones before
// and after; it keeps hearing them across a host restart, and falls back
// to the public ones when the host ends the session.
func TestRemote_FollowsTheSignedInSession(t *testing.T) {
	h := start(t)
	h.setupAndLogin()
	rh := startRestartingHost(t, h)
	w := joinWindow(t, rh)
	host := h.core.Bus
	login := func() string {
		t.Helper()
		status, body := w.remote.Invoke(context.Background(), "POST", "/api/v1/login", loginBody, "", "窗口2")
		if status != 200 {
			t.Fatalf("login through the window: %d %s", status, body)
		}
		var s struct{ Token string }
		if err := json.Unmarshal([]byte(body), &s); err != nil || s.Token == "" {
			t.Fatalf("login answer: %s", body)
		}
		return s.Token
	}

	t.Run("BeforeSignIn", func(t *testing.T) {
		w.hearsOnlyPublic(t, host)
	})
	token := login()
	t.Run("SignedIn", func(t *testing.T) {
		w.remote.UseSession(token)
		w.hears(t, host)
	})
	t.Run("SignedOut", func(t *testing.T) {
		w.remote.UseSession("")
		w.hearsOnlyPublic(t, host)
	})
	t.Run("HostRestarts", func(t *testing.T) {
		w.remote.UseSession(token)
		w.hears(t, host)
		rh.stop()
		w.wait(t, hall.HostUnreachable)
		rh.start()
		w.wait(t, hall.HostReachable)
		w.hears(t, host)
	})
	t.Run("SessionEndsOnTheHost", func(t *testing.T) {
		if status, body := w.remote.Invoke(context.Background(), "POST", "/api/v1/logout", "", token, "窗口2"); status >= 300 {
			t.Fatalf("logout: %d %s", status, body)
		}
		// The host ends the session's stream as the logout returns; the
		// window opens it again with the ended session, is refused, and
		// follows the public stream instead.
		time.Sleep(200 * time.Millisecond)
		w.hearsOnlyPublic(t, host)
	})
	t.Run("NextSignIn", func(t *testing.T) {
		w.remote.UseSession(login())
		w.hears(t, host)
	})
}
