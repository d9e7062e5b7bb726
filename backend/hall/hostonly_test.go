package hall_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/hall"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// lan sends a request to h as a computer on the hall's LAN would.
func lan(t *testing.T, h http.Handler, method, path, body string, header map[string]string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = "192.168.1.50:51234"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

func TestSetup_HostOrSetupCode(t *testing.T) {
	code := hall.NewSetupCode()
	withCode := strings.TrimSuffix(setupBody, "}") + `,"setup_code":"` + code.String() + `"}`
	tests := []struct {
		name   string
		noCode bool // the server was given no setup code
		body   string
		header map[string]string
		want   int
	}{
		{name: "LANWithoutCode", body: setupBody, want: 403},
		{name: "LANWrongCode", body: setupBody, header: map[string]string{"X-Setup-Code": "0000-0000"}, want: 403},
		{name: "LANCodeInHeader", body: setupBody, header: map[string]string{"X-Setup-Code": code.String()}, want: 201},
		{name: "LANCodeInBody", body: withCode, want: 201},
		{name: "LANNoCodeConfigured", noCode: true, body: withCode, want: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t)
			if !tt.noCode {
				h.h.SetSetupCode(code)
			}
			got, body := lan(t, h.h, "POST", "/api/v1/setup", tt.body, tt.header)
			if got != tt.want {
				t.Fatalf("got %d %v, want %d", got, body, tt.want)
			}
			if got == 403 && (body["code"] != hall.SetupCodeRequired || !strings.Contains(body["error"].(string), "主机")) {
				t.Errorf("refusal: got %v, want %s and a sentence", body, hall.SetupCodeRequired)
			}
			needed, _ := h.core.Site.SetupNeeded(context.Background())
			if needed != (tt.want != 201) {
				t.Errorf("setup needed after: %v", needed)
			}
		})
	}
	t.Run("Loopback", func(t *testing.T) {
		h := start(t)
		if got, body := h.do("POST", "/api/v1/setup", "", setupBody); got != 201 {
			t.Errorf("from loopback: got %d %v, want 201", got, body)
		}
	})
	t.Run("WindowWithoutCode", func(t *testing.T) {
		h := start(t)
		if got, body := h.h.Invoke(context.Background(), "POST", "/api/v1/setup", setupBody, "", "host"); got != 201 {
			t.Errorf("from the host's window: got %d %s, want 201", got, body)
		}
	})
	t.Run("CodeSpentAfterTenWrong", func(t *testing.T) {
		h := start(t)
		c := hall.NewSetupCode()
		h.h.SetSetupCode(c)
		for i := 0; i < 10; i++ {
			lan(t, h.h, "POST", "/api/v1/setup", setupBody, map[string]string{"X-Setup-Code": "1"})
		}
		if got, body := lan(t, h.h, "POST", "/api/v1/setup", setupBody, map[string]string{"X-Setup-Code": c.String()}); got != 403 {
			t.Errorf("right code after ten wrong: got %d %v, want 403", got, body)
		}
	})
}

// recoveryDoor is a data directory with one backup, served by the
// recovery door; restored counts the reopenings it asks for.
func recoveryDoor(t *testing.T) (rc *hall.Recovery, backup string, restored *[]string) {
	t.Helper()
	dir := t.TempDir()
	c, err := core.Open(context.Background(), core.Options{DataDir: dir, Clock: clock.NewFixed(storetest.Epoch), PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.DB.Backup(context.Background(), core.BackupDir(dir))
	c.Close()
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	rc = hall.NewRecovery(dir, errors.New("damaged"), nil, slog.New(slog.NewTextHandler(io.Discard, nil)), func(_ context.Context, from string) error {
		calls = append(calls, from)
		return nil
	})
	return rc, b.Name, &calls
}

func TestRecoveryRestore_HostOrSetupCode(t *testing.T) {
	code := hall.NewSetupCode()
	tests := []struct {
		name   string
		header map[string]string
		code   string
		want   int
	}{
		{name: "LANWithoutCode", want: 403},
		{name: "LANWrongCode", code: "1234-5678x", want: 403},
		{name: "LANCodeInBody", code: code.String(), want: 200},
		{name: "LANCodeInHeader", header: map[string]string{"X-Setup-Code": code.String()}, want: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, backup, restored := recoveryDoor(t)
			rc.SetSetupCode(code)
			body := `{"backup":"` + backup + `"}`
			if tt.code != "" {
				body = `{"backup":"` + backup + `","setup_code":"` + tt.code + `"}`
			}
			got, out := lan(t, rc, "POST", "/api/v1/recovery/restore", body, tt.header)
			if got != tt.want {
				t.Fatalf("got %d %v, want %d", got, out, tt.want)
			}
			if (len(*restored) == 1) != (tt.want == 200) {
				t.Errorf("restored %v, want a restore only when allowed", *restored)
			}
			if got == 403 && out["code"] != hall.SetupCodeRequired {
				t.Errorf("refusal code: got %v", out)
			}
		})
	}
	t.Run("Window", func(t *testing.T) {
		rc, backup, restored := recoveryDoor(t)
		if got, out := rc.Invoke(context.Background(), "POST", "/api/v1/recovery/restore", `{"backup":"`+backup+`"}`, "", "host"); got != 200 || len(*restored) != 1 {
			t.Errorf("from the host's window: got %d %s", got, out)
		}
	})
}

// A flood of failed logins with huge user names from one address adds a
// bounded number of bytes to the audit log.
func TestAPI_LoginFloodIsBounded(t *testing.T) {
	h := start(t)
	h.setupAndLogin()
	size := func() int64 {
		var n int64
		raw, err := sql.Open("sqlite3", filepath.Join(h.core.DataDir, store.FileName))
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if err := raw.QueryRow(`SELECT SUM(length(CAST(actor||action||target||detail||workstation AS BLOB))) FROM audit_log`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := size()
	name := strings.Repeat("x", hall.MaxBody-2000)
	for i := 0; i < 40; i++ {
		got, body := lan(t, h.h, "POST", "/api/v1/login", `{"user":"`+name+`","password":"p","workstation":"`+name[:1000]+`"}`, nil)
		if got != 401 && got != 423 && got != 429 {
			t.Fatalf("failed login %d: got %d %v", i, got, body)
		}
	}
	if grew := size() - before; grew > 10_000 {
		t.Errorf("40 failed logins with 1 MB names added %d bytes to the audit log, want < 10 KB", grew)
	}
}

func TestAPI_AuditVerification(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	_, first := h.do("GET", "/api/v1/audit", admin, "")
	_, next := h.do("GET", "/api/v1/audit", admin, "")
	_, full := h.do("GET", "/api/v1/audit?verify=full", admin, "")
	for _, c := range []struct {
		name string
		out  map[string]any
		full bool
	}{{"First", first, true}, {"Next", next, false}, {"Full", full, true}} {
		v, _ := c.out["verify"].(map[string]any)
		if c.out["chain_ok"] != true || c.out["cut"] != false || v["full"] != c.full || !strings.Contains(v["message"].(string), "审计日志完整") {
			t.Errorf("%s: got %v", c.name, c.out)
		}
	}
	// Cut the newest entries behind the application's back.
	raw, err := sql.Open("sqlite3", filepath.Join(h.core.DataDir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range []string{"DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 2 FROM audit_log)"} {
		if _, err := raw.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	_, cut := h.do("GET", "/api/v1/audit", admin, "")
	v, _ := cut["verify"].(map[string]any)
	if cut["chain_ok"] != false || cut["cut"] != true || !strings.Contains(v["message"].(string), "截去") {
		t.Errorf("after a cut: got %v", cut)
	}
}
