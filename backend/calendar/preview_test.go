package calendar_test

import (
	"context"
	"testing"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/calendar"
)

func TestArrangement_SummaryCountsDays(t *testing.T) {
	c, _ := openSite(t)
	st, err := c.Calendar.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]calendar.YearSummary{
		// The 2026 notice: seven festivals over 33 days, six adjusted Saturdays/Sundays.
		2026: {Holidays: 33, Festivals: 7, Workdays: 6},
		// lunar-go lists 2025 day by day (国庆 and 中秋 as one); counted in days it reads alike.
		2025: {Holidays: 28, Festivals: 6, Workdays: 5},
	}
	for _, a := range st.Arrangements {
		w, ok := want[a.Year]
		if !ok {
			continue
		}
		if a.Holidays != w.Holidays || a.Festivals != w.Festivals || a.Workdays != w.Workdays {
			t.Errorf("%d: got %d days, %d festivals, %d workdays; want %d, %d, %d",
				a.Year, a.Holidays, a.Festivals, a.Workdays, w.Holidays, w.Festivals, w.Workdays)
		}
	}
}

func TestService_PreviewArrangement(t *testing.T) {
	c, admin := openSite(t)
	ctx := context.Background()
	a := calendar.Arrangement{Year: 2027, Notice: "国办发明电〔2026〕X号",
		Holidays: []calendar.Period{{Name: "元旦", From: "2027-01-01", To: "2027-01-03"}},
		Workdays: []calendar.AdjustedDay{{Date: "2027-01-09", Name: "元旦"}}}
	t.Run("ListsEveryChangedDate", func(t *testing.T) {
		p, err := c.Calendar.PreviewArrangement(ctx, admin, a)
		if err != nil {
			t.Fatal(err)
		}
		if p.Replaces != "" || p.Summary.Holidays != 3 || p.Summary.Workdays != 1 {
			t.Errorf("got replaces %q, summary %+v", p.Replaces, p.Summary)
		}
		// 1 Jan (Fri) stops being a workday, 2–3 Jan (weekend) get a name, 9 Jan (Sat) is worked.
		want := []calendar.DayChange{
			{Date: "2027-01-01", Before: calendar.DayKind{Workday: true}, After: calendar.DayKind{Holiday: "元旦"}},
			{Date: "2027-01-02", After: calendar.DayKind{Holiday: "元旦"}},
			{Date: "2027-01-03", After: calendar.DayKind{Holiday: "元旦"}},
			{Date: "2027-01-09", After: calendar.DayKind{Workday: true}},
		}
		if len(p.Changes) != len(want) {
			t.Fatalf("got %+v, want %+v", p.Changes, want)
		}
		for i := range want {
			if p.Changes[i] != want[i] {
				t.Errorf("change %d: got %+v, want %+v", i, p.Changes[i], want[i])
			}
		}
	})
	t.Run("StoresNothing", func(t *testing.T) {
		if ok, _ := c.Calendar.IsWorkday(ctx, date(t, "2027-01-01")); !ok {
			t.Error("2027-01-01 after a preview: want still a working day")
		}
	})
	t.Run("SameRulesAsImport", func(t *testing.T) {
		bad := a
		bad.Workdays = []calendar.AdjustedDay{{Date: "2027-01-05", Name: "元旦"}} // a Tuesday
		if _, err := c.Calendar.PreviewArrangement(ctx, admin, bad); apperr.Code(err) != apperr.Invalid {
			t.Errorf("weekday as adjusted workday: got %v, want invalid", err)
		}
	})
	t.Run("AdminOnly", func(t *testing.T) {
		clerk := admin
		clerk.Role = account.RoleClerk
		if _, err := c.Calendar.PreviewArrangement(ctx, clerk, a); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("got %v, want forbidden", err)
		}
	})
}
