package hall_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// The day's close leaves unserved tickets; a clerk books the citizen for the
// next working day from the ticket, and only once the ticket is unserved.
func TestAPI_UnservedTicketToBooking(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	_, tk := h.do("POST", "/api/v1/tickets", "", `{"line":"A","phone":"13812345678"}`)
	id := tk["id"].(string)
	if code, body := h.do("POST", "/api/v1/tickets/"+id+"/booking", admin, `{"slot_start":"2026-11-26T09:00:00+08:00","name":"张三","phone":"13812345678"}`); code != 409 {
		t.Fatalf("booking a waiting ticket: %d %v, want 409", code, body)
	}
	if code, body := h.do("POST", "/api/v1/queue/close-day", admin, ""); code != 200 || len(body["unserved"].([]any)) != 1 {
		t.Fatalf("close day: %d %v", code, body)
	}
	req, _ := h.srv.Client().Get(h.srv.URL + "/api/v1/booking/slots?line=A&date=2026-11-26&token=" + admin)
	var day struct {
		Slots []struct {
			Start     string
			Available int
		}
	}
	json.NewDecoder(req.Body).Decode(&day)
	req.Body.Close()
	if len(day.Slots) == 0 {
		t.Fatal("no slots on Thursday 26 November")
	}
	code, b := h.do("POST", "/api/v1/tickets/"+id+"/booking", admin, `{"slot_start":"2026-11-25T15:00:00+08:00","name":"张三","phone":"13812345678"}`)
	if code != 400 {
		t.Errorf("booking on the ticket's own day: %d %v, want 400", code, b)
	}
	code, b = h.do("POST", "/api/v1/tickets/"+id+"/booking", admin, `{"slot_start":"`+day.Slots[0].Start+`","name":"张三","phone":"13812345678"}`)
	if code != 201 || b["line"] != "A" || !strings.Contains(b["note"].(string), "A001") {
		t.Fatalf("booking from the unserved ticket: %d %v", code, b)
	}
}
