package app

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"budayang/backend/cli"
)

func TestApp_WatchSession(t *testing.T) {
	a := New(cli.DesktopOptions{})
	step := func(method, path, token string, status int, body, want string) {
		t.Helper()
		a.watchSession(InvokeRequest{Method: method, Path: path, Token: token}, status, body)
		if a.token != want {
			t.Fatalf("after %s %s %d: token %q, want %q", method, path, status, a.token, want)
		}
	}
	t.Run("LoginThenLogout", func(t *testing.T) {
		step("POST", "/api/v1/login", "", 401, `{"error":"用户名或密码错误。","code":"unauthorized"}`, "")
		step("POST", "/api/v1/login", "", 200, `{"token":"t1","staff":{"login":"admin"}}`, "t1")
		step("GET", "/api/v1/me", "t1", 200, `{}`, "t1")
		step("POST", "/api/v1/logout", "t1", 204, ``, "")
	})
	t.Run("ResumedSession", func(t *testing.T) {
		step("GET", "/api/v1/staff?active=1", "t2", 200, `[]`, "t2")
	})
	t.Run("ExpiredSession", func(t *testing.T) {
		step("GET", "/api/v1/me", "t2", 401, `{"code":"unauthorized"}`, "")
	})
}

func TestStatusLine(t *testing.T) {
	tests := []struct {
		name      string
		testClock bool
		stalled   bool
		want      string
	}{
		{"WallClock", false, false, "离线工作（未配置县级服务）"},
		{"TestClock", true, false, "测试时钟 · 离线工作（未配置县级服务）"},
		{"SyncStalled", false, true, "县平台同步停滞"},
		{"SyncStalledOnATestClock", true, true, "测试时钟 · 县平台同步停滞"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statusLine(tt.testClock, tt.stalled); got != tt.want {
				t.Errorf("statusLine(%v, %v) = %q, want %q", tt.testClock, tt.stalled, got, tt.want)
			}
		})
	}
}

func TestApp_Ready(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready")
	New(cli.DesktopOptions{Log: slog.Default(), ReadyFile: ready}).Ready()
	if _, err := os.Stat(ready); err != nil {
		t.Fatalf("ready file: %v", err)
	}
}

func TestInstanceID_PerDataDir(t *testing.T) {
	if instanceID("/a") == instanceID("/b") {
		t.Fatal("two data directories share one single-instance lock")
	}
}
