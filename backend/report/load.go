package report

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"budayang/backend/store"
)

// The loaders read the rows the dashboard is computed from, each with one
// query an index answers (see migration 0021 for the ratings and the open
// rectifications), so a recompute after an event stays well under 100 ms on
// a large centre's day (BenchmarkService_Dashboard).

type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// each runs q and calls scan for every row.
func each(ctx context.Context, q queryer, what, query string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("load %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("load %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load %s: %w", what, err)
	}
	return nil
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, err := store.ParseTime(s.String)
	if err != nil {
		return time.Time{}
	}
	return t
}

func loadNames(ctx context.Context, q queryer) (lines []LineName, windows []WindowName, err error) {
	lines, windows = []LineName{}, []WindowName{}
	err = each(ctx, q, "lines", `SELECT prefix, name FROM line WHERE active = 1 ORDER BY prefix`, func(r *sql.Rows) error {
		var n LineName
		if err := r.Scan(&n.Prefix, &n.Name); err != nil {
			return err
		}
		lines = append(lines, n)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = each(ctx, q, "windows", `SELECT number, name FROM service_window ORDER BY number`, func(r *sql.Rows) error {
		var n WindowName
		if err := r.Scan(&n.Number, &n.Name); err != nil {
			return err
		}
		windows = append(windows, n)
		return nil
	})
	return lines, windows, err
}

func loadTickets(ctx context.Context, q queryer, day string) ([]TicketRow, error) {
	out := []TicketRow{}
	err := each(ctx, q, "tickets", `SELECT line, status, coalesce(window, 0), transferred, issued_at, called_at, completed_at FROM ticket WHERE day = ?`,
		func(r *sql.Rows) error {
			var t TicketRow
			var issued, called, completed sql.NullString
			if err := r.Scan(&t.Line, &t.Status, &t.Window, &t.Transferred, &issued, &called, &completed); err != nil {
				return err
			}
			t.IssuedAt, t.CalledAt, t.CompletedAt = parseTime(issued), parseTime(called), parseTime(completed)
			out = append(out, t)
			return nil
		}, day)
	return out, err
}

func loadBookings(ctx context.Context, q queryer, day string) ([]BookingRow, error) {
	out := []BookingRow{}
	err := each(ctx, q, "bookings", `SELECT status, slot_end FROM booking WHERE date = ?`, func(r *sql.Rows) error {
		var b BookingRow
		var end sql.NullString
		if err := r.Scan(&b.Status, &end); err != nil {
			return err
		}
		b.SlotEnd = parseTime(end)
		out = append(out, b)
		return nil
	}, day)
	return out, err
}

func loadCases(ctx context.Context, q queryer) ([]CaseRow, error) {
	out := []CaseRow{}
	err := each(ctx, q, "cases", `SELECT status, due_date FROM case_file WHERE status IN ('accepted','transferred','awaiting_supplements')`,
		func(r *sql.Rows) error {
			var c CaseRow
			if err := r.Scan(&c.Status, &c.DueDate); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	return out, err
}

// loadRatings reads the ratings made from..to (UTC instants of the
// Shanghai day) and whether an appeal against each was upheld.
func loadRatings(ctx context.Context, q queryer, from, to time.Time) ([]RatingRow, error) {
	out := []RatingRow{}
	err := each(ctx, q, "ratings", `SELECT r.level, coalesce(a.status, '') = 'upheld' FROM rating r LEFT JOIN appeal a ON a.rating_id = r.id
		WHERE r.created_at >= ? AND r.created_at < ?`, func(r *sql.Rows) error {
		var x RatingRow
		if err := r.Scan(&x.Level, &x.Upheld); err != nil {
			return err
		}
		out = append(out, x)
		return nil
	}, store.FormatTime(from), store.FormatTime(to))
	return out, err
}

func loadFollowUps(ctx context.Context, q queryer) ([]string, error) {
	out := []string{}
	err := each(ctx, q, "rectifications", `SELECT due_date FROM rectification WHERE status = 'open'`, func(r *sql.Rows) error {
		var due string
		if err := r.Scan(&due); err != nil {
			return err
		}
		out = append(out, due)
		return nil
	})
	return out, err
}
