package hall_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestServe_RosterQuarterWithNationalDay drafts Q4 2026 on the real binary,
// its clock on 28 September: National Day runs 1–7 October (Thursday to
// Wednesday) and Saturday 10 October is worked in its place. The weekend
// shift is drafted on the holiday's weekdays and not on the adjusted
// workday, which gets the workday evening instead.
func TestServe_RosterQuarterWithNationalDay(t *testing.T) {
	p := startServeAt(t, initData(t, 1), freeAddr(t), "2026-09-28T09:00:00+08:00")
	admin := p.login("admin", "Admin12345")
	for i := 1; i <= 5; i++ {
		body := fmt.Sprintf(`{"login":"duty%d","name":"值班员%d","role":"duty","password":"Passw0rd123"}`, i, i)
		if code, out, err := p.call("POST", "/api/v1/staff", admin, body); err != nil || code != 201 {
			t.Fatalf("staff: %d %s %v", code, out, err)
		}
	}
	if code, out, err := p.call("PUT", "/api/v1/roster/shifts", admin, `{"shifts":[
		{"id":"evening","name":"工作日晚班","days":["workday_evening"],"start":"18:00","end":"21:00","people":1},
		{"id":"weekend","name":"周末白班","days":["weekend","holiday"],"start":"08:30","end":"17:30","people":1}]}`); err != nil || code != 200 {
		t.Fatalf("shifts: %d %s %v", code, out, err)
	}
	code, out, err := p.call("POST", "/api/v1/roster/plans", admin, `{"from":"2026-10-01","to":"2026-12-31"}`)
	var plan struct {
		ID          string
		Assignments []struct {
			Date    string
			ShiftID string `json:"shift_id"`
			StaffID string `json:"staff_id"`
			Weight  float64
		}
	}
	if err != nil || code != 201 || json.Unmarshal(out, &plan) != nil {
		t.Fatalf("generate: %d %s %v", code, out, err)
	}
	shifts := map[string][]string{}
	for _, a := range plan.Assignments {
		shifts[a.Date] = append(shifts[a.Date], a.ShiftID)
	}
	tests := []struct {
		date, why string
		want      []string
	}{
		{"2026-10-01", "National Day, a Thursday", []string{"weekend"}},
		{"2026-10-05", "National Day, a Monday", []string{"weekend"}},
		{"2026-10-07", "National Day, a Wednesday", []string{"weekend"}},
		{"2026-10-08", "the first workday after", []string{"evening"}},
		{"2026-10-10", "Saturday worked for National Day (补班)", []string{"evening"}},
		{"2026-10-11", "an ordinary Sunday", []string{"weekend"}},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			if fmt.Sprint(shifts[tc.date]) != fmt.Sprint(tc.want) {
				t.Errorf("%s (%s): shifts %v, want %v", tc.date, tc.why, shifts[tc.date], tc.want)
			}
		})
	}
	if code, out, err := p.call("POST", "/api/v1/roster/plans/"+plan.ID+"/publish", admin, ""); err != nil || code != 200 {
		t.Fatalf("publish: %d %s %v", code, out, err)
	}
	code, pdf, err := p.call("GET", "/api/v1/roster/plans/"+plan.ID+"/print.pdf?month=2026-10", admin, "")
	if err != nil || code != 200 {
		t.Fatalf("print: %d %v", code, err)
	}
	if text := pdfText(t, pdf); !containsAll(text, "2026年10月值班表", "补班", "国庆节", "值班员") {
		t.Errorf("October's sheet:\n%s", text)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
