package calendar_test

import (
	"context"
	"reflect"
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/calendar"
)

const warn2027 = "2027年节假日安排尚未导入，暂按周末休息计算"

func TestRules_Warnings(t *testing.T) {
	r := calendar.Rules{Legal: calendar.NewLegal(calendar.Arrangement{Year: 2026})}
	for _, tc := range []struct {
		name     string
		from, to string
		want     []string
	}{
		{"InsideAKnownYear", "2026-03-01", "2026-12-31", []string{}},
		{"IntoAMissingYear", "2026-12-31", "2027-01-01", []string{warn2027}},
		{"EitherOrder", "2027-01-01", "2026-12-31", []string{warn2027}},
		{"EveryMissingYear", "2026-12-31", "2028-01-03", []string{warn2027, "2028年节假日安排尚未导入，暂按周末休息计算"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Warnings(date(t, tc.from), date(t, tc.to)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// The built-in calendar holds 2026, not 2027.
func TestService_WorkingDays(t *testing.T) {
	c, admin := openSite(t)
	ctx := context.Background()
	ask := func(t *testing.T, q calendar.WorkingDaysQuery, wantDate string, wantDays int, want []string) {
		t.Helper()
		got, err := c.Calendar.WorkingDays(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got.Date != wantDate || (got.WorkingDays != nil && *got.WorkingDays != wantDays) || !reflect.DeepEqual(got.Warnings, want) {
			t.Errorf("%+v: got %s %v %v, want %s %d %v", q, got.Date, got.WorkingDays, got.Warnings, wantDate, wantDays, want)
		}
	}
	t.Run("WeekendsOnlyIn2027", func(t *testing.T) {
		ask(t, calendar.WorkingDaysQuery{From: "2026-12-31", Add: "1"}, "2027-01-01", 0, []string{warn2027})
		ask(t, calendar.WorkingDaysQuery{From: "2026-12-31", Add: "0"}, "2026-12-31", 0, []string{})
		ask(t, calendar.WorkingDaysQuery{From: "2026-12-31", To: "2027-01-04"}, "", 2, []string{warn2027})
	})
	t.Run("Refusals", func(t *testing.T) {
		for _, q := range []calendar.WorkingDaysQuery{{From: "2026-13-01", Add: "1"}, {From: "2026-12-31", Add: "367"}, {From: "2026-12-31", To: "2028-01-02"}, {From: "2026-12-31"}} {
			if _, err := c.Calendar.WorkingDays(ctx, q); apperr.Code(err) != apperr.Invalid {
				t.Errorf("%+v: got %v, want invalid", q, err)
			}
		}
	})
	t.Run("After2027IsStored", func(t *testing.T) {
		a := calendar.Arrangement{Year: 2027, Notice: "测试用（非正式通知）", Holidays: []calendar.Period{{Name: "元旦", From: "2027-01-01", To: "2027-01-03"}}}
		if _, err := c.Calendar.ImportArrangement(ctx, admin, a); err != nil {
			t.Fatal(err)
		}
		ask(t, calendar.WorkingDaysQuery{From: "2026-12-31", Add: "1"}, "2027-01-04", 0, []string{})
		ask(t, calendar.WorkingDaysQuery{From: "2026-12-31", To: "2027-01-04"}, "", 1, []string{})
	})
}
