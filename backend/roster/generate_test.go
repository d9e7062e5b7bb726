package roster_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"budayang/backend/calendar"
	"budayang/backend/roster"
)

var kinds = []string{roster.DayWorkdayEvening, roster.DayWeekend, roster.DayHoliday, roster.DayMarket}

func idGen() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("id%05d", n) }
}

func genDays(t *rapid.T) []roster.Day {
	n := rapid.IntRange(1, 45).Draw(t, "days")
	start, _ := calendar.ParseDate("2026-10-01")
	var out []roster.Day
	for i := 0; i < n; i++ {
		d := roster.Day{Date: calendar.FormatDate(start.AddDate(0, 0, i)), Kinds: map[string]bool{}}
		k := rapid.SampledFrom(kinds[:3]).Draw(t, "kind")
		d.Kinds[k] = true
		if k == roster.DayHoliday && rapid.Bool().Draw(t, "spring") {
			d.Holiday = roster.SpringFestival
		}
		if rapid.IntRange(0, 4).Draw(t, "market") == 0 {
			d.Kinds[roster.DayMarket] = true
		}
		out = append(out, d)
	}
	return out
}

func genShifts(t *rapid.T, roles bool) []roster.Shift {
	n := rapid.IntRange(1, 3).Draw(t, "shifts")
	var out []roster.Shift
	for i := 0; i < n; i++ {
		s := roster.Shift{
			ID:     fmt.Sprintf("s%d", i),
			Name:   fmt.Sprintf("班次%d", i),
			Days:   []string{rapid.SampledFrom(kinds).Draw(t, "on")},
			Start:  fmt.Sprintf("%02d:00", rapid.IntRange(0, 23).Draw(t, "start")),
			End:    fmt.Sprintf("%02d:30", rapid.IntRange(0, 23).Draw(t, "end")),
			People: rapid.IntRange(1, 2).Draw(t, "people"),
		}
		if rapid.Bool().Draw(t, "second") {
			s.Days = append(s.Days, rapid.SampledFrom(kinds).Draw(t, "on2"))
		}
		if roles && rapid.IntRange(0, 3).Draw(t, "hasrole") == 0 {
			s.Role = "duty"
		}
		out = append(out, s)
	}
	if err := roster.ValidateShifts(out, idGen()); err != nil {
		t.Fatal(err)
	}
	return out
}

func checkShape(t *rapid.T, in roster.Input, d roster.Draft) {
	want := 0
	for _, day := range in.Days {
		for _, s := range in.Shifts {
			if s.Applies(day) {
				want += s.People
			}
		}
	}
	if len(d.Duties) != want {
		t.Fatalf("draft has %d places, the shifts need %d", len(d.Duties), want)
	}
	vacant, missing := 0, 0
	for _, x := range d.Duties {
		if x.StaffID == "" {
			vacant++
		}
	}
	for _, u := range d.Unfilled {
		missing += u.Missing
		if u.Reason == "" {
			t.Fatalf("unfilled %s %s has no reason", u.Date, u.ShiftID)
		}
	}
	if vacant != missing {
		t.Fatalf("%d vacant places but unfilled names %d", vacant, missing)
	}
}

func TestGenerate_NeverBreaksAHardRule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		days := genDays(t)
		in := roster.Input{Rules: roster.DefaultRules(), Shifts: genShifts(t, true), Days: days, NewID: idGen()}
		n := rapid.IntRange(0, 10).Draw(t, "persons")
		for i := 0; i < n; i++ {
			p := roster.Person{ID: fmt.Sprintf("p%02d", i), Name: fmt.Sprintf("人%d", i), Role: rapid.SampledFrom([]string{"duty", "clerk"}).Draw(t, "role")}
			for j := rapid.IntRange(0, 2).Draw(t, "leaves"); j > 0; j-- {
				a := rapid.IntRange(0, len(days)-1).Draw(t, "leaveFrom")
				b := a + rapid.IntRange(0, 6).Draw(t, "leaveLen")
				if b >= len(days) {
					b = len(days) - 1
				}
				p.Unavailable = append(p.Unavailable, roster.Unavailability{From: days[a].Date, To: days[b].Date, Reason: "请假"})
			}
			p.Carry = float64(rapid.IntRange(0, 6).Draw(t, "carry")) / 2
			in.People = append(in.People, p)
		}
		d := roster.Generate(in)
		checkShape(t, in, d)
		if errs := roster.Verify(in.Rules, in.People, in.Shifts, d.Duties); len(errs) > 0 {
			t.Fatalf("generated roster breaks rules: %v", errs)
		}
	})
}

func TestGenerate_FairForEqualAvailability(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		shifts := genShifts(t, false)
		perDay := 0
		for _, s := range shifts {
			perDay += s.People
		}
		in := roster.Input{Rules: roster.DefaultRules(), Shifts: shifts, Days: genDays(t), NewID: idGen()}
		n := rapid.IntRange(3*perDay, 3*perDay+8).Draw(t, "persons")
		for i := 0; i < n; i++ {
			in.People = append(in.People, roster.Person{ID: fmt.Sprintf("p%02d", i), Role: "duty"})
		}
		d := roster.Generate(in)
		if len(d.Unfilled) > 0 {
			t.Fatalf("with %d people for %d places a day, unfilled: %+v", n, perDay, d.Unfilled)
		}
		load, maxW := map[string]float64{}, 0.0
		for _, x := range d.Duties {
			load[x.StaffID] += x.Weight
			if x.Weight > maxW {
				maxW = x.Weight
			}
		}
		if s := roster.Spread(in.People, load); s > maxW+1e-9 {
			t.Fatalf("spread %.2f exceeds one duty's weight %.2f; loads %v", s, maxW, load)
		}
	})
}

func TestGenerate_CarriesLoadOver(t *testing.T) {
	days := []roster.Day{}
	start, _ := calendar.ParseDate("2026-10-03")
	for i := 0; i < 2; i++ {
		days = append(days, roster.Day{Date: calendar.FormatDate(start.AddDate(0, 0, 7*i)), Kinds: map[string]bool{roster.DayWeekend: true}})
	}
	shifts := []roster.Shift{{ID: "w", Name: "周末", Days: []string{roster.DayWeekend}, Start: "08:00", End: "20:00", People: 1, Weight: 1}}
	people := []roster.Person{{ID: "a", Carry: 1}, {ID: "b", Carry: 0}, {ID: "c", Carry: 1}}
	d := roster.Generate(roster.Input{Rules: roster.DefaultRules(), Shifts: shifts, People: people, Days: days, NewID: idGen()})
	if d.Duties[0].StaffID != "b" {
		t.Fatalf("the person who carried the least load should go first, got %s", d.Duties[0].StaffID)
	}
	if d.Duties[1].StaffID != "a" {
		t.Fatalf("then the next least loaded by id, got %s", d.Duties[1].StaffID)
	}
}

func TestGenerate_NamesWhyAShiftIsUnfilled(t *testing.T) {
	day := roster.Day{Date: "2026-10-03", Kinds: map[string]bool{roster.DayWeekend: true}}
	shifts := []roster.Shift{{ID: "w", Name: "周末", Days: []string{roster.DayWeekend}, Start: "08:00", End: "20:00", People: 2, Weight: 1}}
	cases := []struct {
		name   string
		shift  func(*roster.Shift)
		people []roster.Person
		want   string
	}{
		{"NoOne", nil, nil, "没有可排班的人员"},
		{"OnLeave", nil, []roster.Person{{ID: "a", Unavailable: []roster.Unavailability{{From: "2026-10-01", To: "2026-10-07", Reason: "年假"}}}}, "请假或不可值班2人次"},
		{"NoRole", func(s *roster.Shift) { s.Role = "duty" }, []roster.Person{{ID: "a", Role: "clerk"}}, "没有岗位为"},
		{"SamePersonTwice", nil, []roster.Person{{ID: "a"}}, "时间重叠1人次"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ss := append([]roster.Shift(nil), shifts...)
			if tc.shift != nil {
				tc.shift(&ss[0])
			}
			d := roster.Generate(roster.Input{Rules: roster.DefaultRules(), Shifts: ss, People: tc.people, Days: []roster.Day{day}, NewID: idGen()})
			if len(d.Unfilled) != 1 || !strings.Contains(d.Unfilled[0].Reason, tc.want) {
				t.Fatalf("unfilled = %+v, want a reason with %q", d.Unfilled, tc.want)
			}
		})
	}
}

func TestShift_DutyOnWeighsTheDay(t *testing.T) {
	evening := roster.Shift{ID: "e", Name: "夜班", Days: []string{roster.DayWorkdayEvening}, Start: "18:00", End: "08:00", People: 1}
	weekend := roster.Shift{ID: "w", Name: "白班", Days: []string{roster.DayWeekend, roster.DayHoliday}, Start: "08:00", End: "18:00", People: 1}
	ss := []roster.Shift{evening, weekend}
	if err := roster.ValidateShifts(ss, idGen()); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		shift roster.Shift
		day   roster.Day
		want  float64
		hours time.Duration
	}{
		{"WorkdayEveningOvernight", ss[0], roster.Day{Date: "2026-10-09", Kinds: map[string]bool{roster.DayWorkdayEvening: true}}, 0.5, 14 * time.Hour},
		{"Weekend", ss[1], roster.Day{Date: "2026-10-17", Kinds: map[string]bool{roster.DayWeekend: true}}, 1, 10 * time.Hour},
		{"NationalDay", ss[1], roster.Day{Date: "2026-10-01", Holiday: "国庆节", Kinds: map[string]bool{roster.DayHoliday: true}}, 2, 10 * time.Hour},
		{"SpringFestival", ss[1], roster.Day{Date: "2026-02-17", Holiday: roster.SpringFestival, Kinds: map[string]bool{roster.DayHoliday: true}}, 3, 10 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.shift.DutyOn(tc.day)
			if d.Weight != tc.want || d.End.Sub(d.Start) != tc.hours {
				t.Fatalf("weight %.1f for %v, want %.1f for %v", d.Weight, d.End.Sub(d.Start), tc.want, tc.hours)
			}
		})
	}
}
