package schedule_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/schedule"
	"budayang/backend/store/storetest"
)

type recorder struct {
	mu  sync.Mutex
	ran []time.Time
	err error
}

func (r *recorder) run(_ context.Context, now time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ran = append(r.ran, now)
	return r.err
}

func at(day, hour, min int) time.Time {
	return time.Date(2026, 11, day, hour, min, 0, 0, clock.Shanghai)
}

func TestRegistry_RunDue(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	reg := schedule.New(db, clk, events.NewBus(), nil)
	var nightly, hourly recorder
	if err := reg.Add(schedule.Job{Name: "backup", Spec: "30 2 * * *", Run: nightly.run}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Add(schedule.Job{Name: "reminders", Spec: "0 * * * *", Run: hourly.run}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// From Wednesday 01:00 to Thursday 03:00 Shanghai time: two nightly
	// backups (Wed 02:30, Thu 02:30) in Shanghai time, not UTC.
	ran, err := reg.RunDue(ctx, at(25, 1, 0), at(26, 3, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{at(25, 2, 30), at(26, 2, 30)}
	if !reflect.DeepEqual(nightly.ran, want) {
		t.Errorf("backup ran at %v, want %v", nightly.ran, want)
	}
	if len(hourly.ran) != 26 {
		t.Errorf("hourly job ran %d times, want 26", len(hourly.ran))
	}
	if len(ran) != 28 {
		t.Errorf("RunDue reported %d firings, want 28", len(ran))
	}
	clk.Set(at(26, 3, 0))
	list, err := reg.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list[0].Name != "backup" || list[0].LastRun == nil || !list[0].LastRun.Equal(at(26, 2, 30)) {
		t.Errorf("backup status: got %+v", list[0])
	}
	if !list[0].NextRun.Equal(at(27, 2, 30)) {
		t.Errorf("next run: got %v, want %v", list[0].NextRun, at(27, 2, 30))
	}
}

func TestRegistry_RunNow(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	bus := events.NewBus()
	sub := bus.Subscribe(4)
	defer sub.Close()
	reg := schedule.New(db, clk, bus, nil)
	failing := recorder{err: apperr.Errorf(apperr.Internal, "备份失败：磁盘空间不足")}
	if err := reg.Add(schedule.Job{Name: "backup", Spec: "30 2 * * *", Run: failing.run}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := reg.RunNow(ctx, "backup")
	if err != nil {
		t.Fatal(err)
	}
	if st.LastError != "备份失败：磁盘空间不足" || st.LastRun == nil || !st.LastRun.Equal(storetest.Epoch) {
		t.Errorf("got %+v", st)
	}
	if e := <-sub.C; e.Type != events.JobRan {
		t.Errorf("event %s, want %s", e.Type, events.JobRan)
	}
	if _, err := reg.RunNow(ctx, "nope"); apperr.Code(err) != apperr.NotFound {
		t.Errorf("unknown job: got %v, want not_found", err)
	}
}

func TestRegistry_Add(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	reg := schedule.New(db, clk, nil, nil)
	noop := func(context.Context, time.Time) error { return nil }
	if err := reg.Add(schedule.Job{Name: "a", Spec: "0 2 * * *", Run: noop}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		job  schedule.Job
	}{
		{"ErrDuplicate", schedule.Job{Name: "a", Spec: "0 3 * * *", Run: noop}},
		{"ErrBadSpec", schedule.Job{Name: "b", Spec: "every night", Run: noop}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := reg.Add(tt.job); err == nil {
				t.Error("got nil, want an error")
			}
		})
	}
}

// Start catches up before the cron loop takes over, and Stop waits for the
// catch-up: a job missed while the machine was off has run once Stop returns.
func TestRegistry_StartStop(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	reg := schedule.New(db, clk, nil, nil)
	var nightly recorder
	if err := reg.Add(schedule.Job{Name: "backup", Spec: "30 2 * * *", Run: nightly.run}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	clk.Set(at(24, 3, 0))
	if _, err := reg.RunNow(ctx, "backup"); err != nil {
		t.Fatal(err)
	}
	clk.Set(at(26, 8, 0))
	reg.Start(ctx)
	reg.Stop()
	want := []time.Time{at(24, 3, 0), at(26, 2, 30)}
	if !reflect.DeepEqual(nightly.ran, want) {
		t.Errorf("backup ran at %v, want %v", nightly.ran, want)
	}
}
