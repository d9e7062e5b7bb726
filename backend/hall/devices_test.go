package hall_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"budayang/backend/clock"
)

// pairing opens a pairing as admin and returns its code.
func (h *harness) pairing(admin, kind string, window int) string {
	h.t.Helper()
	body := fmt.Sprintf(`{"kind":%q}`, kind)
	if window > 0 {
		body = fmt.Sprintf(`{"kind":%q,"window":%d}`, kind, window)
	}
	code, pr := h.do("POST", "/api/v1/devices/pairings", admin, body)
	if code != 201 {
		h.t.Fatalf("pairing %s: %d %v", kind, code, pr)
	}
	return pr["code"].(string)
}

// pair pairs a device of kind (a rating pad bound to window when > 0) and
// returns its Authorization header value, with the device id.
func (h *harness) pairWithID(admin, kind string, window int) (string, string) {
	h.t.Helper()
	code, out := h.do("POST", "/api/v1/devices/pair", "", `{"code":"`+h.pairing(admin, kind, window)+`"}`)
	if code != 201 {
		h.t.Fatalf("pair %s: %d %v", kind, code, out)
	}
	return "Device " + out["credential"].(string), out["device"].(map[string]any)["id"].(string)
}

func (h *harness) pair(admin, kind string, window int) string {
	h.t.Helper()
	cred, _ := h.pairWithID(admin, kind, window)
	return cred
}

func (h *harness) advance(d time.Duration) {
	h.core.Clock.(*clock.Fixed).Advance(d)
}

func TestAPI_DeviceManagementIsAdminOnly(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")
	kiosk, id := h.pairWithID(admin, "kiosk", 0)
	tests := []struct {
		name, method, path, auth, body string
		status                         int
	}{
		{"PairingByNobody", "POST", "/api/v1/devices/pairings", "", `{"kind":"kiosk"}`, 401},
		{"PairingByClerk", "POST", "/api/v1/devices/pairings", clerk, `{"kind":"kiosk"}`, 403},
		{"PairingByDevice", "POST", "/api/v1/devices/pairings", kiosk, `{"kind":"kiosk"}`, 401},
		{"ListByClerk", "GET", "/api/v1/devices", clerk, ``, 403},
		{"RenameByClerk", "PUT", "/api/v1/devices/" + id, clerk, `{"name":"x"}`, 403},
		{"RevokeByClerk", "DELETE", "/api/v1/devices/" + id, clerk, ``, 403},
		{"RevokeByDevice", "DELETE", "/api/v1/devices/" + id, kiosk, ``, 401},
		{"ErrUnknownKind", "POST", "/api/v1/devices/pairings", admin, `{"kind":"printer"}`, 400},
		{"ErrWindowOnKiosk", "POST", "/api/v1/devices/pairings", admin, `{"kind":"kiosk","window":1}`, 400},
		{"ErrNoSuchWindow", "POST", "/api/v1/devices/pairings", admin, `{"kind":"rating_pad","window":9}`, 400},
		{"List", "GET", "/api/v1/devices", admin, ``, 200},
		{"Rename", "PUT", "/api/v1/devices/" + id, admin, `{"name":"大厅取号机"}`, 200},
		{"Revoke", "DELETE", "/api/v1/devices/" + id, admin, ``, 204},
		{"ErrRevokeTwice", "DELETE", "/api/v1/devices/" + id, admin, ``, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, body := h.do(tt.method, tt.path, tt.auth, tt.body); code != tt.status {
				t.Fatalf("got %d %v, want %d", code, body, tt.status)
			}
		})
	}
	_, log := h.do("GET", "/api/v1/audit?limit=50", admin, "")
	var actions []string
	for _, e := range log["entries"].([]any) {
		if a := e.(map[string]any)["action"].(string); strings.HasPrefix(a, "device.") {
			actions = append(actions, a)
		}
	}
	if got := strings.Join(actions, " "); got != "device.revoke device.update device.pair device.pairing" {
		t.Errorf("audited: %q, want revoke, update, pair, pairing", got)
	}
}

func TestAPI_PairingCode(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	pair := func(code string) int {
		c, _ := h.do("POST", "/api/v1/devices/pair", "", `{"code":"`+code+`","name":"东门取号机"}`)
		return c
	}
	t.Run("SingleUse", func(t *testing.T) {
		code := h.pairing(admin, "kiosk", 0)
		if got := pair(strings.ToLower(code)); got != 201 {
			t.Fatalf("first use: %d, want 201", got)
		}
		if got := pair(code); got != 401 {
			t.Errorf("second use: %d, want 401", got)
		}
	})
	t.Run("Expires", func(t *testing.T) {
		code := h.pairing(admin, "kiosk", 0)
		h.advance(10*time.Minute + time.Second)
		if got := pair(code); got != 401 {
			t.Errorf("after 10 minutes: %d, want 401", got)
		}
	})
	t.Run("WrongCodesSlowedDown", func(t *testing.T) {
		// A success forgets the failures of the cases above.
		if got := pair(h.pairing(admin, "kiosk", 0)); got != 201 {
			t.Fatalf("pair: %d, want 201", got)
		}
		code := h.pairing(admin, "kiosk", 0)
		for i := 1; i <= 6; i++ {
			if got := pair("ABCDEFGH"); got != 401 {
				t.Fatalf("wrong code %d: %d, want 401", i, got)
			}
		}
		if got := pair(code); got != 429 {
			t.Fatalf("right code after six wrong ones: %d, want 429", got)
		}
		h.advance(31 * time.Second)
		if got := pair(code); got != 201 {
			t.Errorf("right code after the wait: %d, want 201", got)
		}
	})
}

func TestAPI_TicketIssueNeedsKioskOrStaff(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	kiosk := h.pair(admin, "kiosk", 0)
	pad := h.pair(admin, "rating_pad", 1)
	revoked, id := h.pairWithID(admin, "kiosk", 0)
	if code, _ := h.do("DELETE", "/api/v1/devices/"+id, admin, ""); code != 204 {
		t.Fatalf("revoke: %d", code)
	}
	green := `{"line":"A","priority":true,"priority_kind":"孕妇"}`
	tests := []struct {
		name, auth, body string
		status           int
		source           string
	}{
		{"ErrNoCredential", "", `{"line":"A"}`, 401, ""},
		{"ErrGreenChannelNoCredential", "", green, 401, ""},
		{"ErrForgedCredential", "Device not-a-credential", `{"line":"A"}`, 401, ""},
		{"ErrRevokedKiosk", revoked, `{"line":"A"}`, 401, ""},
		{"ErrRatingPad", pad, `{"line":"A"}`, 403, ""},
		{"PairedKiosk", kiosk, `{"line":"A"}`, 201, "kiosk"},
		{"GreenChannelAtKiosk", kiosk, green, 201, "kiosk"},
		{"Desk", admin, `{"line":"A"}`, 201, "desk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := h.do("POST", "/api/v1/tickets", tt.auth, tt.body)
			if code != tt.status || tt.source != "" && body["source"] != tt.source {
				t.Fatalf("got %d %v, want %d from %q", code, body, tt.status, tt.source)
			}
		})
	}
	t.Run("KioskPageInTheWindow", func(t *testing.T) {
		if code, body := h.h.Invoke(context.Background(), "POST", "/api/v1/tickets", `{"line":"A"}`, kiosk, "窗口1"); code != 201 {
			t.Errorf("Invoke with the kiosk's credential: %d %s, want 201", code, body)
		}
	})
	for _, path := range []string{"/api/v1/kiosk/slots?line=A&date=2026-11-27"} {
		if code, _ := h.do("GET", path, "", ""); code != 401 {
			t.Errorf("GET %s without credential: %d, want 401", path, code)
		}
	}
	for _, path := range []string{"/api/v1/kiosk/bookings", "/api/v1/kiosk/check-in"} {
		if code, _ := h.do("POST", path, "", `{}`); code != 401 {
			t.Errorf("POST %s without credential: %d, want 401", path, code)
		}
	}
}

// served issues a ticket at the kiosk, and calls and completes it at window
// n as admin; it returns the ticket's id.
func (h *harness) served(admin, kiosk string, n int) string {
	h.t.Helper()
	code, tk := h.do("POST", "/api/v1/tickets", kiosk, `{"line":"A"}`)
	if code != 201 {
		h.t.Fatalf("issue: %d %v", code, tk)
	}
	id := tk["id"].(string)
	if code, body := h.do("POST", fmt.Sprintf("/api/v1/windows/%d/call", n), admin, `{"ticket":"`+id+`"}`); code != 200 {
		h.t.Fatalf("call: %d %v", code, body)
	}
	if code, body := h.do("POST", "/api/v1/tickets/"+id+"/complete", admin, ""); code != 200 {
		h.t.Fatalf("complete: %d %v", code, body)
	}
	return id
}

func TestAPI_RatingOnlyFromThePadOfTheWindow(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	kiosk := h.pair(admin, "kiosk", 0)
	pad1, pad1ID := h.pairWithID(admin, "rating_pad", 1)
	pad2 := h.pair(admin, "rating_pad", 2)
	unbound := h.pair(admin, "rating_pad", 0)
	id := h.served(admin, kiosk, 1)
	bad := `{"ticket_id":"` + id + `","level":1,"attitude":1,"efficiency":1,"competence":1,"reason":"伪造"}`
	good := `{"level":5,"attitude":5,"efficiency":5,"competence":5}`
	tests := []struct {
		name, auth, body string
		status           int
	}{
		{"ErrStranger", "", bad, 401},
		{"ErrStaff", admin, bad, 401},
		{"ErrKiosk", kiosk, bad, 403},
		{"ErrPadOfAnotherWindow", pad2, bad, 409},
		{"ErrUnboundPad", unbound, bad, 403},
		{"PadOfTheWindow", pad1, good, 201},
		{"ErrSecondRating", pad1, good, 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, body := h.do("POST", "/api/v1/ratings", tt.auth, tt.body); code != tt.status {
				t.Fatalf("got %d %v, want %d", code, body, tt.status)
			}
		})
	}
	t.Run("PendingOnlyToThePadOfTheWindow", func(t *testing.T) {
		for _, c := range []struct {
			auth   string
			status int
		}{{"", 401}, {kiosk, 403}, {pad2, 403}, {pad1, 200}} {
			if code, body := h.do("GET", "/api/v1/rate/1", c.auth, ""); code != c.status {
				t.Errorf("GET /api/v1/rate/1 as %.12q: %d %v, want %d", c.auth, code, body, c.status)
			}
		}
	})
	t.Run("ErrAfterRatingMinutes", func(t *testing.T) {
		h.served(admin, kiosk, 1)
		h.advance(11 * time.Minute)
		if code, body := h.do("POST", "/api/v1/ratings", pad1, good); code != 409 {
			t.Fatalf("rating 11 minutes after completion: %d %v, want 409", code, body)
		}
	})
	t.Run("ErrRevokedPad", func(t *testing.T) {
		h.served(admin, kiosk, 1)
		h.do("DELETE", "/api/v1/devices/"+pad1ID, admin, "")
		if code, body := h.do("POST", "/api/v1/ratings", pad1, good); code != 401 {
			t.Fatalf("revoked pad: %d %v, want 401", code, body)
		}
	})
}

func TestAPI_KioskCheckInSlowedDown(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	kiosk := h.pair(admin, "kiosk", 0)
	other := h.pair(admin, "kiosk", 0)
	for i := 1; i <= 6; i++ {
		if code, body := h.do("POST", "/api/v1/kiosk/check-in", kiosk, `{"code":"000000"}`); code != 404 {
			t.Fatalf("wrong code %d: %d %v, want 404", i, code, body)
		}
	}
	code, body := h.do("POST", "/api/v1/kiosk/check-in", kiosk, `{"code":"000000"}`)
	if code != 429 || !strings.Contains(body["error"].(string), "尝试次数过多") {
		t.Fatalf("seventh try: %d %v, want 429", code, body)
	}
	if code, _ := h.do("POST", "/api/v1/kiosk/check-in", other, `{"code":"000000"}`); code != 404 {
		t.Errorf("another kiosk: %d, want 404 (its own count)", code)
	}
	h.advance(31 * time.Second)
	if code, _ := h.do("POST", "/api/v1/kiosk/check-in", kiosk, `{"code":"000000"}`); code != 404 {
		t.Errorf("after the wait: %d, want 404", code)
	}
}

func TestAPI_PublicCarriesNoRowIDs(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	kiosk := h.pair(admin, "kiosk", 0)
	res, err := http.Get(h.srv.URL + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
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
	_, tk := h.do("POST", "/api/v1/tickets", kiosk, `{"line":"A","phone":"13812345678"}`)
	id := tk["id"].(string)
	if code, body := h.do("POST", "/api/v1/windows/1/call", admin, `{"ticket":"`+id+`"}`); code != 200 {
		t.Fatalf("call: %d %v", code, body)
	}
	t.Run("Stream", func(t *testing.T) {
		timeout := time.After(5 * time.Second)
		var frames []string
		for {
			select {
			case l := <-lines:
				if strings.HasPrefix(l, "data: ") {
					frames = append(frames, l)
				}
				if l != "event: ticket:called" {
					continue
				}
				frames = append(frames, <-lines)
				for _, f := range frames {
					if strings.Contains(f, id) || strings.Contains(f, `"id"`) || strings.Contains(f, "served_by") || strings.Contains(f, "138") {
						t.Errorf("public frame carries an id or phone: %s", f)
					}
				}
				if !strings.Contains(frames[len(frames)-1], `"A001"`) {
					t.Errorf("called frame lost the number: %s", frames[len(frames)-1])
				}
				return
			case <-timeout:
				t.Fatal("no ticket:called within 5 s")
			}
		}
	})
	for _, path := range []string{"/api/v1/hall", "/api/v1/lines", "/api/v1/windows"} {
		t.Run(path, func(t *testing.T) {
			for _, auth := range []string{"", kiosk} {
				_, _, raw := h.raw(path, auth)
				if strings.Contains(string(raw), id) || strings.Contains(string(raw), `"id"`) || strings.Contains(string(raw), "staff_id") {
					t.Errorf("%s as %.8q carries an id: %s", path, auth, raw)
				}
			}
			if _, _, raw := h.raw(path, admin); !strings.Contains(string(raw), `"id"`) {
				t.Errorf("%s lost its ids for staff: %s", path, raw)
			}
		})
	}
	t.Run("HallKeepsNumbers", func(t *testing.T) {
		_, _, raw := h.raw("/api/v1/hall", "")
		if !strings.Contains(string(raw), `"A001"`) {
			t.Errorf("public hall lost the number: %s", raw)
		}
	})
	t.Run("TicketByIDNeedsKioskOrStaff", func(t *testing.T) {
		if code, _ := h.do("GET", "/api/v1/tickets/"+id, "", ""); code != 401 {
			t.Errorf("GET ticket without credential: %d, want 401", code)
		}
		if code, _ := h.do("GET", "/api/v1/tickets/"+id, kiosk, ""); code != 200 {
			t.Errorf("GET ticket from the kiosk: %d, want 200", code)
		}
	})
}
