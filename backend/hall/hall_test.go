package hall_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/hall"
	"budayang/backend/store/storetest"
)

type harness struct {
	t    *testing.T
	core *core.Core
	srv  *httptest.Server
	h    *hall.Server
}

// start runs the real handler on a loopback listener over a real SQLite file.
func start(t *testing.T) *harness {
	t.Helper()
	c, err := core.Open(context.Background(), core.Options{DataDir: t.TempDir(), Clock: clock.NewFixed(storetest.Epoch), PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	ui := fstest.MapFS{"index.html": {Data: []byte("<title>不打烊</title>")}, "assets/app.js": {Data: []byte("1")}}
	h := hall.New(c, ui)
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); c.Close() })
	return &harness{t: t, core: c, srv: srv, h: h}
}

func (h *harness) do(method, path, token, body string) (int, map[string]any) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	switch {
	case strings.HasPrefix(token, "Device "):
		req.Header.Set("Authorization", token)
	case token != "":
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out); err != nil {
			h.t.Fatalf("%s %s: bad JSON %q", method, path, raw)
		}
	}
	return res.StatusCode, out
}

const setupBody = `{"site_name":"测试镇便民服务中心","kind":"town","population":42000,"floor_area_m2":320,"admin_password":"Admin12345"}`

func (h *harness) setupAndLogin() string {
	h.t.Helper()
	if code, body := h.do("POST", "/api/v1/setup", "", setupBody); code != 201 {
		h.t.Fatalf("setup: %d %v", code, body)
	}
	code, body := h.do("POST", "/api/v1/login", "", `{"user":"admin","password":"Admin12345","workstation":"窗口1"}`)
	if code != 200 {
		h.t.Fatalf("login: %d %v", code, body)
	}
	return body["token"].(string)
}

func TestAPI_FirstRun(t *testing.T) {
	h := start(t)
	if _, body := h.do("GET", "/api/v1/setup", "", ""); body["needed"] != true {
		t.Fatalf("setup needed: got %v", body)
	}
	if code, _ := h.do("POST", "/api/v1/login", "", `{"user":"admin","password":"Admin12345"}`); code != 401 {
		t.Errorf("login before setup: got %d, want 401", code)
	}
	h.setupAndLogin()
	if code, body := h.do("POST", "/api/v1/setup", "", setupBody); code != 409 || body["code"] != "conflict" {
		t.Errorf("second setup: got %d %v, want 409 conflict", code, body)
	}
	if _, body := h.do("GET", "/api/v1/status", "", ""); body["site_name"] != "测试镇便民服务中心" || body["setup_needed"] != false || body["today"] != "2026-11-25" {
		t.Errorf("status: got %v", body)
	}
}

func TestAPI_Errors(t *testing.T) {
	h := start(t)
	token := h.setupAndLogin()
	tests := []struct {
		name         string
		method, path string
		token, body  string
		status       int
		code         string
	}{
		{"MalformedJSON", "POST", "/api/v1/login", "", `{"user":"admin"`, 400, "invalid"},
		{"EmptyBody", "POST", "/api/v1/staff", token, ``, 400, "invalid"},
		{"UnknownField", "POST", "/api/v1/staff", token, `{"login":"a","nickname":"b"}`, 400, "invalid"},
		{"WrongType", "PUT", "/api/v1/site", token, `{"name":"x","kind":"town","population":"many"}`, 400, "invalid"},
		{"TwoObjects", "POST", "/api/v1/login", "", `{} {}`, 400, "invalid"},
		{"NoSession", "GET", "/api/v1/me", "", ``, 401, "unauthorized"},
		{"BadToken", "GET", "/api/v1/me", "deadbeef", ``, 401, "unauthorized"},
		{"WrongPassword", "POST", "/api/v1/login", "", `{"user":"admin","password":"nope12345"}`, 401, "unauthorized"},
		{"UnknownStaff", "PUT", "/api/v1/staff/nope", token, `{"name":"x","role":"clerk","active":true}`, 404, "not_found"},
		{"MissingActive", "PUT", "/api/v1/staff/nope", token, `{"name":"x","role":"clerk"}`, 400, "invalid"},
		{"UnknownJob", "POST", "/api/v1/jobs/nope/run", token, ``, 404, "not_found"},
		{"UnknownRoute", "GET", "/api/v1/nothing", token, ``, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := h.do(tt.method, tt.path, tt.token, tt.body)
			if status != tt.status || body["code"] != tt.code {
				t.Fatalf("got %d %v, want %d %s", status, body, tt.status, tt.code)
			}
			if msg, _ := body["error"].(string); msg == "" || !strings.ContainsFunc(msg, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Errorf("error %q is not a Chinese sentence", msg)
			}
		})
	}
	// Nothing those requests sent changed the staff list.
	_, body := h.do("GET", "/api/v1/me", token, "")
	if body["login"] != "admin" {
		t.Errorf("me: got %v", body)
	}
}

func TestAPI_StaffAndRoles(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	code, body := h.do("POST", "/api/v1/staff", admin, `{"login":"clerk1","name":"王小明","role":"clerk","password":"Clerk12345"}`)
	if code != 201 {
		t.Fatalf("create clerk: %d %v", code, body)
	}
	if code, body := h.do("POST", "/api/v1/staff", admin, `{"login":"clerk1","name":"重复","role":"clerk","password":"Clerk12345"}`); code != 409 {
		t.Errorf("duplicate: %d %v", code, body)
	}
	_, login := h.do("POST", "/api/v1/login", "", `{"user":"clerk1","password":"Clerk12345"}`)
	clerk := login["token"].(string)
	for _, path := range []string{"/api/v1/staff", "/api/v1/audit", "/api/v1/jobs", "/api/v1/backups"} {
		if code, _ := h.do("GET", path, clerk, ""); code != 403 {
			t.Errorf("clerk GET %s: got %d, want 403", path, code)
		}
	}
	if code, body := h.do("GET", "/api/v1/staff/directory", clerk, ""); code != 200 {
		t.Errorf("directory for a clerk: %d %v", code, body)
	}
	_, comp := h.do("GET", "/api/v1/site/compliance", clerk, "")
	ws := comp["window_staff"].(map[string]any)
	if ws["actual"] != float64(1) || ws["required"] != float64(7) || ws["ok"] != false {
		t.Errorf("compliance: got %v", ws)
	}
	if code, _ := h.do("POST", "/api/v1/me/password", clerk, `{"old":"Clerk12345","new":"Clerk67890"}`); code != 204 {
		t.Errorf("change password: got %d", code)
	}
	if code, _ := h.do("POST", "/api/v1/logout", clerk, ""); code != 204 {
		t.Errorf("logout: got %d", code)
	}
	if code, _ := h.do("GET", "/api/v1/me", clerk, ""); code != 401 {
		t.Errorf("after logout: got %d, want 401", code)
	}
}

func TestAPI_LockOut(t *testing.T) {
	h := start(t)
	h.setupAndLogin()
	var code int
	var body map[string]any
	for i := 0; i < 5; i++ {
		code, body = h.do("POST", "/api/v1/login", "", `{"user":"admin","password":"wrong-pass"}`)
	}
	if code != 423 || body["code"] != "locked" || !strings.Contains(body["error"].(string), "锁定") {
		t.Errorf("fifth failure: got %d %v, want 423 locked", code, body)
	}
}

func TestAPI_BackupsAndAudit(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	code, body := h.do("POST", "/api/v1/backups", admin, "")
	if code != 201 || !strings.HasPrefix(body["name"].(string), "budayang-") {
		t.Fatalf("backup: %d %v", code, body)
	}
	_, audit := h.do("GET", "/api/v1/audit?limit=2", admin, "")
	entries := audit["entries"].([]any)
	if audit["chain_ok"] != true || len(entries) != 2 {
		t.Fatalf("audit: got %v", audit)
	}
	first := entries[0].(map[string]any)
	if first["action"] != "backup.create" || first["actor"] != "admin" {
		t.Errorf("newest entry: got %v", first)
	}
	code, job := h.do("POST", "/api/v1/jobs/backup/run", admin, "")
	if code != 200 || job["last_error"] != "" || job["last_run"] == nil {
		t.Errorf("run job: %d %v", code, job)
	}
}

func TestAPI_Events(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// Wait for the stream's opening comment so the subscription exists.
	for l := range lines {
		if l == ": connected" {
			break
		}
	}
	h.do("POST", "/api/v1/staff", admin, `{"login":"duty1","name":"值班员","role":"duty","password":"Duty123456"}`)
	timeout := time.After(5 * time.Second)
	for {
		select {
		case l := <-lines:
			if l == "event: staff:changed" {
				return
			}
		case <-timeout:
			t.Fatal("no staff:changed event within 5 s")
		}
	}
}

// A stream without a session hears the hall's public events only.
func TestAPI_EventsPublicOrStaff(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	open := func(token string) <-chan string {
		req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/events", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		lines := make(chan string, 64)
		go func() {
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		for l := range lines {
			if l == ": connected" {
				break
			}
		}
		return lines
	}
	public, staff := open(""), open(admin)
	h.do("POST", "/api/v1/staff", admin, `{"login":"duty1","name":"值班员","role":"duty","password":"Duty123456"}`)
	h.do("POST", "/api/v1/tickets", admin, `{"line":"A"}`)
	collect := func(lines <-chan string) string {
		var got []string
		timeout := time.After(2 * time.Second)
		for {
			select {
			case l := <-lines:
				if strings.HasPrefix(l, "event: ") {
					got = append(got, strings.TrimPrefix(l, "event: "))
					if l == "event: ticket:issued" {
						return strings.Join(got, " ")
					}
				}
			case <-timeout:
				return strings.Join(got, " ")
			}
		}
	}
	if got := collect(public); got != "ticket:issued" {
		t.Errorf("public stream heard %q, want only ticket:issued", got)
	}
	if got := collect(staff); got != "staff:changed ticket:issued" {
		t.Errorf("staff stream heard %q, want staff:changed ticket:issued", got)
	}
}

func TestInvoke_SameContract(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	status, body := h.h.Invoke(ctx, "POST", "/api/v1/setup", setupBody, "", "desk")
	if status != 201 {
		t.Fatalf("setup through Invoke: %d %s", status, body)
	}
	status, body = h.h.Invoke(ctx, "POST", "/api/v1/login", `{"user":"admin","password":"Admin12345"}`, "", "desk")
	if status != 200 {
		t.Fatalf("login through Invoke: %d %s", status, body)
	}
	var sess struct{ Token string }
	json.Unmarshal([]byte(body), &sess)
	status, body = h.h.Invoke(ctx, "GET", "/api/v1/me", "", sess.Token, "desk")
	if status != 200 || !strings.Contains(body, `"login":"admin"`) {
		t.Errorf("me through Invoke: %d %s", status, body)
	}
	status, body = h.h.Invoke(ctx, "POST", "/api/v1/staff", `{"login":`, sess.Token, "desk")
	if status != 400 || !strings.Contains(body, `"code":"invalid"`) {
		t.Errorf("malformed through Invoke: %d %s", status, body)
	}
	status, _ = h.h.Invoke(ctx, "POST", "/api/v1/logout", "", sess.Token, "desk")
	if status != 204 {
		t.Errorf("logout through Invoke: %d", status)
	}
}

func TestUI_ServesPagesAndFallback(t *testing.T) {
	h := start(t)
	for _, path := range []string{"/", "/display", "/kiosk", "/rate/3"} {
		res, err := http.Get(h.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(b), "不打烊") {
			t.Errorf("GET %s: %d %q", path, res.StatusCode, b)
		}
	}
	res, _ := http.Get(h.srv.URL + "/assets/app.js")
	res.Body.Close()
	if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("assets not cached: %q", res.Header.Get("Cache-Control"))
	}
}
