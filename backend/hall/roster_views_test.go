package hall_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"budayang/backend/clock"
)

// rosterQuarter is the roster site with the Q4 2026 plan drafted (and
// published when publish is set); it returns the plan's path.
func rosterQuarter(t *testing.T, fx rosterFixture, publish bool) string {
	t.Helper()
	code, plan := fx.h.do("POST", "/api/v1/roster/plans", fx.admin, `{"from":"2026-10-01","to":"2026-12-31"}`)
	if code != 201 {
		t.Fatalf("generate: %d %v", code, plan)
	}
	path := "/api/v1/roster/plans/" + plan["id"].(string)
	if publish {
		if code, out := fx.h.do("POST", path+"/publish", fx.admin, ""); code != 200 {
			t.Fatalf("publish: %d %v", code, out)
		}
	}
	return path
}

func TestAPI_RosterExportXLSX(t *testing.T) {
	fx := rosterSite(t)
	path := rosterQuarter(t, fx, false) + "/export.xlsx"
	code, ctype, body := fx.h.raw(path, fx.admin)
	if code != 200 || !strings.Contains(ctype, "spreadsheetml") {
		t.Fatalf("export: %d %s %s", code, ctype, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	t.Run("a sheet a month and the load summary", func(t *testing.T) {
		want := []string{"2026年10月", "2026年11月", "2026年12月", "负荷汇总"}
		if got := f.GetSheetList(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("sheets: got %v, want %v", got, want)
		}
	})
	rows, err := f.GetRows("2026年10月")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Chinese headers", func(t *testing.T) {
		if got := strings.Join(rows[0], ","); got != "日期,星期,日子,班次,开始,结束,值班人员,权重" {
			t.Errorf("headers: %s", got)
		}
	})
	t.Run("the calendar's days and the people by name", func(t *testing.T) {
		byDate := map[string][][]string{}
		for _, r := range rows[1:] {
			byDate[r[0]] = append(byDate[r[0]], r)
		}
		if r := byDate["2026-10-01"]; len(r) != 2 || r[0][1] != "周四" || r[0][2] != "国庆节" || r[0][3] != "节假日白班" || r[0][7] != "2" || !strings.HasPrefix(r[0][6], "职员duty") {
			t.Errorf("2026-10-01: %v", r)
		}
		if r := byDate["2026-10-10"]; len(r) != 1 || r[0][1] != "周六" || r[0][2] != "补班" || r[0][3] != "工作日晚班" || r[0][4] != "18:00" {
			t.Errorf("2026-10-10: %v", r)
		}
	})
	t.Run("load summary with the spread", func(t *testing.T) {
		sum, _ := f.GetRows("负荷汇总")
		if strings.Join(sum[0], ",") != "值班人员,值班次数,本期权重,上期结转,合计" || len(sum) != 1+8+2 || sum[len(sum)-1][0] != "最大差距" {
			t.Errorf("summary: %v", sum)
		}
	})
	t.Run("administrators only", func(t *testing.T) {
		if code, _, _ := fx.h.raw(path, fx.tokens["duty1"]); code != 403 {
			t.Errorf("a duty officer exported: %d", code)
		}
	})
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "roster.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

func TestAPI_RosterPrintMonth(t *testing.T) {
	fx := rosterSite(t)
	path := rosterQuarter(t, fx, true) + "/print.pdf"
	code, link := fx.h.do("POST", "/api/v1/url-tokens", fx.tokens["duty1"], `{"path":"`+path+`"}`)
	if code != 201 {
		t.Fatalf("link: %d %v", code, link)
	}
	code, ctype, body := fx.h.raw(link["url"].(string)+"&month=2026-10", "")
	if code != 200 || ctype != "application/pdf" {
		t.Fatalf("print: %d %s %s", code, ctype, body)
	}
	text := pdfText(t, body)
	for _, want := range []string{"2026年10月值班表", "0818-5212345", "10-01", "国庆节", "补班", "节假日白班", "本月值班负荷", "duty1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "11-02") || strings.Contains(text, "草稿") {
		t.Errorf("October's sheet shows November or says draft:\n%s", text)
	}
	for name, month := range map[string]string{"NotAMonth": "2026-13", "OutsideThePlan": "2027-01", "Missing": ""} {
		t.Run(name, func(t *testing.T) {
			if code, _, body := fx.h.raw(path+"?month="+month, fx.admin); code != 400 {
				t.Errorf("got %d %s, want 400", code, body)
			}
		})
	}
}

func TestAPI_MyDutiesInListAndCalendar(t *testing.T) {
	fx := rosterSite(t)
	rosterQuarter(t, fx, true)
	id := fx.ids["duty1"]
	code, out := fx.h.do("GET", "/api/v1/staff/"+id+"/duties", fx.tokens["duty1"], "")
	duties, _ := out["duties"].([]any)
	if code != 200 || len(duties) == 0 {
		t.Fatalf("my duties: %d %v", code, out)
	}
	first := duties[0].(map[string]any)
	if first["shift"] == "" || first["date"].(string) < "2026-10-01" {
		t.Errorf("first duty: %v", first)
	}
	code, names := fx.h.do("GET", "/api/v1/roster/shift-names", fx.tokens["duty1"], "")
	if shifts, _ := names["shifts"].([]any); code != 200 || len(shifts) != 2 || shifts[1].(map[string]any)["name"] != "节假日白班" || names["duty_phone"] != nil {
		t.Errorf("shift names for a duty officer: %d %v", code, names)
	}
	if code, _ := fx.h.do("GET", "/api/v1/staff/"+id+"/duties", fx.tokens["duty2"], ""); code != 403 {
		t.Errorf("a colleague read my duties: %d", code)
	}
	code, link := fx.h.do("POST", "/api/v1/url-tokens", fx.tokens["duty1"], `{"path":"/api/v1/staff/`+id+`/calendar.ics"}`)
	if code != 201 {
		t.Fatalf("subscription: %d %v", code, link)
	}
	code, _, body := fx.h.raw(link["url"].(string), "")
	ics := strings.ReplaceAll(string(body), "\r\n ", "")
	start, _ := time.Parse(time.RFC3339, first["start"].(string))
	for _, want := range []string{"X-WR-CALNAME:不打烊·", "与值班", "SUMMARY:值班：" + first["shift"].(string), "DTSTART:" + start.UTC().Format("20060102T150405Z")} {
		if code != 200 || !strings.Contains(ics, want) {
			t.Errorf("subscription lacks %q: %d\n%s", want, code, ics)
		}
	}
	if n := strings.Count(ics, "BEGIN:VEVENT"); n != len(duties) {
		t.Errorf("calendar has %d events, the list %d duties", n, len(duties))
	}
}

func TestAPI_MarketRota(t *testing.T) {
	fx := rosterSite(t)
	h := fx.h
	if code, out := h.do("POST", "/api/v1/roster/market/plans", fx.admin, `{"from":"2026-10-01","to":"2026-10-31"}`); code != 400 || !strings.Contains(fmt.Sprint(out["error"]), "逢场天规则") {
		t.Fatalf("without a market rule: %d %v", code, out)
	}
	if code, out := h.do("PUT", "/api/v1/calendar/market", fx.admin, `{"kind":"solar","days":[1,4,7,11,14,17,21,24,27,31]}`); code != 200 {
		t.Fatalf("market rule: %d %v", code, out)
	}
	village := map[string]string{}
	for _, p := range []struct{ login, role, village string }{
		{"shiqiao1", "assistant", "石桥村"}, {"shiqiao2", "duty", "石桥村"}, {"baihe1", "assistant", "白鹤村"},
	} {
		tok := h.person(fx.admin, p.login, p.role)
		_, me := h.do("GET", "/api/v1/me", tok, "")
		if code, out := h.do("PUT", "/api/v1/staff/"+me["id"].(string)+"/village", fx.admin, `{"village":"`+p.village+`"}`); code != 200 {
			t.Fatalf("village: %d %v", code, out)
		}
		village[p.login] = p.village
		fx.tokens[p.login] = tok
	}
	if code, _ := h.do("PUT", "/api/v1/staff/"+fx.ids["duty1"]+"/village", fx.tokens["duty1"], `{"village":"石桥村"}`); code != 403 {
		t.Errorf("a duty officer set a village: %d", code)
	}
	code, members := h.do("GET", "/api/v1/roster/market/villages", fx.admin, "")
	if list, _ := members["staff"].([]any); code != 200 || len(list) == 0 || list[0].(map[string]any)["village"] != "白鹤村" {
		t.Errorf("village members, villages first: %d %v", code, members)
	}
	code, plan := h.do("POST", "/api/v1/roster/market/plans", fx.admin, `{"from":"2026-10-01","to":"2026-10-31"}`)
	if code != 201 || len(plan["days"].([]any)) != 10 || len(plan["duties"].([]any)) != 20 || len(plan["unfilled"].([]any)) != 0 {
		t.Fatalf("market plan: %d %v", code, plan)
	}
	count := map[string]int{}
	for _, x := range plan["load"].([]any) {
		m := x.(map[string]any)
		count[m["village"].(string)+m["name"].(string)] = int(m["count"].(float64))
	}
	if len(count) != 3 || count["白鹤村职员baihe1"] != 10 {
		t.Errorf("loads: %v", count)
	}
	for k, n := range count {
		if strings.HasPrefix(k, "石桥村") && n != 5 {
			t.Errorf("石桥村 turns not shared evenly: %v", count)
		}
	}
	if code, _ := h.do("POST", "/api/v1/roster/market/plans", fx.tokens["duty1"], `{"from":"2026-10-01","to":"2026-10-31"}`); code != 403 {
		t.Errorf("a duty officer drafted the rota: %d", code)
	}
	// Days on, the sessions of the 15th have lapsed: the clerk signs in again.
	on := func(day int) map[string]any {
		h.core.Clock.(*clock.Fixed).Set(time.Date(2026, 10, day, 9, 0, 0, 0, clock.Shanghai))
		_, login := h.do("POST", "/api/v1/login", "", `{"user":"clerk1","password":"Passw0rd123"}`)
		clerk, _ := login["token"].(string)
		code, today := h.do("GET", "/api/v1/roster/market/today", clerk, "")
		if code != 200 {
			t.Fatalf("market today: %d %v", code, today)
		}
		return today
	}
	today := on(4)
	if today["market_day"] != true || len(today["duties"].([]any)) != 2 {
		t.Fatalf("market today: %d %v", code, today)
	}
	if strings.Contains(fmt.Sprint(today), "staff_id") {
		t.Errorf("the home card carries staff ids: %v", today)
	}
	if today := on(5); today["market_day"] != false || len(today["duties"].([]any)) != 0 {
		t.Errorf("not a market day: %v", today)
	}
}
