package hall_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"budayang/backend/hall"
	"budayang/backend/store/storetest"
)

// joinDesk is a computer not set up yet whose desktop window may join a
// hall; joined records the pins it was told of.
func joinDesk(t *testing.T) (*harness, *[]hall.Pin) {
	t.Helper()
	h := start(t)
	var joined []hall.Pin
	h.h.AllowJoinHall(func(p hall.Pin) { joined = append(joined, p) })
	return h, &joined
}

// hallHost is a set-up hall host listening on loopback with TLS, and a
// join code it made.
func hallHost(t *testing.T) (*lanHost, string) {
	t.Helper()
	host := start(t)
	admin := host.setupAndLogin()
	lan := startLAN(t, host, "", testLANConfig())
	code, body := host.do("GET", "/api/v1/hall/join-code", admin, "")
	if code != 200 {
		t.Fatalf("join code: %d %v", code, body)
	}
	return lan, body["code"].(string)
}

// fromWindow calls h as the computer's own desktop window does.
func fromWindow(t *testing.T, h *harness, method, path, body string) (int, map[string]any) {
	t.Helper()
	status, raw := h.h.Invoke(context.Background(), method, path, body, "", "")
	var out map[string]any
	json.Unmarshal([]byte(raw), &out)
	return status, out
}

func joinBody(code string) string { return `{"code":"` + code + `"}` }

// A computer's first-run screen may make it a window of a hall host: only
// from its own desktop window, only before it is set up as a site, and
// only with a valid code of a host it can reach. A refused join saves no
// pin and reopens nothing.
func TestJoinHall_FirstRunScreen(t *testing.T) {
	host, code := hallHost(t)
	t.Run("JoinsAndSavesThePin", func(t *testing.T) {
		h, joined := joinDesk(t)
		if status, out := fromWindow(t, h, "GET", "/api/v1/setup", ""); status != 200 || out["join_hall"] != true {
			t.Fatalf("setup state from the window: got %d %v, want join_hall true", status, out)
		}
		status, out := fromWindow(t, h, "POST", "/api/v1/setup/join-hall", joinBody(code))
		if status != 200 || out["host"] != "https://"+host.addr || out["fingerprint"] != hall.ShortFingerprint(host.id.Fingerprint) {
			t.Fatalf("join: got %d %v", status, out)
		}
		pin, ok, err := hall.LoadPin(h.core.DataDir)
		want := hall.Pin{Host: "https://" + host.addr, Fingerprint: hex.EncodeToString(host.id.Fingerprint)}
		if err != nil || !ok || pin != want {
			t.Errorf("saved pin: got %+v %v %v, want %+v", pin, ok, err, want)
		}
		if len(*joined) != 1 || (*joined)[0] != want {
			t.Errorf("told of %v, want [%+v]", *joined, want)
		}
	})

	unreachable, err := (hall.LAN{Identity: host.id, Addr: closedPort(t)}).JoinCode(storetest.Epoch, "")
	if err != nil {
		t.Fatal(err)
	}
	expired, err := (hall.LAN{Identity: host.id, Addr: host.addr}).JoinCode(storetest.Epoch.Add(-48*time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// call sends the join as a caller would, on a desk set up or not.
		call   func(t *testing.T, h *harness) (int, map[string]any)
		setUp  bool
		status int
		says   string
	}{
		{name: "LANCallerRefused", status: 403, says: "桌面窗口", call: func(t *testing.T, h *harness) (int, map[string]any) {
			return lan(t, h.h, "POST", "/api/v1/setup/join-hall", joinBody(code), nil)
		}},
		{name: "LANCallerWithSetupCodeRefused", status: 403, says: "桌面窗口", call: func(t *testing.T, h *harness) (int, map[string]any) {
			c := hall.NewSetupCode()
			h.h.SetSetupCode(c)
			return lan(t, h.h, "POST", "/api/v1/setup/join-hall", joinBody(code), map[string]string{"X-Setup-Code": c.String()})
		}},
		{name: "BrowserOnThisMachineRefused", status: 403, says: "桌面窗口", call: func(t *testing.T, h *harness) (int, map[string]any) {
			return h.do("POST", "/api/v1/setup/join-hall", "", joinBody(code))
		}},
		{name: "AfterSetupRefused", setUp: true, status: 409, says: "已完成首次设置", call: func(t *testing.T, h *harness) (int, map[string]any) {
			return fromWindow(t, h, "POST", "/api/v1/setup/join-hall", joinBody(code))
		}},
		{name: "MistypedCode", status: 400, says: "加入码“ABCD-EFGH”不正确", call: func(t *testing.T, h *harness) (int, map[string]any) {
			return fromWindow(t, h, "POST", "/api/v1/setup/join-hall", joinBody("ABCD-EFGH"))
		}},
		{name: "EmptyCode", status: 400, says: "请填写加入码", call: func(t *testing.T, h *harness) (int, map[string]any) {
			return fromWindow(t, h, "POST", "/api/v1/setup/join-hall", joinBody("  "))
		}},
		{name: "ExpiredCode", status: 400, says: "过期", call: func(t *testing.T, h *harness) (int, map[string]any) {
			return fromWindow(t, h, "POST", "/api/v1/setup/join-hall", joinBody(expired.String()))
		}},
		{name: "HostUnreachable", status: 503, says: "无法连接", call: func(t *testing.T, h *harness) (int, map[string]any) {
			return fromWindow(t, h, "POST", "/api/v1/setup/join-hall", joinBody(unreachable.String()))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, joined := joinDesk(t)
			if tt.setUp {
				h.setupAndLogin()
			}
			status, out := tt.call(t, h)
			if msg, _ := out["error"].(string); status != tt.status || !strings.Contains(msg, tt.says) {
				t.Errorf("got %d %v, want %d saying %q", status, out, tt.status, tt.says)
			}
			if _, ok, _ := hall.LoadPin(h.core.DataDir); ok {
				t.Error("a refused join saved a pin")
			}
			if len(*joined) != 0 {
				t.Errorf("a refused join reopened the program as a window of %v", *joined)
			}
		})
	}

	t.Run("NotOfferedOutsideTheWindow", func(t *testing.T) {
		h, _ := joinDesk(t)
		if _, out := lan(t, h.h, "GET", "/api/v1/setup", "", nil); out["join_hall"] != false {
			t.Errorf("from the LAN: got %v, want join_hall false", out)
		}
		plain := start(t)
		if _, out := fromWindow(t, plain, "GET", "/api/v1/setup", ""); out["join_hall"] != false {
			t.Errorf("a server not allowed to join (serve, --listen): got %v, want join_hall false", out)
		}
		if status, out := fromWindow(t, plain, "POST", "/api/v1/setup/join-hall", joinBody(code)); status != 403 {
			t.Errorf("join on a server not allowed to: got %d %v, want 403", status, out)
		}
	})
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
