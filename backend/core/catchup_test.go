package core_test

import (
	"context"
	"testing"
	"time"

	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/site"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// A hall's PC is switched off at night: when the program starts again (Run,
// as serve and the window do), the jobs whose times passed while it was off
// run once — the nightly backup, the end of day and the reminders — and
// the backup is on disk.
func TestRun_CatchesUpJobsMissedWhileOff(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewFixed(storetest.Epoch) // Wednesday 09:00
	c := openAt(t, dir, clk)
	if _, err := c.Setup(context.Background(), site.Profile{Name: "测试镇便民服务中心", Kind: site.KindTown, Population: 42000}, "Admin12345", 3); err != nil {
		t.Fatal(err)
	}
	c.Close()
	startAndStop(t, dir, clk)
	clk.Set(storetest.Epoch.Add(23 * time.Hour)) // off overnight, on again Thursday 08:00
	startAndStop(t, dir, clk)

	c = openAt(t, dir, clk)
	defer c.Close()
	list, err := c.Jobs.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range list {
		if s.CaughtUp && s.LastError == "" {
			got[s.Name] = true
		} else if s.LastError != "" {
			t.Errorf("%s: caught up with error %q", s.Name, s.LastError)
		}
	}
	for _, name := range []string{"backup", "end-of-day", "booking-reminders", "booking-call-list", "roster-reminders", "case-due"} {
		if !got[name] {
			t.Errorf("%s was not caught up at start", name)
		}
	}
	backups, err := store.ListBackups(core.BackupDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(backups) != 1 {
		t.Errorf("backups after the caught-up night: %d, want 1", len(backups))
	}
}

// startAndStop runs the site's jobs as a start of the program does, then
// closes it; Close waits for the catch-up.
func startAndStop(t *testing.T, dir string, clk clock.Clock) {
	t.Helper()
	c := openAt(t, dir, clk)
	c.Run(context.Background())
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}
