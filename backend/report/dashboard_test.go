package report_test

import (
	"reflect"
	"testing"
	"time"

	"budayang/backend/clock"
	"budayang/backend/report"
)

// at is a time of the fixture's day, 2026-11-25 (a Wednesday), in Shanghai.
func at(hm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", "2026-11-25 "+hm, clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// handDay is a small day computed by hand in the comments of
// TestComputeDashboard_HandComputedDay.
func handDay() report.DashboardInput {
	var zero time.Time
	return report.DashboardInput{
		Now: at("11:00"), Today: "2026-11-25", NextWorkday: "2026-11-26",
		Lines:   []report.LineName{{Prefix: "A", Name: "综合业务"}, {Prefix: "B", Name: "社保医保"}, {Prefix: "C", Name: "不动产"}},
		Windows: []report.WindowName{{Number: 1, Name: "1号窗口"}, {Number: 2, Name: "2号窗口"}, {Number: 3, Name: "3号窗口"}},
		Tickets: []report.TicketRow{
			{Line: "A", Status: "completed", Window: 1, IssuedAt: at("09:00"), CalledAt: at("09:05"), CompletedAt: at("09:15")},                    // wait 300 s, handling 600 s
			{Line: "A", Status: "completed", Window: 1, IssuedAt: at("09:01"), CalledAt: at("09:16"), CompletedAt: at("09:20")},                    // 900, 240
			{Line: "B", Status: "completed", Window: 2, Transferred: true, IssuedAt: at("09:02"), CalledAt: at("09:30"), CompletedAt: at("09:40")}, // A003 sent on to line B: 1680, 600
			{Line: "A", Status: "no_show", IssuedAt: at("09:03"), CalledAt: at("09:25"), CompletedAt: zero},                                        // skipped too often: no wait counted
			{Line: "A", Status: "waiting", IssuedAt: at("10:30")},
			{Line: "A", Status: "skipped", IssuedAt: at("10:00"), CalledAt: at("10:20")},                                        // waits to be called again
			{Line: "B", Status: "called", Window: 2, IssuedAt: at("10:00"), CalledAt: at("10:50")},                              // 3000, being served
			{Line: "B", Status: "held", Window: 3, IssuedAt: at("09:10"), CalledAt: at("09:20")},                                // 600, set aside
			{Line: "B", Status: "completed", Window: 3, IssuedAt: at("09:30"), CalledAt: at("09:40"), CompletedAt: at("09:50")}, // 600, 600
		},
		Bookings: []report.BookingRow{
			{Status: "checked_in", SlotEnd: at("09:30")},
			{Status: "no_show", SlotEnd: at("10:00")},
			{Status: "booked", SlotEnd: at("10:30")}, // slot over, nobody came
			{Status: "booked", SlotEnd: at("11:00")}, // check-in closed as the slot ended, at now
			{Status: "booked", SlotEnd: at("11:30")},
			{Status: "cancelled", SlotEnd: at("12:00")},
		},
		Cases: []report.CaseRow{
			{Status: "accepted", DueDate: "2026-11-24"},
			{Status: "transferred", DueDate: "2026-11-25"},
			{Status: "accepted", DueDate: "2026-11-26"},
			{Status: "accepted", DueDate: "2026-11-27"},
			{Status: "awaiting_supplements", DueDate: "2026-11-20"}, // paused: its clock stands still
			{Status: "completed", DueDate: "2026-11-01"},
			{Status: "consultation"},
		},
		Ratings:   []report.RatingRow{{Level: 5}, {Level: 4}, {Level: 3}, {Level: 2}, {Level: 1, Upheld: true}, {Level: 1}},
		FollowUps: []string{"2026-11-24", "2026-11-25", "2026-11-30"},
	}
}

func TestComputeDashboard_HandComputedDay(t *testing.T) {
	d := report.ComputeDashboard(handDay())
	t.Run("TicketsTransferredCountedOnce", func(t *testing.T) {
		want := report.TicketCounts{Issued: 9, Waiting: 2, Serving: 1, Held: 1, Served: 4, NoShow: 1, Unserved: 0, Transferred: 1}
		if d.Tickets != want {
			t.Errorf("got %+v, want %+v", d.Tickets, want)
		}
	})
	t.Run("Times", func(t *testing.T) {
		// Waits 300, 600, 600, 900, 1680, 3000: mean 7080/6, p90 the 6th.
		if want := (report.Timing{Count: 6, AvgSeconds: 1180, P90Seconds: 3000}); d.Wait != want {
			t.Errorf("wait: got %+v, want %+v", d.Wait, want)
		}
		// Handling 240, 600, 600, 600: the p90 (4th) is one of the tied 600s.
		if want := (report.Timing{Count: 4, AvgSeconds: 510, P90Seconds: 600}); d.Handling != want {
			t.Errorf("handling: got %+v, want %+v", d.Handling, want)
		}
	})
	t.Run("ByLine", func(t *testing.T) {
		want := []report.LineFigures{
			{Prefix: "A", Name: "综合业务", Issued: 5, Waiting: 2, Served: 2,
				Wait: report.Timing{Count: 2, AvgSeconds: 600, P90Seconds: 900}, Handling: report.Timing{Count: 2, AvgSeconds: 420, P90Seconds: 600}},
			{Prefix: "B", Name: "社保医保", Issued: 4, Waiting: 0, Served: 2,
				Wait: report.Timing{Count: 4, AvgSeconds: 1470, P90Seconds: 3000}, Handling: report.Timing{Count: 2, AvgSeconds: 600, P90Seconds: 600}},
			{Prefix: "C", Name: "不动产"},
		}
		if !reflect.DeepEqual(d.ByLine, want) {
			t.Errorf("got %+v\nwant %+v", d.ByLine, want)
		}
	})
	t.Run("ByWindow", func(t *testing.T) {
		want := []report.WindowFigures{
			{Number: 1, Name: "1号窗口", Served: 2,
				Wait: report.Timing{Count: 2, AvgSeconds: 600, P90Seconds: 900}, Handling: report.Timing{Count: 2, AvgSeconds: 420, P90Seconds: 600}},
			{Number: 2, Name: "2号窗口", Served: 1,
				Wait: report.Timing{Count: 2, AvgSeconds: 2340, P90Seconds: 3000}, Handling: report.Timing{Count: 1, AvgSeconds: 600, P90Seconds: 600}},
			{Number: 3, Name: "3号窗口", Served: 1,
				Wait: report.Timing{Count: 2, AvgSeconds: 600, P90Seconds: 600}, Handling: report.Timing{Count: 1, AvgSeconds: 600, P90Seconds: 600}},
		}
		if !reflect.DeepEqual(d.ByWindow, want) {
			t.Errorf("got %+v\nwant %+v", d.ByWindow, want)
		}
	})
	t.Run("AppointmentsWithNoShows", func(t *testing.T) {
		want := report.AppointmentCounts{Today: 5, CheckedIn: 1, Open: 1, NoShow: 3, Cancelled: 1}
		if d.Appointments != want {
			t.Errorf("got %+v, want %+v", d.Appointments, want)
		}
	})
	t.Run("CasesPausedNotOverdue", func(t *testing.T) {
		want := report.CaseCounts{Running: 4, DueSoon: 2, Overdue: 1, Paused: 1}
		if d.Cases != want {
			t.Errorf("got %+v, want %+v", d.Cases, want)
		}
	})
	t.Run("RatingsAppealUpheldVoidsBad", func(t *testing.T) {
		r := d.Ratings
		if r.Today != 6 || r.Good != 3 || r.Bad != 2 || r.Voided != 1 || r.GoodPercent == nil || *r.GoodPercent != 60 {
			t.Errorf("got %+v (good %% %v), want 6 ratings, 3 good, 2 bad, 1 voided, 60%%", r, r.GoodPercent)
		}
	})
	t.Run("FollowUps", func(t *testing.T) {
		if want := (report.FollowUpCounts{Open: 3, Overdue: 1}); d.FollowUps != want {
			t.Errorf("got %+v, want %+v", d.FollowUps, want)
		}
	})
}

func TestComputeDashboard_Compact(t *testing.T) {
	in := handDay()
	full := report.ComputeDashboard(in)
	in.Compact = true
	c := report.ComputeDashboard(in)
	if !c.Compact || len(c.ByLine) != 0 || len(c.ByWindow) != 0 {
		t.Errorf("compact: got %d lines, %d windows, want none", len(c.ByLine), len(c.ByWindow))
	}
	if c.Tickets != full.Tickets || c.Wait != full.Wait || c.Cases != full.Cases || c.Appointments != full.Appointments {
		t.Errorf("compact totals differ from full: %+v vs %+v", c, full)
	}
}

func TestComputeDashboard_EmptyDay(t *testing.T) {
	d := report.ComputeDashboard(report.DashboardInput{Now: at("08:00"), Today: "2026-11-25", NextWorkday: "2026-11-26",
		Lines: []report.LineName{{Prefix: "A", Name: "综合业务"}}})
	if d.Tickets != (report.TicketCounts{}) || d.Wait != (report.Timing{}) || d.Ratings.GoodPercent != nil {
		t.Errorf("empty day: got %+v", d)
	}
	if len(d.ByLine) != 1 || d.ByLine[0].Issued != 0 || d.ByWindow == nil {
		t.Errorf("idle line listed with zeros and windows an empty list: got %+v, %v", d.ByLine, d.ByWindow)
	}
}

func TestComputeDashboard_UnlistedLineAndWindow(t *testing.T) {
	d := report.ComputeDashboard(report.DashboardInput{Now: at("11:00"), Today: "2026-11-25",
		Tickets: []report.TicketRow{{Line: "Z", Status: "completed", Window: 7, IssuedAt: at("09:00"), CalledAt: at("09:01"), CompletedAt: at("09:02")}}})
	if len(d.ByLine) != 1 || d.ByLine[0].Prefix != "Z" || d.ByLine[0].Served != 1 {
		t.Errorf("line of an inactive prefix: got %+v", d.ByLine)
	}
	if len(d.ByWindow) != 1 || d.ByWindow[0].Number != 7 || d.ByWindow[0].Handling.AvgSeconds != 60 {
		t.Errorf("removed window: got %+v", d.ByWindow)
	}
}
