package county

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"budayang/backend/calendar"
)

// ExplainInspection returns the plan of every query the inspection of date
// and the ranking over from..to run, each under its name: EXPLAIN ANALYZE
// on PostgreSQL (the ranking's with the setting its transaction makes),
// EXPLAIN QUERY PLAN on SQLite.
func ExplainInspection(ctx context.Context, db *sql.DB, postgres bool, date, from, to time.Time) ([]string, error) {
	j, explain := sqliteJSON, "EXPLAIN QUERY PLAN "
	if postgres {
		j, explain = postgresJSON, "EXPLAIN (ANALYZE, COSTS OFF) "
	}
	day, lo, hi := calendar.FormatDate(date), utcFrom(date), utcFrom(date.AddDate(0, 0, 1))
	plo, phi := utcFrom(from), utcFrom(to.AddDate(0, 0, 1))
	args := map[string][]any{
		"tickets": {day}, "overdue": {day}, "ratings": {lo, hi}, "followups": {day}, "raw": nil,
		"served": {calendar.FormatDate(from), calendar.FormatDate(to)}, "cases": {plo, phi}, "rated": {plo, phi},
	}
	q := j.inspectionQueries()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var out []string
	for _, name := range []string{"tickets", "overdue", "ratings", "followups", "raw", "served", "cases", "rated"} {
		if name == "served" && j.session != "" {
			if _, err := conn.ExecContext(ctx, strings.Replace(j.session, "SET LOCAL", "SET", 1)); err != nil {
				return nil, err
			}
		}
		rows, err := conn.QueryContext(ctx, explain+j.rebind(q[name]), args[name]...)
		if err != nil {
			return nil, fmt.Errorf("explain %s: %w", name, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
		}
		rows.Close()
		out = append(out, name+":\n    "+strings.Join(lines, "\n    "))
	}
	if j.session != "" {
		if _, err := conn.ExecContext(ctx, `RESET work_mem`); err != nil {
			return nil, err
		}
	}
	return out, nil
}
