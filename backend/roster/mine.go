package roster

import (
	"context"
	"fmt"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/clock"
	"budayang/backend/store"
)

// StaffDuty is one published duty of a person, for their own list and
// their calendar subscription.
type StaffDuty struct {
	ID      string    `json:"id"`
	PlanID  string    `json:"plan_id"`
	Date    string    `json:"date"`
	ShiftID string    `json:"shift_id"`
	Shift   string    `json:"shift"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Weight  float64   `json:"weight"`
}

// DutyHistory is how far back a person's duty list and calendar reach.
const DutyHistory = 30 * 24 * time.Hour

// StaffDuties lists a person's duties in published plans ending after
// DutyHistory ago, in time order; the person themself or an
// administrator.
func (s *Service) StaffDuties(ctx context.Context, by account.Principal, staffID string) ([]StaffDuty, error) {
	if by.Role != account.RoleAdmin && by.ID != staffID {
		return nil, apperr.Errorf(apperr.Forbidden, "只能查看自己的值班。")
	}
	setup, err := s.Setup(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, sh := range setup.Shifts {
		names[sh.ID] = sh.Name
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT a.id, a.plan_id, a.date, a.shift_id, a.start_at, a.end_at, a.weight FROM roster_assignment a
		JOIN roster_plan p ON p.id = a.plan_id WHERE p.status = 'published' AND a.staff_id = ? AND a.end_at > ? ORDER BY a.start_at`,
		staffID, store.FormatTime(s.clock.Now().Add(-DutyHistory)))
	if err != nil {
		return nil, fmt.Errorf("staff duties: %w", err)
	}
	defer rows.Close()
	out := []StaffDuty{}
	for rows.Next() {
		var d StaffDuty
		var a, e string
		if err := rows.Scan(&d.ID, &d.PlanID, &d.Date, &d.ShiftID, &a, &e, &d.Weight); err != nil {
			return nil, err
		}
		st, err1 := store.ParseTime(a)
		en, err2 := store.ParseTime(e)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("roster assignment %s: bad time", d.ID)
		}
		d.Start, d.End, d.Shift = st.In(clock.Shanghai), en.In(clock.Shanghai), names[d.ShiftID]
		if d.Shift == "" {
			d.Shift = d.ShiftID
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
