package hall_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"budayang/backend/events"
	"budayang/backend/hall"
)

// A window workstation reaches the hall host through Remote: calls and the
// host's events pass through, and a host that goes away is reported.
func TestRemote_WindowJoinsHost(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	local := events.NewBus()
	sub := local.Subscribe(64)
	defer sub.Close()
	r, err := hall.NewRemote(h.srv.URL, local, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.Follow(ctx)
	wait := func(typ string) events.Event {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case e := <-sub.C:
				if e.Type == typ {
					return e
				}
			case <-timeout:
				t.Fatalf("no %s event within 5 s", typ)
			}
		}
	}
	wait(hall.HostReachable)

	status, body := r.Invoke(ctx, "POST", "/api/v1/tickets", `{"line":"A"}`, admin, "窗口2")
	if status != 201 || !strings.Contains(body, `"A001"`) {
		t.Fatalf("issue through the window: %d %s", status, body)
	}
	status, body = r.Invoke(ctx, "POST", "/api/v1/windows/2/call-next", "", admin, "窗口2")
	if status != 200 {
		t.Fatalf("call through the window: %d %s", status, body)
	}
	if e := wait("ticket:called"); !strings.Contains(string(e.JSON), `"window":2`) {
		t.Errorf("called event: %s", e.JSON)
	}

	// The listener first: the window reopens a dropped stream at once, and a
	// stream opened between the two calls would hold Close for ever.
	h.srv.Listener.Close()
	h.srv.CloseClientConnections()
	h.srv.Close()
	wait(hall.HostUnreachable)
	status, body = r.Invoke(ctx, "GET", "/api/v1/hall", "", "", "窗口2")
	if status != 502 || !strings.Contains(body, `"code":"unreachable"`) || !strings.Contains(body, "无法连接叫号主机") {
		t.Errorf("call with the host gone: %d %s", status, body)
	}
}

func TestRemote_BadAddress(t *testing.T) {
	for _, addr := range []string{"", "192.168.1.10:8470", "ftp://host", "http://"} {
		if _, err := hall.NewRemote(addr, events.NewBus(), nil, slog.Default()); err == nil {
			t.Errorf("%q accepted, want an error", addr)
		}
	}
}
