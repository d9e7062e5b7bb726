package countysync_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"budayang/backend/county"
	"budayang/backend/store"
)

// backup copies the county's database as its operator's backup would.
func (c *countyUnderTest) backup(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "county-backup.db")
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(c.dir, county.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`VACUUM INTO ?`, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// restoreFrom stops the county, puts backup in place of its database and
// starts it again with the same certificate; p follows it to its new port.
func (c *countyUnderTest) restoreFrom(t *testing.T, backup string, p *proxy) {
	t.Helper()
	c.srv.Close()
	if err := c.store.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(c.dir, county.FileName)
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	copyFile(t, backup, path)
	st, err := county.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c.store, c.svc.Store = st, st
	c.serve(t, c.dir)
	p.retarget(c.srv.Listener.Addr().String())
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// assertHistoryInOrder checks every record's history: one version per
// change the site made to it (counted in changes), in the order it made
// them, the record at the last.
func assertHistoryInOrder(t *testing.T, c *countyUnderTest, siteID string, changes map[string][]int) {
	t.Helper()
	recs := c.records(t, siteID)
	db := openRaw(t, filepath.Join(c.dir, county.FileName))
	for k, want := range changes {
		if got := recs[k].Version; got != int64(len(want)) {
			t.Fatalf("%s at version %d, want %d", k, got, len(want))
		}
		rows, err := db.Query(`SELECT version, data FROM record_history WHERE site_id = ? AND kind || '/' || id = ? ORDER BY version`, siteID, k)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for rows.Next() {
			var v int64
			var data string
			var p struct{ Change int }
			if err := rows.Scan(&v, &data); err != nil {
				t.Fatal(err)
			}
			_ = json.Unmarshal([]byte(data), &p)
			got = append(got, p.Change)
		}
		rows.Close()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s history %v, want %v", k, got, want)
		}
	}
}

// TestPush_CountyRestoredFromABackupGetsWhatItLostAgain: the county is
// restored from a copy taken before some pushes; the site notices at its
// next push that the county holds fewer entries than it acknowledged, asks
// which of its delivered rows the county lacks, and sends them again before
// anything newer, so the county ends with exactly the site's records, each
// change once and in order.
func TestPush_CountyRestoredFromABackupGetsWhatItLostAgain(t *testing.T) {
	ctx := context.Background()
	c := startCounty(t)
	p := startProxy(t, c.srv.Listener.Addr().String())
	s := newSite(t)
	var err error
	if s.cfg, err = s.sync.Enroll(ctx, "https://"+p.addr(), c.code(t, p.addr())); err != nil {
		t.Fatal(err)
	}
	s.sync.Batch = 200
	changes := map[string][]int{}
	next := 0
	write := func(n int) {
		t.Helper()
		err := s.db.Write(ctx, func(tx *store.Tx) error {
			for i := 0; i < n; i++ {
				id := fmt.Sprintf("t-%02d", next%17)
				if err := tx.Outbox(ctx, "ticket.issue", id, map[string]any{"change": next}); err != nil {
					return err
				}
				changes["ticket/"+id] = append(changes["ticket/"+id], next)
				next++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	push := func() {
		t.Helper()
		if err := s.sync.Push(ctx); err != nil {
			t.Fatal(err)
		}
	}

	write(60)
	push()
	backup := c.backup(t)
	write(1100)
	push()
	write(30)
	push()
	c.restoreFrom(t, backup, p)
	if n := c.historyCount(t, s.cfg.SiteID); n != 60 {
		t.Fatalf("the restored county holds %d changes, want the backup's 60", n)
	}

	write(7)
	push()
	want := map[string]int{}
	for k, ch := range changes {
		want[k] = ch[len(ch)-1]
	}
	assertCountyHolds(t, c, s, want, 1197)
	assertHistoryInOrder(t, c, s.cfg.SiteID, changes)
	if n := c.asked.Load(); n != 2 {
		t.Fatalf("the site asked about missing entries %d times, want twice (1190 ids in chunks of 1000)", n)
	}
	if st, _ := s.sync.Status(ctx); st.Pending != 0 || st.Unrecoverable != 0 || st.LastError != "" {
		t.Fatalf("status %+v", st)
	}

	t.Run("once reconciled, later pushes ask nothing more", func(t *testing.T) {
		write(3)
		before := c.historyCount(t, s.cfg.SiteID)
		push()
		if n := c.historyCount(t, s.cfg.SiteID); n != before+3 {
			t.Fatalf("county applied %d changes for 3 new rows", n-before)
		}
	})
}

// TestPush_CountyRestoredAfterTheSitePrunedSaysWhatIsLost: rows pruned 30
// days after delivery cannot be sent again; the site sends what it still
// has and counts the rest in its status.
func TestPush_CountyRestoredAfterTheSitePrunedSaysWhatIsLost(t *testing.T) {
	ctx := context.Background()
	c := startCounty(t)
	p := startProxy(t, c.srv.Listener.Addr().String())
	s := newSite(t)
	var err error
	if s.cfg, err = s.sync.Enroll(ctx, "https://"+p.addr(), c.code(t, p.addr())); err != nil {
		t.Fatal(err)
	}
	s.write(t, 5, 5)
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	backup := c.backup(t)
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < 8; i++ {
			if err := tx.Outbox(ctx, "ticket.issue", fmt.Sprintf("old-%d", i), map[string]any{"change": i}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	// 31 days on, the 13 delivered rows are pruned at the next push; 4 new
	// rows are delivered then.
	s.clock.Advance(31 * 24 * time.Hour)
	c.clock.Advance(31 * 24 * time.Hour)
	s.write(t, 4, 4)
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	c.restoreFrom(t, backup, p)
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := s.sync.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The county had 5 and lost 8 + 4: the 4 still on the site went again.
	if st.Unrecoverable != 8 || st.Pending != 0 {
		t.Fatalf("status %+v, want 8 unrecoverable and nothing pending", st)
	}
	if n := c.historyCount(t, s.cfg.SiteID); n != 9 {
		t.Fatalf("county holds %d changes, want the backup's 5 and the 4 sent again", n)
	}
}
