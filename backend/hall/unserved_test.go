package hall_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The day's close leaves unserved tickets; a clerk books the citizen for the
// next working day from the ticket, and only once the ticket is unserved.
func TestAPI_UnservedTicketToBooking(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	_, tk := h.do("POST", "/api/v1/tickets", admin, `{"line":"A","phone":"13812345678"}`)
	id := tk["id"].(string)
	if code, body := h.do("POST", "/api/v1/tickets/"+id+"/booking", admin, `{"slot_start":"2026-11-26T09:00:00+08:00","name":"张三","phone":"13812345678"}`); code != 409 {
		t.Fatalf("booking a waiting ticket: %d %v, want 409", code, body)
	}
	if code, body := h.do("POST", "/api/v1/queue/close-day", admin, ""); code != 200 || len(body["unserved"].([]any)) != 1 {
		t.Fatalf("close day: %d %v", code, body)
	}
	slots, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/booking/slots?line=A&date=2026-11-26", nil)
	slots.Header.Set("Authorization", "Bearer "+admin)
	req, err := h.srv.Client().Do(slots)
	if err != nil {
		t.Fatal(err)
	}
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
	if code != 201 || b["line"] != "A" || !strings.Contains(b["note"].(string), "A001") || b["from_ticket_id"] != id {
		t.Fatalf("booking from the unserved ticket: %d %v", code, b)
	}
	bookingID := b["id"].(string)

	// A second conversion of the same ticket, at any slot, is refused.
	code, again := h.do("POST", "/api/v1/tickets/"+id+"/booking", admin, `{"slot_start":"`+day.Slots[1].Start+`","name":"张三","phone":"13812345678"}`)
	if code != 409 || !strings.Contains(again["error"].(string), "A001已转为预约") {
		t.Errorf("booking the ticket twice: %d %v, want 409 naming the first booking", code, again)
	}
	// The list opened again shows the booking beside its ticket.
	if got := unservedBooking(t, h, admin, id); got != bookingID {
		t.Errorf("unserved list: ticket's booking %q, want %q", got, bookingID)
	}
	// Once that booking is cancelled the ticket may be booked again.
	if code, body := h.do("POST", "/api/v1/bookings/"+bookingID+"/cancel", admin, `{"reason":"群众改期"}`); code != 200 {
		t.Fatalf("cancel: %d %v", code, body)
	}
	if got := unservedBooking(t, h, admin, id); got != "" {
		t.Errorf("unserved list after the cancellation still shows booking %q", got)
	}
	if code, body := h.do("POST", "/api/v1/tickets/"+id+"/booking", admin, `{"slot_start":"`+day.Slots[1].Start+`","name":"张三","phone":"13812345678"}`); code != 201 {
		t.Errorf("booking again after the cancellation: %d %v, want 201", code, body)
	}
}

// unservedBooking is the id of the booking the unserved list shows beside
// ticket id on 25 November, or "".
func unservedBooking(t *testing.T, h *harness, token, id string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/queue/unserved?day=2026-11-25", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var list []struct {
		ID      string
		Number  string
		Booking *struct{ ID string }
	}
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil || res.StatusCode != 200 {
		t.Fatalf("unserved list: %d %v", res.StatusCode, err)
	}
	for _, tk := range list {
		if tk.ID == id && tk.Booking != nil {
			return tk.Booking.ID
		}
	}
	return ""
}
