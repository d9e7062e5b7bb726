package roster

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/clock"
	"budayang/backend/store"
)

// Swap statuses: proposed by the person on duty, accepted by the colleague,
// approved by the head (the duty changes hands), or declined or cancelled.
const (
	SwapProposed  = "proposed"
	SwapAccepted  = "accepted"
	SwapApproved  = "approved"
	SwapDeclined  = "declined"
	SwapCancelled = "cancelled"
)

// Swap is a proposal that a published duty change hands.
type Swap struct {
	ID           string    `json:"id"`
	Status       string    `json:"status"`
	AssignmentID string    `json:"assignment_id"`
	PlanID       string    `json:"plan_id"`
	Date         string    `json:"date"`
	ShiftID      string    `json:"shift_id"`
	Shift        string    `json:"shift"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	FromStaffID  string    `json:"from_staff_id"`
	FromName     string    `json:"from_name"`
	ToStaffID    string    `json:"to_staff_id"`
	ToName       string    `json:"to_name"`
	CreatedAt    string    `json:"created_at"`
	UpdatedAt    string    `json:"updated_at"`
	DecidedBy    string    `json:"decided_by"`
}

// ruleLabels word the hard rules for a refusal that names the rule broken.
var ruleLabels = map[string]string{
	RuleUnavailable: "不可值班日期",
	RulePerDay:      "每天班数",
	RuleRest:        "两班间隔",
	RuleConsecutive: "连续值班天数",
	RuleOverlap:     "时间重叠",
	RuleRole:        "岗位要求",
}

// placedDuty is a duty with its plan's id and status.
type placedDuty struct {
	Duty
	PlanID     string
	PlanStatus string
}

func loadDuty(ctx context.Context, q queryer, aid string) (placedDuty, error) {
	var d placedDuty
	var start, end string
	err := q.QueryRowContext(ctx, `SELECT a.id, a.date, a.shift_id, a.start_at, a.end_at, COALESCE(a.staff_id,''), a.weight, a.plan_id, p.status
		FROM roster_assignment a JOIN roster_plan p ON p.id = a.plan_id WHERE a.id = ?`, aid).
		Scan(&d.ID, &d.Date, &d.ShiftID, &start, &end, &d.StaffID, &d.Weight, &d.PlanID, &d.PlanStatus)
	if errors.Is(err, sql.ErrNoRows) {
		return placedDuty{}, apperr.Errorf(apperr.NotFound, "没有编号为%s的值班。", aid)
	}
	if err != nil {
		return placedDuty{}, fmt.Errorf("read roster assignment: %w", err)
	}
	a, err1 := store.ParseTime(start)
	b, err2 := store.ParseTime(end)
	if err1 != nil || err2 != nil {
		return placedDuty{}, fmt.Errorf("roster assignment %s: bad time", aid)
	}
	d.Start, d.End = a.In(clock.Shanghai), b.In(clock.Shanghai)
	return d, nil
}

// checkGive reports, as a Conflict naming the rule, a hard rule that giving
// the duty aid of planID to staffID would break given the roster as it is.
func checkGive(ctx context.Context, tx *store.Tx, setup Setup, planID, aid, staffID string) error {
	p, err := loadPlan(ctx, tx, planID)
	if err != nil {
		return err
	}
	ps, err := people(ctx, tx)
	if err != nil {
		return err
	}
	h, err := held(ctx, tx, planID, p.From, p.To)
	if err != nil {
		return err
	}
	_, err = Edit(setup.Rules, ps, setup.Shifts, p.Assignments, h, aid, staffID)
	var v *Violation
	if errors.As(err, &v) {
		return apperr.Errorf(apperr.Conflict, "换班违反排班规则“%s”：%s", ruleLabels[v.Rule], v.Message)
	}
	return err
}

func activeStaff(ctx context.Context, q queryer, id string) error {
	var active bool
	err := q.QueryRowContext(ctx, `SELECT active FROM staff WHERE id = ?`, id).Scan(&active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
		return apperr.Errorf(apperr.NotFound, "没有这位工作人员，或已停用。")
	}
	return err
}

// ProposeSwap proposes that the person on the published duty aid hand it to
// withStaffID. Only the person on that duty may propose, before it begins,
// and only one open swap per duty; a swap that would break a hard rule is
// refused naming the rule.
func (s *Service) ProposeSwap(ctx context.Context, by account.Principal, aid, withStaffID string) (Swap, error) {
	aid, withStaffID = strings.TrimSpace(aid), strings.TrimSpace(withStaffID)
	if aid == "" || withStaffID == "" {
		return Swap{}, apperr.Errorf(apperr.Invalid, "请指明要换的值班（assignment_id）和换给谁（with_staff_id）。")
	}
	if withStaffID == by.ID {
		return Swap{}, apperr.Errorf(apperr.Invalid, "不能和自己换班。")
	}
	setup, err := s.Setup(ctx)
	if err != nil {
		return Swap{}, err
	}
	id := store.NewID()
	payload := map[string]string{"id": id, "assignment_id": aid, "from_staff_id": by.ID, "to_staff_id": withStaffID}
	err = s.write(ctx, by, "roster.swap_propose", id, "换给"+withStaffID, payload, func(tx *store.Tx, siteID string) error {
		d, err := loadDuty(ctx, tx, aid)
		if err != nil {
			return err
		}
		if d.PlanStatus != StatusPublished {
			return apperr.Errorf(apperr.Conflict, "这班值班所在的排班还没有发布，请直接找负责人调整。")
		}
		if d.StaffID != by.ID {
			return apperr.Errorf(apperr.Forbidden, "只有这班的值班人员本人可以提出换班。")
		}
		if !d.Start.After(tx.Now) {
			return apperr.Errorf(apperr.Conflict, "%s的这班值班已经开始，不能再换。", d.Date)
		}
		if err := activeStaff(ctx, tx, withStaffID); err != nil {
			return err
		}
		var open string
		err = tx.QueryRowContext(ctx, `SELECT status FROM roster_swap WHERE assignment_id = ? AND status IN ('proposed','accepted')`, aid).Scan(&open)
		if err == nil {
			return apperr.Errorf(apperr.Conflict, "这班值班已有一个待处理的换班，请先取消它。")
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := checkGive(ctx, tx, setup, d.PlanID, aid, withStaffID); err != nil {
			return err
		}
		now := store.FormatTime(tx.Now)
		_, err = tx.ExecContext(ctx, `INSERT INTO roster_swap (id, site_id, assignment_id, from_staff, to_staff, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
			id, siteID, aid, by.ID, withStaffID, SwapProposed, now, now)
		if err != nil {
			return fmt.Errorf("insert roster swap: %w", err)
		}
		return nil
	})
	if err != nil {
		return Swap{}, err
	}
	return s.swap(ctx, id)
}

// AcceptSwap is the colleague agreeing to take the duty; the head approves
// next.
func (s *Service) AcceptSwap(ctx context.Context, by account.Principal, id string) (Swap, error) {
	err := s.write(ctx, by, "roster.swap_accept", id, "同意换班", map[string]string{"id": id}, func(tx *store.Tx, _ string) error {
		sw, err := loadSwap(ctx, tx, id)
		if err != nil {
			return err
		}
		if sw.ToStaffID != by.ID {
			return apperr.Errorf(apperr.Forbidden, "只有被邀请换班的人可以同意。")
		}
		if err := sw.mustBe(SwapProposed); err != nil {
			return err
		}
		if !sw.Start.After(tx.Now) {
			return apperr.Errorf(apperr.Conflict, "%s的这班值班已经开始，不能再换。", sw.Date)
		}
		return setSwapStatus(ctx, tx, id, SwapAccepted, "")
	})
	if err != nil {
		return Swap{}, err
	}
	return s.swap(ctx, id)
}

// ApproveSwap is the head approving an accepted swap: the duty passes to
// the colleague and the plan's history says so. The hard rules are checked
// again, since the roster may have changed since the proposal, and a duty
// no longer held by the proposer is refused.
func (s *Service) ApproveSwap(ctx context.Context, by account.Principal, id string) (Swap, error) {
	if by.Role != account.RoleAdmin {
		return Swap{}, apperr.Errorf(apperr.Forbidden, "只有负责人可以批准换班。")
	}
	setup, err := s.Setup(ctx)
	if err != nil {
		return Swap{}, err
	}
	err = s.write(ctx, by, "roster.swap_approve", id, "批准换班", map[string]string{"id": id}, func(tx *store.Tx, _ string) error {
		sw, err := loadSwap(ctx, tx, id)
		if err != nil {
			return err
		}
		if sw.Status == SwapProposed {
			return apperr.Errorf(apperr.Conflict, "%s还没有同意这次换班。", sw.ToName)
		}
		if err := sw.mustBe(SwapAccepted); err != nil {
			return err
		}
		d, err := loadDuty(ctx, tx, sw.AssignmentID)
		if err != nil {
			return err
		}
		if d.PlanStatus != StatusPublished || d.StaffID != sw.FromStaffID {
			return apperr.Errorf(apperr.Conflict, "排班已调整，%s的这班值班已不由%s担任，这次换班不能批准。", d.Date, sw.FromName)
		}
		if !d.Start.After(tx.Now) {
			return apperr.Errorf(apperr.Conflict, "%s的这班值班已经开始，不能再换。", d.Date)
		}
		if err := checkGive(ctx, tx, setup, d.PlanID, d.ID, sw.ToStaffID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE roster_assignment SET staff_id = ?, reason = '', version = version + 1 WHERE id = ?`, sw.ToStaffID, d.ID); err != nil {
			return fmt.Errorf("swap roster assignment: %w", err)
		}
		if err := setSwapStatus(ctx, tx, id, SwapApproved, by.Login); err != nil {
			return err
		}
		return event(ctx, tx, d.PlanID, by, "swap", fmt.Sprintf("%s %s：%s → %s（换班）", d.Date, d.ShiftID, sw.FromStaffID, sw.ToStaffID))
	})
	if err != nil {
		return Swap{}, err
	}
	return s.swap(ctx, id)
}

// DeclineSwap is the colleague or the head turning an open swap down.
func (s *Service) DeclineSwap(ctx context.Context, by account.Principal, id string) (Swap, error) {
	err := s.write(ctx, by, "roster.swap_decline", id, "拒绝换班", map[string]string{"id": id}, func(tx *store.Tx, _ string) error {
		sw, err := loadSwap(ctx, tx, id)
		if err != nil {
			return err
		}
		if sw.ToStaffID != by.ID && by.Role != account.RoleAdmin {
			return apperr.Errorf(apperr.Forbidden, "只有被邀请换班的人或负责人可以拒绝。")
		}
		if err := sw.mustBe(SwapProposed, SwapAccepted); err != nil {
			return err
		}
		return setSwapStatus(ctx, tx, id, SwapDeclined, by.Login)
	})
	if err != nil {
		return Swap{}, err
	}
	return s.swap(ctx, id)
}

// CancelSwap is the proposer withdrawing an open swap.
func (s *Service) CancelSwap(ctx context.Context, by account.Principal, id string) (Swap, error) {
	err := s.write(ctx, by, "roster.swap_cancel", id, "撤回换班", map[string]string{"id": id}, func(tx *store.Tx, _ string) error {
		sw, err := loadSwap(ctx, tx, id)
		if err != nil {
			return err
		}
		if sw.FromStaffID != by.ID {
			return apperr.Errorf(apperr.Forbidden, "只有提出换班的人可以撤回。")
		}
		if err := sw.mustBe(SwapProposed, SwapAccepted); err != nil {
			return err
		}
		return setSwapStatus(ctx, tx, id, SwapCancelled, by.Login)
	})
	if err != nil {
		return Swap{}, err
	}
	return s.swap(ctx, id)
}

var swapStatusWords = map[string]string{
	SwapProposed: "等待对方同意", SwapAccepted: "等待负责人批准", SwapApproved: "已批准",
	SwapDeclined: "已被拒绝", SwapCancelled: "已撤回",
}

// mustBe refuses a swap not in one of the statuses given, saying where it is.
func (sw Swap) mustBe(statuses ...string) error {
	for _, st := range statuses {
		if sw.Status == st {
			return nil
		}
	}
	return apperr.Errorf(apperr.Conflict, "这次换班%s，不能再这样处理。", swapStatusWords[sw.Status])
}

func setSwapStatus(ctx context.Context, tx *store.Tx, id, status, decidedBy string) error {
	_, err := tx.ExecContext(ctx, `UPDATE roster_swap SET status = ?, decided_by = CASE WHEN ? = '' THEN decided_by ELSE ? END,
		updated_at = ?, version = version + 1 WHERE id = ?`, status, decidedBy, decidedBy, store.FormatTime(tx.Now), id)
	if err != nil {
		return fmt.Errorf("update roster swap: %w", err)
	}
	return nil
}

const swapSelect = `SELECT w.id, w.status, w.assignment_id, a.plan_id, a.date, a.shift_id, a.start_at, a.end_at,
	w.from_staff, f.name, w.to_staff, t.name, w.created_at, w.updated_at, w.decided_by
	FROM roster_swap w JOIN roster_assignment a ON a.id = w.assignment_id
	JOIN staff f ON f.id = w.from_staff JOIN staff t ON t.id = w.to_staff `

func scanSwaps(rows *sql.Rows) ([]Swap, error) {
	defer rows.Close()
	out := []Swap{}
	for rows.Next() {
		var sw Swap
		var start, end string
		if err := rows.Scan(&sw.ID, &sw.Status, &sw.AssignmentID, &sw.PlanID, &sw.Date, &sw.ShiftID, &start, &end,
			&sw.FromStaffID, &sw.FromName, &sw.ToStaffID, &sw.ToName, &sw.CreatedAt, &sw.UpdatedAt, &sw.DecidedBy); err != nil {
			return nil, fmt.Errorf("read roster swaps: %w", err)
		}
		a, _ := store.ParseTime(start)
		b, _ := store.ParseTime(end)
		sw.Start, sw.End = a.In(clock.Shanghai), b.In(clock.Shanghai)
		out = append(out, sw)
	}
	return out, rows.Err()
}

func loadSwap(ctx context.Context, q queryer, id string) (Swap, error) {
	rows, err := q.QueryContext(ctx, swapSelect+`WHERE w.id = ?`, id)
	if err != nil {
		return Swap{}, fmt.Errorf("read roster swap: %w", err)
	}
	list, err := scanSwaps(rows)
	if err != nil {
		return Swap{}, err
	}
	if len(list) == 0 {
		return Swap{}, apperr.Errorf(apperr.NotFound, "没有这个换班申请。")
	}
	return list[0], nil
}

func (s *Service) swap(ctx context.Context, id string) (Swap, error) {
	sw, err := loadSwap(ctx, s.db.Read(), id)
	if err != nil {
		return Swap{}, err
	}
	names, err := s.shiftNames(ctx)
	sw.Shift = nameOr(names, sw.ShiftID)
	return sw, err
}

// shiftNames are the site's shift names by id, for lists read by staff who
// may not read the setup.
func (s *Service) shiftNames(ctx context.Context) (map[string]string, error) {
	setup, err := s.Setup(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, sh := range setup.Shifts {
		names[sh.ID] = sh.Name
	}
	return names, nil
}

// Swaps lists the swaps a person proposed or was asked to take, newest
// first, at most 200; the head sees everyone's. openOnly keeps those still
// proposed or accepted.
func (s *Service) Swaps(ctx context.Context, by account.Principal, openOnly bool) ([]Swap, error) {
	where := `WHERE 1 = 1`
	var args []any
	if by.Role != account.RoleAdmin {
		where += ` AND (w.from_staff = ? OR w.to_staff = ?)`
		args = append(args, by.ID, by.ID)
	}
	if openOnly {
		where += ` AND w.status IN ('proposed','accepted')`
	}
	rows, err := s.db.Read().QueryContext(ctx, swapSelect+where+` ORDER BY w.created_at DESC, w.id LIMIT 200`, args...)
	if err != nil {
		return nil, fmt.Errorf("list roster swaps: %w", err)
	}
	list, err := scanSwaps(rows)
	if err != nil {
		return nil, err
	}
	names, err := s.shiftNames(ctx)
	for i := range list {
		list[i].Shift = nameOr(names, list[i].ShiftID)
	}
	return list, err
}

// MyDuty is one of a person's published duties that has not ended, with
// the swap open on it, if any.
type MyDuty struct {
	Duty
	PlanID   string `json:"plan_id"`
	Shift    string `json:"shift"`
	OpenSwap *Swap  `json:"open_swap"`
	// Begun says the duty has begun by the site's clock: it can no longer
	// be swapped, and its handover note can be written.
	Begun bool `json:"begun"`
}

// MyDuties lists by's published duties that have not ended, at most 100,
// soonest first.
func (s *Service) MyDuties(ctx context.Context, by account.Principal) ([]MyDuty, error) {
	now := s.clock.Now()
	rows, err := s.db.Read().QueryContext(ctx, `SELECT a.id FROM roster_assignment a JOIN roster_plan p ON p.id = a.plan_id
		WHERE p.status = 'published' AND a.staff_id = ? AND a.end_at > ? ORDER BY a.start_at LIMIT 100`, by.ID, store.FormatTime(now))
	if err != nil {
		return nil, fmt.Errorf("my duties: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("my duties: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	open, err := s.Swaps(ctx, by, true)
	if err != nil {
		return nil, err
	}
	names, err := s.shiftNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]MyDuty, 0, len(ids))
	for _, id := range ids {
		d, err := loadDuty(ctx, s.db.Read(), id)
		if err != nil {
			return nil, err
		}
		md := MyDuty{Duty: d.Duty, PlanID: d.PlanID, Shift: nameOr(names, d.ShiftID), Begun: !d.Start.After(now)}
		for i := range open {
			if open[i].AssignmentID == id {
				md.OpenSwap = &open[i]
			}
		}
		out = append(out, md)
	}
	return out, nil
}
