package roster

import (
	"context"
	"fmt"
	"sort"
	"time"

	"budayang/backend/calendar"
	"budayang/backend/events"
	"budayang/backend/schedule"
	"budayang/backend/store"
)

// EventReminder is published for each reminder sent, one per person told;
// the window and the tray of that person show it.
const EventReminder = "roster:reminder"

// Reminder kinds.
const (
	RemindDayBefore  = "day_before"  // a duty of yours tomorrow (from DayBeforeAt the day before)
	RemindHourBefore = "hour_before" // a duty of yours within the hour
	RemindHandover   = "handover"    // a handover not acknowledged after HandoverGrace
	RemindVacant     = "vacant"      // shifts with nobody on them in the coming week (to the head)
)

// Reminder timing.
const (
	DayBeforeAt   = 16 // the day-before reminder is due from 16:00 the day before
	HandoverGrace = time.Hour
	VacantDays    = 7
	// RemindSpec runs the reminders every five minutes; a run missed while
	// the machine was off is made up at the next start (schedule.CatchUp).
	RemindSpec = "*/5 * * * *"
)

// Reminder is the roster:reminder event: the tray and window of StaffID
// show it.
type Reminder struct {
	StaffID      string    `json:"staff_id"`
	Kind         string    `json:"kind"`
	AssignmentID string    `json:"assignment_id,omitempty"`
	HandoverID   string    `json:"handover_id,omitempty"`
	Date         string    `json:"date,omitempty"`
	Shift        string    `json:"shift,omitempty"`
	Start        time.Time `json:"start,omitzero"`
	End          time.Time `json:"end,omitzero"`
	// From is who wrote an unacknowledged handover.
	From string `json:"from,omitempty"`
	// Vacant lists "date shift" for each place with nobody on it.
	Vacant []string `json:"vacant,omitempty"`
}

// Jobs are the roster's scheduled jobs for the registry.
func (s *Service) Jobs() []schedule.Job {
	return []schedule.Job{{
		Name:        "roster-reminders",
		Description: "每5分钟提醒值班（前一天16:00、开始前1小时）、超过1小时未确认的交接班和未来7天无人值守的班次",
		Spec:        RemindSpec,
		Run: func(ctx context.Context, now time.Time) error {
			_, err := s.SendReminders(ctx, now)
			return err
		},
	}}
}

// dutyReminderDue says which reminder of a duty beginning at start is due
// at now, given those already sent: the hour-before one within the hour,
// else the day-before one from DayBeforeAt the day before; "" for none.
func dutyReminderDue(start, now time.Time, sentDay, sentHour bool) string {
	if !now.Before(start) {
		return ""
	}
	if start.Sub(now) <= time.Hour {
		if sentHour {
			return ""
		}
		return RemindHourBefore
	}
	if !sentDay && !now.Before(calendar.Date(start).AddDate(0, 0, -1).Add(DayBeforeAt*time.Hour)) {
		return RemindDayBefore
	}
	return ""
}

// SendReminders sends, as at now, every roster reminder due and not sent
// before: to each person on a published duty the day before and the hour
// before it; to the next duty's people and the head a handover still
// unacknowledged HandoverGrace after it was written; to the head the places
// with nobody on them in the next VacantDays days (vacant in a published
// plan, or not covered by one). Each is sent once, so running it again, or
// catching up a missed run, sends nothing twice.
func (s *Service) SendReminders(ctx context.Context, now time.Time) ([]Reminder, error) {
	setup, err := s.Setup(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, sh := range setup.Shifts {
		names[sh.ID] = sh.Name
	}
	rules, err := s.cal.Rules(ctx)
	if err != nil {
		return nil, err
	}
	var sent []Reminder
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		sent = nil // a group commit may run this again
		due, err := dutyReminders(ctx, tx, now, names)
		if err != nil {
			return err
		}
		heads, err := admins(ctx, tx)
		if err != nil {
			return err
		}
		hs, err := handoverReminders(ctx, tx, now, names, heads)
		if err != nil {
			return err
		}
		due = append(due, hs...)
		vs, err := vacantReminders(ctx, tx, now, setup, names, rules, heads)
		if err != nil {
			return err
		}
		due = append(due, vs...)
		for _, r := range due {
			refs := []string{r.AssignmentID + r.HandoverID}
			if r.Kind == RemindVacant {
				refs = r.Vacant
			}
			for _, ref := range refs {
				if _, err := tx.ExecContext(ctx, `INSERT INTO roster_reminder (kind, ref, staff_id, sent_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING`,
					r.Kind, ref, r.StaffID, store.FormatTime(now)); err != nil {
					return fmt.Errorf("record roster reminder: %w", err)
				}
			}
		}
		sent = due
		tx.AfterCommit(func() {
			if s.pub == nil {
				return
			}
			for _, r := range due {
				s.pub.Publish(events.Event{Type: EventReminder, Data: r})
			}
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sent == nil {
		sent = []Reminder{}
	}
	return sent, nil
}

func dutyReminders(ctx context.Context, tx *store.Tx, now time.Time, names map[string]string) ([]Reminder, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.date, a.shift_id, a.start_at, a.end_at, a.staff_id,
			EXISTS (SELECT 1 FROM roster_reminder r WHERE r.kind = 'day_before' AND r.ref = a.id AND r.staff_id = a.staff_id),
			EXISTS (SELECT 1 FROM roster_reminder r WHERE r.kind = 'hour_before' AND r.ref = a.id AND r.staff_id = a.staff_id)
		FROM roster_assignment a JOIN roster_plan p ON p.id = a.plan_id
		WHERE p.status = 'published' AND a.staff_id IS NOT NULL AND a.start_at > ? AND a.start_at <= ?
		ORDER BY a.start_at, a.id`, store.FormatTime(now), store.FormatTime(now.Add(48*time.Hour)))
	if err != nil {
		return nil, fmt.Errorf("find duty reminders: %w", err)
	}
	defer rows.Close()
	var out []Reminder
	for rows.Next() {
		var r Reminder
		var start, end, shiftID string
		var sentDay, sentHour bool
		if err := rows.Scan(&r.AssignmentID, &r.Date, &shiftID, &start, &end, &r.StaffID, &sentDay, &sentHour); err != nil {
			return nil, fmt.Errorf("find duty reminders: %w", err)
		}
		r.Start, _ = store.ParseTime(start)
		r.End, _ = store.ParseTime(end)
		r.Start, r.End, r.Shift = r.Start.UTC(), r.End.UTC(), nameOr(names, shiftID)
		if r.Kind = dutyReminderDue(r.Start, now, sentDay, sentHour); r.Kind != "" {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

func nameOr(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return id
}

// admins are the active heads of the centre.
func admins(ctx context.Context, q queryer) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM staff WHERE active = 1 AND role = 'admin' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("roster heads: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func handoverReminders(ctx context.Context, tx *store.Tx, now time.Time, names map[string]string, heads []string) ([]Reminder, error) {
	list, err := readHandovers(ctx, tx, `WHERE h.acked_at IS NULL AND h.created_at <= ? ORDER BY h.created_at, h.id`, store.FormatTime(now.Add(-HandoverGrace)))
	if err != nil {
		return nil, err
	}
	var out []Reminder
	for _, h := range list {
		to := map[string]bool{}
		var ids []string
		for _, r := range h.Receivers {
			if !to[r.StaffID] {
				to[r.StaffID] = true
				ids = append(ids, r.StaffID)
			}
		}
		for _, id := range heads {
			if !to[id] {
				to[id] = true
				ids = append(ids, id)
			}
		}
		for _, id := range ids {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM roster_reminder WHERE kind = 'handover' AND ref = ? AND staff_id = ?`, h.ID, id).Scan(&n); err != nil {
				return nil, err
			}
			if n == 0 {
				out = append(out, Reminder{StaffID: id, Kind: RemindHandover, HandoverID: h.ID, Date: h.Date, Shift: nameOr(names, h.ShiftID), Start: h.NextStart.UTC(), From: h.FromName})
			}
		}
	}
	return out, nil
}

// vacantReminders finds the shifts beginning after now and within
// VacantDays with a place nobody is on, not yet told to each head.
func vacantReminders(ctx context.Context, tx *store.Tx, now time.Time, setup Setup, names map[string]string, rules calendar.Rules, heads []string) ([]Reminder, error) {
	if len(setup.Shifts) == 0 || len(heads) == 0 {
		return nil, nil
	}
	today := calendar.Date(now)
	last := today.AddDate(0, 0, VacantDays)
	horizon := now.Add(VacantDays * 24 * time.Hour)
	vacant := map[string]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT a.date, a.shift_id FROM roster_assignment a JOIN roster_plan p ON p.id = a.plan_id
		WHERE p.status = 'published' AND a.staff_id IS NULL AND a.start_at > ? AND a.start_at <= ?`, store.FormatTime(now), store.FormatTime(horizon))
	if err != nil {
		return nil, fmt.Errorf("find vacant duties: %w", err)
	}
	for rows.Next() {
		var date, shift string
		if err := rows.Scan(&date, &shift); err != nil {
			rows.Close()
			return nil, err
		}
		vacant[date+" "+nameOr(names, shift)] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	covered := map[string]bool{}
	rows, err = tx.QueryContext(ctx, `SELECT from_date, to_date FROM roster_plan WHERE status = 'published' AND from_date <= ? AND to_date >= ?`,
		calendar.FormatDate(last), calendar.FormatDate(today))
	if err != nil {
		return nil, fmt.Errorf("find published periods: %w", err)
	}
	for rows.Next() {
		var f, t string
		if err := rows.Scan(&f, &t); err != nil {
			rows.Close()
			return nil, err
		}
		for _, d := range DaysOf(rules, today, last) {
			if f <= d.Date && d.Date <= t {
				covered[d.Date] = true
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, day := range DaysOf(rules, today, last) {
		if covered[day.Date] {
			continue
		}
		for _, sh := range setup.Shifts {
			if !sh.Applies(day) {
				continue
			}
			if d := sh.DutyOn(day); d.Start.After(now) && !d.Start.After(horizon) {
				vacant[day.Date+" "+sh.Name] = true
			}
		}
	}
	keys := make([]string, 0, len(vacant))
	for k := range vacant {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []Reminder
	for _, id := range heads {
		var news []string
		for _, k := range keys {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM roster_reminder WHERE kind = 'vacant' AND ref = ? AND staff_id = ?`, k, id).Scan(&n); err != nil {
				return nil, err
			}
			if n == 0 {
				news = append(news, k)
			}
		}
		if len(news) > 0 {
			out = append(out, Reminder{StaffID: id, Kind: RemindVacant, Date: news[0][:10], Vacant: news})
		}
	}
	return out, nil
}
