package calendar_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"budayang/backend/calendar"
	"budayang/backend/clock"
)

func date(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// rules2026 are the built-in arrangements with default office hours.
func rules2026(t testing.TB) calendar.Rules {
	t.Helper()
	arrs, err := calendar.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return calendar.Rules{Legal: calendar.NewLegal(arrs...), Office: calendar.DefaultOfficeHours()}
}

func TestLegal_2026Arrangement(t *testing.T) {
	r := rules2026(t)
	tests := []struct {
		name, date string
		workday    bool
		holiday    string
		adjusted   bool
	}{
		{"NewYearSunday", "2026-01-04", true, "", true},
		{"NewYearDay", "2026-01-01", false, "元旦", false},
		{"SpringFestivalSaturdayBefore", "2026-02-14", true, "", true},
		{"SpringFestivalFirstDay", "2026-02-15", false, "春节", false},
		{"SpringFestivalSaturdayInside", "2026-02-21", false, "春节", false},
		{"SpringFestivalLastDayMonday", "2026-02-23", false, "春节", false},
		{"SpringFestivalBackToWork", "2026-02-24", true, "", false},
		{"SpringFestivalSaturdayAfter", "2026-02-28", true, "", true},
		{"QingmingMonday", "2026-04-06", false, "清明节", false},
		{"LabourDayFirst", "2026-05-01", false, "劳动节", false},
		{"LabourDayTuesday", "2026-05-05", false, "劳动节", false},
		{"LabourDayBackToWork", "2026-05-06", true, "", false},
		{"LabourDaySaturday", "2026-05-09", true, "", true},
		{"LabourDaySundayAfter", "2026-05-10", false, "", false},
		{"DragonBoatFriday", "2026-06-19", false, "端午节", false},
		{"NationalDaySundayBefore", "2026-09-20", true, "", true},
		{"MidAutumnFriday", "2026-09-25", false, "中秋节", false},
		{"NationalDayFirst", "2026-10-01", false, "国庆节", false},
		{"NationalDayLast", "2026-10-07", false, "国庆节", false},
		{"NationalDayBackToWork", "2026-10-08", true, "", false},
		{"NationalDaySaturdayAfter", "2026-10-10", true, "", true},
		{"NationalDaySundayAfter", "2026-10-11", false, "", false},
		{"OrdinaryWednesday", "2026-11-25", true, "", false},
		{"OrdinarySaturday", "2026-11-28", false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := r.Day(date(t, tt.date))
			if d.Workday != tt.workday || d.Holiday != tt.holiday || d.AdjustedWorkday != tt.adjusted || d.Warning != "" {
				t.Fatalf("got workday=%v holiday=%q adjusted=%v warning=%q, want %v %q %v",
					d.Workday, d.Holiday, d.AdjustedWorkday, d.Warning, tt.workday, tt.holiday, tt.adjusted)
			}
			if open := d.Open(); open != tt.workday {
				t.Errorf("open: got %v, want %v (hours %v)", open, tt.workday, d.Hours)
			}
		})
	}
}

// The shipped 2026 file says what lunar-go's own table (added in v1.4.6) says.
func TestBuiltin_2026MatchesLunarGo(t *testing.T) {
	r := rules2026(t)
	list := HolidayUtil.GetHolidaysByYear(2026)
	if list.Len() == 0 {
		t.Skip("lunar-go has no 2026 data")
	}
	for e := list.Front(); e != nil; e = e.Next() {
		h := e.Value.(*HolidayUtil.Holiday)
		d := r.Day(date(t, h.GetDay()))
		if h.IsWork() != d.Workday || h.IsWork() != d.AdjustedWorkday {
			t.Errorf("%s %s work=%v: got workday=%v adjusted=%v", h.GetDay(), h.GetName(), h.IsWork(), d.Workday, d.AdjustedWorkday)
		}
	}
	weekdaysOff := 0
	for d := date(t, "2026-01-01"); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		day := r.Day(d)
		if day.Holiday != "" && day.Weekday <= 5 {
			weekdaysOff++
		}
	}
	// 元旦2 + 春节6 + 清明1 + 劳动节3 + 端午1 + 中秋1 + 国庆5 weekdays off.
	if weekdaysOff != 19 {
		t.Errorf("weekdays off in 2026: got %d, want 19", weekdaysOff)
	}
}

func TestRules_YearWithoutArrangement(t *testing.T) {
	r := rules2026(t)
	tests := []struct {
		date    string
		workday bool
	}{
		{"2027-01-01", true}, // a Friday: New Year's Day is unknown until the notice arrives
		{"2027-01-02", false},
		{"2027-10-01", true},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			d := r.Day(date(t, tt.date))
			if d.Workday != tt.workday || d.Holiday != "" {
				t.Errorf("got workday=%v holiday=%q, want %v", d.Workday, d.Holiday, tt.workday)
			}
			if d.Warning != "2027年节假日安排尚未导入，暂按周末休息计算" {
				t.Errorf("warning: got %q", d.Warning)
			}
		})
	}
	if w := r.Day(date(t, "2025-10-01")).Warning; w != "" {
		t.Errorf("2025 comes from lunar-go, got warning %q", w)
	}
	if h := r.Day(date(t, "2025-10-08")).Holiday; h == "" {
		t.Errorf("2025-10-08: want a holiday from lunar-go")
	}
}

func TestRules_MarketDay(t *testing.T) {
	market := calendar.MarketRule{Kind: calendar.MarketSolar, Days: calendar.DigitRule(1, 4, 7),
		Hours: []calendar.WeeklySpan{{Start: "08:00", End: "12:00"}, {Start: "13:30", End: "17:30"}}}
	t.Run("DigitRule", func(t *testing.T) {
		if got, want := calendar.DigitRule(1, 4, 7), []int{1, 4, 7, 11, 14, 17, 21, 24, 27, 31}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("OnAWorkdayKeepsMarketHours", func(t *testing.T) {
		r := rules2026(t)
		r.Market = market
		d := r.Day(date(t, "2026-11-24"))
		if !d.MarketDay || !d.Workday || len(d.Hours) != 2 || d.Hours[0].Start != "08:00" || d.Hours[0].Kind != calendar.KindMarket {
			t.Errorf("got %+v", d)
		}
		if d := r.Day(date(t, "2026-11-25")); d.MarketDay || d.Hours[0].Kind != calendar.KindOffice {
			t.Errorf("25th: got %+v", d)
		}
	})
	t.Run("FallingOnAHolidayIsClosed", func(t *testing.T) {
		r := rules2026(t)
		r.Market = market
		d := r.Day(date(t, "2026-10-01"))
		if !d.MarketDay || d.Workday || d.Holiday != "国庆节" || d.Open() {
			t.Errorf("got %+v", d)
		}
	})
	t.Run("FallingOnAHolidayOpenWhenRuleSaysSo", func(t *testing.T) {
		r := rules2026(t)
		m := market
		m.OpenOnRestDays = true
		r.Market = m
		d := r.Day(date(t, "2026-10-04"))
		if !d.MarketDay || d.Workday || len(d.Hours) != 2 || d.Hours[0].Kind != calendar.KindMarket {
			t.Errorf("got %+v", d)
		}
		if ok := r.IsWorkday(date(t, "2026-10-04")); ok {
			t.Error("an open market holiday must not count as a working day")
		}
	})
}

func TestMarketRule_LunarAcrossLeapMonth(t *testing.T) {
	// 2025 has a leap sixth month (闰六月, 29 days) from 25 July to 22 August.
	rule := calendar.MarketRule{Kind: calendar.MarketLunar, Days: []int{1, 15, 30}}
	var got []string
	for d := date(t, "2025-06-20"); d.Before(date(t, "2025-09-25")); d = d.AddDate(0, 0, 1) {
		if rule.Matches(d) {
			got = append(got, calendar.FormatDate(d)+" "+calendar.LunarString(d))
		}
	}
	want := []string{
		"2025-06-25 六月初一", "2025-07-09 六月十五", "2025-07-24 六月三十",
		"2025-07-25 闰六月初一", "2025-08-08 闰六月十五", // the leap month has no 三十
		"2025-08-23 七月初一", "2025-09-06 七月十五", "2025-09-21 七月三十", "2025-09-22 八月初一",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestRules_ExtendedHours(t *testing.T) {
	r := rules2026(t)
	r.Extended = []calendar.ExtendedWindow{
		{ID: "sun", Name: "周日上午", Weekdays: []int{7}, Start: "09:00", End: "12:00"},
		{ID: "farm", Name: "农忙早间", Weekdays: []int{1, 2, 3, 4, 5, 6}, SeasonFrom: "05-01", SeasonTo: "06-15", Start: "07:00", End: "08:30"},
		{ID: "winter", Name: "冬季晚间", Weekdays: []int{2}, SeasonFrom: "11-15", SeasonTo: "02-15", Start: "18:00", End: "20:00"},
	}
	t.Run("OnASunday", func(t *testing.T) {
		d := r.Day(date(t, "2026-11-29"))
		if d.Workday || len(d.Hours) != 1 || !d.Hours[0].AppointmentOnly || d.Hours[0].Name != "周日上午" || d.Hours[0].Start != "09:00" {
			t.Errorf("got %+v", d)
		}
	})
	t.Run("NotOnAHolidaySunday", func(t *testing.T) {
		if d := r.Day(date(t, "2026-10-04")); d.Open() {
			t.Errorf("got %+v", d.Hours)
		}
	})
	t.Run("FarmingSeasonMorningBeforeOffice", func(t *testing.T) {
		d := r.Day(date(t, "2026-05-20"))
		if len(d.Hours) != 3 || d.Hours[0].Kind != calendar.KindExtended || d.Hours[1].Kind != calendar.KindOffice {
			t.Errorf("got %+v", d.Hours)
		}
		if d := r.Day(date(t, "2026-07-01")); len(d.Hours) != 2 {
			t.Errorf("out of season: got %+v", d.Hours)
		}
	})
	t.Run("SeasonWrappingTheNewYear", func(t *testing.T) {
		for _, tt := range []struct {
			date string
			n    int
		}{{"2026-12-01", 3}, {"2027-01-12", 3}, {"2026-03-03", 2}} {
			if d := r.Day(date(t, tt.date)); len(d.Hours) != tt.n {
				t.Errorf("%s: got %d spans %+v, want %d", tt.date, len(d.Hours), d.Hours, tt.n)
			}
		}
	})
}

func TestRules_Override(t *testing.T) {
	r := rules2026(t)
	r.Overrides = map[string]calendar.Override{
		"2026-11-26": {Date: "2026-11-26", Kind: calendar.OverrideClosed, Reason: "停电"},
		"2026-11-28": {Date: "2026-11-28", Kind: calendar.OverrideOpen, Reason: "社保集中认证"},
	}
	if d := r.Day(date(t, "2026-11-26")); d.Workday || d.Open() || !strings.Contains(d.ClosedReason(), "停电") {
		t.Errorf("closed: got %+v", d)
	}
	if d := r.Day(date(t, "2026-11-28")); !d.Workday || len(d.Hours) != 2 {
		t.Errorf("opened Saturday: got %+v", d)
	}
}

func TestRules_AddWorkingDays(t *testing.T) {
	r := rules2026(t)
	r.Overrides = map[string]calendar.Override{"2026-11-26": {Date: "2026-11-26", Kind: calendar.OverrideClosed, Reason: "停电"}}
	at := func(s string) time.Time { return date(t, s).Add(10 * time.Hour) }
	tests := []struct {
		name string
		from time.Time
		n    int
		want string
	}{
		{"AcrossNationalDay", at("2026-09-30"), 1, "2026-10-08"},
		{"AcrossNationalDayOntoAdjustedSaturday", at("2026-09-30"), 3, "2026-10-10"},
		{"OntoAdjustedSundayBeforeNationalDay", at("2026-09-18"), 1, "2026-09-20"},
		{"AcrossSpringFestival", at("2026-02-13"), 2, "2026-02-24"},
		{"FifteenDaysAcrossLabourDay", at("2026-04-24"), 15, "2026-05-19"},
		{"ZeroOnAWorkday", at("2026-11-25"), 0, "2026-11-25"},
		{"ZeroOnAHoliday", at("2026-10-03"), 0, "2026-10-08"},
		{"SkipsASiteClosure", at("2026-11-25"), 1, "2026-11-27"},
		{"BackwardsAcrossNationalDay", at("2026-10-08"), -1, "2026-09-30"},
		{"LateEveningIsStillThatDay", time.Date(2026, 9, 30, 23, 30, 0, 0, clock.Shanghai), 1, "2026-10-08"},
		{"UTCInstantTakesTheShanghaiDate", time.Date(2026, 9, 30, 16, 30, 0, 0, time.UTC), 0, "2026-10-08"},
		{"IntoAYearWithoutArrangement", at("2026-12-31"), 1, "2027-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := r.AddWorkingDays(tt.from, tt.n)
			if !ok || calendar.FormatDate(got) != tt.want {
				t.Fatalf("got %s (%v), want %s", calendar.FormatDate(got), ok, tt.want)
			}
			if got.Location() != clock.Shanghai || got.Hour() != 0 {
				t.Errorf("got %v, want 00:00 Asia/Shanghai", got)
			}
		})
	}
}

func TestRules_WorkingDaysBetween(t *testing.T) {
	r := rules2026(t)
	t.Run("AcrossNationalDay", func(t *testing.T) {
		if got := r.WorkingDaysBetween(date(t, "2026-09-30"), date(t, "2026-10-08")); got != 1 {
			t.Errorf("got %d, want 1", got)
		}
	})
	t.Run("Backwards", func(t *testing.T) {
		if got := r.WorkingDaysBetween(date(t, "2026-10-08"), date(t, "2026-09-30")); got != -1 {
			t.Errorf("got %d, want -1", got)
		}
	})
	t.Run("InverseOfAddWorkingDays", func(t *testing.T) {
		for from := date(t, "2026-01-01"); from.Year() == 2026; from = from.AddDate(0, 0, 7) {
			for n := 1; n <= 25; n += 6 {
				to, _ := r.AddWorkingDays(from, n)
				if got := r.WorkingDaysBetween(from, to); got != n {
					t.Fatalf("from %s +%d = %s: between got %d", calendar.FormatDate(from), n, calendar.FormatDate(to), got)
				}
			}
		}
	})
}

func TestArrangement_Validate(t *testing.T) {
	ok := func() calendar.Arrangement {
		return calendar.Arrangement{Year: 2027, Holidays: []calendar.Period{{Name: "元旦", From: "2027-01-01", To: "2027-01-03"}},
			Workdays: []calendar.AdjustedDay{{Date: "2027-01-09", Name: "元旦"}}}
	}
	tests := []struct {
		name   string
		change func(a *calendar.Arrangement)
		want   string
	}{
		{"Valid", func(a *calendar.Arrangement) {}, ""},
		{"NoHolidays", func(a *calendar.Arrangement) { a.Holidays = nil }, "没有任何节假日"},
		{"BadYear", func(a *calendar.Arrangement) { a.Year = 1999 }, "年份"},
		{"MalformedDate", func(a *calendar.Arrangement) { a.Holidays[0].To = "2027-1-3" }, "YYYY-MM-DD"},
		{"Backwards", func(a *calendar.Arrangement) { a.Holidays[0].From = "2027-01-05" }, "不正确"},
		{"OtherYear", func(a *calendar.Arrangement) { a.Holidays[0].From, a.Holidays[0].To = "2028-05-01", "2028-05-02" }, "不在2027年"},
		{"Overlap", func(a *calendar.Arrangement) {
			a.Holidays = append(a.Holidays, calendar.Period{Name: "春节", From: "2027-01-03", To: "2027-01-04"})
		}, "同时属于"},
		{"WorkdayOnAWeekday", func(a *calendar.Arrangement) { a.Workdays[0].Date = "2027-01-06" }, "不是周末"},
		{"WorkdayInsideHoliday", func(a *calendar.Arrangement) { a.Workdays[0].Date = "2027-01-02" }, "既是"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok()
			tt.change(&a)
			err := a.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestOfficeHours_Validate(t *testing.T) {
	tests := []struct {
		name  string
		hours calendar.OfficeHours
		want  string
	}{
		{"Default", calendar.DefaultOfficeHours(), ""},
		{"BadWeekday", calendar.OfficeHours{{Weekday: 8, Start: "08:00", End: "12:00"}}, "星期"},
		{"BadClock", calendar.OfficeHours{{Weekday: 1, Start: "8:00", End: "12:00"}}, "HH:MM"},
		{"EndBeforeStart", calendar.OfficeHours{{Weekday: 1, Start: "12:00", End: "08:00"}}, "应早于"},
		{"LunchOverlap", calendar.OfficeHours{{Weekday: 1, Start: "08:00", End: "12:30"}, {Weekday: 1, Start: "12:00", End: "17:00"}}, "重叠"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.hours.Validate()
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLunarString(t *testing.T) {
	if got := calendar.LunarString(date(t, "2026-02-17")); got != "正月初一" {
		t.Errorf("got %q, want 正月初一", got)
	}
}

// A year of days, as GET /calendar and the month view ask for.
func BenchmarkRules_DayYear(b *testing.B) {
	r := rules2026(b)
	r.Market = calendar.MarketRule{Kind: calendar.MarketLunar, Days: []int{1, 15}}
	from := date(b, "2026-01-01")
	for b.Loop() {
		for i := range 366 {
			r.Day(from.AddDate(0, 0, i))
		}
	}
}
