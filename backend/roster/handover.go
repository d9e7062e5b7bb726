package roster

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/clock"
	"budayang/backend/store"
)

// MaxHandoverNote bounds a handover note, in characters.
const MaxHandoverNote = 1000

// Receiver is someone on the next duty, who may acknowledge a handover.
type Receiver struct {
	StaffID string `json:"staff_id"`
	Name    string `json:"name"`
}

// Handover is a note (交接班记录) from someone whose duty ends to whoever is
// on the next duty, which begins at NextStart.
type Handover struct {
	ID           string     `json:"id"`
	AssignmentID string     `json:"assignment_id"`
	Date         string     `json:"date"`
	ShiftID      string     `json:"shift_id"`
	Shift        string     `json:"shift"`
	FromStaffID  string     `json:"from_staff_id"`
	FromName     string     `json:"from_name"`
	NextStart    time.Time  `json:"next_start"`
	Receivers    []Receiver `json:"receivers"`
	Note         string     `json:"note"`
	CreatedAt    time.Time  `json:"created_at"`
	AckedAt      *time.Time `json:"acked_at"`
	AckedBy      string     `json:"acked_by"`
}

// AddHandover records by's handover note for their duty aid, once its duty
// has begun, for whoever is on the next published duty to acknowledge. It
// is refused when there is no next duty to hand over to, and a second note
// for the same duty is refused.
func (s *Service) AddHandover(ctx context.Context, by account.Principal, aid, note string) (Handover, error) {
	aid, note = strings.TrimSpace(aid), strings.TrimSpace(note)
	if aid == "" {
		return Handover{}, apperr.Errorf(apperr.Invalid, "请指明是哪一班值班的交接（assignment_id）。")
	}
	if note == "" {
		return Handover{}, apperr.Errorf(apperr.Invalid, "请写下交接内容。")
	}
	if utf8.RuneCountInString(note) > MaxHandoverNote {
		return Handover{}, apperr.Errorf(apperr.Invalid, "交接内容最多%d字。", MaxHandoverNote)
	}
	id := store.NewID()
	payload := map[string]string{"id": id, "assignment_id": aid, "from_staff_id": by.ID}
	err := s.write(ctx, by, "roster.handover", id, "交接班记录", payload, func(tx *store.Tx, siteID string) error {
		d, err := loadDuty(ctx, tx, aid)
		if err != nil {
			return err
		}
		if d.PlanStatus != StatusPublished || d.StaffID != by.ID {
			return apperr.Errorf(apperr.Forbidden, "只有这班的值班人员可以写交接班记录。")
		}
		if d.Start.After(tx.Now) {
			return apperr.Errorf(apperr.Conflict, "%s的这班值班还没有开始，不能交接。", d.Date)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM roster_handover WHERE assignment_id = ? AND from_staff = ?`, aid, by.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.Errorf(apperr.Conflict, "%s这班值班的交接班记录已经写过了。", d.Date)
		}
		var next sql.NullString
		err = tx.QueryRowContext(ctx, `SELECT MIN(a.start_at) FROM roster_assignment a JOIN roster_plan p ON p.id = a.plan_id
			WHERE p.status = 'published' AND a.staff_id IS NOT NULL AND a.staff_id <> ? AND a.start_at > ?`, by.ID, store.FormatTime(d.Start)).Scan(&next)
		if err != nil {
			return fmt.Errorf("next duty: %w", err)
		}
		if !next.Valid {
			return apperr.Errorf(apperr.Conflict, "之后还没有发布的值班，没有接班人可以交接。")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO roster_handover (id, site_id, assignment_id, from_staff, next_start, note, created_at) VALUES (?,?,?,?,?,?,?)`,
			id, siteID, aid, by.ID, next.String, note, store.FormatTime(tx.Now))
		if err != nil {
			return fmt.Errorf("insert roster handover: %w", err)
		}
		return nil
	})
	if err != nil {
		return Handover{}, err
	}
	return s.handover(ctx, id)
}

// AckHandover is someone on the next duty acknowledging the handover; it is
// acknowledged once.
func (s *Service) AckHandover(ctx context.Context, by account.Principal, id string) (Handover, error) {
	err := s.write(ctx, by, "roster.handover_ack", id, "确认交接", map[string]string{"id": id, "staff_id": by.ID}, func(tx *store.Tx, _ string) error {
		h, err := loadHandover(ctx, tx, id)
		if err != nil {
			return err
		}
		if h.AckedAt != nil {
			return apperr.Errorf(apperr.Conflict, "这份交接已由%s于%s确认，无需再次确认。", h.AckedBy, h.AckedAt.In(clock.Shanghai).Format("01-02 15:04"))
		}
		receiver := false
		for _, r := range h.Receivers {
			receiver = receiver || r.StaffID == by.ID
		}
		if !receiver {
			return apperr.Errorf(apperr.Forbidden, "只有接班的值班人员可以确认这份交接。")
		}
		_, err = tx.ExecContext(ctx, `UPDATE roster_handover SET acked_at = ?, acked_by = ?, version = version + 1 WHERE id = ?`,
			store.FormatTime(tx.Now), by.Name, id)
		if err != nil {
			return fmt.Errorf("acknowledge roster handover: %w", err)
		}
		return nil
	})
	if err != nil {
		return Handover{}, err
	}
	return s.handover(ctx, id)
}

const handoverSelect = `SELECT h.id, h.assignment_id, a.date, a.shift_id, h.from_staff, f.name, h.next_start, h.note, h.created_at,
	COALESCE(h.acked_at,''), h.acked_by FROM roster_handover h JOIN roster_assignment a ON a.id = h.assignment_id
	JOIN staff f ON f.id = h.from_staff `

// receiversSQL is who is on the published duties beginning at a time.
const receiversSQL = `SELECT s.id, s.name FROM roster_assignment a JOIN roster_plan p ON p.id = a.plan_id JOIN staff s ON s.id = a.staff_id
	WHERE p.status = 'published' AND a.start_at = ? ORDER BY s.name, s.id`

func readHandovers(ctx context.Context, q queryer, where string, args ...any) ([]Handover, error) {
	rows, err := q.QueryContext(ctx, handoverSelect+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read roster handovers: %w", err)
	}
	out := []Handover{}
	var starts []string
	for rows.Next() {
		var h Handover
		var next, created, acked string
		if err := rows.Scan(&h.ID, &h.AssignmentID, &h.Date, &h.ShiftID, &h.FromStaffID, &h.FromName, &next, &h.Note, &created, &acked, &h.AckedBy); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read roster handovers: %w", err)
		}
		t, _ := store.ParseTime(next)
		h.NextStart = t.In(clock.Shanghai)
		c, _ := store.ParseTime(created)
		h.CreatedAt = c.UTC()
		if a, err := store.ParseTime(acked); acked != "" && err == nil {
			a = a.UTC()
			h.AckedAt = &a
		}
		out = append(out, h)
		starts = append(starts, next)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		rs, err := receivers(ctx, q, starts[i])
		if err != nil {
			return nil, err
		}
		out[i].Receivers = rs
	}
	return out, nil
}

// receivers reads who is on the duties beginning at start: after a swap the
// person who took the next duty acknowledges, not the one who gave it up.
func receivers(ctx context.Context, q queryer, start string) ([]Receiver, error) {
	rows, err := q.QueryContext(ctx, receiversSQL, start)
	if err != nil {
		return nil, fmt.Errorf("handover receivers: %w", err)
	}
	defer rows.Close()
	out := []Receiver{}
	for rows.Next() {
		var r Receiver
		if err := rows.Scan(&r.StaffID, &r.Name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func loadHandover(ctx context.Context, q queryer, id string) (Handover, error) {
	list, err := readHandovers(ctx, q, `WHERE h.id = ?`, id)
	if err != nil {
		return Handover{}, err
	}
	if len(list) == 0 {
		return Handover{}, apperr.Errorf(apperr.NotFound, "没有这份交接班记录。")
	}
	return list[0], nil
}

func (s *Service) handover(ctx context.Context, id string) (Handover, error) {
	h, err := loadHandover(ctx, s.db.Read(), id)
	if err != nil {
		return Handover{}, err
	}
	names, err := s.shiftNames(ctx)
	h.Shift = nameOr(names, h.ShiftID)
	return h, err
}

// Handovers lists handovers, newest first, at most 200. pending keeps the
// unacknowledged ones: for the head all of them (an unacknowledged handover
// is shown to the head), for anyone else those they are to acknowledge.
// Otherwise it lists the ones a person wrote or received, or all for the
// head.
func (s *Service) Handovers(ctx context.Context, by account.Principal, pending bool) ([]Handover, error) {
	const receivedBy = `EXISTS (SELECT 1 FROM roster_assignment r JOIN roster_plan rp ON rp.id = r.plan_id
		WHERE rp.status = 'published' AND r.start_at = h.next_start AND r.staff_id = ?)`
	admin := by.Role == account.RoleAdmin
	where := `WHERE 1 = 1`
	var args []any
	switch {
	case pending && admin:
		where += ` AND h.acked_at IS NULL`
	case pending:
		where += ` AND h.acked_at IS NULL AND ` + receivedBy
		args = append(args, by.ID)
	case !admin:
		where += ` AND (h.from_staff = ? OR ` + receivedBy + `)`
		args = append(args, by.ID, by.ID)
	}
	list, err := readHandovers(ctx, s.db.Read(), where+` ORDER BY h.created_at DESC, h.id LIMIT 200`, args...)
	if err != nil {
		return nil, err
	}
	names, err := s.shiftNames(ctx)
	for i := range list {
		list[i].Shift = nameOr(names, list[i].ShiftID)
	}
	return list, err
}
