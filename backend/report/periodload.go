package report

import (
	"context"
	"database/sql"

	"budayang/backend/calendar"
	"budayang/backend/store"
)

// The period loaders read a period's rows in one read transaction, each
// with one query over a range an index answers (ticket by day, case by
// acceptance and closing, rating by time; migration 0024). Dates are
// Shanghai dates computed in SQL ('+8 hours': Shanghai keeps no summer
// time), and durations are whole seconds, so a year's 500,000 tickets are
// read without parsing a timestamp in Go (BenchmarkPeriodReports).

// instants returns the UTC bounds of the Shanghai days from..to.
func instants(p Period) (string, string) {
	f, _ := calendar.ParseDate(p.From)
	t, _ := calendar.ParseDate(p.To)
	return store.FormatTime(f), store.FormatTime(t.AddDate(0, 0, 1))
}

// Queries of the period loaders, named so the benchmark explains them.
const (
	qPeriodStaff   = `SELECT id, login, name, role, active FROM staff ORDER BY name, id`
	qPeriodTickets = `SELECT id, number, day, line, status, coalesce(window, 0), served_by,
		CASE WHEN called_at IS NULL THEN -1 ELSE CAST(round((julianday(called_at) - julianday(issued_at)) * 86400) AS INTEGER) END,
		CASE WHEN called_at IS NULL OR completed_at IS NULL THEN -1 ELSE CAST(round((julianday(completed_at) - julianday(called_at)) * 86400) AS INTEGER) END
		FROM ticket WHERE day >= ? AND day <= ?`
	qPeriodCases = `SELECT id, number, item_code, item_name, department, responsible_id, status,
		coalesce(date(accepted_at, '+8 hours'), ''), coalesce(date(closed_at, '+8 hours'), ''), due_date
		FROM case_file WHERE (accepted_at >= ?1 AND accepted_at < ?2) OR (closed_at >= ?1 AND closed_at < ?2)`
	qPeriodRatings = `SELECT r.id, r.ticket_number, date(r.created_at, '+8 hours'), coalesce(t.line, ''), r.window, r.staff_login, r.level,
		coalesce(a.status, '') = 'upheld', coalesce(x.status, '')
		FROM rating r LEFT JOIN ticket t ON t.id = r.ticket_id LEFT JOIN appeal a ON a.rating_id = r.id
		LEFT JOIN rectification x ON x.rating_id = r.id
		WHERE r.created_at >= ? AND r.created_at < ?`
	qPeriodProxy = `SELECT id, number, owner_id, village_name, item_code, item_name, department, channel, state, date(created_at, '+8 hours')
		FROM proxy_case WHERE created_at >= ? AND created_at < ?`
	qPeriodShifts = `SELECT a.staff_id, a.date, a.shift_id FROM roster_assignment a JOIN roster_plan p ON p.id = a.plan_id
		WHERE p.status = 'published' AND a.staff_id IS NOT NULL AND a.date >= ? AND a.date <= ?`
	qDataStart = `SELECT coalesce(min(d), '') FROM (
		SELECT min(day) AS d FROM ticket
		UNION ALL SELECT date(min(created_at), '+8 hours') FROM case_file
		UNION ALL SELECT date(min(created_at), '+8 hours') FROM rating
		UNION ALL SELECT date(min(created_at), '+8 hours') FROM proxy_case) WHERE d IS NOT NULL`
)

// PeriodQueries are the period loaders' queries with example arguments, for
// the benchmark's query plans.
func PeriodQueries(p Period) map[string][]any {
	from, to := instants(p)
	return map[string][]any{
		"staff": nil, "tickets": {p.From, p.To}, "cases": {from, to}, "ratings": {from, to},
		"proxy": {from, to}, "shifts": {p.From, p.To}, "data start": nil,
	}
}

// PeriodQueryText returns the text of the loader query named as in PeriodQueries.
func PeriodQueryText(name string) string {
	return map[string]string{
		"staff": qPeriodStaff, "tickets": qPeriodTickets, "cases": qPeriodCases, "ratings": qPeriodRatings,
		"proxy": qPeriodProxy, "shifts": qPeriodShifts, "data start": qDataStart,
	}[name]
}

func loadDataStart(ctx context.Context, q *sql.Tx) (string, error) {
	var d string
	err := q.QueryRowContext(ctx, qDataStart).Scan(&d)
	return d, err
}

func loadPeriod(ctx context.Context, q queryer, p Period) (PeriodInput, error) {
	in := PeriodInput{Staff: []StaffRow{}}
	var err error
	if in.Lines, in.Windows, err = loadNames(ctx, q); err != nil {
		return in, err
	}
	from, to := instants(p)
	steps := []struct {
		what, query string
		args        []any
		scan        func(*sql.Rows) error
	}{
		{"staff", qPeriodStaff, nil, func(r *sql.Rows) error {
			var s StaffRow
			if err := r.Scan(&s.ID, &s.Login, &s.Name, &s.Role, &s.Active); err != nil {
				return err
			}
			in.Staff = append(in.Staff, s)
			return nil
		}},
		{"period tickets", qPeriodTickets, []any{p.From, p.To}, func(r *sql.Rows) error {
			var t PeriodTicket
			if err := r.Scan(&t.ID, &t.Number, &t.Day, &t.Line, &t.Status, &t.Window, &t.ServedBy, &t.WaitSeconds, &t.HandleSeconds); err != nil {
				return err
			}
			in.Tickets = append(in.Tickets, t)
			return nil
		}},
		{"period cases", qPeriodCases, []any{from, to}, func(r *sql.Rows) error {
			var c PeriodCase
			if err := r.Scan(&c.ID, &c.Number, &c.ItemCode, &c.ItemName, &c.Department, &c.ResponsibleID, &c.Status,
				&c.AcceptedDate, &c.ClosedDate, &c.DueDate); err != nil {
				return err
			}
			in.Cases = append(in.Cases, c)
			return nil
		}},
		{"period ratings", qPeriodRatings, []any{from, to}, func(r *sql.Rows) error {
			var x PeriodRating
			if err := r.Scan(&x.ID, &x.TicketNumber, &x.Date, &x.Line, &x.Window, &x.StaffLogin, &x.Level, &x.Upheld, &x.Rectification); err != nil {
				return err
			}
			in.Ratings = append(in.Ratings, x)
			return nil
		}},
		{"proxy cases", qPeriodProxy, []any{from, to}, func(r *sql.Rows) error {
			var x ProxyRow
			if err := r.Scan(&x.ID, &x.Number, &x.OwnerID, &x.Village, &x.ItemCode, &x.ItemName, &x.Department, &x.Channel, &x.State, &x.Date); err != nil {
				return err
			}
			in.Proxy = append(in.Proxy, x)
			return nil
		}},
		{"duties", qPeriodShifts, []any{p.From, p.To}, func(r *sql.Rows) error {
			var s ShiftRow
			if err := r.Scan(&s.StaffID, &s.Date, &s.Shift); err != nil {
				return err
			}
			in.Shifts = append(in.Shifts, s)
			return nil
		}},
	}
	for _, s := range steps {
		if err := each(ctx, q, s.what, s.query, s.scan, s.args...); err != nil {
			return in, err
		}
	}
	return in, nil
}
