package report_test

import (
	"reflect"
	"testing"

	"pgregory.net/rapid"

	"budayang/backend/report"
)

// TestComputePeriod_TalliedTicketsCountAsRows: the report's loader tallies
// tickets by group instead of keeping a row each; every dimension must give
// the same figures either way, whatever the tickets.
func TestComputePeriod_TalliedTicketsCountAsRows(t *testing.T) {
	staff := []report.StaffRow{{ID: "s1", Login: "wang", Name: "王", Role: "clerk", Active: true},
		{ID: "s2", Login: "li", Name: "李", Role: "clerk", Active: true}}
	p := report.Period{From: "2026-11-01", To: "2026-11-30"}
	rapid.Check(t, func(t *rapid.T) {
		tickets := rapid.SliceOf(rapid.Custom(func(t *rapid.T) report.PeriodTicket {
			wait := rapid.IntRange(-1, 3600).Draw(t, "wait")
			handle := -1
			if wait >= 0 {
				handle = rapid.IntRange(-1, 3600).Draw(t, "handle")
			}
			return report.PeriodTicket{
				Status:        rapid.SampledFrom([]string{"completed", "no_show", "called", "held", "skipped"}).Draw(t, "status"),
				ServedBy:      rapid.SampledFrom([]string{"", "wang", "li", "gone"}).Draw(t, "served_by"),
				Window:        rapid.IntRange(0, 3).Draw(t, "window"),
				Line:          rapid.SampledFrom([]string{"A", "B"}).Draw(t, "line"),
				WaitSeconds:   wait,
				HandleSeconds: handle,
			}
		})).Draw(t, "tickets")
		// Some tickets come as rows, the rest tallied, as a mix must count too.
		split := rapid.IntRange(0, len(tickets)).Draw(t, "split")
		tallied := report.TicketTallies{}
		for _, tk := range tickets[split:] {
			tallied.Add(tk)
		}
		for _, by := range []string{report.ByStaff, report.ByWindow, report.ByLine} {
			rows := report.ComputePeriod(report.PeriodInput{Staff: staff, Tickets: tickets}, p, by)
			mixed := report.ComputePeriod(report.PeriodInput{Staff: staff, Tickets: tickets[:split], TicketTallies: tallied}, p, by)
			if !reflect.DeepEqual(rows, mixed) {
				t.Fatalf("by %s: rows give %+v, tallies give %+v", by, rows, mixed)
			}
		}
	})
}
