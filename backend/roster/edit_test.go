package roster_test

import (
	"errors"
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"budayang/backend/roster"
)

// Any edit Edit accepts leaves a roster that breaks no rule, and any edit it
// refuses names the rule.
func TestEdit_AcceptedEditsKeepEveryRule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := roster.Input{Rules: roster.DefaultRules(), Shifts: genShifts(t, true), Days: genDays(t), NewID: idGen()}
		for i := rapid.IntRange(1, 8).Draw(t, "persons"); i > 0; i-- {
			in.People = append(in.People, roster.Person{ID: fmt.Sprintf("p%d", i), Name: fmt.Sprintf("人%d", i), Role: rapid.SampledFrom([]string{"duty", "clerk"}).Draw(t, "role"),
				Unavailable: []roster.Unavailability{{From: "2026-10-05", To: "2026-10-08", Reason: "培训"}}[:rapid.IntRange(0, 1).Draw(t, "leave")]})
		}
		duties := roster.Generate(in).Duties
		if len(duties) == 0 {
			return
		}
		for k := rapid.IntRange(1, 20).Draw(t, "edits"); k > 0; k-- {
			x := duties[rapid.IntRange(0, len(duties)-1).Draw(t, "which")]
			who := rapid.SampledFrom(append([]string{""}, ids(in.People)...)).Draw(t, "who")
			got, err := roster.Edit(in.Rules, in.People, in.Shifts, duties, nil, x.ID, who)
			if err != nil {
				var v *roster.Violation
				if !errors.As(err, &v) || v.Rule == "" || v.Message == "" {
					t.Fatalf("refusal without a named rule: %v", err)
				}
				continue
			}
			for i := range duties {
				if duties[i].ID == got.ID {
					duties[i] = got
				}
			}
			if errs := roster.Verify(in.Rules, in.People, in.Shifts, duties); len(errs) > 0 {
				t.Fatalf("accepted edit broke rules: %v", errs)
			}
		}
	})
}

func ids(ps []roster.Person) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestEdit_NamesTheBrokenRule(t *testing.T) {
	shifts := []roster.Shift{
		{ID: "eve", Name: "晚班", Days: []string{roster.DayWorkdayEvening}, Start: "18:00", End: "21:00", People: 1, Weight: 0.5},
		{ID: "day", Name: "白班", Days: []string{roster.DayWeekend}, Start: "08:00", End: "18:00", People: 1, Weight: 1, Role: "duty"},
		{ID: "late", Name: "通宵", Days: []string{roster.DayWorkdayEvening}, Start: "22:00", End: "07:00", People: 1, Weight: 1},
	}
	people := []roster.Person{
		{ID: "a", Name: "甲", Role: "duty"},
		{ID: "b", Name: "乙", Role: "duty", Unavailable: []roster.Unavailability{{From: "2026-10-12", To: "2026-10-12", Reason: "病假"}}},
		{ID: "c", Name: "丙", Role: "clerk"},
	}
	wd := func(date string) roster.Day {
		return roster.Day{Date: date, Kinds: map[string]bool{roster.DayWorkdayEvening: true}}
	}
	we := roster.Day{Date: "2026-10-17", Kinds: map[string]bool{roster.DayWeekend: true}}
	mk := func(id string, s roster.Shift, day roster.Day, who string) roster.Duty {
		d := s.DutyOn(day)
		d.ID, d.StaffID = id, who
		return d
	}
	duties := []roster.Duty{
		mk("n12", shifts[0], wd("2026-10-12"), "a"),
		mk("n13", shifts[0], wd("2026-10-13"), "a"),
		mk("n14", shifts[0], wd("2026-10-14"), "a"),
		mk("n15", shifts[0], wd("2026-10-15"), ""),
		mk("l16", shifts[2], wd("2026-10-16"), "b"),
		mk("d17", shifts[1], we, ""),
	}
	cases := []struct {
		name, aid, who, rule string
	}{
		{"Leave", "n12", "b", roster.RuleUnavailable},
		{"FourInARow", "n15", "a", roster.RuleConsecutive},
		{"FreeAfterThreeEvenings", "d17", "a", ""},
		{"RoleRequired", "d17", "c", roster.RuleRole},
		{"OvernightThenMorning", "d17", "b", roster.RuleRest},
		{"TwoInOneEvening", "l16", "c", ""},
		{"Overlap", "n15", "b", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := roster.Edit(roster.DefaultRules(), people, shifts, duties, nil, tc.aid, tc.who)
			var v *roster.Violation
			if tc.rule == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.As(err, &v) || v.Rule != tc.rule {
				t.Fatalf("err = %v, want rule %s", err, tc.rule)
			}
		})
	}
}
