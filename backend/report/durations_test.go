package report_test

import (
	"context"
	"testing"
	"time"

	"budayang/backend/core/coretest"
)

// TestTicketDurations_WholeSecondsHalfUp checks the wait and handling time
// the database computes for each ticket (migration 0025) against the
// standard library: across days, months and a leap day, rounding the
// written milliseconds half up, and -1 for a step the ticket never reached.
func TestTicketDurations_WholeSecondsHalfUp(t *testing.T) {
	st := coretest.Open(t)
	base := time.Date(2024, 2, 28, 23, 59, 58, 400*int(time.Millisecond), time.UTC)
	type want struct{ wait, handle int }
	cases := []struct {
		name             string
		toCall, toFinish time.Duration // 0: never reached
		want             want
	}{
		{"called at once", time.Millisecond, 0, want{0, -1}},
		{"just under half a second", 499 * time.Millisecond, 0, want{0, -1}},
		{"half a second rounds up", 500 * time.Millisecond, 1500 * time.Millisecond, want{1, 1}},
		{"over midnight and the leap day", 26 * time.Hour, 26*time.Hour + 2*time.Second, want{93600, 2}},
		{"over a month", 40 * 24 * time.Hour, 40*24*time.Hour + 90*time.Minute, want{3456000, 5400}},
		{"over a year", 400 * 24 * time.Hour, 400*24*time.Hour + 1499*time.Millisecond, want{34560000, 1}},
		{"never called", 0, 0, want{-1, -1}},
	}
	ids := make([]string, len(cases))
	seed(t, st.Core.DB, func(s *seeder) error {
		for i, c := range cases {
			var called, done time.Time
			if c.toCall > 0 {
				called = base.Add(c.toCall)
			}
			if c.toFinish > 0 {
				done = base.Add(c.toFinish)
			}
			status := "waiting"
			switch {
			case !done.IsZero():
				status = "completed"
			case !called.IsZero():
				status = "called"
			}
			id, err := s.ticket("2024-02-29", "A", status, 1, false, base, called, done)
			if err != nil {
				return err
			}
			ids[i] = id
		}
		return nil
	})
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got want
			err := st.Core.DB.Read().QueryRowContext(context.Background(),
				`SELECT wait_s, handle_s FROM ticket WHERE id = ?`, ids[i]).Scan(&got.wait, &got.handle)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got wait %d s, handle %d s; want %+v", got.wait, got.handle, c.want)
			}
		})
	}
}
