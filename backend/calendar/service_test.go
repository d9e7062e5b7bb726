package calendar_test

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/calendar"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/site"
	"budayang/backend/store/storetest"
)

func openSite(t *testing.T) (*core.Core, account.Principal) {
	t.Helper()
	ctx := context.Background()
	c, err := core.Open(ctx, core.Options{DataDir: t.TempDir(), Clock: clock.NewFixed(storetest.Epoch), PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Setup(ctx, site.Profile{Name: "测试镇", Kind: site.KindTown, Population: 20000}, "Admin12345", 1); err != nil {
		t.Fatal(err)
	}
	sess, err := c.Accounts.Login(ctx, "admin", "Admin12345", "t")
	if err != nil {
		t.Fatal(err)
	}
	return c, account.Principal{Staff: sess.Staff}
}

func TestService_ImportArrangement(t *testing.T) {
	c, admin := openSite(t)
	ctx := context.Background()
	newYear := date(t, "2027-01-01")
	if ok, _ := c.Calendar.IsWorkday(ctx, newYear); !ok {
		t.Fatal("2027-01-01 without an arrangement: want a working Friday")
	}
	a := calendar.Arrangement{Year: 2027, Notice: "国务院办公厅关于2027年部分节假日安排的通知",
		Holidays: []calendar.Period{{Name: "元旦", From: "2027-01-01", To: "2027-01-03"}}}
	t.Run("ClerkMayNot", func(t *testing.T) {
		clerk := admin
		clerk.Role = account.RoleClerk
		if _, err := c.Calendar.ImportArrangement(ctx, clerk, a); apperr.Code(err) != apperr.Forbidden {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("Import", func(t *testing.T) {
		if _, err := c.Calendar.ImportArrangement(ctx, admin, a); err != nil {
			t.Fatal(err)
		}
		d, _ := c.Calendar.Day(ctx, newYear)
		if d.Workday || d.Holiday != "元旦" || d.Warning != "" {
			t.Errorf("got %+v", d)
		}
		var n int
		c.DB.Read().QueryRow(`SELECT count(*) FROM outbox WHERE kind = 'calendar.arrangement'`).Scan(&n)
		if n != 1 {
			t.Errorf("outbox rows: got %d, want 1", n)
		}
	})
	t.Run("RemoveFallsBackToWeekends", func(t *testing.T) {
		if err := c.Calendar.RemoveArrangement(ctx, admin, 2027); err != nil {
			t.Fatal(err)
		}
		if d, _ := c.Calendar.Day(ctx, newYear); !d.Workday || d.Warning == "" {
			t.Errorf("got %+v", d)
		}
	})
	t.Run("ReplaceTheBuiltinYear", func(t *testing.T) {
		extra := calendar.Arrangement{Year: 2026, Holidays: []calendar.Period{{Name: "测试假", From: "2026-12-01", To: "2026-12-01"}}}
		if _, err := c.Calendar.ImportArrangement(ctx, admin, extra); err != nil {
			t.Fatal(err)
		}
		if d, _ := c.Calendar.Day(ctx, date(t, "2026-10-01")); !d.Workday {
			t.Errorf("the import replaces the whole year: got %+v", d)
		}
	})
}

func TestService_Override(t *testing.T) {
	c, admin := openSite(t)
	ctx := context.Background()
	if _, err := c.Calendar.SetOverride(ctx, admin, calendar.Override{Date: "2026-11-26", Kind: calendar.OverrideClosed, Reason: "停电检修"}, false); err != nil {
		t.Fatal(err)
	}
	got, err := c.Calendar.AddWorkingDays(ctx, storetest.Epoch, 1)
	if err != nil || calendar.FormatDate(got) != "2026-11-27" {
		t.Errorf("AddWorkingDays over a closure: got %v %v", got, err)
	}
	if n, _ := c.Calendar.WorkingDaysBetween(ctx, storetest.Epoch, date(t, "2026-11-30")); n != 2 {
		t.Errorf("WorkingDaysBetween: got %d, want 2", n)
	}
	if next, _ := c.Calendar.NextWorkday(ctx, date(t, "2026-09-30")); calendar.FormatDate(next) != "2026-10-08" {
		t.Errorf("NextWorkday: got %v", next)
	}
	if _, err := c.Calendar.SetOverride(ctx, admin, calendar.Override{Date: "2026-11-26", Kind: "maybe", Reason: "x"}, false); apperr.Code(err) != apperr.Invalid {
		t.Errorf("bad kind: got %v", err)
	}
	if err := c.Calendar.RemoveOverride(ctx, admin, "2026-11-26"); err != nil {
		t.Fatal(err)
	}
	if err := c.Calendar.RemoveOverride(ctx, admin, "2026-11-26"); apperr.Code(err) != apperr.NotFound {
		t.Errorf("second remove: got %v", err)
	}
}
