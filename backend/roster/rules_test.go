package roster_test

import (
	"testing"
	"time"

	"budayang/backend/calendar"

	"budayang/backend/roster"
)

func TestChecker_EachHardRule(t *testing.T) {
	evening := roster.Shift{ID: "eve", Name: "晚班", Days: []string{roster.DayWorkdayEvening}, Start: "18:00", End: "21:00", People: 1, Weight: 0.5}
	early := roster.Shift{ID: "early", Name: "早班", Days: []string{roster.DayWorkdayEvening}, Start: "06:00", End: "08:00", People: 1, Weight: 0.5}
	night := roster.Shift{ID: "night", Name: "夜班", Days: []string{roster.DayWorkdayEvening}, Start: "22:00", End: "07:00", People: 1, Weight: 1}
	wd := func(date string) roster.Day {
		return roster.Day{Date: date, Kinds: map[string]bool{roster.DayWorkdayEvening: true}}
	}
	on := func(s roster.Shift, date, who, id string) roster.Duty {
		d := s.DutyOn(wd(date))
		d.StaffID, d.ID = who, id
		return d
	}
	a := roster.Person{ID: "a", Name: "甲", Unavailable: []roster.Unavailability{{From: "2026-10-20", To: "2026-10-20", Reason: "培训"}}}
	cases := []struct {
		name  string
		rules roster.Rules
		held  []roster.Duty
		try   roster.Duty
		shift roster.Shift
		want  string
	}{
		{"Free", roster.DefaultRules(), nil, on(evening, "2026-10-12", "a", "x"), evening, ""},
		{"TwoADayWithoutARestRule", roster.Rules{MaxPerDay: 1, MinRestHours: 0, MaxConsecutiveDays: 3},
			[]roster.Duty{on(early, "2026-10-12", "a", "h1")}, on(evening, "2026-10-12", "a", "x"), evening, roster.RulePerDay},
		{"RestBefore", roster.DefaultRules(), []roster.Duty{on(evening, "2026-10-12", "a", "h1")}, on(early, "2026-10-13", "a", "x"), early, roster.RuleRest},
		{"RestAfter", roster.DefaultRules(), []roster.Duty{on(early, "2026-10-13", "a", "h1")}, on(evening, "2026-10-12", "a", "x"), evening, roster.RuleRest},
		{"ElevenHoursIsEnough", roster.DefaultRules(), []roster.Duty{on(night, "2026-10-12", "a", "h1")}, on(evening, "2026-10-13", "a", "x"), evening, ""},
		{"FourthDayAfterThree", roster.DefaultRules(), []roster.Duty{on(evening, "2026-10-12", "a", "h1"), on(evening, "2026-10-13", "a", "h2"), on(evening, "2026-10-14", "a", "h3")},
			on(evening, "2026-10-15", "a", "x"), evening, roster.RuleConsecutive},
		{"GapJoinsTwoRuns", roster.DefaultRules(), []roster.Duty{on(evening, "2026-10-12", "a", "h1"), on(evening, "2026-10-13", "a", "h2"), on(evening, "2026-10-15", "a", "h3")},
			on(evening, "2026-10-14", "a", "x"), evening, roster.RuleConsecutive},
		{"LeaveOnTheDay", roster.DefaultRules(), nil, on(evening, "2026-10-20", "a", "x"), evening, roster.RuleUnavailable},
		{"OvernightIntoLeave", roster.DefaultRules(), nil, on(night, "2026-10-19", "a", "x"), night, roster.RuleUnavailable},
		{"Overlap", roster.DefaultRules(), []roster.Duty{on(night, "2026-10-12", "a", "h1")}, on(night, "2026-10-12", "a", "x"), night, roster.RuleOverlap},
		{"NotRostered", roster.DefaultRules(), nil, on(evening, "2026-10-12", "z", "x"), evening, roster.RuleRole},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := roster.NewChecker(tc.rules, []roster.Person{a}, tc.held).Check(tc.try, tc.shift)
			switch {
			case tc.want == "" && v != nil:
				t.Fatalf("refused: %v", v)
			case tc.want != "" && (v == nil || v.Rule != tc.want):
				t.Fatalf("got %v, want rule %s", v, tc.want)
			case v != nil && v.Message == "":
				t.Fatal("a refusal without a sentence")
			}
		})
	}
}

func TestValidatePeriod_AtMostAQuarterAndNotPast(t *testing.T) {
	today, _ := calendar.ParseDate("2026-09-15")
	today = today.Add(15 * time.Hour)
	cases := []struct {
		name, from, to string
		ok             bool
	}{
		{"Quarter", "2026-10-01", "2026-12-31", true},
		{"Today", "2026-09-15", "2026-09-30", true},
		{"NinetyThreeDays", "2026-10-01", "2027-01-01", false},
		{"Yesterday", "2026-09-14", "2026-09-30", false},
		{"Backwards", "2026-10-02", "2026-10-01", false},
		{"NotADate", "2026-10-1", "2026-10-31", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := roster.ValidatePeriod(tc.from, tc.to, today); (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
