package report_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/core/coretest"
	"budayang/backend/report"
)

// periodFixture is a hand-made week, 2026-11-16 (Monday) to the 20th, seen
// from the fixture's clock on the 25th:
//
//	clerk1 张三  window 1: A served (wait 5 min, handling 10), B transferred
//	             and served once (10, 20), C a no-show (called after 20);
//	             rated 5 on A, 1 on B with the appeal upheld; cases: one
//	             closed in time, one paused for supplements (due moved from
//	             the 16th to the 19th) closed on the 19th, one late, one
//	             running; two published duties and a draft one.
//	clerk2 李四  window 2: D served (2, 10), rated 2, rectification done.
//	assistant 王五: a home visit in 东村 and a phone request from 西村; one
//	             duty.
//
// Outside the week: a ticket and a rating on the 10th, a proxy case on the 22nd.
type periodFixture struct {
	st                        *coretest.Site
	clerk1, clerk2, assistant account.Principal
	tickets                   map[string]string
}

func openPeriod(t *testing.T) periodFixture {
	t.Helper()
	st := coretest.Open(t)
	f := periodFixture{st: st, clerk1: st.Person("clerk1", "张三", account.RoleClerk), clerk2: st.Person("clerk2", "李四", account.RoleClerk),
		assistant: st.Person("assistant1", "王五", account.RoleAssistant), tickets: map[string]string{}}
	seed(t, st.Core.DB, func(s *seeder) error {
		var zero time.Time
		tickets := []struct {
			name, login, status string
			window              int
			transferred         bool
			issued, called      time.Time
			done                time.Time
		}{
			{"A", "clerk1", "completed", 1, false, on(16, "09:00"), on(16, "09:05"), on(16, "09:15")},
			{"B", "clerk1", "completed", 1, true, on(16, "09:00"), on(16, "09:10"), on(16, "09:30")},
			{"C", "clerk1", "no_show", 1, false, on(16, "09:00"), on(16, "09:20"), zero},
			{"D", "clerk2", "completed", 2, false, on(17, "10:00"), on(17, "10:02"), on(17, "10:12")},
			{"E", "", "waiting", 0, false, on(17, "10:00"), zero, zero},
			{"F", "clerk1", "completed", 1, false, on(10, "09:00"), on(10, "09:01"), on(10, "09:02")},
		}
		for _, x := range tickets {
			id, err := s.ticket(x.issued.Format("2006-01-02"), "A", x.status, x.window, x.transferred, x.issued, x.called, x.done)
			if err != nil {
				return err
			}
			f.tickets[x.name] = id
			if x.login != "" {
				if err := s.servedBy(id, x.login); err != nil {
					return err
				}
			}
		}
		ratings := []struct {
			ticket, login  string
			window, level  int
			at             time.Time
			appeal, rectif string
		}{
			{"A", "clerk1", 1, 5, on(16, "09:20"), "", ""},
			{"B", "clerk1", 1, 1, on(16, "09:35"), "upheld", "void"},
			{"D", "clerk2", 2, 2, on(17, "10:15"), "rejected", "done"},
			{"F", "clerk1", 1, 5, on(10, "09:05"), "", ""},
		}
		for _, r := range ratings {
			if err := s.rateBy(f.tickets[r.ticket], r.login, r.window, r.level, r.at, r.appeal, r.rectif); err != nil {
				return err
			}
		}
		c1 := f.clerk1.ID
		acc16, acc9, acc17 := on(16, "09:00"), on(9, "09:00"), on(17, "09:00")
		cl18, cl19, cl20 := on(18, "10:00"), on(19, "16:00"), on(20, "11:00")
		cases := []error{
			s.periodCase(c1, "MZ-001", "民政", "completed", &acc16, &cl18, "2026-11-20", 0),
			s.periodCase(c1, "MZ-002", "民政", "completed", &acc9, &cl19, "2026-11-19", 3),
			s.periodCase(c1, "RS-001", "人社", "rejected", &acc17, &cl20, "2026-11-18", 0),
			s.periodCase(c1, "RS-001", "人社", "accepted", &acc17, nil, "2026-11-20", 0),
		}
		if err := errors.Join(cases...); err != nil {
			return err
		}
		a := f.assistant.ID
		return errors.Join(
			s.proxyCase(a, "东村", "home_visit", on(17, "15:00")),
			s.proxyCase(a, "西村", "phone", on(18, "15:00")),
			s.proxyCase(a, "西村", "phone", on(22, "15:00")),
			// One visit made in the week counts; one not found at home and
			// one made after the week do not.
			s.homeVisit(a, "东村", "2026-11-17", "done"),
			s.homeVisit(a, "西村", "2026-11-18", "not_home"),
			s.homeVisit(a, "东村", "2026-11-24", "done"),
			s.duty(c1, "2026-11-16", true), s.duty(c1, "2026-11-17", true), s.duty(c1, "2026-11-18", false),
			s.duty(a, "2026-11-19", true),
		)
	})
	return f
}

var week = report.PeriodQuery{From: "2026-11-16", To: "2026-11-20"}

func rowOf(t *testing.T, rows []report.PeriodRow, key string) report.PeriodRow {
	t.Helper()
	for _, r := range rows {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no row %q in %+v", key, rows)
	return report.PeriodRow{}
}

func TestService_Period(t *testing.T) {
	f := openPeriod(t)
	ctx := context.Background()
	rep, err := f.st.Core.Reports.Period(ctx, f.st.Admin, week, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ByStaffHandComputed", func(t *testing.T) {
		got := rowOf(t, rep.Rows, f.clerk1.ID)
		want := report.PeriodRow{Key: f.clerk1.ID, Name: "张三", Role: "clerk", Served: 2, NoShows: 1,
			Wait:          report.Timing{Count: 3, AvgSeconds: 700, P90Seconds: 1200},
			Handle:        report.Timing{Count: 2, AvgSeconds: 900, P90Seconds: 1200},
			CasesAccepted: 3, CasesClosed: 3, OnTime: 2, OnTimeRate: 2.0 / 3,
			Ratings: 1, Good: 1, Voided: 1, GoodRate: 1, Shifts: 2}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("clerk1:\n got %+v\nwant %+v", got, want)
		}
		got = rowOf(t, rep.Rows, f.clerk2.ID)
		want = report.PeriodRow{Key: f.clerk2.ID, Name: "李四", Role: "clerk", Served: 1,
			Wait: report.Timing{Count: 1, AvgSeconds: 120, P90Seconds: 120}, Handle: report.Timing{Count: 1, AvgSeconds: 600, P90Seconds: 600},
			Ratings: 1, Bad: 1, FollowedUp: 1}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("clerk2:\n got %+v\nwant %+v", got, want)
		}
		got = rowOf(t, rep.Rows, f.assistant.ID)
		if got.ProxyCases != 2 || got.HomeVisits != 1 || got.Shifts != 1 || got.Served != 0 {
			t.Errorf("assistant: got %+v, want 2 proxy cases, 1 home visit, 1 duty", got)
		}
		if admin := rowOf(t, rep.Rows, f.st.Admin.ID); admin.Served != 0 {
			t.Errorf("admin: got %+v, want a row of zeros", admin)
		}
	})
	t.Run("ByWindowAndVillage", func(t *testing.T) {
		w, err := f.st.Core.Reports.Period(ctx, f.st.Admin, week, report.ByWindow)
		if err != nil {
			t.Fatal(err)
		}
		if r := rowOf(t, w.Rows, "1"); r.Served != 2 || r.NoShows != 1 || r.Ratings != 1 || r.Voided != 1 || r.Name != "1号窗口" {
			t.Errorf("window 1: got %+v", r)
		}
		if r := rowOf(t, w.Rows, "2"); r.Served != 1 || r.Bad != 1 {
			t.Errorf("window 2: got %+v", r)
		}
		v, err := f.st.Core.Reports.Period(ctx, f.st.Admin, week, report.ByVillage)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Rows) != 2 || rowOf(t, v.Rows, "东村").HomeVisits != 1 || rowOf(t, v.Rows, "西村").ProxyCases != 1 {
			t.Errorf("villages: got %+v", v.Rows)
		}
		l, err := f.st.Core.Reports.Period(ctx, f.st.Admin, week, report.ByLine)
		if err != nil {
			t.Fatal(err)
		}
		if r := rowOf(t, l.Rows, "A"); r.Served != 3 || r.NoShows != 1 || r.Ratings != 2 || r.Voided != 1 || r.Bad != 1 {
			t.Errorf("line A: got %+v, want 3 served, 1 no-show, 2 ratings counted, 1 voided, 1 bad", r)
		}
		d, err := f.st.Core.Reports.Period(ctx, f.st.Admin, week, report.ByDepartment)
		if err != nil {
			t.Fatal(err)
		}
		if r := rowOf(t, d.Rows, "人社"); r.CasesAccepted != 2 || r.CasesClosed != 1 || r.OnTime != 0 {
			t.Errorf("人社: got %+v, want 2 accepted, 1 closed late", r)
		}
	})
	t.Run("ClerkSeesOwnRowOnly", func(t *testing.T) {
		own, err := f.st.Core.Reports.Period(ctx, f.clerk2, week, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(own.Rows) != 1 || own.Rows[0].Key != f.clerk2.ID {
			t.Errorf("got %+v, want clerk2's row alone", own.Rows)
		}
		if _, err := f.st.Core.Reports.Period(ctx, f.clerk2, week, report.ByWindow); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("by window: got %v, want forbidden", err)
		}
	})
}

func TestService_Evidence(t *testing.T) {
	f := openPeriod(t)
	ctx := context.Background()
	numbers := func(rows []report.EvidenceRow) []string {
		out := []string{}
		for _, r := range rows {
			out = append(out, r.Kind+":"+r.Date)
		}
		return out
	}
	cases := []struct {
		measure string
		want    []string
	}{
		// The transferred ticket is served once.
		{report.MeasureServed, []string{"ticket:2026-11-16", "ticket:2026-11-16"}},
		{report.MeasureNoShow, []string{"ticket:2026-11-16"}},
		// The case paused for supplements is closed on its moved due date: in time.
		{report.MeasureOnTime, []string{"case:2026-11-18", "case:2026-11-19"}},
		{report.MeasureLate, []string{"case:2026-11-20"}},
		{report.MeasureVoided, []string{"rating:2026-11-16"}},
		{report.MeasureGood, []string{"rating:2026-11-16"}},
		{report.MeasureShifts, []string{"shift:2026-11-16", "shift:2026-11-17"}},
	}
	for _, c := range cases {
		t.Run(c.measure, func(t *testing.T) {
			ev, err := f.st.Core.Reports.Evidence(ctx, f.st.Admin, week, "", f.clerk1.ID, c.measure)
			if err != nil {
				t.Fatal(err)
			}
			if got := numbers(ev.Rows); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	t.Run("ByWindow", func(t *testing.T) {
		ev, err := f.st.Core.Reports.Evidence(ctx, f.st.Admin, week, report.ByWindow, "1", report.MeasureServed)
		if err != nil || len(ev.Rows) != 2 {
			t.Errorf("window 1 served: got %+v %v, want tickets A and B", ev.Rows, err)
		}
		ev, err = f.st.Core.Reports.Evidence(ctx, f.st.Admin, week, report.ByWindow, "2", report.MeasureBad)
		if err != nil || len(ev.Rows) != 1 {
			t.Errorf("window 2 bad: got %+v %v, want one rating", ev.Rows, err)
		}
	})
	t.Run("HomeVisitsAreTheVisitsMade", func(t *testing.T) {
		ev, err := f.st.Core.Reports.Evidence(ctx, f.st.Admin, week, "", f.assistant.ID, report.MeasureHomeVisits)
		if err != nil || len(ev.Rows) != 1 || ev.Rows[0].Kind != "visit" || ev.Rows[0].Date != "2026-11-17" || ev.Rows[0].Detail != "东村" {
			t.Errorf("got %+v %v, want the one visit made in 东村 on 2026-11-17", ev.Rows, err)
		}
	})
	t.Run("ServedNamesTheTickets", func(t *testing.T) {
		ev, _ := f.st.Core.Reports.Evidence(ctx, f.st.Admin, week, "", f.clerk1.ID, report.MeasureServed)
		ids := map[string]bool{}
		for _, r := range ev.Rows {
			ids[r.ID] = true
		}
		if !ids[f.tickets["A"]] || !ids[f.tickets["B"]] {
			t.Errorf("got %+v, want tickets A and B", ev.Rows)
		}
	})
	t.Run("ClerkOpensOwnNumbersOnly", func(t *testing.T) {
		if _, err := f.st.Core.Reports.Evidence(ctx, f.clerk2, week, "", f.clerk1.ID, report.MeasureServed); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("another's: got %v, want forbidden", err)
		}
		ev, err := f.st.Core.Reports.Evidence(ctx, f.clerk2, week, "", f.clerk2.ID, report.MeasureBad)
		if err != nil || len(ev.Rows) != 1 {
			t.Errorf("own: got %+v, %v", ev, err)
		}
	})
	t.Run("UnknownMeasure", func(t *testing.T) {
		if _, err := f.st.Core.Reports.Evidence(ctx, f.st.Admin, week, "", f.clerk1.ID, "cheer"); apperr.Code(err) != apperr.Invalid {
			t.Errorf("got %v, want invalid", err)
		}
	})
}

func TestService_PeriodXLSX(t *testing.T) {
	f := openPeriod(t)
	body, name, err := f.st.Core.Reports.PeriodXLSX(context.Background(), f.st.Admin, week, "")
	if err != nil {
		t.Fatal(err)
	}
	if name != "统计报表-人员-2026-11-16至2026-11-20.xlsx" {
		t.Errorf("name: got %q", name)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("按人员统计")
	if err != nil {
		t.Fatal(err)
	}
	header := -1
	for i, r := range rows {
		if len(r) > 0 && r[0] == "人员" {
			header = i
		}
	}
	if header < 0 || fmt.Sprint(rows[header][1:]) != fmt.Sprint(report.PeriodColumns[1:]) {
		t.Fatalf("header: got %v", rows)
	}
	var clerk1 []string
	for _, r := range rows[header+1:] {
		if r[0] == "张三" {
			clerk1 = r
		}
	}
	// Served, no-shows, average wait 11:40, p90 wait 20:00, average handling
	// 15:00, cases, on-time rate, voided, good rate, duties.
	want := map[int]string{1: "2", 2: "1", 3: "11:40", 4: "20:00", 5: "15:00", 7: "3", 8: "3", 9: "2", 10: "66.7%", 14: "1", 15: "100.0%", 19: "2"}
	for col, v := range want {
		if col >= len(clerk1) || clerk1[col] != v {
			t.Errorf("张三 column %s: got %v, want %s", report.PeriodColumns[col], clerk1, v)
		}
	}
	for r := header + 2; r <= len(rows); r++ {
		if name, _ := x.GetCellValue("按人员统计", fmt.Sprintf("A%d", r)); name != "张三" {
			continue
		}
		raw, err := x.GetCellValue("按人员统计", fmt.Sprintf("K%d", r), excelize.Options{RawCellValue: true})
		if err != nil || raw[:6] != "0.6666" {
			t.Errorf("the on-time rate is stored as a number: got %q %v", raw, err)
		}
	}
}

func TestResolvePeriod(t *testing.T) {
	today := on(25, "09:00")
	cases := []struct {
		name      string
		q         report.PeriodQuery
		start     string
		from, to  string
		notes     int
		wantError string
	}{
		{"Custom", report.PeriodQuery{From: "2026-11-02", To: "2026-11-08"}, "2026-01-01", "2026-11-02", "2026-11-08", 0, ""},
		{"Week", report.PeriodQuery{Kind: "week", Anchor: "2026-11-18"}, "2026-01-01", "2026-11-16", "2026-11-22", 0, ""},
		{"MonthClippedToToday", report.PeriodQuery{Kind: "month"}, "2026-01-01", "2026-11-01", "2026-11-25", 1, ""},
		{"Quarter", report.PeriodQuery{Kind: "quarter", Anchor: "2026-08-15"}, "2026-01-01", "2026-07-01", "2026-09-30", 0, ""},
		{"YearBeforeTheData", report.PeriodQuery{Kind: "year", Anchor: "2026-03-01"}, "2026-06-10", "2026-06-10", "2026-11-25", 2, ""},
		{"Day", report.PeriodQuery{Kind: "day", Anchor: "2026-11-20"}, "2026-01-01", "2026-11-20", "2026-11-20", 0, ""},
		{"NoDataYet", report.PeriodQuery{Kind: "day"}, "", "2026-11-25", "2026-11-25", 1, ""},
		{"Empty", report.PeriodQuery{From: "2026-11-08", To: "2026-11-02"}, "2026-01-01", "", "", 0, "开始日期 2026-11-08 晚于结束日期 2026-11-02，这个时段是空的。"},
		{"Future", report.PeriodQuery{From: "2026-12-01", To: "2026-12-31"}, "2026-01-01", "", "", 0, "时段从 2026-12-01 开始，还在将来，没有数据可统计。"},
		{"OverFiveYears", report.PeriodQuery{From: "2021-01-01", To: "2026-01-01"}, "2020-01-01", "", "", 0, "时段从 2021-01-01 到 2026-01-01，超过五年；请分段统计，每段不超过五年。"},
		{"FiveYearsExactly", report.PeriodQuery{From: "2021-01-01", To: "2025-12-31"}, "2020-01-01", "2021-01-01", "2025-12-31", 0, ""},
		{"BadDate", report.PeriodQuery{From: "2026-13-01", To: "2026-11-02"}, "", "", "", 0, "开始日期“2026-13-01”格式不对，应为 YYYY-MM-DD。"},
		{"Nothing", report.PeriodQuery{}, "", "", "", 0, "请给出开始和结束日期（from、to），或时段类型（period）。"},
		{"BadKind", report.PeriodQuery{Kind: "fortnight"}, "", "", "", 0, "时段类型只能是 day、week、month、quarter 或 year。"},
		{"Both", report.PeriodQuery{Kind: "day", From: "2026-11-01"}, "", "", "", 0, "请只用一种方式指定时段：开始和结束日期，或时段类型加日期。"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := report.ResolvePeriod(c.q, today, c.start)
			if c.wantError != "" {
				var ae *apperr.Error
				if !errors.As(err, &ae) || ae.Code != apperr.Invalid || ae.Message != c.wantError {
					t.Fatalf("got %v, want invalid %q", err, c.wantError)
				}
				return
			}
			if err != nil || p.From != c.from || p.To != c.to || len(p.Notes) != c.notes {
				t.Errorf("got %+v %v, want %s..%s with %d notes", p, err, c.from, c.to, c.notes)
			}
		})
	}
}
