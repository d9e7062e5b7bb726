package roster_test

import (
	"fmt"
	"testing"

	"budayang/backend/calendar"
	"budayang/backend/roster"
)

// BenchmarkGenerate drafts a quarter (Q4 2026, National Day included) for a
// county: 440 sites (400 village rooms, 40 centres) and 4,000 people, each
// site its own roster. Target: under 1 s per op. It reports the worst
// fairness spread reached among people of equal availability.
func BenchmarkGenerate(b *testing.B) {
	arrs, err := calendar.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	from, _ := calendar.ParseDate("2026-10-01")
	to, _ := calendar.ParseDate("2026-12-31")
	days := roster.DaysOf(calendar.Rules{Legal: calendar.NewLegal(arrs...)}, from, to)
	shifts := []roster.Shift{
		{ID: "evening", Name: "工作日晚班", Days: []string{roster.DayWorkdayEvening}, Start: "18:00", End: "21:00", People: 1},
		{ID: "day", Name: "节假日白班", Days: []string{roster.DayWeekend, roster.DayHoliday}, Start: "08:30", End: "18:00", People: 2},
	}
	if err := roster.ValidateShifts(shifts, idGen()); err != nil {
		b.Fatal(err)
	}
	const sites, people = 440, 4000
	staff := make([][]roster.Person, sites)
	for i := 0; i < people; i++ {
		s := i % sites
		p := roster.Person{ID: fmt.Sprintf("p%04d", i), Role: "duty"}
		if i%7 == 0 {
			p.Unavailable = []roster.Unavailability{{From: "2026-11-02", To: "2026-11-06", Reason: "培训"}}
		}
		staff[s] = append(staff[s], p)
	}
	spread := 0.0
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		spread = 0
		for s := 0; s < sites; s++ {
			d := roster.Generate(roster.Input{Rules: roster.DefaultRules(), Shifts: shifts, People: staff[s], Days: days, NewID: idGen()})
			load := map[string]float64{}
			for _, x := range d.Duties {
				load[x.StaffID] += x.Weight
			}
			spread = max(spread, roster.Spread(staff[s], load))
		}
	}
	b.ReportMetric(spread, "spread")
	b.Logf("%d people in %d sites, %d days: worst fairness spread %.2f", people, sites, len(days), spread)
}
