package hall_test

import (
	"fmt"
	"strings"
	"testing"
)

// The audit page names what raw ids would hide: staff by name, a case by
// its number, a booking by its date, time and line — never the citizen.
func TestAPI_AuditLabels(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")
	if code, tk := h.do("POST", "/api/v1/tickets", admin, `{"line":"A"}`); code != 201 {
		t.Fatalf("issue: %d %v", code, tk)
	}
	_, called := h.do("POST", "/api/v1/windows/1/call-next", clerk, "")
	ticketID := called["ticket"].(map[string]any)["id"].(string)
	code, c := h.do("POST", "/api/v1/cases", clerk, fmt.Sprintf(`{"item_code":"MZ-001","name":"张小三","id_number":"511725199003071232","phone":"13812345678","ticket_id":%q,"received":[0,1,2]}`, ticketID))
	if code != 201 {
		t.Fatalf("open case: %d %v", code, c)
	}
	code, b := h.do("POST", "/api/v1/bookings", clerk, `{"line":"A","slot_start":"2026-11-26T01:00:00Z","name":"赵六","phone":"13600001111"}`)
	if code != 201 {
		t.Fatalf("book: %d %v", code, b)
	}

	code, ext := h.do("POST", "/api/v1/calendar/extended", admin, `{"name":"晚间延时","weekdays":[1,2,3,4,5],"start":"17:30","end":"19:00"}`)
	if code != 201 {
		t.Fatalf("extended hours: %d %v", code, ext)
	}

	_, page := h.do("GET", "/api/v1/audit?limit=100", admin, "")
	labels := map[string]string{}
	for _, e := range page["entries"].([]any) {
		e := e.(map[string]any)
		label, _ := e["target_label"].(string)
		labels[e["action"].(string)+" "+e["target"].(string)] = label
		if e["actor"] == "clerk1" && e["actor_name"] != "李窗口" {
			t.Errorf("%v: actor_name %v, want 李窗口", e["action"], e["actor_name"])
		}
		for _, personal := range []string{"张", "赵", "1381234", "1360000", "5117251990"} {
			if strings.Contains(label, personal) {
				t.Errorf("%v: label %q holds the citizen's %q", e["action"], label, personal)
			}
		}
	}
	want := map[string]string{
		"staff.create clerk1":                         "李窗口",
		"case.open " + c["id"].(string):               c["number"].(string),
		"booking.create " + b["id"].(string):          "2026-11-26 09:00 A",
		"calendar.extended_add " + ext["id"].(string): "晚间延时",
	}
	for k, v := range want {
		if labels[k] != v {
			t.Errorf("%s: target_label %q, want %q", k, labels[k], v)
		}
	}
}

// Closing a day that holds bookings is refused, naming them, until the
// administrator confirms; confirmed, the duty officer's next call list
// holds them, to be phoned.
func TestAPI_CloseDayWithBookings(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")
	code, b := h.do("POST", "/api/v1/bookings", clerk, `{"line":"A","slot_start":"2026-11-27T01:30:00Z","name":"赵六","phone":"13600001111"}`)
	if code != 201 {
		t.Fatalf("book: %d %v", code, b)
	}
	code, body := h.do("PUT", "/api/v1/calendar/overrides/2026-11-27", admin, `{"kind":"closed","reason":"停电检修"}`)
	if code != 409 || !strings.Contains(body["error"].(string), "09:30 A线") {
		t.Fatalf("unconfirmed: got %d %v, want 409 naming 09:30 A线", code, body)
	}
	if code, body := h.do("PUT", "/api/v1/calendar/overrides/2026-11-27", admin, `{"kind":"closed","reason":"停电检修","confirm":true}`); code != 200 {
		t.Fatalf("confirmed: %d %v", code, body)
	}
	_, list := h.do("GET", "/api/v1/booking/call-list?date=2026-11-26", admin, "")
	entries := list["entries"].([]any)
	if len(entries) != 1 || entries[0].(map[string]any)["booking_id"] != b["id"] || entries[0].(map[string]any)["reason"] != "closed_day" {
		t.Errorf("call list: got %v, want the booking with reason closed_day", list)
	}
}
