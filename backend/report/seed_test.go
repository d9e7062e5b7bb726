package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"budayang/backend/store"
)

// seeder writes rows straight into a test site's tables, shaped as the
// services write them, so a large day is made in one transaction.
type seeder struct {
	tx     *store.Tx
	ctx    context.Context
	siteID string
	n      int
}

func (s *seeder) exec(q string, args ...any) error {
	_, err := s.tx.ExecContext(s.ctx, q, args...)
	return err
}

func (s *seeder) next() int { s.n++; return s.n }

// ticket writes a ticket of day; called and completed may be zero.
func (s *seeder) ticket(day string, line, status string, window int, transferred bool, issued, called, completed time.Time) (string, error) {
	id := store.NewID()
	opt := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return store.FormatTime(t)
	}
	var win any
	if window > 0 {
		win = window
	}
	return id, s.exec(`INSERT INTO ticket (id, site_id, day, number, line, status, window, transferred, issued_at, queued_at, called_at, completed_at, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, id, s.siteID, day, fmt.Sprintf("%s%05d", line, s.next()), line, status, win, transferred,
		store.FormatTime(issued), store.FormatTime(issued), opt(called), opt(completed), store.FormatTime(issued), store.FormatTime(issued))
}

// rating rates ticket; appeal "" files none, rectDue "" opens no
// rectification.
func (s *seeder) rating(ticket string, level int, at time.Time, appeal, rectDue, rectStatus string) error {
	id := store.NewID()
	ts := store.FormatTime(at)
	if err := s.exec(`INSERT INTO rating (id, site_id, ticket_id, ticket_number, window, staff_login, level, attitude, efficiency, competence, created_at, updated_at)
		VALUES (?,?,?,?,1,'clerk',?,?,?,?,?,?)`, id, s.siteID, ticket, "A0", level, level, level, level, ts, ts); err != nil {
		return err
	}
	if appeal != "" {
		if err := s.exec(`INSERT INTO appeal (id, site_id, rating_id, filed_by, reason, status, created_at, updated_at) VALUES (?,?,?,'clerk','误评',?,?,?)`,
			store.NewID(), s.siteID, id, appeal, ts, ts); err != nil {
			return err
		}
	}
	if rectDue != "" {
		return s.exec(`INSERT INTO rectification (id, site_id, rating_id, staff_login, due_date, status, created_at, updated_at) VALUES (?,?,?,'clerk',?,?,?,?)`,
			store.NewID(), s.siteID, id, rectDue, rectStatus, ts, ts)
	}
	return nil
}

func (s *seeder) booking(date, status string, start time.Time) error {
	n := s.next()
	ts := store.FormatTime(start)
	return s.exec(`INSERT INTO booking (id, site_id, line, date, slot_start, slot_end, slot_kind, citizen_name, phone, channel, booked_by, code, status, created_at, updated_at)
		VALUES (?,?,'A',?,?,?,'office','v1:x',?,'phone','clerk',?,?,?,?)`, store.NewID(), s.siteID, date, ts, store.FormatTime(start.Add(30*time.Minute)),
		fmt.Sprintf("v1:%d", n), fmt.Sprintf("C%06d", n), status, ts, ts)
}

func (s *seeder) caseFile(status, due string) error {
	n := s.next()
	return s.exec(`INSERT INTO case_file (id, site_id, number, item_code, item_name, department, limit_days, status, citizen_name, phone,
		responsible_id, responsible_name, holder_id, holder_name, due_date, created_at, updated_at)
		VALUES (?,?,?,'MZ-001','事项','民政',5,?,'v1:x','v1:x','c','李','c','李',?,?,?)`, store.NewID(), s.siteID, fmt.Sprintf("20261101-%06d", n),
		status, due, "2026-11-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z")
}

// seed runs fill in one write transaction of db.
func seed(tb testing.TB, db *store.DB, fill func(s *seeder) error) {
	tb.Helper()
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		s := &seeder{tx: tx, ctx: ctx}
		if err := tx.QueryRowContext(ctx, `SELECT id FROM site`).Scan(&s.siteID); err != nil {
			return err
		}
		return fill(s)
	})
	if err != nil {
		tb.Fatal(err)
	}
}
