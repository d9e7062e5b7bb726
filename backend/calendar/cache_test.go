package calendar_test

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/account"
	"budayang/backend/calendar"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// hoursOn is how many opening spans 2026-12-02 (a Wednesday) has.
func hoursOn(t *testing.T, c *core.Core) int {
	t.Helper()
	d, err := c.Calendar.Day(context.Background(), date(t, "2026-12-02"))
	if err != nil {
		t.Fatal(err)
	}
	return len(d.Hours)
}

func TestRules_CachedUntilACalendarChange(t *testing.T) {
	ctx := context.Background()
	wed := date(t, "2026-12-02")
	changes := []struct {
		name   string
		change func(c *core.Core, admin account.Principal) error
		check  func(t *testing.T, c *core.Core)
	}{
		{"Closure", func(c *core.Core, admin account.Principal) error {
			_, err := c.Calendar.SetOverride(ctx, admin, calendar.Override{Date: "2026-12-02", Kind: calendar.OverrideClosed, Reason: "停电"}, true)
			return err
		}, func(t *testing.T, c *core.Core) {
			if ok, _ := c.Calendar.IsWorkday(ctx, wed); ok {
				t.Error("closed day still a working day")
			}
		}},
		{"ClosureRemoved", func(c *core.Core, admin account.Principal) error {
			if _, err := c.Calendar.SetOverride(ctx, admin, calendar.Override{Date: "2026-12-02", Kind: calendar.OverrideClosed, Reason: "停电"}, true); err != nil {
				return err
			}
			if ok, _ := c.Calendar.IsWorkday(ctx, wed); ok {
				t.Error("closed day still a working day")
			}
			return c.Calendar.RemoveOverride(ctx, admin, "2026-12-02")
		}, func(t *testing.T, c *core.Core) {
			if ok, _ := c.Calendar.IsWorkday(ctx, wed); !ok {
				t.Error("reopened day not a working day")
			}
		}},
		{"OfficeHours", func(c *core.Core, admin account.Principal) error {
			_, err := c.Calendar.SetOfficeHours(ctx, admin, calendar.OfficeHours{{Weekday: 3, Start: "09:00", End: "16:00"}})
			return err
		}, func(t *testing.T, c *core.Core) {
			if n := hoursOn(t, c); n != 1 {
				t.Errorf("Wednesday has %d spans after the change to one", n)
			}
		}},
		{"Arrangement", func(c *core.Core, admin account.Principal) error {
			_, err := c.Calendar.ImportArrangement(ctx, admin, calendar.Arrangement{Year: 2027, Notice: "通知",
				Holidays: []calendar.Period{{Name: "元旦", From: "2027-01-01", To: "2027-01-03"}}})
			return err
		}, func(t *testing.T, c *core.Core) {
			if ok, _ := c.Calendar.IsWorkday(ctx, date(t, "2027-01-01")); ok {
				t.Error("元旦 2027 still a working day after the arrangement")
			}
		}},
	}
	for _, tt := range changes {
		t.Run(tt.name, func(t *testing.T) {
			c, admin := openSite(t)
			// Loaded and kept: the next questions are answered from memory,
			// which a row written behind the service's back shows.
			if n := hoursOn(t, c); n != 2 {
				t.Fatalf("Wednesday has %d spans, want 2", n)
			}
			if ok, _ := c.Calendar.IsWorkday(ctx, date(t, "2027-01-01")); !ok {
				t.Fatal("2027-01-01 without an arrangement: want a working Friday")
			}
			if err := c.DB.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO calendar_override (id, site_id, date, kind, reason, created_at, updated_at)
					VALUES ('behind', '', '2026-12-03', 'closed', '', '', '')`)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if ok, _ := c.Calendar.IsWorkday(ctx, date(t, "2026-12-03")); !ok {
				t.Fatal("the rules were read again without a calendar change")
			}
			// A change through the service is seen at once, with everything
			// else the database holds.
			if err := tt.change(c, admin); err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
			if ok, _ := c.Calendar.IsWorkday(ctx, date(t, "2026-12-03")); ok {
				t.Error("after a change the rules were not loaded afresh")
			}
		})
	}
}

// BenchmarkService_NextWorkday is the working-day question a case deadline
// or the home screen's due list asks.
func BenchmarkService_NextWorkday(b *testing.B) {
	ctx := context.Background()
	c, err := core.Open(ctx, core.Options{DataDir: b.TempDir(), Clock: clock.NewFixed(storetest.Epoch), PasswordCost: bcrypt.MinCost})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	now := storetest.Epoch
	for b.Loop() {
		if _, err := c.Calendar.NextWorkday(ctx, now); err != nil {
			b.Fatal(err)
		}
	}
}
