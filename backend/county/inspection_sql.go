package county

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"budayang/backend/calendar"
)

// jsonSQL is how one engine reads a record's JSON payload: SQLite through
// json_extract on the text, PostgreSQL through ->> on the stored jsonb
// column doc (migrations_pg/0003). The migrations index exactly these
// expressions, so each query below names a field the way its index does.
type jsonSQL struct {
	// text is a field's value as text (a path of keys into nested objects).
	text func(path ...string) string
	// num is a field's value as an integer.
	num func(path ...string) string
	// localDate is the Shanghai date (YYYY-MM-DD) of a UTC timestamp field.
	localDate func(path ...string) string
	// rebind turns the ? placeholders into the engine's.
	rebind func(q string) string
	// session, when set, is run first in a read-only transaction that
	// holds the ranking's queries (one snapshot); SQLite reads through its
	// single connection without one.
	session string
}

var sqliteJSON = jsonSQL{
	text: func(p ...string) string { return `json_extract(data, '$.` + strings.Join(p, ".") + `')` },
	num:  func(p ...string) string { return `json_extract(data, '$.` + strings.Join(p, ".") + `')` },
	localDate: func(p ...string) string {
		return `date(json_extract(data, '$.` + strings.Join(p, ".") + `'), '+8 hours')`
	},
	rebind: func(q string) string { return q },
}

var postgresJSON = jsonSQL{
	text: pgText,
	num:  func(p ...string) string { return `(` + pgText(p...) + `)::int` },
	localDate: func(p ...string) string {
		return `to_char((` + pgText(p...) + `)::timestamp + interval '8 hours', 'YYYY-MM-DD')`
	},
	// A year's ranking groups a million tickets: with the default 4 MB the
	// bitmap of their pages goes lossy and the grouping sorts on disk.
	session: `SET LOCAL work_mem = '64MB'`,
	rebind: func(q string) string {
		var b strings.Builder
		n := 0
		for _, r := range q {
			if r == '?' {
				n++
				b.WriteString("$" + strconv.Itoa(n))
				continue
			}
			b.WriteRune(r)
		}
		return b.String()
	},
}

func pgText(p ...string) string {
	if len(p) == 1 {
		return `(doc ->> '` + p[0] + `')`
	}
	return `(doc #>> '{` + strings.Join(p, ",") + `}')`
}

// utcFrom is the first instant of a Shanghai date as the prefix of a stored
// UTC timestamp: payload times are UTC ("…Z", fractions trimmed), so a
// timestamp on the date or after compares >= it as text.
func utcFrom(date time.Time) string {
	return calendar.Date(date).In(time.UTC).Format("2006-01-02T15:04:05")
}

// Queries of the inspection and the ranking, written once for both
// engines; each names its index in the migrations.
func (j jsonSQL) inspectionQueries() map[string]string {
	status, caseRunning := j.text("status"), j.text("status")+` IN ('accepted', 'transferred')`
	return map[string]string{
		// record_ticket_day
		"tickets": `SELECT site_id, ` + status + `, count(*) FROM record WHERE kind = 'ticket' AND ` + j.text("day") + ` = ? GROUP BY 1, 2`,
		// record_case_running
		"overdue": `SELECT site_id, count(*) FROM record WHERE kind = 'case' AND ` + caseRunning + `
			AND ` + j.text("due_date") + ` <> '' AND ` + j.text("due_date") + ` < ? GROUP BY site_id`,
		// record_rating_created
		"ratings": `SELECT site_id, count(*), sum(CASE WHEN ` + j.num("level") + ` <= 2 THEN 1 ELSE 0 END) FROM record
			WHERE kind = 'rating' AND ` + j.text("created_at") + ` >= ? AND ` + j.text("created_at") + ` < ?
			AND coalesce(` + j.text("appeal", "status") + `, '') <> 'upheld' GROUP BY site_id`,
		// record_rating_open
		"followups": `SELECT site_id, count(*) FROM record WHERE kind = 'rating' AND ` + j.text("rectification", "status") + ` = 'open'
			AND ` + j.text("rectification", "due_date") + ` < ? GROUP BY site_id`,
		// record_small_kinds
		"raw": `SELECT kind, site_id, id, data FROM record WHERE kind IN ('site', 'staff', 'duty')`,
		// record_ticket_served, from the index alone: the ticket columns
		// (migrations 0006, PostgreSQL 0004) rather than the payload.
		"served": `SELECT site_id, ticket_served_by, count(*) FROM record WHERE kind = 'ticket'
			AND ticket_day >= ? AND ticket_day <= ? AND ticket_status = 'completed' GROUP BY 1, 2`,
		// record_case_closed
		"cases": `SELECT site_id, coalesce(` + j.text("responsible_id") + `, ''), count(*),
			sum(CASE WHEN coalesce(` + j.text("due_date") + `, '') = '' OR ` + j.localDate("closed_at") + ` <= ` + j.text("due_date") + ` THEN 1 ELSE 0 END)
			FROM record WHERE kind = 'case' AND ` + j.text("closed_at") + ` >= ? AND ` + j.text("closed_at") + ` < ?
			AND ` + status + ` <> 'transferred' GROUP BY 1, 2`,
		// record_rating_created
		"rated": `SELECT site_id, coalesce(` + j.text("staff_login") + `, ''), count(*),
			sum(CASE WHEN ` + j.num("level") + ` >= 4 THEN 1 ELSE 0 END), sum(CASE WHEN ` + j.num("level") + ` <= 2 THEN 1 ELSE 0 END)
			FROM record WHERE kind = 'rating' AND ` + j.text("created_at") + ` >= ? AND ` + j.text("created_at") + ` < ?
			AND coalesce(` + j.text("appeal", "status") + `, '') <> 'upheld' GROUP BY 1, 2`,
	}
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func each(ctx context.Context, db querier, q string, args []any, scan func(rows *sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func siteRows(ctx context.Context, db querier) ([]SiteRow, error) {
	var out []SiteRow
	err := each(ctx, db, `SELECT id, name, kind, last_sync_at, revoked_at IS NOT NULL FROM site ORDER BY name, id`, nil, func(rows *sql.Rows) error {
		var s SiteRow
		var last sql.NullString
		if err := rows.Scan(&s.ID, &s.Name, &s.Kind, &last, &s.Revoked); err != nil {
			return err
		}
		s.LastSyncAt = optTime(last)
		out = append(out, s)
		return nil
	})
	return out, err
}

func rawRows(ctx context.Context, db querier, q string) (profiles, staff, duties []RawRecord, err error) {
	err = each(ctx, db, q, nil, func(rows *sql.Rows) error {
		var kind string
		var r RawRecord
		var data string
		if err := rows.Scan(&kind, &r.SiteID, &r.ID, &data); err != nil {
			return err
		}
		r.Data = []byte(data)
		switch kind {
		case "site":
			profiles = append(profiles, r)
		case "staff":
			staff = append(staff, r)
		case "duty":
			duties = append(duties, r)
		}
		return nil
	})
	return profiles, staff, duties, err
}

// loadInspection is Store.InspectionRows for either engine.
func loadInspection(ctx context.Context, db *sql.DB, j jsonSQL, date time.Time) (InspectionRows, error) {
	q := j.inspectionQueries()
	day := calendar.FormatDate(date)
	var r InspectionRows
	var err error
	if r.Sites, err = siteRows(ctx, db); err != nil {
		return r, fmt.Errorf("inspection sites: %w", err)
	}
	count := func(name string, args ...any) ([]SiteCount, error) {
		var out []SiteCount
		err := each(ctx, db, j.rebind(q[name]), args, func(rows *sql.Rows) error {
			var c SiteCount
			if err := rows.Scan(&c.SiteID, &c.N); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("inspection %s: %w", name, err)
		}
		return out, nil
	}
	err = each(ctx, db, j.rebind(q["tickets"]), []any{day}, func(rows *sql.Rows) error {
		var c StatusCount
		var status sql.NullString
		if err := rows.Scan(&c.SiteID, &status, &c.N); err != nil {
			return err
		}
		c.Status = status.String
		r.Tickets = append(r.Tickets, c)
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("inspection tickets: %w", err)
	}
	if r.Overdue, err = count("overdue", day); err != nil {
		return r, err
	}
	if r.LateFollowUps, err = count("followups", day); err != nil {
		return r, err
	}
	err = each(ctx, db, j.rebind(q["ratings"]), []any{utcFrom(date), utcFrom(date.AddDate(0, 0, 1))}, func(rows *sql.Rows) error {
		var c RatingCount
		if err := rows.Scan(&c.SiteID, &c.Rated, &c.Bad); err != nil {
			return err
		}
		r.Ratings = append(r.Ratings, c)
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("inspection ratings: %w", err)
	}
	if r.Profiles, r.Staff, r.Duties, err = rawRows(ctx, db, q["raw"]); err != nil {
		return r, fmt.Errorf("inspection records: %w", err)
	}
	return r, nil
}

// loadRanking is Store.RankingRows for either engine.
func loadRanking(ctx context.Context, pool *sql.DB, j jsonSQL, from, to time.Time) (RankingRows, error) {
	var db querier = pool
	if j.session != "" {
		tx, err := pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return RankingRows{}, fmt.Errorf("ranking: %w", err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, j.session); err != nil {
			return RankingRows{}, fmt.Errorf("ranking: %w", err)
		}
		db = tx
	}
	q := j.inspectionQueries()
	var r RankingRows
	var err error
	if r.Sites, err = siteRows(ctx, db); err != nil {
		return r, fmt.Errorf("ranking sites: %w", err)
	}
	if _, r.Staff, _, err = rawRows(ctx, db, q["raw"]); err != nil {
		return r, fmt.Errorf("ranking staff: %w", err)
	}
	err = each(ctx, db, j.rebind(q["served"]), []any{calendar.FormatDate(from), calendar.FormatDate(to)}, func(rows *sql.Rows) error {
		var c PersonCount
		var key sql.NullString
		if err := rows.Scan(&c.SiteID, &key, &c.N); err != nil {
			return err
		}
		c.Key = key.String
		r.Served = append(r.Served, c)
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("ranking tickets: %w", err)
	}
	lo, hi := utcFrom(from), utcFrom(to.AddDate(0, 0, 1))
	err = each(ctx, db, j.rebind(q["cases"]), []any{lo, hi}, func(rows *sql.Rows) error {
		var c CaseFigures
		if err := rows.Scan(&c.SiteID, &c.ResponsibleID, &c.Closed, &c.OnTime); err != nil {
			return err
		}
		r.Cases = append(r.Cases, c)
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("ranking cases: %w", err)
	}
	err = each(ctx, db, j.rebind(q["rated"]), []any{lo, hi}, func(rows *sql.Rows) error {
		var c RatingFigures
		if err := rows.Scan(&c.SiteID, &c.StaffLogin, &c.Rated, &c.Good, &c.Bad); err != nil {
			return err
		}
		r.Ratings = append(r.Ratings, c)
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("ranking ratings: %w", err)
	}
	return r, nil
}
