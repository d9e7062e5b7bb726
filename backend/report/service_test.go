package report_test

import (
	"context"
	"testing"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/core/coretest"
	"budayang/backend/report"
)

// TestService_Dashboard reads hand-made rows back through the loaders: the
// fixture's clock is Wednesday 2026-11-25 09:00, the next working day the
// 26th.
func TestService_Dashboard(t *testing.T) {
	st := coretest.Open(t)
	ctx := context.Background()
	seed(t, st.Core.DB, func(s *seeder) error {
		var zero time.Time
		yesterday := at("09:00").AddDate(0, 0, -1)
		old, err := s.ticket("2026-11-24", "A", "completed", 1, false, yesterday, yesterday.Add(time.Minute), yesterday.Add(2*time.Minute))
		if err != nil {
			return err
		}
		// Yesterday's bad rating: not today's, but its rectification is open and overdue.
		if err := s.rating(old, 1, yesterday.Add(3*time.Minute), "", "2026-11-24", "open"); err != nil {
			return err
		}
		served, err := s.ticket("2026-11-25", "A", "completed", 2, true, at("08:40"), at("08:50"), at("08:55"))
		if err != nil {
			return err
		}
		if err := s.rating(served, 2, at("08:56"), "upheld", "2026-11-30", "void"); err != nil {
			return err
		}
		other, err := s.ticket("2026-11-25", "A", "completed", 1, false, at("08:30"), at("08:31"), at("08:41"))
		if err != nil {
			return err
		}
		if err := s.rating(other, 5, at("08:42"), "", "", ""); err != nil {
			return err
		}
		if _, err := s.ticket("2026-11-25", "A", "waiting", 0, false, at("08:58"), zero, zero); err != nil {
			return err
		}
		for _, b := range []struct {
			status string
			start  time.Time
		}{{"checked_in", at("08:30")}, {"booked", at("08:30")}, {"booked", at("09:00")}, {"cancelled", at("10:00")}} {
			if err := s.booking("2026-11-25", b.status, b.start); err != nil {
				return err
			}
		}
		if err := s.booking("2026-11-26", "booked", at("09:00").AddDate(0, 0, 1)); err != nil {
			return err
		}
		for _, c := range [][2]string{{"accepted", "2026-11-20"}, {"transferred", "2026-11-26"}, {"accepted", "2026-12-01"},
			{"awaiting_supplements", "2026-11-01"}, {"completed", "2026-11-02"}} {
			if err := s.caseFile(c[0], c[1]); err != nil {
				return err
			}
		}
		return nil
	})
	d, err := st.Core.Reports.Dashboard(ctx, st.Admin)
	if err != nil {
		t.Fatal(err)
	}
	if want := (report.TicketCounts{Issued: 3, Waiting: 1, Served: 2, Transferred: 1}); d.Tickets != want {
		t.Errorf("tickets: got %+v, want %+v", d.Tickets, want)
	}
	// Waits 60 s and 600 s; handling 600 s and 300 s.
	if want := (report.Timing{Count: 2, AvgSeconds: 330, P90Seconds: 600}); d.Wait != want {
		t.Errorf("wait: got %+v, want %+v", d.Wait, want)
	}
	if want := (report.Timing{Count: 2, AvgSeconds: 450, P90Seconds: 600}); d.Handling != want {
		t.Errorf("handling: got %+v, want %+v", d.Handling, want)
	}
	// The 08:30 booking ended at 09:00 without a check-in; the 09:00 one is open.
	if want := (report.AppointmentCounts{Today: 3, CheckedIn: 1, Open: 1, NoShow: 1, Cancelled: 1}); d.Appointments != want {
		t.Errorf("appointments: got %+v, want %+v", d.Appointments, want)
	}
	if want := (report.CaseCounts{Running: 3, DueSoon: 1, Overdue: 1, Paused: 1}); d.Cases != want {
		t.Errorf("cases: got %+v, want %+v", d.Cases, want)
	}
	if r := d.Ratings; r.Today != 2 || r.Good != 1 || r.Bad != 0 || r.Voided != 1 {
		t.Errorf("ratings: got %+v, want 2 today, 1 good, 1 voided by appeal", r)
	}
	if want := (report.FollowUpCounts{Open: 1, Overdue: 1}); d.FollowUps != want {
		t.Errorf("follow-ups: got %+v, want %+v", d.FollowUps, want)
	}
	if len(d.ByLine) != 1 || d.ByLine[0].Prefix != "A" || len(d.ByWindow) != 3 {
		t.Errorf("by line %+v, by window %+v: want line A and the three windows", d.ByLine, d.ByWindow)
	}

	t.Run("Roles", func(t *testing.T) {
		for _, tt := range []struct {
			role    string
			compact bool
			err     string
		}{{account.RoleClerk, true, ""}, {account.RoleDuty, true, ""}, {account.RoleAssistant, false, apperr.Forbidden}} {
			p := st.Person("p-"+tt.role, "某人", tt.role)
			d, err := st.Core.Reports.Dashboard(ctx, p)
			if apperr.Code(err) != tt.err && !(tt.err == "" && err == nil) {
				t.Errorf("%s: got %v, want %q", tt.role, err, tt.err)
				continue
			}
			if err == nil && (d.Compact != tt.compact || len(d.ByLine) != 0) {
				t.Errorf("%s: compact %v, %d lines", tt.role, d.Compact, len(d.ByLine))
			}
		}
	})
}
