package hall_test

import (
	"strings"
	"testing"
)

// Lists show a ticket's phone masked to every role; the booking made from an
// unserved ticket still takes the whole number the citizen gave.
func TestAPI_TicketListsMaskPhones(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	const phone = "13812345678"
	_, tk := h.do("POST", "/api/v1/tickets", admin, `{"line":"A","phone":"`+phone+`"}`)
	id, _ := tk["id"].(string)
	if id == "" {
		t.Fatalf("issue: got %v", tk)
	}
	for _, path := range []string{"/api/v1/tickets", "/api/v1/queue/unserved?day=2026-11-25"} {
		if path == "/api/v1/queue/unserved?day=2026-11-25" {
			if code, body := h.do("POST", "/api/v1/queue/close-day", admin, ""); code != 200 {
				t.Fatalf("close day: %d %v", code, body)
			}
		}
		_, _, body := h.raw(path, admin)
		if raw := string(body); strings.Contains(raw, phone) || !strings.Contains(raw, "138****5678") {
			t.Errorf("%s: got %s, want the phone masked as 138****5678", path, body)
		}
	}
	code, b := h.do("POST", "/api/v1/tickets/"+id+"/booking", admin,
		`{"slot_start":"2026-11-26T09:00:00+08:00","name":"张三","phone":"138****5678"}`)
	if code != 201 {
		t.Fatalf("booking with the phone as the list shows it: %d %v", code, b)
	}
	if code, got := h.do("GET", "/api/v1/bookings/"+b["id"].(string), admin, ""); code != 200 || got["phone"] != phone {
		t.Errorf("booking: got %d phone %v, want the ticket's whole phone %s", code, got["phone"], phone)
	}
}

// A form asks the host whether a whole ID number holds as the clerk types
// it; the answer is the host's own sentence.
func TestAPI_CheckIDNumber(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	tests := []struct {
		id   string
		ok   bool
		says string
	}{
		{"511725199003071232", true, ""},
		{"511725199003071233", false, "校验"},
		{"51172520270101123X", false, ""},
	}
	for _, tt := range tests {
		code, out := h.do("POST", "/api/v1/rules/id-number", admin, `{"id_number":"`+tt.id+`"}`)
		msg, _ := out["error"].(string)
		if code != 200 || out["ok"] != tt.ok || !strings.Contains(msg, tt.says) {
			t.Errorf("%s: got %d %v, want ok=%v saying %q", tt.id, code, out, tt.ok, tt.says)
		}
	}
	if code, _ := h.do("POST", "/api/v1/rules/id-number", "", `{"id_number":"511725199003071232"}`); code != 401 {
		t.Errorf("without a session: got %d, want 401", code)
	}
}
