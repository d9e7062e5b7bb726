package core_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/account"
	"budayang/backend/audit"
	"budayang/backend/booking"
	"budayang/backend/cases"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/queue"
	"budayang/backend/rating"
	"budayang/backend/site"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// citizens are the fixtures' people: names and phones found nowhere else,
// so any occurrence in a file is a leak.
var citizens = []struct{ name, phone string }{
	{"欧阳青松", "13911112222"}, // phone booking by a clerk
	{"司马晓燕", "13922223333"}, // kiosk booking, checked in by phone
	{"诸葛明月", "13933334444"}, // rating with contact
	{"", "13944445555"},     // ticket with phone
	{"上官云飞", "13955556666"}, // booking on tomorrow's call list
	{"慕容秋水", "13966667777"}, // window case
}

func openAt(t *testing.T, dir string, clk clock.Clock) *core.Core {
	t.Helper()
	c, err := core.Open(context.Background(), core.Options{DataDir: dir, Clock: clk, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// leaks returns which fixture names and phones appear in the raw bytes of
// the files.
func leaks(t *testing.T, files ...string) []string {
	t.Helper()
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		for _, c := range citizens {
			for _, s := range []string{c.name, c.phone} {
				if s != "" && bytes.Contains(b, []byte(s)) {
					out = append(out, filepath.Base(f)+": "+s)
				}
			}
		}
	}
	return out
}

// must returns v, failing the test (by panicking) on err.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestSealing_NoPlainPersonalData writes every kind of record that names a
// citizen through the real services, makes a backup, and reads the raw
// bytes of the database file, its WAL and the backup: no name or phone of
// the fixtures may be there.
func TestSealing_NoPlainPersonalData(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFixed(storetest.Epoch) // Wednesday 2026-11-25 09:00
	dir := t.TempDir()
	c := openAt(t, dir, clk)
	defer c.Close()
	must(c.Setup(ctx, site.Profile{Name: "测试镇便民服务中心", Kind: site.KindTown, Population: 42000}, "Admin12345", 3))
	admin := account.Principal{Staff: must(c.Accounts.Login(ctx, account.AdminLogin, "Admin12345", "test")).Staff}
	clerk := account.Principal{Staff: must(c.Accounts.Create(ctx, admin, account.NewStaff{Login: "clerk1", Name: "王小明", Role: account.RoleClerk, Password: "Passw0rd123"}))}
	slot := func(date, hm string) string {
		t, _ := time.ParseInLocation("2006-01-02 15:04", date+" "+hm, clock.Shanghai)
		return t.UTC().Format(time.RFC3339)
	}

	must(c.Bookings.Create(ctx, booking.Staff(clerk), booking.Request{Line: "A", SlotStart: slot("2026-11-27", "09:00"), Name: citizens[0].name, Phone: citizens[0].phone}))
	kiosk := must(c.Bookings.Create(ctx, booking.Kiosk("kiosk1"), booking.Request{Line: "A", SlotStart: slot("2026-11-26", "10:00"), Name: citizens[1].name, Phone: citizens[1].phone}))
	must(c.Bookings.Create(ctx, booking.Staff(clerk), booking.Request{Line: "A", SlotStart: slot("2026-11-26", "14:00"), Name: citizens[4].name, Phone: citizens[4].phone}))
	must(c.Bookings.BuildCallList(ctx, time.Date(2026, 11, 25, 16, 0, 0, 0, clock.Shanghai)))

	tk := must(c.Queue.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A", Phone: citizens[3].phone}))
	must(c.Queue.CallTicket(ctx, clerk, 1, tk.ID))
	must(c.Cases.Open(ctx, clerk, cases.OpenRequest{ItemCode: "MZ-001", Name: citizens[5].name, Phone: citizens[5].phone, TicketID: tk.ID}))
	must(c.Queue.Complete(ctx, clerk, tk.ID))
	must(c.Ratings.Submit(ctx, audit.Actor{Login: "pad"}, 1, rating.Submission{TicketID: tk.ID, Level: 1, Attitude: 1, Efficiency: 1, Competence: 1,
		Reason: "等太久", Name: citizens[2].name, Phone: citizens[2].phone}))

	clk.Set(time.Date(2026, 11, 26, 9, 40, 0, 0, clock.Shanghai))
	must(c.Bookings.CheckIn(ctx, booking.Kiosk("kiosk1"), booking.CheckInRequest{Phone: citizens[1].phone, Verify: kiosk.Code}))

	// The services still read what they sealed.
	cl := must(c.Bookings.CallList(ctx, clerk, "2026-11-26"))
	if len(cl.Entries) != 2 || cl.Entries[1].Phone != citizens[4].phone || cl.Entries[1].CitizenName != citizens[4].name {
		t.Fatalf("call list: got %+v", cl.Entries)
	}
	if list := must(c.Ratings.List(ctx, admin, true)); len(list) != 1 || list[0].Phone != citizens[2].phone {
		t.Fatalf("ratings: got %+v", list)
	}

	b := must(c.Backups.Create(ctx, audit.System))
	db := filepath.Join(dir, store.FileName)
	if _, err := os.Stat(db + "-wal"); err != nil {
		t.Fatalf("the WAL must exist while the site is open: %v", err)
	}
	if got := leaks(t, db, db+"-wal", b.Path); len(got) > 0 {
		t.Errorf("personal data in the clear: %v", got)
	}
}

// TestSealing_ConvertsPlainRows opens a database holding names and phones an
// older version stored in the clear: the next start seals them, search by
// phone still finds them, and neither the file nor its WAL keeps them.
func TestSealing_ConvertsPlainRows(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFixed(storetest.Epoch)
	dir := t.TempDir()
	c := openAt(t, dir, clk)
	must(c.Setup(ctx, site.Profile{Name: "测试镇便民服务中心", Kind: site.KindTown, Population: 42000}, "Admin12345", 3))
	err := c.DB.Write(ctx, func(tx *store.Tx) error {
		ts := store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO booking (id, site_id, line, date, slot_start, slot_end, slot_kind, citizen_name, phone, channel, booked_by, code, status, created_at, updated_at)
			VALUES ('b1', (SELECT id FROM site), 'A', '2026-11-25', '2026-11-25T02:00:00.000Z', '2026-11-25T02:30:00.000Z', 'office', ?, ?, 'phone', 'clerk1', '123456', 'booked', ?, ?)`,
			citizens[0].name, citizens[0].phone, ts, ts); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ticket (id, site_id, day, number, line, phone, status, issued_at, queued_at, created_at, updated_at)
			VALUES ('t1', (SELECT id FROM site), '2026-11-25', 'A900', 'A', ?, 'waiting', ?, ?, ?, ?)`, citizens[3].phone, ts, ts, ts, ts)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, store.FileName)
	if got := leaks(t, db); len(got) == 0 {
		t.Fatal("the fixture must start with plain rows in the file")
	}

	c = openAt(t, dir, clk)
	defer c.Close()
	if got := leaks(t, db, db+"-wal"); len(got) > 0 {
		t.Errorf("after the start that seals: personal data in the clear: %v", got)
	}
	clerk := account.Principal{Staff: account.Staff{Role: account.RoleClerk, Login: "clerk1"}}
	res, err := c.Bookings.CheckIn(ctx, booking.Staff(clerk), booking.CheckInRequest{Phone: citizens[0].phone, AcceptNormal: true})
	if err != nil || res.Booking.ID != "b1" || res.Booking.CitizenName != citizens[0].name {
		t.Fatalf("check-in by phone after sealing: got %+v %v", res.Booking, err)
	}
	for _, tk := range must(c.Queue.Today(ctx)) {
		if tk.ID == "t1" && tk.Phone != citizens[3].phone {
			t.Errorf("ticket phone after sealing: got %q, want %q", tk.Phone, citizens[3].phone)
		}
	}
}
