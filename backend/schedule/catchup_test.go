package schedule_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"budayang/backend/events"
	"budayang/backend/schedule"
	"budayang/backend/store/storetest"
)

func TestRegistry_CatchUp(t *testing.T) {
	start := at(26, 8, 0) // Thursday morning, the PC just switched on
	tests := []struct {
		name    string
		lastRun time.Time // zero: never ran
		wantRan []time.Time
	}{
		// Off since Tuesday night: Wednesday's and Thursday's 02:30 were
		// missed; one run makes up the most recent.
		{"LastRunOlderThanMostRecentSchedule", at(24, 22, 0), []time.Time{at(26, 2, 30)}},
		{"LastRunOneDayOld", at(25, 2, 30), []time.Time{at(26, 2, 30)}},
		{"LastRunAtMostRecentSchedule", at(26, 2, 30), nil},
		{"LastRunNewerThanMostRecentSchedule", at(26, 7, 0), nil},
		{"NeverRan", time.Time{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, clk := storetest.MustOpen(t)
			reg := schedule.New(db, clk, events.NewBus(), nil)
			var nightly recorder
			if err := reg.Add(schedule.Job{Name: "backup", Spec: "30 2 * * *", Run: nightly.run}); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if !tt.lastRun.IsZero() {
				clk.Set(tt.lastRun)
				if _, err := reg.RunNow(ctx, "backup"); err != nil {
					t.Fatal(err)
				}
				nightly.ran = nil
			}
			clk.Set(start)
			ran, err := reg.CatchUp(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(nightly.ran, tt.wantRan) {
				t.Errorf("ran as at %v, want %v", nightly.ran, tt.wantRan)
			}
			if len(ran) != len(tt.wantRan) {
				t.Errorf("CatchUp reported %v, want %d runs", ran, len(tt.wantRan))
			}
			list, err := reg.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			st := list[0]
			if caught := tt.wantRan != nil; st.CaughtUp != caught {
				t.Errorf("caught_up: got %v, want %v", st.CaughtUp, caught)
			}
			if tt.wantRan != nil {
				if st.LastRun == nil || !st.LastRun.Equal(start) {
					t.Errorf("last_run: got %v, want %v (when it was made up)", st.LastRun, start)
				}
				if st.CaughtUpFor == nil || !st.CaughtUpFor.Equal(tt.wantRan[0]) {
					t.Errorf("caught_up_for: got %v, want %v", st.CaughtUpFor, tt.wantRan[0])
				}
				// Started again the same morning: nothing more to make up.
				again, err := reg.CatchUp(ctx)
				if err != nil || len(again) != 0 {
					t.Errorf("second start: got %v, %v, want nothing run", again, err)
				}
			}
			if tt.lastRun.IsZero() && st.LastRun != nil {
				t.Errorf("never ran: last_run got %v, want none", st.LastRun)
			}
		})
	}

	// A job first seen on one start and missed before the next is made up
	// then; a run on schedule clears the caught-up mark.
	t.Run("NeverRanThenMissed", func(t *testing.T) {
		db, clk := storetest.MustOpen(t)
		reg := schedule.New(db, clk, nil, nil)
		var nightly recorder
		if err := reg.Add(schedule.Job{Name: "end-of-day", Spec: "0 21 * * *", Run: nightly.run}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		clk.Set(at(25, 9, 0))
		if ran, err := reg.CatchUp(ctx); err != nil || len(ran) != 0 {
			t.Fatalf("first start: got %v, %v, want nothing run", ran, err)
		}
		clk.Set(at(26, 8, 0))
		if _, err := reg.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		if want := []time.Time{at(25, 21, 0)}; !reflect.DeepEqual(nightly.ran, want) {
			t.Errorf("end of day ran as at %v, want %v (the evening missed, not this morning)", nightly.ran, want)
		}
		if _, err := reg.RunDue(ctx, at(26, 8, 0), at(26, 21, 0)); err != nil {
			t.Fatal(err)
		}
		list, err := reg.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if list[0].CaughtUp || list[0].LastRun == nil || !list[0].LastRun.Equal(at(26, 21, 0)) {
			t.Errorf("after a run on schedule: got %+v", list[0])
		}
	})
}
