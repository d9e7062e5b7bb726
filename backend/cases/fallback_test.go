package cases_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"budayang/backend/booking"
	"budayang/backend/cases"
	"budayang/backend/core/coretest"
	"budayang/backend/store"
)

const warn2027 = "2027年节假日安排尚未导入，暂按周末休息计算"

func (f fixture) import2027(t *testing.T) {
	t.Helper()
	if _, err := f.c.Calendar.ImportArrangement(context.Background(), f.site.Admin, coretest.Arrangement2027()); err != nil {
		t.Fatalf("import 2027: %v", err)
	}
}

func accepted(r cases.OpenRequest) cases.OpenRequest {
	r.Accept = true
	return r
}

func (f fixture) get(t *testing.T, id string) cases.Case {
	t.Helper()
	c, err := f.c.Cases.Get(context.Background(), f.clerk, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The built-in calendar has 2026 and no 2027: a deadline counted into 2027
// counts New Year's Day as worked, and says it is an estimate.
func TestDeadline_EstimatedWhileTheYearHasNoArrangement(t *testing.T) {
	for _, tc := range []struct {
		name      string
		accepted  string
		req       func() cases.OpenRequest
		due       string
		estimated bool
	}{
		{"ThirtyDaysIntoJanuary", "2026-11-30", lowBao, "2027-01-11", true},
		{"TenDaysWithinDecember", "2026-11-30", pension, "2026-12-14", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			f.clk.Set(at(tc.accepted, 9))
			req := tc.req()
			req.Accept = true
			c := f.open(t, req)
			var want []string
			if tc.estimated {
				want = []string{warn2027}
			}
			if c.DueDate != tc.due || c.DueEstimated != tc.estimated || !reflect.DeepEqual(c.DueWarnings, want) {
				t.Errorf("accept answer: got %s estimated %v %v, want %s estimated %v %v", c.DueDate, c.DueEstimated, c.DueWarnings, tc.due, tc.estimated, want)
			}
			list, err := f.c.Cases.List(context.Background(), f.clerk, cases.Filter{Open: true})
			if err != nil || len(list) != 1 || list[0].DueEstimated != tc.estimated {
				t.Errorf("list: got %+v %v, want due_estimated %v", list, err, tc.estimated)
			}
		})
	}
}

// Storing 2027's arrangement works out again every open deadline counted
// through it; the holder is told of each date that moved.
func TestArrangement_RecomputesOpenDeadlines(t *testing.T) {
	ctx := context.Background()

	t.Run("MovesAndTellsTheHolder", func(t *testing.T) {
		f := setup(t)
		f.clk.Set(at("2026-11-30", 9))
		c := f.open(t, lowBao()) // consultation only: no deadline to move
		moved := f.act(t, c.ID, cases.Action{Action: cases.ActAccept})
		inDecember := f.open(t, pension())
		done := f.open(t, accepted(lowBao()))
		f.act(t, done.ID, cases.Action{Action: cases.ActComplete})
		outbox := f.count(t, `SELECT count(*) FROM outbox WHERE kind = 'case.deadline_moved'`)

		f.import2027(t)

		after := f.get(t, moved.ID)
		if after.DueDate != "2027-01-12" || after.DueEstimated {
			t.Errorf("moved case: got %s estimated %v, want 2027-01-12 not estimated", after.DueDate, after.DueEstimated)
		}
		if got := f.get(t, inDecember.ID).DueDate; got != "2026-12-14" {
			t.Errorf("case due in December: got %s, want 2026-12-14 unchanged", got)
		}
		if got := f.get(t, done.ID).DueDate; got != "2027-01-11" {
			t.Errorf("completed case: got %s, want 2027-01-11 left as it was", got)
		}
		last := after.History[len(after.History)-1]
		if last.Action != cases.ActDeadlineMoved || last.Actor != "system" || last.Params["old_due"] != "2027-01-11" || last.Params["due"] != "2027-01-12" {
			t.Errorf("history: got %+v, want the system's deadline_moved 2027-01-11 → 2027-01-12", last)
		}
		if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'case.deadline_moved'`); n != 1 {
			t.Errorf("audit lines: got %d, want 1", n)
		}
		if n := f.count(t, `SELECT count(*) FROM outbox WHERE kind = 'case.deadline_moved'`) - outbox; n != 1 {
			t.Errorf("outbox rows: got %d, want 1", n)
		}
		// The county keeps the latest payload whole: the move carries the
		// case's status, holder and masked citizen with the dates.
		var payload string
		f.c.DB.Read().QueryRow(`SELECT payload FROM outbox WHERE kind = 'case.deadline_moved' ORDER BY seq DESC LIMIT 1`).Scan(&payload)
		for _, want := range []string{`"status":"accepted"`, `"due_date":"2027-01-12"`, `"old_due":"2027-01-11"`, `"year":2027`, `"responsible_id":"`, `"masked":true`} {
			if !strings.Contains(payload, want) {
				t.Errorf("outbox payload %s lacks %s", payload, want)
			}
		}
		due, err := f.c.Cases.Due(ctx, f.clerk, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(due.Moved) != 1 || due.Moved[0].Number != moved.Number || due.Moved[0].OldDue != "2027-01-11" || due.Moved[0].NewDue != "2027-01-12" || due.Moved[0].Year != 2027 {
			t.Errorf("holder's notice: got %+v, want %s 2027-01-11 → 2027-01-12", due.Moved, moved.Number)
		}
		if other, _ := f.c.Cases.Due(ctx, f.other, true); len(other.Moved) != 0 {
			t.Errorf("another clerk's notice: got %+v, want none", other.Moved)
		}
	})

	// Waiting for supplements from 31 December to 5 January took three
	// working days weekends-only, two once New Year's Day is a holiday: the
	// date stays, the pause is recounted, and nobody is told of a move.
	t.Run("HolidayInsideAPauseKeepsTheDate", func(t *testing.T) {
		f := setup(t)
		f.clk.Set(at("2026-11-30", 9))
		c := f.open(t, accepted(lowBao()))
		f.clk.Set(at("2026-12-31", 10))
		f.act(t, c.ID, cases.Action{Action: cases.ActRequestSupplements, Missing: []int{1}})
		f.clk.Set(at("2027-01-05", 10))
		c = f.act(t, c.ID, cases.Action{Action: cases.ActSupply, Received: []int{1}})
		if c.PausedDays != 3 || c.DueDate != "2027-01-14" || !c.DueEstimated {
			t.Fatalf("before: paused %d due %s estimated %v, want 3, 2027-01-14, estimated", c.PausedDays, c.DueDate, c.DueEstimated)
		}
		f.import2027(t)
		after := f.get(t, c.ID)
		if after.PausedDays != 2 || after.DueDate != "2027-01-14" {
			t.Errorf("after: paused %d due %s, want 2 and 2027-01-14", after.PausedDays, after.DueDate)
		}
		if due, _ := f.c.Cases.Due(ctx, f.clerk, true); len(due.Moved) != 0 {
			t.Errorf("notice: got %+v, want none (the date did not move)", due.Moved)
		}
	})

	// Removing the import takes the year back to weekends only: the date
	// is counted that way again, and the holder told again.
	t.Run("RemovingTheYearCountsAgain", func(t *testing.T) {
		f := setup(t)
		f.clk.Set(at("2026-11-30", 9))
		c := f.open(t, accepted(lowBao()))
		f.import2027(t)
		if err := f.c.Calendar.RemoveArrangement(ctx, f.site.Admin, 2027); err != nil {
			t.Fatal(err)
		}
		after := f.get(t, c.ID)
		if after.DueDate != "2027-01-11" || !after.DueEstimated {
			t.Errorf("after removing 2027: got %s estimated %v, want 2027-01-11 estimated", after.DueDate, after.DueEstimated)
		}
		due, _ := f.c.Cases.Due(ctx, f.clerk, true)
		if len(due.Moved) != 2 || due.Moved[1].OldDue != "2027-01-12" || due.Moved[1].NewDue != "2027-01-11" {
			t.Errorf("notices: got %+v, want the move there and back", due.Moved)
		}
	})

	t.Run("TheNoticeFollowsTheCaseAndLastsSevenDays", func(t *testing.T) {
		f := setup(t)
		f.clk.Set(at("2026-11-30", 9))
		c := f.open(t, accepted(lowBao()))
		f.import2027(t)
		if _, err := f.c.Cases.Take(ctx, f.other, c.ID); err != nil {
			t.Fatal(err)
		}
		mine, _ := f.c.Cases.Due(ctx, f.clerk, true)
		theirs, _ := f.c.Cases.Due(ctx, f.other, true)
		if len(mine.Moved) != 0 || len(theirs.Moved) != 1 {
			t.Fatalf("after the take: first clerk %d, new holder %d notices, want 0 and 1", len(mine.Moved), len(theirs.Moved))
		}
		if err := f.c.Cases.AcknowledgeMoves(ctx, f.clerk, []string{theirs.Moved[0].ID}); err != nil {
			t.Fatal(err)
		}
		if theirs, _ = f.c.Cases.Due(ctx, f.other, true); len(theirs.Moved) != 1 {
			t.Error("a clerk who does not hold the case acknowledged its notice")
		}
		f.clk.Set(at("2026-12-07", 9))
		if theirs, _ = f.c.Cases.Due(ctx, f.other, true); len(theirs.Moved) != 1 {
			t.Error("the notice went before seven days")
		}
		f.clk.Set(at("2026-12-07", 10))
		if theirs, _ = f.c.Cases.Due(ctx, f.other, true); len(theirs.Moved) != 0 {
			t.Errorf("after seven days: got %+v, want none", theirs.Moved)
		}
	})
}

// The arrangement, the recomputed deadlines and the bookings moved to the
// call list are one transaction: when the booking part fails (here for
// real, its call-list table is gone), the year is not stored and no
// deadline moved.
func TestArrangement_OneTransaction(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	f.clk.Set(at("2026-11-30", 9))
	c := f.open(t, accepted(lowBao()))
	if _, err := f.c.Bookings.Create(ctx, booking.Staff(f.clerk), booking.Request{Line: "A", SlotStart: "2027-01-01T01:00:00Z", Name: "赵六", Phone: "13600001111"}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.DB.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DROP TABLE booking_call`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Calendar.ImportArrangement(ctx, f.site.Admin, coretest.Arrangement2027()); err == nil || !strings.Contains(err.Error(), "booking_call") {
		t.Fatalf("import: got %v, want the booking part's failure", err)
	}
	if _, err := f.c.Calendar.Arrangement(ctx, 2027); err == nil {
		t.Error("2027 was stored although its hook failed")
	}
	if d, _ := f.c.Calendar.Day(ctx, at("2027-01-01", 0)); d.Warning == "" {
		t.Errorf("2027-01-01: got %+v, want still weekends-only", d)
	}
	if got := f.get(t, c.ID); got.DueDate != "2027-01-11" || !got.DueEstimated {
		t.Errorf("case: due %s estimated %v, want 2027-01-11 still estimated", got.DueDate, got.DueEstimated)
	}
	if n := f.count(t, `SELECT count(*) FROM case_deadline_move`); n != 0 {
		t.Errorf("moved deadlines: got %d, want 0", n)
	}
}
