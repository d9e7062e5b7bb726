package countysync_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"budayang/backend/countysync"
	"budayang/backend/events"
	"budayang/backend/store"
)

// TestStatus_StallAlarm: "a queue that makes no progress for 10 minutes
// while the county answers raises an alarm". The site's clock is fixed and
// moved by hand; every push is a real one to a real county on loopback.
func TestStatus_StallAlarm(t *testing.T) {
	ctx := context.Background()
	type setup struct {
		c   *countyUnderTest
		p   *proxy
		s   *site
		sub *events.Subscription
	}
	start := func(t *testing.T) setup {
		c := startCounty(t)
		p := startProxy(t, c.srv.Listener.Addr().String())
		s := newSite(t)
		cfg, err := s.sync.Enroll(ctx, "https://"+p.addr(), c.code(t, p.addr()))
		if err != nil {
			t.Fatal(err)
		}
		s.cfg = cfg
		bus := events.NewBus()
		s.sync.Events = bus
		sub := bus.Subscribe(8)
		t.Cleanup(sub.Close)
		return setup{c, p, s, sub}
	}
	status := func(t *testing.T, s *site) countysync.Status {
		t.Helper()
		st, err := s.sync.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	// after pushes once, then moves the clock on by d and pushes again.
	after := func(s *site, d time.Duration) {
		s.clock.Advance(d)
		_ = s.sync.Push(ctx)
	}

	for _, code := range []int{http.StatusServiceUnavailable, http.StatusInternalServerError, http.StatusBadRequest} {
		t.Run("a county that answers "+http.StatusText(code)+" to every batch raises it after 10 minutes, and delivery clears it", func(t *testing.T) {
			u := start(t)
			u.c.failWith.Store(int32(code))
			u.s.write(t, 4, 4)
			began := u.s.clock.Now().UTC()
			_ = u.s.sync.Push(ctx)
			after(u.s, 9*time.Minute)
			if st := status(t, u.s); st.Stalled || st.Pending != 4 {
				t.Fatalf("after 9 minutes: %+v, want not yet stalled", st)
			}
			u.s.write(t, 1, 1) // new rows do not count as progress
			after(u.s, 61*time.Second)
			st := status(t, u.s)
			if !st.Stalled || st.StalledSince == nil || !st.StalledSince.Equal(began) {
				t.Fatalf("after 10 minutes: stalled %v since %v, want since %v", st.Stalled, st.StalledSince, began)
			}
			if e := <-u.sub.C; e.Type != countysync.EventStalled || !e.Data.(countysync.StallEvent).Stalled {
				t.Fatalf("event %+v, want the alarm raised", e)
			}
			u.c.failWith.Store(0)
			after(u.s, time.Minute)
			if st := status(t, u.s); st.Stalled || st.StalledSince != nil || st.Pending != 0 {
				t.Fatalf("after delivery: %+v, want the alarm cleared", st)
			}
			if e := <-u.sub.C; e.Data.(countysync.StallEvent).Stalled {
				t.Fatalf("event %+v, want the alarm cleared", e)
			}
		})
	}

	t.Run("a pending count that falls is progress", func(t *testing.T) {
		u := start(t)
		u.c.failWith.Store(http.StatusServiceUnavailable)
		u.s.write(t, 3, 3)
		_ = u.s.sync.Push(ctx)
		after(u.s, 9*time.Minute)
		// The count falls without a batch landing (the test marks a row
		// sent): that alone is progress.
		if err := u.s.db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = ? WHERE seq = (SELECT min(seq) FROM outbox)`, "2026-01-01T00:00:00Z")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		after(u.s, 2*time.Minute)
		after(u.s, 9*time.Minute)
		if st := status(t, u.s); st.Stalled {
			t.Fatalf("%+v: stalled though the queue moved 9 minutes ago", st)
		}
		after(u.s, 2*time.Minute)
		if st := status(t, u.s); !st.Stalled {
			t.Fatalf("%+v: not stalled 11 minutes after the queue last moved", st)
		}
	})

	t.Run("a county that does not answer is offline, not stalled", func(t *testing.T) {
		u := start(t)
		u.s.write(t, 3, 3)
		u.p.setUp(false)
		_ = u.s.sync.Push(ctx)
		after(u.s, 11*time.Minute)
		after(u.s, 11*time.Minute)
		st := status(t, u.s)
		if st.Stalled || st.Online || st.LastError == "" {
			t.Fatalf("%+v, want offline and not stalled", st)
		}
		// Answering again, it is timed afresh: not stalled at once.
		u.p.setUp(true)
		u.c.failWith.Store(http.StatusServiceUnavailable)
		after(u.s, time.Minute)
		if st := status(t, u.s); st.Stalled {
			t.Fatalf("%+v: stalled the moment the county answered again", st)
		}
	})

	t.Run("a site back after a long pause that delivers at once raises nothing", func(t *testing.T) {
		u := start(t)
		u.s.write(t, 2, 2)
		_ = u.s.sync.Push(ctx)
		u.s.write(t, 2, 2)
		after(u.s, 11*time.Minute)
		if st := status(t, u.s); st.Stalled || st.Pending != 0 {
			t.Fatalf("%+v, want delivered and not stalled", st)
		}
		select {
		case e := <-u.sub.C:
			t.Fatalf("event %+v: the alarm flashed", e)
		default:
		}
	})

	t.Run("an empty queue is never stalled", func(t *testing.T) {
		u := start(t)
		_ = u.s.sync.Push(ctx)
		after(u.s, 11*time.Minute)
		after(u.s, 11*time.Minute)
		if st := status(t, u.s); st.Stalled || !st.Online {
			t.Fatalf("%+v, want online and not stalled", st)
		}
	})
}
