package hall_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"budayang/backend/clock"
	"budayang/backend/hall"
)

// A web page on any origin can POST text/plain without asking the browser's
// permission; the API takes JSON bodies only, so such a post changes nothing.
func TestAPI_RefusesBodiesThatAreNotJSON(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		t.Run(ct, func(t *testing.T) {
			req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/staff",
				strings.NewReader(`{"login":"evil","name":"冒名","role":"admin","password":"Hai-Tang 2026"}`))
			req.Header.Set("Authorization", "Bearer "+admin)
			req.Header.Set("Origin", "http://evil.example")
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]string
			json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if res.StatusCode != http.StatusUnsupportedMediaType || body["code"] != "unsupported_media_type" || body["error"] == "" {
				t.Errorf("got %d %v, want 415 unsupported_media_type with a sentence", res.StatusCode, body)
			}
		})
	}
	code, _ := h.do("GET", "/api/v1/staff", admin, "")
	if _, list := h.doList("GET", "/api/v1/staff", admin); code != 200 || len(list) != 1 {
		t.Errorf("staff after the refused posts: %d %v, want the administrator only", code, list)
	}
	// A JSON body with a charset, and a POST with no body, still work.
	if code, body := h.do("POST", "/api/v1/tickets", admin, `{"line":"A"}`); code != 201 {
		t.Errorf("JSON post: %d %v", code, body)
	}
	if code, body := h.do("POST", "/api/v1/backups", admin, ""); code != 201 {
		t.Errorf("bodiless post: %d %v", code, body)
	}
}

// A session token in the URL is not a credential.
func TestAPI_TokenInURLRefused(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	for _, tt := range []struct{ method, path, body string }{
		{"GET", "/api/v1/me?token=" + admin, ""},
		{"GET", "/api/v1/staff?token=" + admin, ""},
		{"POST", "/api/v1/staff?token=" + admin, `{"login":"evil","name":"冒名","role":"admin","password":"Hai-Tang 2026"}`},
		{"GET", "/api/v1/me?t=" + admin, ""},
	} {
		if code, body := h.do(tt.method, tt.path, "", tt.body); code != 401 {
			t.Errorf("%s %s: %d %v, want 401", tt.method, tt.path, code, body)
		}
	}
}

// A link (URL token) opens the one path it was made for, for reading, until
// it expires.
func TestAPI_Links(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")
	_, me := h.do("GET", "/api/v1/me", clerk, "")
	clerkID := me["id"].(string)
	_, adminMe := h.do("GET", "/api/v1/me", admin, "")

	guide := "/api/v1/catalog/items/MZ-001/guide.pdf"
	code, link := h.do("POST", "/api/v1/url-tokens", clerk, `{"path":"`+guide+`"}`)
	if code != 201 || !strings.HasPrefix(link["url"].(string), guide+"?t=") || link["expires_at"] == nil {
		t.Fatalf("link: %d %v", code, link)
	}
	u := link["url"].(string)
	token := u[strings.Index(u, "?t=")+3:]
	if code, ctype, _ := h.raw(u, ""); code != 200 || ctype != "application/pdf" {
		t.Errorf("the linked PDF: %d %s", code, ctype)
	}
	for _, tt := range []struct{ method, path string }{
		{"GET", "/api/v1/catalog/items/MZ-002/guide.pdf?t=" + token},
		{"GET", "/api/v1/me?t=" + token},
		{"GET", "/api/v1/staff/" + clerkID + "/calendar.ics?t=" + token},
		{"POST", guide + "?t=" + token},
	} {
		if code, _ := h.do(tt.method, tt.path, "", ""); code < 400 {
			t.Errorf("%s %s: %d, want refused", tt.method, tt.path, code)
		}
	}
	if code, _ := h.do("GET", "/api/v1/me", token, ""); code != 401 {
		t.Errorf("a link as a bearer token: %d, want 401", code)
	}
	for _, tt := range []struct {
		name, path string
		code       int
	}{
		{"NotLinkable", "/api/v1/staff", 400},
		{"WithQuery", guide + "?as=base64", 400},
		{"OthersCalendar", "/api/v1/staff/" + adminMe["id"].(string) + "/calendar.ics", 403},
	} {
		if code, body := h.do("POST", "/api/v1/url-tokens", clerk, `{"path":"`+tt.path+`"}`); code != tt.code {
			t.Errorf("%s: %d %v, want %d", tt.name, code, body, tt.code)
		}
	}
	h.core.Clock.(*clock.Fixed).Advance(6 * time.Minute)
	if code, _, _ := h.raw(u, ""); code != 401 {
		t.Errorf("expired link: %d, want 401", code)
	}
}

// sse opens an event stream and returns its lines and whether it closed.
func sse(t *testing.T, url, token string) (lines <-chan string, closed <-chan struct{}) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 {
		t.Fatalf("stream %s: %d", url, res.StatusCode)
	}
	t.Cleanup(func() { res.Body.Close() })
	out := make(chan string, 64)
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			out <- sc.Text()
		}
		close(done)
	}()
	for l := range out {
		if l == ": connected" {
			break
		}
	}
	return out, done
}

// A staff event stream ends as soon as its session does.
func TestAPI_StreamEndsWithSession(t *testing.T) {
	tests := []struct {
		name string
		end  func(h *harness, admin, clerk, clerkID string)
	}{
		{"Logout", func(h *harness, _, clerk, _ string) { h.do("POST", "/api/v1/logout", clerk, "") }},
		{"Deactivation", func(h *harness, admin, _, id string) {
			h.do("PUT", "/api/v1/staff/"+id, admin, `{"name":"李窗口","role":"clerk","active":false}`)
		}},
		{"PasswordReset", func(h *harness, admin, _, id string) {
			h.do("POST", "/api/v1/staff/"+id+"/password", admin, `{"password":"Hai-Tang 2026"}`)
		}},
		{"PasswordChangeElsewhere", func(h *harness, _, _, _ string) {
			_, out := h.do("POST", "/api/v1/login", "", `{"user":"clerk1","password":"Clerk12345"}`)
			h.do("POST", "/api/v1/me/password", out["token"].(string), `{"old":"Clerk12345","new":"Hai-Tang 2026"}`)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t)
			admin := h.setupAndLogin()
			clerk := h.clerk(admin, "clerk1", "李窗口")
			_, me := h.do("GET", "/api/v1/me", clerk, "")
			_, link := h.do("POST", "/api/v1/url-tokens", clerk, `{"path":"/api/v1/events"}`)
			_, byLink := sse(t, h.srv.URL+link["url"].(string), "")
			_, byHeader := sse(t, h.srv.URL+"/api/v1/events", clerk)
			_, adminStream := sse(t, h.srv.URL+"/api/v1/events", admin)
			tt.end(h, admin, clerk, me["id"].(string))
			for name, closed := range map[string]<-chan struct{}{"link": byLink, "header": byHeader} {
				select {
				case <-closed:
				case <-time.After(5 * time.Second):
					t.Errorf("the stream opened by %s still runs", name)
				}
			}
			select {
			case <-adminStream:
				t.Error("another person's stream ended")
			default:
			}
			if code, _ := h.do("GET", link["url"].(string), "", ""); code != 401 {
				t.Errorf("reopening with the link: %d, want 401", code)
			}
		})
	}
}

// Wrong passwords from one address lock that address out, not the owner at
// the host's window.
func TestAPI_LockOutSparesWindow(t *testing.T) {
	h := start(t)
	h.setupAndLogin()
	for i := 0; i < 5; i++ {
		h.do("POST", "/api/v1/login", "", `{"user":"admin","password":"wrong-pass"}`)
	}
	if code, body := h.do("POST", "/api/v1/login", "", `{"user":"admin","password":"Admin12345"}`); code != 423 {
		t.Fatalf("the guessing address: %d %v, want 423", code, body)
	}
	status, body := h.h.Invoke(context.Background(), "POST", "/api/v1/login", `{"user":"admin","password":"Admin12345"}`, "", "127.0.0.1")
	if status != 200 {
		t.Errorf("the host's window: %d %s", status, body)
	}
}

// The local door resets a password only for a caller on the host that
// presents the data directory's key.
func TestAPI_LocalResetPassword(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	for i := 0; i < 5; i++ {
		h.do("POST", "/api/v1/login", "", `{"user":"admin","password":"wrong-pass"}`)
	}
	const key = "k3y-from-control.key"
	body := `{"login":"admin","password":"Hai-Tang 2026"}`
	call := func(remote, k string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/local/reset-password", strings.NewReader(body))
		req.RemoteAddr = remote
		req.Header.Set("Content-Type", "application/json")
		if k != "" {
			req.Header.Set(hall.LocalKeyHeader, k)
		}
		w := httptest.NewRecorder()
		h.h.ServeHTTP(w, req)
		return w
	}
	if w := call("127.0.0.1:5000", key); w.Code != 403 {
		t.Errorf("door not opened: %d, want 403", w.Code)
	}
	h.h.AllowLocal(key)
	for _, tt := range []struct{ name, remote, key string }{
		{"NoKey", "127.0.0.1:5000", ""},
		{"WrongKey", "127.0.0.1:5000", "guess"},
		{"FromLAN", "192.168.1.66:5000", key},
	} {
		if w := call(tt.remote, tt.key); w.Code != 403 {
			t.Errorf("%s: %d %s, want 403", tt.name, w.Code, w.Body)
		}
	}
	if w := call("127.0.0.1:5000", key); w.Code != 204 {
		t.Fatalf("reset: %d %s", w.Code, w.Body)
	}
	if code, _ := h.do("GET", "/api/v1/me", admin, ""); code != 401 {
		t.Errorf("the old session: %d, want 401", code)
	}
	code, out := h.do("POST", "/api/v1/login", "", `{"user":"admin","password":"Hai-Tang 2026"}`)
	if code != 200 {
		t.Fatalf("login after the reset from the locked address: %d %v", code, out)
	}
	_, log := h.do("GET", "/api/v1/audit?limit=50", out["token"].(string), "")
	found := false
	for _, e := range log["entries"].([]any) {
		e := e.(map[string]any)
		found = found || e["action"] == "staff.reset_password" && e["actor"] == "system" && e["target"] == "admin"
	}
	if !found {
		t.Error("the reset is not in the audit log")
	}
}
