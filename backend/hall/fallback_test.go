package hall_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"budayang/backend/clock"
	"budayang/backend/core/coretest"
)

const warn2027 = "2027年节假日安排尚未导入，暂按周末休息计算"

// Until 2027's holiday arrangement is stored, every date counted through
// 2027 says it was counted weekends-only; storing it moves the case
// deadlines and holiday bookings counted that way, and the case's holder is
// told which moved.
func TestAPI_WeekendsOnlyFallbackUntilArrangement(t *testing.T) {
	h := start(t)
	h.core.Clock.(*clock.Fixed).Set(time.Date(2026, 11, 30, 9, 0, 0, 0, clock.Shanghai))
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")

	workingDays := func(t *testing.T, want map[string]string) {
		t.Helper()
		for query, answer := range want {
			code, body := h.do("GET", "/api/v1/calendar/working-days?"+query, "", "")
			if code != 200 {
				t.Fatalf("%s: %d %v", query, code, body)
			}
			if got, _ := json.Marshal(body); string(got) != answer {
				t.Errorf("%s: got %s, want %s", query, got, answer)
			}
		}
	}

	// MZ-001 promises 30 working days: 23 left in December 2026, then
	// 2027-01-01 and on.
	code, c := h.do("POST", "/api/v1/cases", clerk, `{"item_code":"MZ-001","name":"张小三","id_number":"511725199003071232","phone":"13812345678","received":[0,1,2,3,4],"accept":true}`)
	if code != 201 {
		t.Fatalf("open and accept: %d %v", code, c)
	}
	id := c["id"].(string)
	code, b := h.do("POST", "/api/v1/bookings", clerk, `{"line":"A","slot_start":"2027-01-01T01:00:00Z","name":"赵六","phone":"13600001111"}`)
	if code != 201 {
		t.Fatalf("book 2027-01-01 09:00: %d %v", code, b)
	}

	t.Run("WithoutTheYear", func(t *testing.T) {
		workingDays(t, map[string]string{
			"from=2026-12-31&add=1":         `{"add":1,"date":"2027-01-01","from":"2026-12-31","warnings":["` + warn2027 + `"]}`,
			"from=2026-12-30&add=1":         `{"add":1,"date":"2026-12-31","from":"2026-12-30","warnings":[]}`,
			"from=2026-12-31&to=2027-01-04": `{"from":"2026-12-31","to":"2027-01-04","warnings":["` + warn2027 + `"],"working_days":2}`,
		})
		if c["due_date"] != "2027-01-11" || c["due_estimated"] != true || !reflect.DeepEqual(c["due_warnings"], []any{warn2027}) {
			t.Errorf("accept answer: due %v estimated %v warnings %v, want 2027-01-11 estimated with the 2027 warning", c["due_date"], c["due_estimated"], c["due_warnings"])
		}
		_, slots := h.do("GET", "/api/v1/booking/slots?line=A&date=2027-01-01", clerk, "")
		if !reflect.DeepEqual(slots["warnings"], []any{warn2027}) {
			t.Errorf("slots of 2027-01-01: warnings %v, want the 2027 warning", slots["warnings"])
		}
		_, slots = h.do("GET", "/api/v1/booking/slots?line=A&date=2026-12-31", clerk, "")
		if !reflect.DeepEqual(slots["warnings"], []any{}) {
			t.Errorf("slots of 2026-12-31: warnings %v, want none", slots["warnings"])
		}
	})

	body, _ := json.Marshal(coretest.Arrangement2027())
	if code, a := h.do("PUT", "/api/v1/calendar/arrangements/2027", admin, string(body)); code != 200 {
		t.Fatalf("import 2027: %d %v", code, a)
	}

	t.Run("AfterTheImport", func(t *testing.T) {
		workingDays(t, map[string]string{
			"from=2026-12-31&add=1":         `{"add":1,"date":"2027-01-04","from":"2026-12-31","warnings":[]}`,
			"from=2026-12-31&to=2027-01-04": `{"from":"2026-12-31","to":"2027-01-04","warnings":[],"working_days":1}`,
		})
		_, got := h.do("GET", "/api/v1/cases/"+id, clerk, "")
		if got["due_date"] != "2027-01-12" || got["due_estimated"] != false || got["due_warnings"] != nil {
			t.Errorf("case: due %v estimated %v warnings %v, want 2027-01-12, not estimated", got["due_date"], got["due_estimated"], got["due_warnings"])
		}
		_, due := h.do("GET", "/api/v1/cases/due?scope=mine", clerk, "")
		moved, _ := due["moved"].([]any)
		if len(moved) != 1 {
			t.Fatalf("moved: got %v, want the one case", due["moved"])
		}
		m := moved[0].(map[string]any)
		if m["number"] != c["number"] || m["old_due"] != "2027-01-11" || m["new_due"] != "2027-01-12" || m["year"] != 2027.0 {
			t.Errorf("moved: got %v, want %v 2027-01-11 → 2027-01-12", m, c["number"])
		}
		_, calls := h.do("GET", "/api/v1/booking/call-list?date=2026-12-01", admin, "")
		entries, _ := calls["entries"].([]any)
		if len(entries) != 1 || entries[0].(map[string]any)["booking_id"] != b["id"] || entries[0].(map[string]any)["reason"] != "closed_day" {
			t.Errorf("call list of 2026-12-01: got %v, want the New Year's Day booking to move", calls["entries"])
		}

		if code, body := h.do("POST", "/api/v1/cases/deadline-moves/ack", clerk, fmt.Sprintf(`{"ids":[%q]}`, m["id"])); code != 204 {
			t.Fatalf("acknowledge: %d %v", code, body)
		}
		if _, due := h.do("GET", "/api/v1/cases/due?scope=mine", clerk, ""); len(due["moved"].([]any)) != 0 {
			t.Errorf("moved after acknowledging: got %v, want none", due["moved"])
		}
	})
}
