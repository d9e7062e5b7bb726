package hall_test

import (
	"fmt"
	"strings"
	"testing"
)

// person creates a staff member of role and returns their session token.
func (h *harness) person(admin, login, role string) string {
	h.t.Helper()
	body := fmt.Sprintf(`{"login":%q,"name":"职员%s","role":%q,"password":"Passw0rd123"}`, login, login, role)
	if code, out := h.do("POST", "/api/v1/staff", admin, body); code != 201 {
		h.t.Fatalf("create %s: %d %v", login, code, out)
	}
	code, out := h.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"user":%q,"password":"Passw0rd123"}`, login))
	if code != 200 {
		h.t.Fatalf("login %s: %d %v", login, code, out)
	}
	return out["token"].(string)
}

// Only the roles that work window cases take a case or see its citizen in
// full; duty officers and assistants are refused with a sentence and see
// the case masked. Every full read is in the audit log.
func TestAPI_CaseRoles(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	opener := h.person(admin, "clerk1", "clerk")
	code, c := h.do("POST", "/api/v1/cases", opener, `{"item_code":"MZ-001","name":"张小三","id_number":"511725199003071232","phone":"13812345678"}`)
	if code != 201 {
		t.Fatalf("open case: %d %v", code, c)
	}
	id := c["id"].(string)
	tests := []struct {
		login, role string
		take        int // status of take; full reads follow a 200
	}{
		{"duty1", "duty", 403},
		{"assistant1", "assistant", 403},
		{"clerk2", "clerk", 200},
		{"admin2", "admin", 200},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			token := h.person(admin, tt.login, tt.role)
			code, body := h.do("POST", "/api/v1/cases/"+id+"/take", token, "")
			if code != tt.take {
				t.Fatalf("take: got %d %v, want %d", code, body, tt.take)
			}
			if code == 403 && !strings.Contains(body["error"].(string), "综合窗口工作人员和管理员") {
				t.Errorf("refusal must say who may: %v", body)
			}
			_, got := h.do("GET", "/api/v1/cases/"+id, token, "")
			full := tt.take == 200
			if (got["id_number"] == "511725199003071232") != full || (got["phone"] == "13812345678") != full || (got["citizen_name"] == "张小三") != full || got["masked"] == full {
				t.Errorf("get: full=%v, got name %v id %v phone %v masked %v", full, got["citizen_name"], got["id_number"], got["phone"], got["masked"])
			}
			want := 200
			if !full {
				want = 403
			}
			if code, body := h.do("PUT", "/api/v1/cases/"+id+"/citizen", token, `{"name":"张小三","id_number":"511725199003071232","phone":"13812345678"}`); code != want {
				t.Errorf("update citizen: got %d %v, want %d", code, body, want)
			}
			if code, _, _ := h.raw("/api/v1/cases/"+id+"/notice.pdf", token); !full && code != 403 {
				t.Errorf("notice PDF: got %d, want 403", code)
			}
			var reads int
			if err := h.core.DB.Read().QueryRow(`SELECT count(*) FROM audit_log WHERE actor = ? AND action IN ('case.read', 'case.read_id')`, tt.login).Scan(&reads); err != nil {
				t.Fatal(err)
			}
			if (reads > 0) != full {
				t.Errorf("audited full reads by %s: %d, full=%v", tt.login, reads, full)
			}
		})
	}
}

// Bookings show a citizen's name and phone in full to clerks and the
// administrator only.
func TestAPI_BookingContactsByRole(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.person(admin, "clerk1", "clerk")
	code, b := h.do("POST", "/api/v1/bookings", clerk, `{"line":"A","slot_start":"`+tomorrow0900+`","name":"张小三","phone":"13812345678"}`)
	if code != 201 {
		t.Fatalf("book: %d %v", code, b)
	}
	tests := []struct {
		role  string
		token string
		full  bool
	}{
		{"admin", admin, true},
		{"clerk", clerk, true},
		{"duty", h.person(admin, "duty1", "duty"), false},
		{"assistant", h.person(admin, "assistant1", "assistant"), false},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			_, got := h.do("GET", "/api/v1/bookings/"+b["id"].(string), tt.token, "")
			_, list := h.doList("GET", "/api/v1/bookings?from=2026-11-26&to=2026-11-26", tt.token)
			if len(list) != 1 {
				t.Fatalf("list: got %v", list)
			}
			for _, v := range []map[string]any{got, list[0].(map[string]any)} {
				name, phone := "张*三", "138****5678"
				if tt.full {
					name, phone = "张小三", "13812345678"
				}
				if v["citizen_name"] != name || v["phone"] != phone {
					t.Errorf("got %v %v, want %s %s", v["citizen_name"], v["phone"], name, phone)
				}
			}
		})
	}
}

// The kiosk books only inside the horizon the host announces, once per
// phone, line and day.
func TestAPI_KioskBookingRules(t *testing.T) {
	h := start(t)
	kiosk := h.pair(h.setupAndLogin(), "kiosk", 0)
	if code, b := h.do("POST", "/api/v1/kiosk/bookings", kiosk, `{"line":"A","slot_start":"2026-11-27T01:00:00Z","name":"王小五","phone":"13700001111"}`); code != 201 {
		t.Fatalf("kiosk booking: %d %v", code, b)
	}
	tests := []struct {
		name, slot, phone string
		status            int
		says              string
	}{
		{"FarFuture", "9999-12-01T01:00:00Z", "13900001111", 400, "14天以内"},
		{"PastTheHorizon", "2026-12-10T01:00:00Z", "13900001111", 400, "14天以内"},
		{"InThePast", "2026-11-24T01:00:00Z", "13900001111", 400, "已经过去"},
		{"SamePhoneLineDay", "2026-11-27T02:00:00Z", "137-0000-1111", 409, "同一天同一业务线只能预约一次"},
		{"LastDayOfTheHorizon", "2026-12-09T01:00:00Z", "13900001111", 201, ""},
		{"SamePhoneOtherDay", "2026-11-30T01:00:00Z", "13700001111", 201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := h.do("POST", "/api/v1/kiosk/bookings", kiosk, fmt.Sprintf(`{"line":"A","slot_start":%q,"name":"李四","phone":%q}`, tt.slot, tt.phone))
			if code != tt.status {
				t.Fatalf("got %d %v, want %d", code, body, tt.status)
			}
			if tt.says != "" && !strings.Contains(body["error"].(string), tt.says) {
				t.Errorf("got %q, want it to say %q", body["error"], tt.says)
			}
		})
	}
	t.Run("SlotsAnnounceTheHorizon", func(t *testing.T) {
		if code, day := h.do("GET", "/api/v1/kiosk/slots?line=A&date=2026-11-27", kiosk, ""); code != 200 || day["horizon_days"] != float64(14) {
			t.Errorf("slots: %d %v", code, day)
		}
		if code, day := h.do("GET", "/api/v1/kiosk/slots?line=A&date=2026-12-10", kiosk, ""); code != 400 {
			t.Errorf("slots past the horizon: %d %v", code, day)
		}
	})
}

// At the kiosk a phone alone checks in nobody: with no code or a wrong one
// the answer is the one an unknown phone gets, and the booking is untouched.
func TestAPI_KioskCheckInByPhone(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	code, b := h.do("POST", "/api/v1/bookings", admin, `{"line":"A","slot_start":"2026-11-25T01:30:00Z","name":"张小三","phone":"13812345678"}`)
	if code != 201 {
		t.Fatalf("book: %d %v", code, b)
	}
	// The clerk's session on the kiosk page: the kiosk's rules, without the
	// paired kiosk's throttle on wrong codes (devices_test.go covers that).
	kiosk := admin
	wrong := "000000"
	if b["code"] == wrong {
		wrong = "111111"
	}
	type answer struct {
		status int
		error  string
	}
	ask := func(phone, verify string) answer {
		code, body := h.do("POST", "/api/v1/kiosk/check-in", kiosk, fmt.Sprintf(`{"phone":%q,"verify":%q}`, phone, verify))
		msg, _ := body["error"].(string)
		return answer{code, msg}
	}
	tests := []struct {
		name          string
		phone, verify string
		sameAs        answer
	}{
		{"NoCode", "13812345678", "", ask("13700002222", "")},
		{"WrongCode", "13812345678", wrong, ask("13700002222", wrong)},
		{"UnknownPhoneRealCode", "13700002222", b["code"].(string), ask("13700002222", wrong)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ask(tt.phone, tt.verify)
			if got != tt.sameAs || got.status < 400 || got.status >= 500 {
				t.Errorf("got %+v, want the unknown phone's answer %+v", got, tt.sameAs)
			}
			_, after := h.do("GET", "/api/v1/bookings/"+b["id"].(string), admin, "")
			if after["status"] != "booked" || after["ticket_id"] != nil {
				t.Errorf("booking after a refused check-in: %v", after)
			}
		})
	}
	t.Run("PhoneAndCode", func(t *testing.T) {
		code, res := h.do("POST", "/api/v1/kiosk/check-in", kiosk, fmt.Sprintf(`{"phone":"13812345678","verify":%q}`, b["code"]))
		if code != 200 || res["booking"].(map[string]any)["id"] != b["id"] || res["booking"].(map[string]any)["phone"] != "138****5678" {
			t.Fatalf("check-in: %d %v", code, res)
		}
	})
}
