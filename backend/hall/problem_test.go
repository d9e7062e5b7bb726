package hall_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"budayang/backend/hall"
)

// problemAccess is every route of the start-up problem door and who may
// call it, in routeAccess's terms: the window shows the sentence to anyone
// who asks, but only the person at this machine's desktop window closes it
// or makes it forget its hall host.
var problemAccess = map[string]access{
	"GET /api/v1/health":          anyone,
	"GET /api/v1/status":          anyone,
	"POST /api/v1/problem/quit":   windowOnly,
	"POST /api/v1/problem/rejoin": windowOnly,
}

func TestProblemDoor_CoversEveryRoute(t *testing.T) {
	var got []string
	for _, r := range handledRoutes(t, func(f string) bool { return f == "problem.go" }) {
		got = append(got, r)
		if _, ok := problemAccess[r]; !ok {
			t.Errorf("route %q of the problem door has no line in problemAccess", r)
		}
	}
	if len(got) != len(problemAccess) {
		sort.Strings(got)
		t.Errorf("the problem door registers %v; problemAccess names %d routes", got, len(problemAccess))
	}
}

const lockedSentence = "数据目录 /srv/budayang 正在被另一个不打烊进程使用"

// problemDoor is the door of a window workstation that could not start,
// with a saved pin; rejoins and quits count the calls that went through.
func problemDoor(t *testing.T, rejoinable bool) (p *hall.Problem, dir string, rejoins, quits *int) {
	t.Helper()
	dir = t.TempDir()
	if err := hall.SavePin(dir, hall.Pin{Host: "https://192.168.1.10:8470", Fingerprint: "00"}); err != nil {
		t.Fatal(err)
	}
	rejoins, quits = new(int), new(int)
	p = hall.NewProblem(lockedSentence, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), func() { *quits++ })
	if rejoinable {
		p.AllowRejoin(dir, func() { *rejoins++ })
	}
	return p, dir, rejoins, quits
}

func pinKept(t *testing.T, dir string) bool {
	t.Helper()
	_, err := os.Stat(filepath.Join(dir, hall.PinFile))
	return err == nil
}

// The window of a program that could not start reads why and nothing else;
// it may close itself and, on a window workstation, forget its hall host.
func TestProblemDoor_SaysWhyAndRefusesTheRest(t *testing.T) {
	t.Run("StatusCarriesTheSentence", func(t *testing.T) {
		for _, rejoinable := range []bool{false, true} {
			p, _, _, _ := problemDoor(t, rejoinable)
			status, body := p.Invoke(context.Background(), "GET", "/api/v1/status", "", "", "")
			var st struct {
				SetupNeeded bool `json:"setup_needed"`
				Problem     struct {
					Error     string `json:"error"`
					CanRejoin bool   `json:"can_rejoin"`
				} `json:"problem"`
			}
			if status != 200 || json.Unmarshal([]byte(body), &st) != nil || st.Problem.Error != lockedSentence ||
				st.Problem.CanRejoin != rejoinable || st.SetupNeeded {
				t.Errorf("rejoinable %v: status %d %s", rejoinable, status, body)
			}
		}
	})
	t.Run("EverythingElseGetsTheSentence", func(t *testing.T) {
		p, _, _, _ := problemDoor(t, true)
		for _, call := range []struct{ method, path, body string }{
			{"POST", "/api/v1/login", `{"user":"admin","password":"Admin12345"}`},
			{"GET", "/api/v1/setup", ""},
			{"POST", "/api/v1/setup/join-hall", `{"code":"x"}`},
			{"GET", "/api/v1/events", ""},
			{"GET", "/api/v1/tickets", ""},
		} {
			status, body := p.Invoke(context.Background(), call.method, call.path, call.body, "", "")
			var out map[string]string
			json.Unmarshal([]byte(body), &out)
			if status != 503 || out["error"] != lockedSentence {
				t.Errorf("%s %s: %d %s, want 503 with the sentence", call.method, call.path, status, body)
			}
		}
	})
	t.Run("RejoinForgetsThePin", func(t *testing.T) {
		p, dir, rejoins, _ := problemDoor(t, true)
		if status, body := p.Invoke(context.Background(), "POST", "/api/v1/problem/rejoin", "", "", ""); status != 200 || *rejoins != 1 {
			t.Fatalf("rejoin from the window: %d %s, %d rejoins", status, body, *rejoins)
		}
		if pinKept(t, dir) {
			t.Error("the pin is still saved after rejoining")
		}
	})
	t.Run("NoRejoinWhereItCannotHelp", func(t *testing.T) {
		p, dir, rejoins, _ := problemDoor(t, false)
		if status, body := p.Invoke(context.Background(), "POST", "/api/v1/problem/rejoin", "", "", ""); status != 409 || *rejoins != 0 || !pinKept(t, dir) {
			t.Errorf("rejoin where not offered: %d %s, %d rejoins, pin kept %v", status, body, *rejoins, pinKept(t, dir))
		}
	})
	t.Run("QuitClosesTheWindow", func(t *testing.T) {
		p, _, _, quits := problemDoor(t, false)
		if status, body := p.Invoke(context.Background(), "POST", "/api/v1/problem/quit", "", "", ""); status != 200 || *quits != 1 {
			t.Errorf("quit from the window: %d %s, %d quits", status, body, *quits)
		}
	})
	// The door serves no LAN in the desktop, but were it ever reached over
	// HTTP, no caller there — nor a browser on this machine — may make the
	// window forget its host or close it.
	t.Run("NeverOverHTTP", func(t *testing.T) {
		for _, path := range []string{"/api/v1/problem/rejoin", "/api/v1/problem/quit"} {
			for _, from := range []string{"192.168.1.50:51234", "127.0.0.1:51234"} {
				p, dir, rejoins, quits := problemDoor(t, true)
				status, out := lanFrom(t, p, from, "POST", path)
				if status != 403 || out["error"] == "" || *rejoins+*quits != 0 || !pinKept(t, dir) {
					t.Errorf("%s from %s: %d %v, %d rejoins, %d quits, pin kept %v", path, from, status, out, *rejoins, *quits, pinKept(t, dir))
				}
			}
		}
	})
}

// lanFrom sends a bodiless request to h over HTTP from addr.
func lanFrom(t *testing.T, h http.Handler, addr, method, path string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr = addr
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}
