package hall_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// Names and date spans are bounded where they come in: a 900 KB name never
// reaches the display's events, and one anonymous request cannot make the
// host count working days for seconds.
func TestAPI_Limits(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	huge := strings.Repeat("x", 900<<10)
	tests := []struct {
		name         string
		method, path string
		token, body  string
		status       int
	}{
		{"HugeWindowName", "PUT", "/api/v1/windows/1", admin, `{"name":"` + huge + `","lines":[]}`, 400},
		{"LongWindowName", "PUT", "/api/v1/windows/1", admin, `{"name":"` + strings.Repeat("窗", 41) + `","lines":[]}`, 400},
		{"WindowName", "PUT", "/api/v1/windows/1", admin, `{"name":"` + strings.Repeat("窗", 40) + `","lines":[]}`, 200},
		{"HugeLineName", "PUT", "/api/v1/lines/B", admin, `{"name":"` + huge + `","opens":"08:30","closes":"17:00","active":true}`, 400},
		{"HugeSiteName", "PUT", "/api/v1/site", admin, `{"name":"` + huge + `","kind":"town","population":1}`, 400},
		{"HugeOverrideReason", "PUT", "/api/v1/calendar/overrides/2026-12-01", admin, `{"kind":"closed","reason":"` + huge + `"}`, 400},
		{"HugeExtendedName", "POST", "/api/v1/calendar/extended", admin, `{"name":"` + huge + `","weekdays":[1],"start":"07:00","end":"08:00"}`, 400},
		{"WorkingDaysAddHuge", "GET", "/api/v1/calendar/working-days?from=2026-11-25&add=100000", "", "", 400},
		{"WorkingDaysAddTenYears", "GET", "/api/v1/calendar/working-days?from=2026-11-25&add=3000", "", "", 400},
		{"WorkingDaysAddYear", "GET", "/api/v1/calendar/working-days?from=2026-11-25&add=200", "", "", 200},
		{"WorkingDaysCenturies", "GET", "/api/v1/calendar/working-days?from=1900-01-01&to=2199-12-31", "", "", 400},
		{"WorkingDaysBackwards", "GET", "/api/v1/calendar/working-days?from=2199-12-31&to=1900-01-01", "", "", 400},
		{"WorkingDaysYear", "GET", "/api/v1/calendar/working-days?from=2026-01-01&to=2026-12-31", "", "", 200},
		{"CalendarRangeCenturies", "GET", "/api/v1/calendar?from=1900-01-01&to=2199-12-31", "", "", 400},
		{"BookingsCenturies", "GET", "/api/v1/bookings?from=1900-01-01&to=2199-12-31", admin, "", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := h.do(tt.method, tt.path, tt.token, tt.body)
			if code != tt.status {
				t.Fatalf("got %d %v, want %d", code, body, tt.status)
			}
			if tt.status == 400 && (body["code"] != "invalid" || body["error"] == "") {
				t.Errorf("want an invalid sentence, got %v", body)
			}
		})
	}
	t.Run("HugePriorityKind", func(t *testing.T) {
		_, st := h.do("GET", "/api/v1/queue/settings", admin, "")
		st["priority_kinds"] = []string{huge}
		raw, _ := json.Marshal(st)
		if code, body := h.do("PUT", "/api/v1/queue/settings", admin, string(raw)); code != 400 || !strings.Contains(body["error"].(string), "绿色通道人群名称") {
			t.Fatalf("got %d %v, want 400", code, body)
		}
	})
}
