package countysync_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"budayang/backend/clock"
	"budayang/backend/countysync"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// TestPush_SiteRestoredFromAnOlderBackup: the restored outbox has rows the
// county already took as unsent, and its sequence rewinds so new rows reuse
// sequence numbers the county has seen. Delivery is keyed by the outbox
// entry's id, not its sequence: the old rows are not doubled, the new ones
// are not mistaken for old, and nothing the county had is lost.
func TestPush_SiteRestoredFromAnOlderBackup(t *testing.T) {
	ctx := context.Background()
	c := startCounty(t)
	clk := clock.NewFixed(storetest.Epoch)
	dir := t.TempDir()
	open := func() *store.DB {
		db, err := store.Open(ctx, filepath.Join(dir, store.FileName), clk)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	s := &site{db: db, clock: clk, dir: dir, sync: countysync.New(db, dir, clk, nil)}
	var err error
	if s.cfg, err = s.sync.Enroll(ctx, c.url(), c.code(t, c.srv.Listener.Addr().String())); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	change := 0
	write := func(n int) {
		t.Helper()
		err := s.db.Write(ctx, func(tx *store.Tx) error {
			for i := 0; i < n; i++ {
				id := fmt.Sprintf("t-%d", change%7)
				if err := tx.Outbox(ctx, "ticket.issue", id, map[string]any{"change": change}); err != nil {
					return err
				}
				want["ticket/"+id] = change
				change++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	write(10)
	backup := filepath.Join(t.TempDir(), "before.db")
	if _, err := s.db.BackupTo(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	write(5)
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}

	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Restore(ctx, dir, backup, clk.Now()); err != nil {
		t.Fatal(err)
	}
	s.db = open()
	t.Cleanup(func() { s.db.Close() })
	s.sync = countysync.New(s.db, dir, clk, nil)
	if n := s.pending(t); n != 10 {
		t.Fatalf("pending %d after the restore, want the backup's 10", n)
	}
	write(3)
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	assertCountyHolds(t, c, s, want, 18)
	// The restored site counts fewer applied entries than the county
	// holds: nothing was asked or sent again.
	if n := c.asked.Load(); n != 0 {
		t.Fatalf("the site asked the county %d times about missing entries", n)
	}
	if st, _ := s.sync.Status(ctx); st.Unrecoverable != 0 {
		t.Fatalf("status %+v", st)
	}
}
