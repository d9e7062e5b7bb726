package report_test

import (
	"fmt"
	"time"

	"budayang/backend/clock"
	"budayang/backend/store"
)

// on is a time of a November 2026 day in Shanghai: on(16, "09:05").
func on(day int, hm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", fmt.Sprintf("2026-11-%02d %s", day, hm), clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// servedBy sets who called a seeded ticket, as the queue records it.
func (s *seeder) servedBy(ticket, login string) error {
	return s.exec(`UPDATE ticket SET served_by = ? WHERE id = ?`, login, ticket)
}

// rateBy rates ticket for login at window; appeal and rectification as for
// rating.
func (s *seeder) rateBy(ticket, login string, window, level int, at time.Time, appeal, rectStatus string) error {
	id := store.NewID()
	ts := store.FormatTime(at)
	if err := s.exec(`INSERT INTO rating (id, site_id, ticket_id, ticket_number, window, staff_login, level, attitude, efficiency, competence, created_at, updated_at)
		SELECT ?, ?, id, number, ?, ?, ?, ?, ?, ?, ?, ? FROM ticket WHERE id = ?`, id, s.siteID, window, login, level, level, level, level, ts, ts, ticket); err != nil {
		return err
	}
	if appeal != "" {
		if err := s.exec(`INSERT INTO appeal (id, site_id, rating_id, filed_by, reason, status, created_at, updated_at) VALUES (?,?,?,?,'误评',?,?,?)`,
			store.NewID(), s.siteID, id, login, appeal, ts, ts); err != nil {
			return err
		}
	}
	if rectStatus != "" {
		return s.exec(`INSERT INTO rectification (id, site_id, rating_id, staff_login, due_date, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
			store.NewID(), s.siteID, id, login, "2026-11-30", rectStatus, ts, ts)
	}
	return nil
}

// periodCase writes a case held by staffID as the cases service leaves it:
// accepted and closed (nil: not yet) at those times, due on due (already
// moved past any pause for supplements, with paused the days it moved).
func (s *seeder) periodCase(staffID, item, dept, status string, accepted, closed *time.Time, due string, paused int) error {
	n := s.next()
	opt := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return store.FormatTime(*t)
	}
	return s.exec(`INSERT INTO case_file (id, site_id, number, item_code, item_name, department, limit_days, status, citizen_name, phone,
		responsible_id, responsible_name, holder_id, holder_name, accepted_at, due_date, paused_days, closed_at, created_at, updated_at)
		VALUES (?,?,?,?,?,?,3,?,'v1:x','v1:x',?,'某',?,'某',?,?,?,?,?,?)`, store.NewID(), s.siteID, fmt.Sprintf("20261101-%06d", n),
		item, item+"事项", dept, status, staffID, staffID, opt(accepted), due, paused, opt(closed), opt(accepted), opt(accepted))
}

// proxyCase writes a proxy case owned by staffID, opened at at.
func (s *seeder) proxyCase(staffID, village, channel string, at time.Time) error {
	n := s.next()
	ts := store.FormatTime(at)
	return s.exec(`INSERT INTO proxy_case (id, site_id, number, owner_id, owner_name, village_name, citizen_name, id_number, phone, id_index,
		item_code, item_name, department, limit_days, channel, state, state_since, created_at, updated_at)
		VALUES (?,?,?,?,'某',?,'v1:x','v1:x','v1:x',?,'MZ-001','低保申请','民政',5,?,'requested',?,?,?)`,
		store.NewID(), s.siteID, fmt.Sprintf("DB%06d", n), staffID, village, fmt.Sprintf("idx%d", n), channel, ts, ts, ts)
}

// homeVisit writes a home visit by staffID in village on day, with its
// outcome ("" before it is made).
func (s *seeder) homeVisit(staffID, village, day, outcome string) error {
	vid := "v-" + village
	if err := s.exec(`INSERT INTO village (id, name, room, created_at, updated_at) VALUES (?,?,'便民服务室',?,?) ON CONFLICT DO NOTHING`,
		vid, village, "2026-11-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z"); err != nil {
		return err
	}
	return s.exec(`INSERT INTO home_visit (id, owner_id, owner_name, village_id, village_name, citizen_name, phone, phone_index,
		day, start_min, minutes, reason, outcome, created_at, updated_at)
		VALUES (?,?,'某',?,?,'v1:x','v1:x','idx',?,540,30,'行动不便',?,?,?)`,
		store.NewID(), staffID, vid, village, day, outcome, "2026-11-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z")
}

// duty writes a published plan holding one assignment for staffID on date.
func (s *seeder) duty(staffID, date string, published bool) error {
	plan := store.NewID()
	status := "draft"
	if published {
		status = "published"
	}
	if err := s.exec(`INSERT INTO roster_plan (id, site_id, from_date, to_date, status, created_at, created_by) VALUES (?,?,?,?,?,?,'admin')`,
		plan, s.siteID, date, date, status, "2026-11-01T00:00:00.000Z"); err != nil {
		return err
	}
	return s.exec(`INSERT INTO roster_assignment (id, plan_id, date, shift_id, start_at, end_at, staff_id, weight) VALUES (?,?,?,'day',?,?,?,1)`,
		store.NewID(), plan, date, date+"T00:00:00.000Z", date+"T09:00:00.000Z", staffID)
}
