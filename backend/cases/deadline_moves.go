package cases

import (
	"context"
	"fmt"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/events"
	"budayang/backend/store"
)

// MoveNoticeDays is how long a moved deadline stays on its holder's home
// screen unacknowledged.
const MoveNoticeDays = 7

// DeadlineMove is a case deadline that a holiday arrangement stored after
// the deadline was set has moved, as the case's current holder is told.
type DeadlineMove struct {
	ID       string    `json:"id"`
	CaseID   string    `json:"case_id"`
	Number   string    `json:"number"`
	ItemName string    `json:"item_name"`
	Year     int       `json:"year"`
	OldDue   string    `json:"old_due"`
	NewDue   string    `json:"new_due"`
	At       time.Time `json:"at"`
}

// system is who the recompute is recorded as, in the case history and the
// audit log.
var system = account.Principal{Staff: account.Staff{Login: audit.System.Login, Name: "系统"}}

// estimate marks a case whose deadline runs through a year without a
// holiday arrangement: the date was counted weekends-only there and may
// move once the year's notice is stored.
func estimate(r calendar.Rules, c *Case) {
	c.DueEstimated, c.DueWarnings, c.dueUncounted = false, nil, nil
	if Closed(c.Status) || c.AcceptedAt == nil || c.DueDate == "" {
		return
	}
	due, err := calendar.ParseDate(c.DueDate)
	if err != nil {
		return
	}
	if years := r.MissingYears(*c.AcceptedAt, due); len(years) > 0 {
		c.DueEstimated, c.DueWarnings, c.dueUncounted = true, r.Warnings(*c.AcceptedAt, due), years
	}
}

// deadline is what recomputing one open case's due date needs; it reads no
// sealed field, so a site whose key is wrong can still store an arrangement.
type deadline struct {
	id, number, itemName, status, holderID, due string
	limit, paused                               int
	accepted                                    time.Time
}

// ArrangementTx is the cases' part of the calendar's ArrangementHook, run in
// the transaction that stores year's arrangement: every open accepted case
// whose count, from its acceptance to its due date (or today, for the
// supplement pauses), runs through the dates the arrangement can name gets
// its due date worked out again under the new rules, pauses included. Each
// one that changes keeps a history line, an audit line and an outbox row
// (case.deadline_moved); one whose due date moved, a DeadlineMove for its
// holder. All open cases
// are candidates, not only those first counted weekends-only: a corrected
// arrangement for a year already loaded moves deadlines too, and a case
// whose date does not change records nothing.
func (s *Service) ArrangementTx(ctx context.Context, tx *store.Tx, year int) error {
	r, err := s.cal.RulesTx(ctx, tx)
	if err != nil {
		return err
	}
	list, err := openDeadlines(ctx, tx)
	if err != nil {
		return err
	}
	// An arrangement names dates from December before its year to January
	// after it (calendar.Arrangement.Validate).
	lo, hi := fmt.Sprintf("%d-12-01", year-1), fmt.Sprintf("%d-01-31", year+1)
	today := calendar.FormatDate(tx.Now)
	for _, d := range list {
		if calendar.FormatDate(d.accepted) > hi || max(d.due, today) < lo {
			continue
		}
		paused, err := pausedDays(ctx, tx, r, d.id)
		if err != nil {
			return err
		}
		due, ok := r.AddWorkingDays(d.accepted, d.limit+paused)
		if !ok {
			return calendar.ErrNoWorkday
		}
		if newDue := calendar.FormatDate(due); newDue != d.due || paused != d.paused {
			if err := s.recount(ctx, tx, d, year, newDue, paused); err != nil {
				return err
			}
		}
	}
	return nil
}

func openDeadlines(ctx context.Context, tx *store.Tx) ([]deadline, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, number, item_name, status, holder_id, due_date, limit_days, paused_days, accepted_at
		FROM case_file WHERE status NOT IN ('completed','rejected') AND accepted_at IS NOT NULL AND due_date <> '' ORDER BY number`)
	if err != nil {
		return nil, fmt.Errorf("open deadlines: %w", err)
	}
	defer rows.Close()
	var out []deadline
	for rows.Next() {
		var d deadline
		var acc string
		if err := rows.Scan(&d.id, &d.number, &d.itemName, &d.status, &d.holderID, &d.due, &d.limit, &d.paused, &acc); err != nil {
			return nil, fmt.Errorf("open deadlines: %w", err)
		}
		if d.accepted, err = store.ParseTime(acc); err != nil {
			return nil, fmt.Errorf("open deadlines: case %s accepted at %q: %w", d.number, acc, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// pausedDays counts again, under r, the working days a case waited for
// supplements after it was accepted: each request_supplements from
// accepted to the supply that ended it, as act counts them. A pause still
// open is not counted yet.
func pausedDays(ctx context.Context, tx *store.Tx, r calendar.Rules, id string) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT at, action, from_status FROM case_event
		WHERE case_id = ? AND action IN (?, ?) ORDER BY at, rowid`, id, ActRequestSupplements, ActSupply)
	if err != nil {
		return 0, fmt.Errorf("case pauses: %w", err)
	}
	defer rows.Close()
	total := 0
	var since *time.Time
	for rows.Next() {
		var at, action, from string
		if err := rows.Scan(&at, &action, &from); err != nil {
			return 0, fmt.Errorf("case pauses: %w", err)
		}
		t, err := store.ParseTime(at)
		if err != nil {
			return 0, fmt.Errorf("case pauses: %w", err)
		}
		switch {
		case action == ActRequestSupplements && from == Accepted:
			since = &t
		case action == ActSupply && since != nil:
			total += max(r.WorkingDaysBetween(*since, t), 0)
			since = nil
		}
	}
	return total, rows.Err()
}

// recount stores a case's due date and pause worked out again. A moved
// due date is told to the holder; a pause recounted over a holiday that
// leaves the date where it was is only recorded.
func (s *Service) recount(ctx context.Context, tx *store.Tx, d deadline, year int, newDue string, paused int) error {
	now := store.FormatTime(tx.Now)
	if _, err := tx.ExecContext(ctx, `UPDATE case_file SET due_date = ?, paused_days = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		newDue, paused, now, d.id); err != nil {
		return fmt.Errorf("recount deadline of %s: %w", d.number, err)
	}
	params := Params{"year": year, "old_due": d.due, "due": newDue}
	detail := fmt.Sprintf("%d年节假日安排更新，办结期限由%s调整为%s", year, d.due, newDue)
	if paused != d.paused {
		params["old_paused"], params["paused"] = d.paused, paused
		detail += fmt.Sprintf("（补正用时由%d个工作日重算为%d个）", d.paused, paused)
	}
	if newDue == d.due {
		detail = fmt.Sprintf("%d年节假日安排更新，补正用时由%d个工作日重算为%d个，办结期限%s不变", year, d.paused, paused, newDue)
	} else if _, err := tx.ExecContext(ctx, `INSERT INTO case_deadline_move (id, case_id, year, old_due, new_due, created_at) VALUES (?,?,?,?,?,?)`,
		store.NewID(), d.id, year, d.due, newDue, now); err != nil {
		return fmt.Errorf("recount deadline of %s: %w", d.number, err)
	}
	if err := s.record(ctx, tx, system, d.id, d.number, ActDeadlineMoved, "", "", detail, params); err != nil {
		return err
	}
	// The county keeps a case's latest payload whole, so the move carries
	// the whole (masked) case: its status and holder stay readable there.
	c, err := s.getTx(ctx, tx, d.id)
	if err != nil {
		return err
	}
	if err := tx.Outbox(ctx, "case."+ActDeadlineMoved, d.id, movedCase{Case: c.county(), Year: year, OldDue: d.due}); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: EventChanged, Data: map[string]string{
				"id": d.id, "number": d.number, "status": d.status, "action": ActDeadlineMoved, "holder_id": d.holderID,
			}})
		}
	})
	return nil
}

// movedCase is the outbox payload of a moved due date: the case as every
// other change sends it, with the year whose arrangement moved it and the
// due date before.
type movedCase struct {
	Case
	Year   int    `json:"year"`
	OldDue string `json:"old_due"`
}

// ActDeadlineMoved is the history line (and audit action case.deadline_moved)
// of a due date a holiday arrangement moved; no one takes it as an action.
const ActDeadlineMoved = "deadline_moved"

// movesFor returns the moved deadlines of the cases by holds, not yet
// acknowledged and at most MoveNoticeDays old, oldest first.
func (s *Service) movesFor(ctx context.Context, by account.Principal) ([]DeadlineMove, error) {
	since := store.FormatTime(s.clock.Now().AddDate(0, 0, -MoveNoticeDays))
	rows, err := s.db.Read().QueryContext(ctx, `SELECT m.id, m.case_id, c.number, c.item_name, m.year, m.old_due, m.new_due, m.created_at
		FROM case_deadline_move m JOIN case_file c ON c.id = m.case_id
		WHERE c.holder_id = ? AND m.acknowledged_at IS NULL AND m.created_at >= ? ORDER BY m.created_at, c.number, m.rowid`, by.ID, since)
	if err != nil {
		return nil, fmt.Errorf("moved deadlines: %w", err)
	}
	defer rows.Close()
	out := []DeadlineMove{}
	for rows.Next() {
		var m DeadlineMove
		var at string
		if err := rows.Scan(&m.ID, &m.CaseID, &m.Number, &m.ItemName, &m.Year, &m.OldDue, &m.NewDue, &at); err != nil {
			return nil, fmt.Errorf("moved deadlines: %w", err)
		}
		m.At, _ = store.ParseTime(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// AcknowledgeMoves takes the listed moved deadlines off by's home screen.
// Only moves of cases by holds are acknowledged; others are left as they
// are, so a stale id is no error.
func (s *Service) AcknowledgeMoves(ctx context.Context, by account.Principal, ids []string) error {
	if len(ids) == 0 {
		return apperr.Errorf(apperr.Invalid, "请指明已知悉的期限调整。")
	}
	if len(ids) > 500 {
		return apperr.Errorf(apperr.Invalid, "一次最多确认500条期限调整。")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE case_deadline_move SET acknowledged_at = ?, acknowledged_by = ?
				WHERE id = ? AND acknowledged_at IS NULL AND case_id IN (SELECT id FROM case_file WHERE holder_id = ?)`,
				store.FormatTime(tx.Now), by.Login, id, by.ID); err != nil {
				return fmt.Errorf("acknowledge moved deadline: %w", err)
			}
		}
		return nil
	})
}
