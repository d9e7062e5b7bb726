package seed_test

import (
	"context"
	"strings"
	"testing"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/booking"
	"budayang/backend/cases"
	"budayang/backend/citizen"
	"budayang/backend/core/coretest"
	"budayang/backend/seed"
)

func count(t *testing.T, s *coretest.Site, table string) int {
	t.Helper()
	var n int
	if err := s.Core.DB.Read().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func seeded(t *testing.T) *coretest.Site {
	t.Helper()
	s := coretest.Open(t)
	if _, err := seed.Run(context.Background(), s.Core, seed.Test, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRun_ServicesReadTheSeededData(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	sc := seed.Test

	t.Run("Counts", func(t *testing.T) {
		for table, want := range map[string]int{"ticket": sc.Tickets, "case_file": sc.Cases, "rating": sc.Ratings, "booking": sc.Bookings} {
			if got := count(t, s, table); got != want {
				t.Errorf("%s: %d rows, want %d", table, got, want)
			}
		}
		if got := count(t, s, "audit_log"); got < sc.Audit {
			t.Errorf("audit_log: %d rows, want at least %d", got, sc.Audit)
		}
		if count(t, s, "case_material") < sc.Cases || count(t, s, "rectification") == 0 {
			t.Error("cases without materials or bad ratings without rectifications")
		}
	})

	t.Run("AuditChainVerifies", func(t *testing.T) {
		st, err := s.Core.Audit.Verify(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if !st.OK || st.Checked != int64(count(t, s, "audit_log")) {
			t.Fatalf("got %+v, want every entry intact", st)
		}
	})

	sess, err := s.Core.Accounts.Login(ctx, "clerk01", seed.ClerkPassword, "test")
	if err != nil {
		t.Fatal(err)
	}
	clerk := account.Principal{Staff: sess.Staff, Workstation: "test"}

	t.Run("SealedCaseOpensAndIsFound", func(t *testing.T) {
		mine, err := s.Core.Cases.List(ctx, clerk, cases.Filter{Mine: true, Limit: 1})
		if err != nil || len(mine) != 1 {
			t.Fatalf("clerk01's cases: %v, %v", mine, err)
		}
		c, err := s.Core.Cases.Get(ctx, clerk, mine[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Masked || strings.Contains(c.CitizenName, "*") || c.CitizenName == "" {
			t.Fatalf("holder sees %q masked %v, want the full name", c.CitizenName, c.Masked)
		}
		if _, err := citizen.ValidateID(c.IDNumber, s.Clock.Now()); err != nil {
			t.Errorf("ID number %q: %v", c.IDNumber, err)
		}
		if len(c.Materials) == 0 {
			t.Error("case without its checklist")
		}
		for name, f := range map[string]cases.Filter{"ByID": {IDNumber: c.IDNumber}, "ByName": {Name: c.CitizenName}} {
			found, err := s.Core.Cases.List(ctx, clerk, f)
			if err != nil {
				t.Fatal(err)
			}
			if !containsCase(found, c.ID) {
				t.Errorf("%s: %d cases, not the one searched for", name, len(found))
			}
		}
	})

	t.Run("SealedBookingOpens", func(t *testing.T) {
		list, err := s.Core.Bookings.List(ctx, s.Admin, booking.Filter{From: "2026-11-24", To: "2026-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 {
			t.Fatal("no bookings around today")
		}
		if p := list[0].Phone; len(p) != 11 || strings.Contains(p, "*") {
			t.Errorf("admin sees phone %q, want the whole number", p)
		}
	})

	t.Run("SealedTicketPhoneOpens", func(t *testing.T) {
		var id string
		if err := s.Core.DB.Read().QueryRow(`SELECT id FROM ticket WHERE phone <> '' LIMIT 1`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		p, err := s.Core.Queue.TicketPhone(ctx, id)
		if err != nil || len(p) != 11 {
			t.Errorf("ticket phone %q, %v", p, err)
		}
	})

	t.Run("BadRatingsListed", func(t *testing.T) {
		bad, err := s.Core.Ratings.List(ctx, s.Admin, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(bad) == 0 || bad[0].Level > 2 {
			t.Fatalf("got %d bad ratings", len(bad))
		}
	})

	t.Run("OnlyIntoAFreshDirectory", func(t *testing.T) {
		if _, err := seed.Run(ctx, s.Core, sc, nil); apperr.Code(err) != apperr.Conflict {
			t.Errorf("second seeding: got %v, want conflict", err)
		}
	})
}

func containsCase(list []cases.Case, id string) bool {
	for _, c := range list {
		if c.ID == id {
			return true
		}
	}
	return false
}

func TestRun_SameSeedSameData(t *testing.T) {
	rows := func(s *coretest.Site) string {
		var b strings.Builder
		r, err := s.Core.DB.Read().Query(`SELECT id, number, line, status, coalesce(window, 0) FROM ticket ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for r.Next() {
			var id, number, line, status string
			var window int
			if err := r.Scan(&id, &number, &line, &status, &window); err != nil {
				t.Fatal(err)
			}
			b.WriteString(id + number + line + status + string(rune('0'+window)) + "\n")
		}
		return b.String()
	}
	if rows(seeded(t)) != rows(seeded(t)) {
		t.Error("two seedings at the same moment made different tickets")
	}
}
