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
