package hall_test

import (
	"testing"
	"time"
)

// TestAPI_Dashboard drives a day through the API (a ticket served after a
// transfer, one still waiting) and reads it back in full and compact.
func TestAPI_Dashboard(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")
	duty := h.person(admin, "duty1", "duty")
	assistant := h.person(admin, "assistant1", "assistant")

	code, tk := h.do("POST", "/api/v1/tickets", admin, `{"line":"A"}`)
	if code != 201 {
		t.Fatalf("issue: %d %v", code, tk)
	}
	id := tk["id"].(string)
	h.advance(5 * time.Minute)
	if code, out := h.do("POST", "/api/v1/windows/1/call-next", clerk, ""); code != 200 {
		t.Fatalf("call: %d %v", code, out)
	}
	h.advance(2 * time.Minute)
	if code, out := h.do("POST", "/api/v1/tickets/"+id+"/transfer", clerk, `{"window":2}`); code != 200 {
		t.Fatalf("transfer: %d %v", code, out)
	}
	if code, out := h.do("POST", "/api/v1/windows/2/call-next", clerk, ""); code != 200 {
		t.Fatalf("call at 2: %d %v", code, out)
	}
	h.advance(3 * time.Minute)
	if code, out := h.do("POST", "/api/v1/tickets/"+id+"/complete", clerk, ""); code != 200 {
		t.Fatalf("complete: %d %v", code, out)
	}
	if code, out := h.do("POST", "/api/v1/tickets", admin, `{"line":"A"}`); code != 201 {
		t.Fatalf("issue: %d %v", code, out)
	}

	t.Run("AdminFull", func(t *testing.T) {
		code, d := h.do("GET", "/api/v1/reports/dashboard", admin, "")
		if code != 200 {
			t.Fatalf("got %d %v", code, d)
		}
		tickets := d["tickets"].(map[string]any)
		if tickets["issued"] != 2.0 || tickets["served"] != 1.0 || tickets["waiting"] != 1.0 || tickets["transferred"] != 1.0 {
			t.Errorf("tickets: got %v, want 2 issued (the transferred one once), 1 served, 1 waiting", tickets)
		}
		// Issued at 09:00, served from the call at window 2 at 09:07 to 09:10.
		if w := d["wait"].(map[string]any); w["avg_seconds"] != 420.0 || w["p90_seconds"] != 420.0 {
			t.Errorf("wait: got %v, want 420 s", w)
		}
		if hd := d["handling"].(map[string]any); hd["avg_seconds"] != 180.0 {
			t.Errorf("handling: got %v, want 180 s", hd)
		}
		if d["compact"] != false || len(d["by_line"].([]any)) == 0 {
			t.Errorf("admin: got compact %v, by_line %v", d["compact"], d["by_line"])
		}
		for _, w := range d["by_window"].([]any) {
			w := w.(map[string]any)
			want := 0.0
			if w["number"] == 2.0 {
				want = 1
			}
			if w["served"] != want {
				t.Errorf("window %v served %v, want %v", w["number"], w["served"], want)
			}
		}
		if _, ok := d["duty"].(map[string]any)["now"]; !ok {
			t.Errorf("duty board missing: %v", d["duty"])
		}
	})
	for name, token := range map[string]string{"ClerkCompact": clerk, "DutyCompact": duty} {
		t.Run(name, func(t *testing.T) {
			code, d := h.do("GET", "/api/v1/reports/dashboard", token, "")
			if code != 200 || d["compact"] != true || len(d["by_line"].([]any)) != 0 || len(d["by_window"].([]any)) != 0 {
				t.Fatalf("got %d %v, want the compact dashboard", code, d)
			}
			if d["tickets"].(map[string]any)["issued"] != 2.0 {
				t.Errorf("compact totals: got %v", d["tickets"])
			}
		})
	}
	t.Run("AssistantRefused", func(t *testing.T) {
		if code, out := h.do("GET", "/api/v1/reports/dashboard", assistant, ""); code != 403 || out["code"] != "forbidden" {
			t.Errorf("got %d %v, want 403", code, out)
		}
	})
	t.Run("ErrPeriodParams", func(t *testing.T) {
		for _, q := range []string{"?day=2026-11-01", "?from=2020-01-01&to=2026-11-25", "?period=year"} {
			code, out := h.do("GET", "/api/v1/reports/dashboard"+q, admin, "")
			if msg, _ := out["error"].(string); code != 400 || out["code"] != "invalid" || msg == "" {
				t.Errorf("%s: got %d %v, want 400 invalid with a sentence", q, code, out)
			}
		}
	})
	t.Run("NobodyRefused", func(t *testing.T) {
		if code, _ := h.do("GET", "/api/v1/reports/dashboard", "", ""); code != 401 {
			t.Errorf("got %d, want 401", code)
		}
	})
}

func TestAPI_ReportCompliance(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")
	if code, out := h.do("PUT", "/api/v1/site", admin,
		`{"name":"测试镇便民服务中心","kind":"town","population":42000,"floor_area_m2":320,"terminals":1,"sub_centre":true}`); code != 200 {
		t.Fatalf("update site: %d %v", code, out)
	}
	code, c := h.do("GET", "/api/v1/reports/compliance", admin, "")
	if code != 200 {
		t.Fatalf("got %d %v", code, c)
	}
	want := map[string]string{
		"window_staff.pop_3_6wan": "not_met", // one clerk of 7
		"floor_area.town_street":  "met",
		"terminals.sub_centre":    "not_met", // one terminal of 2
		"villages.no_data":        "unknown",
		"duty.no_shifts":          "not_met",
	}
	seen := map[string]bool{}
	lists := 0
	for _, l := range c["lines"].([]any) {
		l := l.(map[string]any)
		code := l["code"].(string)
		if code == "catalog.list" {
			lists++
			continue
		}
		seen[code] = true
		if st, ok := want[code]; ok && l["status"] != st {
			t.Errorf("%s: got %v, want %s", code, l["status"], st)
		}
		if l["status"] != "met" && l["advice"] == "" {
			t.Errorf("%s: no advice", code)
		}
	}
	for code := range want {
		if !seen[code] {
			t.Errorf("line %s missing", code)
		}
	}
	if lists != 5 || c["from"] != "2026-11-25" || c["to"] != "2026-12-24" {
		t.Errorf("got %d catalog lines, period %v..%v, want 5 and 2026-11-25..2026-12-24", lists, c["from"], c["to"])
	}
	if code, _ := h.do("GET", "/api/v1/reports/compliance", clerk, ""); code != 403 {
		t.Errorf("clerk: got %d, want 403", code)
	}
}
