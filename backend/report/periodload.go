package report

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"budayang/backend/calendar"
	"budayang/backend/store"
)

// The period loaders read a period's rows in one read transaction, each
// kind with one query over a range an index answers (ticket by day, case by
// acceptance and closing, rating and proxy case by time; migrations 0021
// and 0024). A report reads only the column its dimension groups by and the
// few the figures need: dates are Shanghai dates computed in SQL ('+8
// hours': Shanghai keeps no summer time) and a ticket's wait and handling
// time are whole seconds the database computes (migration 0025), so a
// year's 500,000 tickets cross into Go as two short strings and two
// numbers each, and are tallied as they arrive (BenchmarkPeriodReports). The drill-down reads the rows' numbers and
// dates too, but only the group's rows (the key is in the WHERE clause).

// instants returns the UTC bounds of the Shanghai days from..to.
func instants(p Period) (string, string) {
	f, _ := calendar.ParseDate(p.From)
	t, _ := calendar.ParseDate(p.To)
	return store.FormatTime(f), store.FormatTime(t.AddDate(0, 0, 1))
}

// keyColumns are, for each dimension, the SQL expression of the group key
// in each kind of row; "" leaves the kind out of that dimension.
type keyColumns struct{ ticket, rating, cases, proxy, visit, shift string }

var dimensions = map[string]keyColumns{
	ByStaff:  {"served_by", "r.staff_login", "responsible_id", "owner_id", "owner_id", "a.staff_id"},
	ByWindow: {ticket: "coalesce(window, 0)", rating: "r.window"},
	// A ticket's number is its line's prefix and digits (queue.FormatNumber),
	// so a rating's line is read off its ticket number without a join.
	ByLine:       {ticket: "line", rating: "rtrim(r.ticket_number, '0123456789')"},
	ByItem:       {cases: "item_code", proxy: "item_code"},
	ByDepartment: {cases: "department", proxy: "department"},
	ByVillage:    {proxy: "village_name", visit: "village_name"},
}

const (
	qDataStart = `SELECT coalesce(min(d), '') FROM (
		SELECT min(day) AS d FROM ticket
		UNION ALL SELECT date(min(created_at), '+8 hours') FROM case_file
		UNION ALL SELECT date(min(created_at), '+8 hours') FROM rating
		UNION ALL SELECT date(min(created_at), '+8 hours') FROM proxy_case) WHERE d IS NOT NULL`
	qStaff = `SELECT id, login, name, role, active FROM staff ORDER BY name, id`
)

// periodQuery is one loader query: its text, arguments and how a row is read.
type periodQuery struct {
	what string
	text string
	args []any
	scan func(*sql.Rows) error
}

// periodQueries builds the loaders' queries for dimension by over p into
// in; key (a group key, "" for all) narrows them to one group, and full
// reads the numbers and dates the drill-down lists.
func periodQueries(in *PeriodInput, p Period, by, key string, full bool) []periodQuery {
	d := dimensions[by]
	from, to := instants(p)
	var qs []periodQuery
	where := func(expr string, args []any) (string, []any) {
		if key == "" {
			return "", args
		}
		var k any = key
		switch {
		case by == ByStaff && (expr == "served_by" || expr == "r.staff_login"):
			k = loginOf(in.Staff, key)
		case by == ByWindow:
			// coalesce(window, 0) has no affinity: compare numbers with a number.
			n, _ := strconv.Atoi(key)
			k = n
		}
		return " AND " + expr + " = ?", append(args, k)
	}
	if d.ticket != "" {
		cols := d.ticket + ", status, wait_s, handle_s"
		if full {
			cols += ", id, number, day, line"
		}
		filter, args := where(d.ticket, []any{p.From, p.To})
		keys := map[string]string{}
		var k, status sql.RawBytes
		qs = append(qs, periodQuery{what: "tickets", args: args,
			text: "SELECT " + cols + " FROM ticket WHERE day >= ? AND day <= ? AND (called_at IS NOT NULL OR status = 'no_show')" + filter,
			scan: func(r *sql.Rows) error {
				var t PeriodTicket
				dest := []any{&k, &status, &t.WaitSeconds, &t.HandleSeconds}
				if full {
					dest = append(dest, &t.ID, &t.Number, &t.Day, &t.Line)
				}
				if err := r.Scan(dest...); err != nil {
					return err
				}
				t.Status = intern(keys, status)
				switch key := intern(keys, k); by {
				case ByStaff:
					t.ServedBy = key
				case ByWindow:
					t.Window, _ = strconv.Atoi(key)
				case ByLine:
					t.Line = key
				}
				if full {
					in.Tickets = append(in.Tickets, t)
				} else {
					in.TicketTallies.Add(t)
				}
				return nil
			}})
	}
	if d.rating != "" {
		// The report counts ratings grouped by key and level from the index
		// rating_report, then reads the few with an appeal or a rectification
		// again: once to take them out of their plain group (N < 0) and once
		// to count them with their appeal and follow-up. The drill-down reads
		// its group's rows one by one.
		filter, args := where(d.rating, []any{from, to})
		// The marked ratings are read from the appeals and rectifications
		// (CROSS JOIN keeps that order), not by testing every rating.
		marked := ` FROM (SELECT rating_id FROM appeal UNION SELECT rating_id FROM rectification) m CROSS JOIN rating r ON r.id = m.rating_id`
		adjusted := ` LEFT JOIN appeal a ON a.rating_id = r.id LEFT JOIN rectification x ON x.rating_id = r.id`
		scan := func(r *sql.Rows) error {
			x := PeriodRating{N: 1}
			var k string
			dest := []any{&k, &x.Level, &x.Upheld, &x.Rectification}
			if full {
				dest = append(dest, &x.ID, &x.TicketNumber, &x.Date, &x.Window)
			} else {
				dest = append(dest, &x.N)
			}
			if err := r.Scan(dest...); err != nil {
				return err
			}
			switch by {
			case ByStaff:
				x.StaffLogin = k
			case ByWindow:
				x.Window, _ = strconv.Atoi(k)
			case ByLine:
				x.Line = k
			}
			in.Ratings = append(in.Ratings, x)
			return nil
		}
		period := ` WHERE r.created_at >= ? AND r.created_at < ?` + filter
		if full {
			qs = append(qs, periodQuery{what: "ratings", args: args, scan: scan,
				text: "SELECT " + d.rating + `, r.level, coalesce(a.status, '') = 'upheld', coalesce(x.status, ''),
					r.id, r.ticket_number, date(r.created_at, '+8 hours'), r.window FROM rating r` + adjusted + period})
		} else {
			qs = append(qs,
				periodQuery{what: "ratings", args: args, scan: scan,
					text: "SELECT " + d.rating + ", r.level, 0, '', count(*) FROM rating r" + period + " GROUP BY 1, 2"},
				periodQuery{what: "ratings with an appeal or follow-up", args: args, scan: scan,
					text: "SELECT " + d.rating + ", r.level, 0, '', -count(*)" + marked + period + " GROUP BY 1, 2"},
				periodQuery{what: "ratings with their appeal and follow-up", args: args, scan: scan,
					text: "SELECT " + d.rating + `, r.level, coalesce(a.status, '') = 'upheld', coalesce(x.status, ''), count(*)` +
						marked + adjusted + period + " GROUP BY 1, 2, 3, 4"})
		}
	}
	if d.cases != "" {
		cols := d.cases + ", status, coalesce(date(accepted_at, '+8 hours'), ''), coalesce(date(closed_at, '+8 hours'), ''), due_date"
		if full || by == ByItem {
			cols += ", item_name"
		}
		if full {
			cols += ", id, number"
		}
		filter, args := where(d.cases, []any{from, to})
		qs = append(qs, periodQuery{what: "cases", args: args,
			text: "SELECT " + cols + " FROM case_file WHERE ((accepted_at >= ?1 AND accepted_at < ?2) OR (closed_at >= ?1 AND closed_at < ?2))" + filter,
			scan: func(r *sql.Rows) error {
				var c PeriodCase
				var k string
				dest := []any{&k, &c.Status, &c.AcceptedDate, &c.ClosedDate, &c.DueDate}
				if full || by == ByItem {
					dest = append(dest, &c.ItemName)
				}
				if full {
					dest = append(dest, &c.ID, &c.Number)
				}
				if err := r.Scan(dest...); err != nil {
					return err
				}
				switch by {
				case ByStaff:
					c.ResponsibleID = k
				case ByItem:
					c.ItemCode = k
				case ByDepartment:
					c.Department = k
				}
				in.Cases = append(in.Cases, c)
				return nil
			}})
	}
	if d.proxy != "" {
		filter, args := where(d.proxy, []any{from, to})
		qs = append(qs, periodQuery{what: "proxy cases", args: args,
			text: `SELECT id, number, owner_id, village_name, item_code, item_name, department, channel, state, date(created_at, '+8 hours')
				FROM proxy_case WHERE created_at >= ? AND created_at < ?` + filter,
			scan: func(r *sql.Rows) error {
				var x ProxyRow
				if err := r.Scan(&x.ID, &x.Number, &x.OwnerID, &x.Village, &x.ItemCode, &x.ItemName, &x.Department, &x.Channel, &x.State, &x.Date); err != nil {
					return err
				}
				in.Proxy = append(in.Proxy, x)
				return nil
			}})
	}
	if d.visit != "" {
		filter, args := where(d.visit, []any{p.From, p.To})
		qs = append(qs, periodQuery{what: "home visits", args: args,
			text: `SELECT id, owner_id, village_name, day FROM home_visit WHERE day >= ? AND day <= ? AND outcome = 'done'` + filter,
			scan: func(r *sql.Rows) error {
				var v VisitRow
				if err := r.Scan(&v.ID, &v.OwnerID, &v.Village, &v.Date); err != nil {
					return err
				}
				in.Visits = append(in.Visits, v)
				return nil
			}})
	}
	if d.shift != "" {
		filter, args := where(d.shift, []any{p.From, p.To})
		qs = append(qs, periodQuery{what: "duties", args: args,
			text: `SELECT a.staff_id, a.date, a.shift_id FROM roster_assignment a JOIN roster_plan p ON p.id = a.plan_id
				WHERE p.status = 'published' AND a.staff_id IS NOT NULL AND a.date >= ? AND a.date <= ?` + filter,
			scan: func(r *sql.Rows) error {
				var s ShiftRow
				if err := r.Scan(&s.StaffID, &s.Date, &s.Shift); err != nil {
					return err
				}
				in.Shifts = append(in.Shifts, s)
				return nil
			}})
	}
	return qs
}

// intern returns b as a string, one copy per distinct value: a year's
// tickets carry a handful of logins and states.
func intern(seen map[string]string, b []byte) string {
	if s, ok := seen[string(b)]; ok {
		return s
	}
	s := string(b)
	seen[s] = s
	return s
}

func loginOf(staff []StaffRow, id string) string {
	for _, s := range staff {
		if s.ID == id {
			return s.Login
		}
	}
	return ""
}

func loadDataStart(ctx context.Context, q *sql.Tx) (string, error) {
	var d string
	err := q.QueryRowContext(ctx, qDataStart).Scan(&d)
	return d, err
}

// loadPeriod reads the rows the period report by groups (key "" for every
// group, full for the drill-down's numbers and dates).
func loadPeriod(ctx context.Context, q queryer, p Period, by, key string, full bool) (PeriodInput, error) {
	in := PeriodInput{Staff: []StaffRow{}, TicketTallies: TicketTallies{}}
	var err error
	if in.Lines, in.Windows, err = loadNames(ctx, q); err != nil {
		return in, err
	}
	err = each(ctx, q, "staff", qStaff, func(r *sql.Rows) error {
		var s StaffRow
		if err := r.Scan(&s.ID, &s.Login, &s.Name, &s.Role, &s.Active); err != nil {
			return err
		}
		in.Staff = append(in.Staff, s)
		return nil
	})
	if err != nil {
		return in, err
	}
	for _, pq := range periodQueries(&in, p, by, key, full) {
		if err := each(ctx, q, "period "+pq.what, pq.text, pq.scan, pq.args...); err != nil {
			return in, err
		}
	}
	return in, nil
}

// ExplainPeriod returns the query plan (EXPLAIN QUERY PLAN) of every loader
// query of the period report by over p, one block per query, for the
// benchmark's log.
func ExplainPeriod(ctx context.Context, db *sql.DB, p Period, by string) (string, error) {
	in := PeriodInput{}
	var out strings.Builder
	qs := periodQueries(&in, p, by, "", false)
	qs = append(qs, periodQuery{what: "data start", text: qDataStart})
	for _, q := range qs {
		fmt.Fprintf(&out, "%s (by %s):\n", q.what, by)
		err := each(ctx, db, "plan", "EXPLAIN QUERY PLAN "+q.text, func(r *sql.Rows) error {
			var id, parent, unused int
			var detail string
			if err := r.Scan(&id, &parent, &unused, &detail); err != nil {
				return err
			}
			fmt.Fprintf(&out, "  %s\n", detail)
			return nil
		}, q.args...)
		if err != nil {
			return "", err
		}
	}
	return out.String(), nil
}
