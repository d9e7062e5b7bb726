package cases_test

import (
	"context"
	"testing"
	"time"

	"budayang/backend/cases"
	"budayang/backend/clock"
	"budayang/backend/events"
)

func at(date string, hour int) time.Time {
	d, err := time.ParseInLocation("2006-01-02", date, clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return d.Add(time.Duration(hour) * time.Hour)
}

// pension is a complete request for the old-age pension (SB-002, a limit of
// 10 working days, four required materials).
func pension() cases.OpenRequest {
	return cases.OpenRequest{ItemCode: "SB-002", Name: "王大爷", IDNumber: idZhang, Phone: "13812345678", Received: []int{0, 1, 2, 3}, Accept: true}
}

// 2026: Mid-Autumn 9/25–9/27 and National Day 10/1–10/7 are holidays;
// Sunday 9/20 and Saturday 10/10 are adjusted working days.
func TestDeadline_AcrossNationalDayWithSupplementPause(t *testing.T) {
	t.Run("NoPause", func(t *testing.T) {
		f := setup(t)
		f.clk.Set(at("2026-09-28", 9))
		c := f.open(t, pension())
		// 9/29, 9/30, 10/8, 10/9, 10/10 (Sat, worked), 10/12 … 10/16.
		if c.DueDate != "2026-10-16" {
			t.Errorf("due: got %s, want 2026-10-16", c.DueDate)
		}
	})
	t.Run("PausedFromSeptember30ToOctober9", func(t *testing.T) {
		f := setup(t)
		f.clk.Set(at("2026-09-28", 9))
		c := f.open(t, pension())
		f.clk.Set(at("2026-09-30", 10))
		c = f.act(t, c.ID, cases.Action{Action: cases.ActRequestSupplements, Missing: []int{1}, Note: "户口簿本人页不清晰"})
		if c.SupplementSince == nil {
			t.Fatal("pause not recorded")
		}
		f.clk.Set(at("2026-10-09", 15))
		c = f.act(t, c.ID, cases.Action{Action: cases.ActSupply, Received: []int{1}})
		// Waiting took 10/8 and 10/9: two working days; the holiday in
		// between costs nothing.
		if c.PausedDays != 2 {
			t.Errorf("paused days: got %d, want 2", c.PausedDays)
		}
		if c.DueDate != "2026-10-20" {
			t.Errorf("due: got %s, want 2026-10-20", c.DueDate)
		}
		// A second pause adds to the first.
		f.clk.Set(at("2026-10-12", 9))
		c = f.act(t, c.ID, cases.Action{Action: cases.ActRequestSupplements, Missing: []int{3}})
		f.clk.Set(at("2026-10-13", 9))
		c = f.act(t, c.ID, cases.Action{Action: cases.ActSupply, Received: []int{3}})
		if c.PausedDays != 3 || c.DueDate != "2026-10-21" {
			t.Errorf("after second pause: %d days, due %s, want 3 and 2026-10-21", c.PausedDays, c.DueDate)
		}
	})
	t.Run("AcceptedOnAdjustedSunday", func(t *testing.T) {
		f := setup(t)
		f.clk.Set(at("2026-09-20", 9))
		req := pension()
		req.ItemCode, req.Received = "NY-005", []int{0} // 1 working day
		c := f.open(t, req)
		if c.DueDate != "2026-09-21" {
			t.Errorf("due: got %s, want 2026-09-21", c.DueDate)
		}
	})
	t.Run("OnTheSpotItemAcceptedInHoliday", func(t *testing.T) {
		f := setup(t)
		f.clk.Set(at("2026-10-03", 9)) // extended hours during the holiday
		req := pension()
		req.ItemCode, req.Received = "YB-001", []int{0}
		c := f.open(t, req)
		if c.DueDate != "2026-10-08" {
			t.Errorf("due: got %s, want the first working day 2026-10-08", c.DueDate)
		}
	})
	t.Run("PauseBeforeAcceptanceStartsNoClock", func(t *testing.T) {
		f := setup(t)
		f.clk.Set(at("2026-09-28", 9))
		req := pension()
		req.Accept, req.Received = false, []int{0}
		c := f.open(t, req)
		c = f.act(t, c.ID, cases.Action{Action: cases.ActRequestSupplements})
		f.clk.Set(at("2026-10-09", 9))
		c = f.act(t, c.ID, cases.Action{Action: cases.ActSupply, Received: []int{1, 2, 3}})
		// Accepted on 10/9: 10/10, 10/12 … 10/16, 10/19, 10/20, 10/21, 10/22.
		if c.PausedDays != 0 || c.DueDate != "2026-10-22" || c.AcceptedAt == nil {
			t.Errorf("got paused %d, due %s", c.PausedDays, c.DueDate)
		}
	})
}

func TestDue_ListsAndTrayEvent(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	sub := f.c.Bus.Subscribe(16)
	defer sub.Close()
	f.clk.Set(at("2026-11-02", 9))  // Monday
	overdue := f.open(t, pension()) // due 11/16
	f.clk.Set(at("2026-11-04", 9))
	soon := f.open(t, pension()) // due 11/18
	f.clk.Set(at("2026-11-05", 9))
	f.open(t, pension())           // due 11/19, not yet listed
	f.clk.Set(at("2026-11-17", 9)) // Tuesday
	d, err := f.c.Cases.Due(ctx, f.clerk, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Overdue) != 1 || d.Overdue[0].ID != overdue.ID || !d.Overdue[0].Overdue {
		t.Errorf("overdue: got %+v", d.Overdue)
	}
	if len(d.DueSoon) != 1 || d.DueSoon[0].ID != soon.ID {
		t.Errorf("due soon: got %+v", d.DueSoon)
	}
	if !d.Overdue[0].Masked {
		t.Error("home-screen list not masked")
	}
	if other, _ := f.c.Cases.Due(ctx, f.other, true); len(other.Overdue)+len(other.DueSoon) != 0 {
		t.Error("another clerk's home screen shows cases that are not theirs")
	}
	// Paused cases are not overdue.
	f.act(t, overdue.ID, cases.Action{Action: cases.ActRequestSupplements, Missing: []int{0}})
	if err := f.c.Cases.RemindDue(ctx, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	var ev cases.DueEvent
	for e := range drain(sub) {
		if e.Type == cases.EventDue {
			ev = e.Data.(cases.DueEvent)
		}
	}
	if ev.Overdue != 0 || ev.DueSoon != 1 || len(ev.Cases) != 1 || ev.Cases[0].ResponsibleID != f.clerk.ID {
		t.Errorf("tray event: got %+v", ev)
	}
	jobs, _ := f.c.Jobs.List(ctx)
	found := false
	for _, j := range jobs {
		found = found || j.Name == "case-due"
	}
	if !found {
		t.Error("case-due job not registered")
	}
}

func drain(sub *events.Subscription) chan events.Event {
	out := make(chan events.Event, 64)
	for {
		select {
		case e := <-sub.C:
			out <- e
		default:
			close(out)
			return out
		}
	}
}
