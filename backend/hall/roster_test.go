package hall_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"budayang/backend/clock"
)

type rosterFixture struct {
	h      *harness
	admin  string
	tokens map[string]string // login → token
	ids    map[string]string // login → staff id
}

// rosterSite is a centre on 15 September 2026 with six duty officers and a
// clerk, the shifts of a town centre and the duty phone.
func rosterSite(t *testing.T) rosterFixture {
	h := start(t)
	h.core.Clock.(*clock.Fixed).Set(time.Date(2026, 9, 15, 10, 0, 0, 0, clock.Shanghai))
	fx := rosterFixture{h: h, admin: h.setupAndLogin(), tokens: map[string]string{}, ids: map[string]string{}}
	for _, p := range []struct{ login, role string }{{"duty1", "duty"}, {"duty2", "duty"}, {"duty3", "duty"}, {"duty4", "duty"}, {"duty5", "duty"}, {"duty6", "duty"}, {"clerk1", "clerk"}} {
		fx.tokens[p.login] = h.person(fx.admin, p.login, p.role)
		_, me := h.do("GET", "/api/v1/me", fx.tokens[p.login], "")
		fx.ids[p.login] = me["id"].(string)
	}
	code, out := h.do("PUT", "/api/v1/roster/shifts", fx.admin, `{"duty_phone":"0818-5212345","shifts":[
		{"id":"evening","name":"工作日晚班","days":["workday_evening"],"start":"18:00","end":"22:00","people":1},
		{"id":"day","name":"节假日白班","days":["weekend","holiday"],"start":"08:30","end":"18:00","people":2,"role":"duty"}]}`)
	if code != 200 {
		t.Fatalf("shifts: %d %v", code, out)
	}
	return fx
}

func (fx rosterFixture) count(t *testing.T, table string) int {
	var n int
	if err := fx.h.core.DB.Read().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

type assignment struct {
	id, date, shift, staff string
	start, end             time.Time
	weight                 float64
}

func assignments(t *testing.T, plan map[string]any) []assignment {
	var out []assignment
	for _, x := range plan["assignments"].([]any) {
		m := x.(map[string]any)
		a := assignment{id: m["id"].(string), date: m["date"].(string), shift: m["shift_id"].(string), staff: m["staff_id"].(string), weight: m["weight"].(float64)}
		var err1, err2 error
		a.start, err1 = time.Parse(time.RFC3339, m["start"].(string))
		a.end, err2 = time.Parse(time.RFC3339, m["end"].(string))
		if err1 != nil || err2 != nil {
			t.Fatalf("start/end not RFC 3339: %v", m)
		}
		out = append(out, a)
	}
	return out
}

func TestAPI_RosterShifts(t *testing.T) {
	fx := rosterSite(t)
	code, out := fx.h.do("GET", "/api/v1/roster/shifts", fx.admin, "")
	if code != 200 || out["duty_phone"] != "0818-5212345" {
		t.Fatalf("get: %d %v", code, out)
	}
	shifts := out["shifts"].([]any)
	if w := shifts[0].(map[string]any)["weight"]; w != 0.5 {
		t.Errorf("workday evening default weight = %v, want 0.5", w)
	}
	if w := shifts[1].(map[string]any)["weight"]; w != 1.0 {
		t.Errorf("weekend default weight = %v, want 1", w)
	}
	rules := out["rules"].(map[string]any)
	if rules["max_per_day"] != 1.0 || rules["min_rest_hours"] != 11.0 || rules["max_consecutive_days"] != 3.0 {
		t.Errorf("default rules: %v", rules)
	}
	for name, body := range map[string]string{
		"BadDay":   `{"shifts":[{"name":"夜","days":["sometimes"],"start":"18:00","end":"22:00","people":1}]}`,
		"BadClock": `{"shifts":[{"name":"夜","days":["weekend"],"start":"25:00","end":"22:00","people":1}]}`,
		"NoPeople": `{"shifts":[{"name":"夜","days":["weekend"],"start":"18:00","end":"22:00","people":0}]}`,
		"BadPhone": `{"duty_phone":"call me","shifts":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if code, out := fx.h.do("PUT", "/api/v1/roster/shifts", fx.admin, body); code != 400 || out["error"] == nil {
				t.Fatalf("got %d %v, want 400 with the reason", code, out)
			}
		})
	}
	if _, out := fx.h.do("GET", "/api/v1/roster/shifts", fx.admin, ""); len(out["shifts"].([]any)) != 2 {
		t.Fatalf("a refused PUT changed the shifts: %v", out)
	}
}

func TestAPI_RosterUnavailable(t *testing.T) {
	fx := rosterSite(t)
	h := fx.h
	self := "/api/v1/staff/" + fx.ids["duty1"] + "/unavailable"
	cases := []struct {
		name, path, token, body string
		want                    int
	}{
		{"Self", self, fx.tokens["duty1"], `{"from":"2026-10-05","to":"2026-10-06","reason":"年假"}`, 201},
		{"Admin", "/api/v1/staff/" + fx.ids["duty2"] + "/unavailable", fx.admin, `{"from":"2026-11-02","to":"2026-11-04","reason":"培训"}`, 201},
		{"Colleague", "/api/v1/staff/" + fx.ids["duty2"] + "/unavailable", fx.tokens["duty1"], `{"from":"2026-10-05","to":"2026-10-06","reason":"替他请假"}`, 403},
		{"Backwards", self, fx.tokens["duty1"], `{"from":"2026-10-06","to":"2026-10-05","reason":"年假"}`, 400},
		{"NoReason", self, fx.tokens["duty1"], `{"from":"2026-10-05","to":"2026-10-06","reason":" "}`, 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if code, out := h.do("POST", tc.path, tc.token, tc.body); code != tc.want {
				t.Fatalf("got %d %v, want %d", code, out, tc.want)
			}
		})
	}
	code, out := h.do("GET", self, fx.tokens["duty1"], "")
	if list := out["unavailable"].([]any); code != 200 || len(list) != 1 || list[0].(map[string]any)["reason"] != "年假" {
		t.Fatalf("list: %d %v", code, out)
	}
	if code, _ := h.do("GET", self, fx.tokens["duty2"], ""); code != 403 {
		t.Fatalf("a colleague read the list: %d", code)
	}
}

// A quarter with National Day 2026: 1–7 October are holidays weighing
// double, Saturday 10 October is a 补班 workday with an evening duty and no
// weekend duty, and the draft breaks no rule.
func TestAPI_RosterQuarterWithNationalDay(t *testing.T) {
	fx := rosterSite(t)
	h := fx.h
	if code, out := h.do("POST", "/api/v1/staff/"+fx.ids["duty1"]+"/unavailable", fx.tokens["duty1"], `{"from":"2026-10-05","to":"2026-10-06","reason":"年假"}`); code != 201 {
		t.Fatalf("leave: %d %v", code, out)
	}
	code, plan := h.do("POST", "/api/v1/roster/plans", fx.admin, `{"from":"2026-10-01","to":"2026-12-31"}`)
	if code != 201 || plan["status"] != "draft" || plan["from"] != "2026-10-01" || plan["to"] != "2026-12-31" {
		t.Fatalf("generate: %d %v", code, plan)
	}
	as := assignments(t, plan)
	byDate := map[string][]assignment{}
	perDay := map[string]bool{}
	for _, a := range as {
		byDate[a.date] = append(byDate[a.date], a)
		if a.staff == "" {
			continue
		}
		k := a.staff + a.date
		if perDay[k] {
			t.Errorf("%s has two duties on %s", a.staff, a.date)
		}
		perDay[k] = true
		if a.staff == fx.ids["duty1"] && (a.date == "2026-10-05" || a.date == "2026-10-06") {
			t.Errorf("duty1 on duty on a day of leave: %v", a)
		}
		if a.shift == "day" && (a.staff == fx.ids["clerk1"]) {
			t.Errorf("the holiday shift needs a duty officer, got the clerk: %v", a)
		}
	}
	for d := 1; d <= 7; d++ {
		date := fmt.Sprintf("2026-10-%02d", d)
		if len(byDate[date]) != 2 || byDate[date][0].shift != "day" || byDate[date][0].weight != 2 {
			t.Errorf("%s (国庆节): %v, want two holiday duties weighing 2", date, byDate[date])
		}
	}
	if sat := byDate["2026-10-10"]; len(sat) != 1 || sat[0].shift != "evening" || sat[0].weight != 0.5 {
		t.Errorf("2026-10-10 (补班): %v, want one workday evening", sat)
	}
	if sun := byDate["2026-10-11"]; len(sun) != 2 || sun[0].shift != "day" || sun[0].weight != 1 {
		t.Errorf("2026-10-11: %v, want two weekend duties weighing 1", sun)
	}
	first := byDate["2026-10-01"][0]
	if first.start.Format(time.RFC3339) != "2026-10-01T08:30:00+08:00" || first.end.Format(time.RFC3339) != "2026-10-01T18:00:00+08:00" {
		t.Errorf("holiday duty times: %v – %v", first.start, first.end)
	}
	if u := plan["unfilled"].([]any); len(u) != 0 {
		t.Errorf("seven people for two shifts left places vacant: %v", u)
	}
	load := map[string]float64{}
	for _, x := range plan["load"].([]any) {
		m := x.(map[string]any)
		load[m["staff_id"].(string)] = m["weight"].(float64)
	}
	lo, hi := 1e9, 0.0
	for _, l := range []string{"duty2", "duty3", "duty4", "duty5", "duty6"} {
		lo, hi = min(lo, load[fx.ids[l]]), max(hi, load[fx.ids[l]])
	}
	if hi-lo > 2 {
		t.Errorf("duty officers of equal availability: loads %v–%v, more than one duty's weight apart", lo, hi)
	}

	t.Run("BadPeriods", func(t *testing.T) {
		before := fx.count(t, "roster_plan")
		for name, body := range map[string]string{
			"LongerThanAQuarter": `{"from":"2026-10-01","to":"2027-01-05"}`,
			"InThePast":          `{"from":"2026-09-01","to":"2026-09-30"}`,
			"Backwards":          `{"from":"2026-10-31","to":"2026-10-01"}`,
		} {
			if code, out := h.do("POST", "/api/v1/roster/plans", fx.admin, body); code != 400 || out["error"] == nil {
				t.Errorf("%s: got %d %v, want 400 with the reason", name, code, out)
			}
		}
		if fx.count(t, "roster_plan") != before {
			t.Error("a refused period stored a plan")
		}
	})

	planPath := "/api/v1/roster/plans/" + plan["id"].(string)
	t.Run("EditsKeepTheRules", func(t *testing.T) {
		oct5 := byDate["2026-10-05"]
		for name, tc := range map[string]struct {
			aid, staff, want string
		}{
			"DayOfLeave": {oct5[0].id, fx.ids["duty1"], "年假"},
			"Overlap":    {oct5[0].id, oct5[1].staff, "重叠"},
			"Role":       {oct5[0].id, fx.ids["clerk1"], "岗位"},
		} {
			code, out := h.do("PUT", planPath+"/assignments/"+tc.aid, fx.admin, fmt.Sprintf(`{"staff_id":%q}`, tc.staff))
			if code != 409 || !strings.Contains(fmt.Sprint(out["error"]), tc.want) {
				t.Errorf("%s: got %d %v, want 409 naming %q", name, code, out, tc.want)
			}
		}
		_, again := h.do("GET", planPath, fx.tokens["duty2"], "")
		if fmt.Sprint(again["assignments"]) != fmt.Sprint(plan["assignments"]) {
			t.Error("a refused edit changed the plan")
		}
	})

	t.Run("PublishChecksTheRulesAgain", func(t *testing.T) {
		// duty2 is on the 12 October evening in the draft, then declares leave.
		var on string
		for _, a := range byDate["2026-10-12"] {
			on = a.staff
		}
		login := ""
		for l, id := range fx.ids {
			if id == on {
				login = l
			}
		}
		if login == "" {
			t.Fatalf("12 October evening: %v", byDate["2026-10-12"])
		}
		if code, out := h.do("POST", "/api/v1/staff/"+on+"/unavailable", fx.tokens[login], `{"from":"2026-10-12","to":"2026-10-12","reason":"病假"}`); code != 201 {
			t.Fatalf("leave: %d %v", code, out)
		}
		code, out := h.do("POST", planPath+"/publish", fx.admin, "")
		if code != 409 || !strings.Contains(fmt.Sprint(out["error"]), "2026-10-12不能值班（病假") {
			t.Fatalf("publish over new leave: %d %v", code, out)
		}
		var other string
		for _, l := range []string{"duty2", "duty3", "duty4", "duty5", "duty6", "clerk1"} {
			if fx.ids[l] != on {
				if code, _ := h.do("PUT", planPath+"/assignments/"+byDate["2026-10-12"][0].id, fx.admin, fmt.Sprintf(`{"staff_id":%q}`, fx.ids[l])); code == 200 {
					other = l
					break
				}
			}
		}
		if other == "" {
			t.Fatal("nobody could take 12 October")
		}
	})

	oct3 := byDate["2026-10-03"][1]
	t.Run("PublishNamesEveryUnfilledShift", func(t *testing.T) {
		code, out := h.do("PUT", planPath+"/assignments/"+oct3.id, fx.admin, `{"staff_id":""}`)
		if code != 200 || len(out["unfilled"].([]any)) != 1 {
			t.Fatalf("vacate: %d %v", code, out)
		}
		code, out = h.do("POST", planPath+"/publish", fx.admin, "")
		if code != 409 || !strings.Contains(fmt.Sprint(out["error"]), "2026-10-03 节假日白班缺1人") {
			t.Fatalf("publish with a vacant place: %d %v", code, out)
		}
	})

	t.Run("FillPublishAndKeepHistory", func(t *testing.T) {
		_, cur := h.do("GET", planPath, fx.admin, "")
		busy := map[string]bool{}
		for _, a := range assignments(t, cur) {
			if a.date >= "2026-10-01" && a.date <= "2026-10-06" && a.staff != "" {
				busy[a.staff] = true
			}
		}
		var free string
		for _, l := range []string{"duty1", "duty2", "duty3", "duty4", "duty5", "duty6"} {
			if code, _ := h.do("PUT", planPath+"/assignments/"+oct3.id, fx.admin, fmt.Sprintf(`{"staff_id":%q}`, fx.ids[l])); code == 200 {
				free = l
				break
			}
		}
		if free == "" {
			t.Fatal("nobody could take the vacant place")
		}
		code, out := h.do("POST", planPath+"/publish", fx.admin, "")
		if code != 200 || out["status"] != "published" {
			t.Fatalf("publish: %d %v", code, out)
		}
		var actions []string
		for _, e := range out["history"].([]any) {
			actions = append(actions, e.(map[string]any)["action"].(string))
		}
		if strings.Join(actions, ",") != "generate,assign,assign,assign,publish" {
			t.Errorf("history: %v", actions)
		}
		var audits, outbox int
		db := h.core.DB.Read()
		_ = db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'roster.%'`).Scan(&audits)
		_ = db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind LIKE 'roster.%'`).Scan(&outbox)
		// shifts, two leaves, generate, three edits, publish
		if audits != 8 || outbox != 8 {
			t.Errorf("audit lines %d, outbox rows %d, want 8 each", audits, outbox)
		}
		if code, out := h.do("POST", "/api/v1/roster/plans", fx.admin, `{"from":"2026-12-01","to":"2027-01-31"}`); code != 409 {
			t.Errorf("a draft over a published period: %d %v", code, out)
		}
		if code, out := h.do("POST", "/api/v1/staff/"+fx.ids[free]+"/unavailable", fx.admin, `{"from":"2026-10-03","to":"2026-10-03","reason":"病假"}`); code != 409 {
			t.Errorf("leave over a published duty: %d %v", code, out)
		}
	})

	t.Run("ListsPlans", func(t *testing.T) {
		code, out := h.do("GET", "/api/v1/roster/plans", fx.tokens["duty3"], "")
		plans := out["plans"].([]any)
		if code != 200 || len(plans) != 1 || plans[0].(map[string]any)["status"] != "published" || plans[0].(map[string]any)["from"] != "2026-10-01" {
			t.Fatalf("list: %d %v", code, out)
		}
	})

	t.Run("NextQuarterCarriesTheLoad", func(t *testing.T) {
		_, prev := h.do("GET", planPath, fx.admin, "")
		total := map[string]float64{}
		least := 1e9
		for _, x := range prev["load"].([]any) {
			m := x.(map[string]any)
			total[m["staff_id"].(string)] = m["weight"].(float64)
			least = min(least, m["weight"].(float64))
		}
		code, next := h.do("POST", "/api/v1/roster/plans", fx.admin, `{"from":"2027-01-01","to":"2027-03-31"}`)
		if code != 201 {
			t.Fatalf("next quarter: %d %v", code, next)
		}
		for _, x := range next["load"].([]any) {
			m := x.(map[string]any)
			id := m["staff_id"].(string)
			if want := total[id] - least; m["carried"].(float64) != want {
				t.Errorf("%s carried %v, want %v (%v less the least %v)", id, m["carried"], want, total[id], least)
			}
		}
	})

	t.Run("OnDutyNowIsPublicAndNamesOnly", func(t *testing.T) {
		h.core.Clock.(*clock.Fixed).Set(time.Date(2026, 10, 1, 9, 0, 0, 0, clock.Shanghai))
		code, out := h.do("GET", "/api/v1/roster/now", "", "")
		if code != 200 || out["duty_phone"] != "0818-5212345" {
			t.Fatalf("now: %d %v", code, out)
		}
		now, next := out["now"].([]any), out["next"].([]any)
		if len(now) != 2 || len(next) != 2 {
			t.Fatalf("on 1 October at 09:00 two are on duty and two come next: %v", out)
		}
		if n := next[0].(map[string]any); n["start"] != "2026-10-02T08:30:00+08:00" || !strings.HasPrefix(n["name"].(string), "职员duty") {
			t.Errorf("next: %v", n)
		}
		raw := fmt.Sprint(out)
		for _, leak := range []string{"staff_id", "login", "password", fx.ids["duty1"]} {
			if strings.Contains(raw, leak) {
				t.Errorf("public board carries %q: %v", leak, out)
			}
		}
	})
}
