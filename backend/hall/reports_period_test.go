package hall_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestAPI_PeriodReports serves a ticket after a transfer through the API
// and reads the day back as a period report, its evidence, the ranking and
// the workbooks; bad periods are answered with a sentence.
func TestAPI_PeriodReports(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")
	other := h.clerk(admin, "clerk2", "王窗口")
	_, me := h.do("GET", "/api/v1/me", clerk, "")
	clerkID := me["id"].(string)

	code, tk := h.do("POST", "/api/v1/tickets", admin, `{"line":"A"}`)
	if code != 201 {
		t.Fatalf("issue: %d %v", code, tk)
	}
	id := tk["id"].(string)
	h.advance(5 * time.Minute)
	if code, out := h.do("POST", "/api/v1/windows/1/call-next", clerk, ""); code != 200 {
		t.Fatalf("call: %d %v", code, out)
	}
	if code, out := h.do("POST", "/api/v1/tickets/"+id+"/transfer", clerk, `{"window":2}`); code != 200 {
		t.Fatalf("transfer: %d %v", code, out)
	}
	h.advance(2 * time.Minute)
	if code, out := h.do("POST", "/api/v1/windows/2/call-next", clerk, ""); code != 200 {
		t.Fatalf("call at 2: %d %v", code, out)
	}
	h.advance(3 * time.Minute)
	if code, out := h.do("POST", "/api/v1/tickets/"+id+"/complete", clerk, ""); code != 200 {
		t.Fatalf("complete: %d %v", code, out)
	}

	row := func(rep map[string]any, key string) map[string]any {
		for _, r := range rep["rows"].([]any) {
			if m := r.(map[string]any); m["key"] == key {
				return m
			}
		}
		return nil
	}
	t.Run("TodayByStaff", func(t *testing.T) {
		code, rep := h.do("GET", "/api/v1/reports/period?period=day", admin, "")
		if code != 200 {
			t.Fatalf("got %d %v", code, rep)
		}
		r := row(rep, clerkID)
		if r == nil || r["served"] != 1.0 || r["wait"].(map[string]any)["avg_seconds"] != 420.0 {
			t.Errorf("clerk1: got %v, want the transferred ticket served once after a 7-minute wait", r)
		}
	})
	t.Run("ClerkSeesOwnRow", func(t *testing.T) {
		code, rep := h.do("GET", "/api/v1/reports/period?period=day", other, "")
		if code != 200 || len(rep["rows"].([]any)) != 1 || row(rep, clerkID) != nil {
			t.Errorf("got %d %v, want clerk2's own row only", code, rep)
		}
		if code, _ := h.do("GET", "/api/v1/reports/evidence?period=day&measure=served&staff_id="+clerkID, other, ""); code != 403 {
			t.Errorf("another's evidence: got %d, want 403", code)
		}
	})
	t.Run("Evidence", func(t *testing.T) {
		code, ev := h.do("GET", "/api/v1/reports/evidence?period=day&measure=served&staff_id="+clerkID, admin, "")
		rows, _ := ev["rows"].([]any)
		if code != 200 || len(rows) != 1 || rows[0].(map[string]any)["id"] != id {
			t.Errorf("got %d %v, want the one ticket", code, ev)
		}
	})
	t.Run("BadPeriods", func(t *testing.T) {
		for q, want := range map[string]string{
			"from=2026-11-20&to=2026-11-10": "这个时段是空的",
			"from=2026-12-01&to=2026-12-31": "还在将来",
			"from=2020-01-01&to=2026-11-25": "超过五年",
			"from=2026-11-01":               "请给出开始和结束日期",
			"period=day&by=colour":          "分组方式只能是",
		} {
			code, out := h.do("GET", "/api/v1/reports/period?"+q, admin, "")
			msg, _ := out["error"].(string)
			if code != 400 || !strings.Contains(msg, want) {
				t.Errorf("%s: got %d %v, want 400 saying %q", q, code, out, want)
			}
		}
		code, rep := h.do("GET", "/api/v1/reports/period?from=2026-01-01&to=2026-12-31", admin, "")
		p := rep["period"].(map[string]any)
		if code != 200 || p["from"] != "2026-11-25" || p["to"] != "2026-11-25" || len(p["notes"].([]any)) != 2 {
			t.Errorf("clipped: got %d %v, want the data's one day with two notes", code, p)
		}
	})
	t.Run("Workbooks", func(t *testing.T) {
		for _, path := range []string{"/api/v1/reports/period.xlsx?period=day", "/api/v1/reports/ranking.xlsx?period=day", "/api/v1/reports/dashboard.xlsx"} {
			code, ctype, body := h.raw(path, admin)
			if code != 200 || !strings.Contains(ctype, "spreadsheetml") {
				t.Fatalf("%s: %d %s %s", path, code, ctype, body)
			}
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if len(f.GetSheetList()) == 0 {
				t.Errorf("%s: no sheet", path)
			}
			f.Close()
		}
		if code, _, _ := h.raw("/api/v1/reports/ranking.xlsx?period=day", clerk); code != 403 {
			t.Errorf("ranking workbook to a clerk: got %d, want 403", code)
		}
	})
	t.Run("WorkbookByLink", func(t *testing.T) {
		code, link := h.do("POST", "/api/v1/url-tokens", admin, `{"path":"/api/v1/reports/period.xlsx"}`)
		if code != 201 {
			t.Fatalf("link: %d %v", code, link)
		}
		u := link["url"].(string) + "&" + url.Values{"from": {"2026-11-25"}, "to": {"2026-11-25"}, "by": {"window"}}.Encode()
		if code, ctype, _ := h.raw(u, ""); code != 200 || !strings.Contains(ctype, "spreadsheetml") {
			t.Errorf("linked workbook: %d %s", code, ctype)
		}
	})
}
