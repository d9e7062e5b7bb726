package rating

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/store"
)

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// query loads ratings with their rectification, appeal and return calls.
func (s *Service) query(ctx context.Context, q querier, where string, args ...any) ([]Rating, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.ticket_id, r.ticket_number, coalesce(r.case_id, ''), r.window, r.staff_login, coalesce(s.name, r.staff_login), r.level,
			r.attitude, r.efficiency, r.competence, r.reason, r.citizen_name, r.phone, r.created_at,
			coalesce(rc.id, ''), coalesce(rc.due_date, ''), coalesce(rc.status, ''), coalesce(rc.note, ''),
			coalesce(a.id, ''), coalesce(a.filed_by, ''), coalesce(a.reason, ''), coalesce(a.status, ''), coalesce(a.decided_by, ''), coalesce(a.decision, '')
		FROM rating r
		LEFT JOIN rectification rc ON rc.rating_id = r.id
		LEFT JOIN appeal a ON a.rating_id = r.id
		LEFT JOIN staff s ON s.login = r.staff_login
		WHERE `+where+` ORDER BY r.created_at DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("list ratings: %w", err)
	}
	defer rows.Close()
	today := s.clock.Now().In(clock.Shanghai).Format("2006-01-02")
	out := []Rating{}
	for rows.Next() {
		var r Rating
		var created string
		var rc Rectification
		var a Appeal
		if err := rows.Scan(&r.ID, &r.TicketID, &r.TicketNumber, &r.CaseID, &r.Window, &r.StaffLogin, &r.StaffName, &r.Level, &r.Attitude, &r.Efficiency,
			&r.Competence, &r.Reason, &r.CitizenName, &r.Phone, &created, &rc.ID, &rc.DueDate, &rc.Status, &rc.Note,
			&a.ID, &a.FiledBy, &a.Reason, &a.Status, &a.DecidedBy, &a.Decision); err != nil {
			return nil, fmt.Errorf("list ratings: %w", err)
		}
		if err := s.open(&r); err != nil {
			return nil, err
		}
		r.CreatedAt, _ = store.ParseTime(created)
		r.LevelName, r.Bad = Levels[r.Level], IsBad(r.Level)
		if rc.ID != "" {
			rc.StaffLogin = r.StaffLogin
			rc.Overdue = rc.Status == "open" && rc.DueDate < today
			r.Rectification = &rc
		}
		if a.ID != "" {
			r.Appeal = &a
		}
		r.ReturnCalls = []ReturnCall{}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := s.loadCalls(ctx, q, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Service) loadCalls(ctx context.Context, q querier, r *Rating) error {
	rows, err := q.QueryContext(ctx, `SELECT id, called_by, outcome, note, created_at FROM return_call WHERE rating_id = ? ORDER BY created_at`, r.ID)
	if err != nil {
		return fmt.Errorf("list return calls: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c ReturnCall
		var created string
		if err := rows.Scan(&c.ID, &c.CalledBy, &c.Outcome, &c.Note, &created); err != nil {
			return fmt.Errorf("list return calls: %w", err)
		}
		c.CreatedAt, _ = store.ParseTime(created)
		r.ReturnCalls = append(r.ReturnCalls, c)
	}
	named := r.CitizenName != "" || r.Phone != ""
	r.ReturnCallDue = r.Bad && named && len(r.ReturnCalls) == 0 && (r.Appeal == nil || r.Appeal.Status != "upheld")
	return rows.Err()
}

// List returns ratings, newest first: every rating for the centre head, a
// clerk's own otherwise. badOnly keeps the bad ratings. The citizen's name
// and phone are shown to the head, who makes the return calls, the read
// audited, and masked for others.
func (s *Service) List(ctx context.Context, by account.Principal, badOnly bool) ([]Rating, error) {
	where, args := "1 = 1", []any{}
	if by.Role != account.RoleAdmin {
		where, args = "r.staff_login = ?", []any{by.Login}
	}
	if badOnly {
		where += " AND r.level <= 2"
	}
	list, err := s.query(ctx, s.db.Read(), where, args...)
	if err != nil {
		return nil, err
	}
	if by.Role != account.RoleAdmin {
		for i := range list {
			list[i] = masked(list[i])
		}
		return list, nil
	}
	named := 0
	for _, r := range list {
		if r.CitizenName != "" || r.Phone != "" {
			named++
		}
	}
	if named == 0 {
		return list, nil
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, by.Actor(), "rating.read", "", fmt.Sprintf("查看%d条评价中群众的完整姓名和电话", named))
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// AddReturnCall records a call back to the citizen of a bad rating; the
// centre head makes them.
func (s *Service) AddReturnCall(ctx context.Context, by account.Principal, ratingID, outcome, note string) (Rating, error) {
	if err := requireHead(by); err != nil {
		return Rating{}, err
	}
	outcome = strings.TrimSpace(outcome)
	if outcome == "" {
		return Rating{}, apperr.Errorf(apperr.Invalid, "请填写回访结果（如：已解决、群众满意、未接通）。")
	}
	return s.change(ctx, by, ratingID, "rating.return_call", ReturnCallSaved, func(tx *store.Tx, r Rating) error {
		if !r.Bad {
			return apperr.Errorf(apperr.Conflict, "只有差评需要回访。")
		}
		ts := store.FormatTime(tx.Now)
		_, err := tx.ExecContext(ctx, `INSERT INTO return_call (id, site_id, rating_id, called_by, outcome, note, created_at, updated_at)
			VALUES (?, (SELECT id FROM site LIMIT 1), ?,?,?,?,?,?)`, store.NewID(), r.ID, by.Login, outcome, strings.TrimSpace(note), ts, ts)
		return err
	})
}

// CloseRectification marks a rectification done, by the clerk it belongs to
// or the centre head.
func (s *Service) CloseRectification(ctx context.Context, by account.Principal, ratingID, note string) (Rating, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return Rating{}, apperr.Errorf(apperr.Invalid, "请写明整改措施。")
	}
	return s.change(ctx, by, ratingID, "rectification.done", RectifyChanged, func(tx *store.Tx, r Rating) error {
		if r.Rectification == nil || r.Rectification.Status != "open" {
			return apperr.Errorf(apperr.Conflict, "这条评价没有待办的整改。")
		}
		if by.Role != account.RoleAdmin && by.Login != r.StaffLogin {
			return apperr.Errorf(apperr.Forbidden, "只能办结自己的整改。")
		}
		_, err := tx.ExecContext(ctx, `UPDATE rectification SET status = 'done', note = ?, closed_by = ?, closed_at = ?, updated_at = ?, version = version + 1
			WHERE id = ?`, note, by.Login, store.FormatTime(tx.Now), store.FormatTime(tx.Now), r.Rectification.ID)
		return err
	})
}

// FileAppeal asks the centre head to void a rating given in error; the
// clerk who served files it, once per rating.
func (s *Service) FileAppeal(ctx context.Context, by account.Principal, ratingID, reason string) (Rating, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Rating{}, apperr.Errorf(apperr.Invalid, "请说明申诉理由。")
	}
	return s.change(ctx, by, ratingID, "appeal.file", AppealFiled, func(tx *store.Tx, r Rating) error {
		if by.Login != r.StaffLogin && by.Role != account.RoleAdmin {
			return apperr.Errorf(apperr.Forbidden, "只能对自己受理服务的评价申诉。")
		}
		if r.Appeal != nil {
			return apperr.Errorf(apperr.Conflict, "这条评价已经申诉过。")
		}
		ts := store.FormatTime(tx.Now)
		_, err := tx.ExecContext(ctx, `INSERT INTO appeal (id, site_id, rating_id, filed_by, reason, status, created_at, updated_at)
			VALUES (?, (SELECT id FROM site LIMIT 1), ?,?,?, 'pending', ?,?)`, store.NewID(), r.ID, by.Login, reason, ts, ts)
		return err
	})
}

// DecideAppeal upholds (the rating is voided with its rectification) or
// rejects a pending appeal; the centre head decides.
func (s *Service) DecideAppeal(ctx context.Context, by account.Principal, ratingID string, upheld bool, decision string) (Rating, error) {
	if err := requireHead(by); err != nil {
		return Rating{}, err
	}
	decision = strings.TrimSpace(decision)
	if decision == "" {
		return Rating{}, apperr.Errorf(apperr.Invalid, "请写明处理意见。")
	}
	return s.change(ctx, by, ratingID, "appeal.decide", AppealDecided, func(tx *store.Tx, r Rating) error {
		if r.Appeal == nil || r.Appeal.Status != "pending" {
			return apperr.Errorf(apperr.Conflict, "这条评价没有待处理的申诉。")
		}
		status := "rejected"
		if upheld {
			status = "upheld"
		}
		ts := store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `UPDATE appeal SET status = ?, decided_by = ?, decision = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			status, by.Login, decision, ts, r.Appeal.ID); err != nil {
			return err
		}
		if upheld && r.Rectification != nil && r.Rectification.Status == "open" {
			_, err := tx.ExecContext(ctx, `UPDATE rectification SET status = 'void', note = ?, closed_by = ?, closed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
				"申诉成立："+decision, by.Login, ts, ts, r.Rectification.ID)
			return err
		}
		return nil
	})
}

// change applies one follow-up to a rating in a transaction, with its audit
// line, outbox row and event.
func (s *Service) change(ctx context.Context, by account.Principal, ratingID, action, event string, apply func(tx *store.Tx, r Rating) error) (Rating, error) {
	var r Rating
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		cur, err := s.ratingTx(ctx, tx, ratingID)
		if err != nil {
			return err
		}
		if err := apply(tx, cur); err != nil {
			if _, ok := err.(*apperr.Error); ok {
				return err
			}
			return fmt.Errorf("%s %s: %w", action, ratingID, err)
		}
		if r, err = s.ratingTx(ctx, tx, ratingID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, by.Actor(), action, r.TicketNumber, r.LevelName); err != nil {
			return err
		}
		if err := tx.Outbox(ctx, action, r.ID, masked(r)); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			if s.pub != nil {
				s.pub.Publish(events.Event{Type: event, Data: masked(r)})
			}
		})
		return nil
	})
	if err == nil && by.Role != account.RoleAdmin {
		r = masked(r)
	}
	return r, err
}

// Overdue counts open rectifications past their due date, for the head's
// home screen.
func (s *Service) Overdue(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT count(*) FROM rectification WHERE status = 'open' AND due_date < ?`,
		now.In(clock.Shanghai).Format("2006-01-02")).Scan(&n)
	return n, err
}
