package countysync_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"budayang/backend/cli"
	"budayang/backend/clock"
	"budayang/backend/countysync"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// childEnv names the data directory a re-executed test binary pushes from.
const childEnv = "BUDAYANG_TEST_PUSH_CHILD"

// TestMain lets this test binary be the site process that is killed: with
// childEnv set it only pushes that data directory's outbox. With
// countyChildEnv set it is `budayang` itself, run with those arguments;
// with relayChildEnv set, a site relaying proxy cases (relay_test.go).
func TestMain(m *testing.M) {
	if args := os.Getenv(countyChildEnv); args != "" {
		os.Exit(cli.Main(context.Background(), strings.Split(args, "\n"), cli.Env{}))
	}
	if dir := os.Getenv(relayChildEnv); dir != "" {
		os.Exit(relayChild(dir))
	}
	if dir := os.Getenv(childEnv); dir != "" {
		clk := clock.NewFixed(storetest.Epoch)
		db, err := store.Open(context.Background(), filepath.Join(dir, store.FileName), clk)
		if err != nil {
			os.Exit(3)
		}
		_ = countysync.New(db, dir, clk, nil).Push(context.Background())
		os.Exit(4)
	}
	os.Exit(m.Run())
}

func TestPush_SiteProcessKilledAfterTheCountyCommittedLosesAndDoublesNothing(t *testing.T) {
	c := startCounty(t)
	clk := clock.NewFixed(storetest.Epoch)
	dir := t.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dir, store.FileName), clk)
	if err != nil {
		t.Fatal(err)
	}
	s := &site{db: db, clock: clk, dir: dir, sync: countysync.New(db, dir, clk, nil)}
	if s.cfg, err = s.sync.Enroll(context.Background(), c.url(), c.code(t, c.srv.Listener.Addr().String())); err != nil {
		t.Fatal(err)
	}
	s.write(t, 700, 260)
	want := s.expected(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	c.hold.Store(true)
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childEnv+"="+dir)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.committed:
	case <-time.After(20 * time.Second):
		child.Process.Kill()
		t.Fatal("the site process never reached the county")
	}
	if err := child.Process.Kill(); err != nil { // SIGKILL: no deferred code, no clean close
		t.Fatal(err)
	}
	_ = child.Wait()
	c.hold.Store(false)

	db, err = store.Open(context.Background(), filepath.Join(dir, store.FileName), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s.db, s.sync = db, countysync.New(db, dir, clk, nil)
	if n := s.pending(t); n != 700-500 && n != 700 {
		t.Fatalf("pending %d after the kill, want 700 or 200", n)
	}
	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertCountyHolds(t, c, s, want, 700)
}

func TestPush_PrunesDeliveredRowsAfter30Days(t *testing.T) {
	c := startCounty(t)
	s := enrolledSite(t, c)
	s.write(t, 5, 5)
	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		if err := s.db.Read().QueryRow(`SELECT count(*) FROM outbox`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	s.clock.Advance(29 * 24 * time.Hour)
	c.clock.Advance(29 * 24 * time.Hour)
	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 5 {
		t.Fatalf("%d outbox rows after 29 days, want the 5 delivered kept", n)
	}
	s.clock.Advance(2 * 24 * time.Hour)
	c.clock.Advance(2 * 24 * time.Hour)
	s.write(t, 1, 1)
	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d outbox rows after 31 days, want only the one delivered today", n)
	}
}
