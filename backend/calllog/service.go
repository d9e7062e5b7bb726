package calllog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/booking"
	"budayang/backend/calendar"
	"budayang/backend/cases"
	"budayang/backend/catalog"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/secret"
	"budayang/backend/site"
	"budayang/backend/store"
)

// Limits of a call's text fields, in characters.
const (
	MaxName     = 30
	MaxVillage  = 30
	MaxNeed     = 500
	MaxHandling = 500
)

// DuplicateWindow is how long an identical call (same phone, category and
// need) is refused as a double submission.
const DuplicateWindow = time.Minute

// MaxSpanDays bounds a list's period.
const MaxSpanDays = 92

// Service keeps the site's call log.
type Service struct {
	db       *store.DB
	clock    clock.Clock
	pub      events.Publisher
	sites    *site.Service
	sealer   *secret.Sealer
	bookings *booking.Service
	cases    *cases.Service
	catalog  *catalog.Service
}

// NewService returns the call log; callers' names and phones are sealed with
// sealer, calls become appointments through bookings and cases through
// cases, and department referrals are checked against catalog.
func NewService(db *store.DB, clk clock.Clock, pub events.Publisher, sites *site.Service, sealer *secret.Sealer,
	bookings *booking.Service, cs *cases.Service, cat *catalog.Service) *Service {
	return &Service{db: db, clock: clk, pub: pub, sites: sites, sealer: sealer, bookings: bookings, cases: cs, catalog: cat}
}

// MayLog reports whether role works the duty desk: the duty officer, the
// window clerks (who answer the phone in office hours) and the administrator.
func MayLog(role string) bool {
	return role == account.RoleDuty || role == account.RoleClerk || role == account.RoleAdmin
}

// SeesContacts reports whether role reads a caller's name and phone in full:
// the duty officer, who calls back, and the administrator.
func SeesContacts(role string) bool {
	return role == account.RoleDuty || role == account.RoleAdmin
}

var errRole = apperr.Errorf(apperr.Forbidden, "只有值班人员、综合窗口工作人员和管理员可以使用值班电话登记。")

func mayLog(by account.Principal) error {
	if !MayLog(by.Role) {
		return errRole
	}
	return nil
}

func aad(id, field string) string { return secret.ContactAAD("call", id, field) }

// Request logs a call.
type Request struct {
	// At is when the call came in (RFC 3339); empty is now. A call may be
	// logged up to seven days late, never ahead.
	At         string   `json:"at"`
	CallerName string   `json:"caller_name"`
	Phone      string   `json:"phone"`
	Village    string   `json:"village"`
	Need       string   `json:"need"`
	Category   string   `json:"category"`
	Handling   string   `json:"handling"`
	Referral   Referral `json:"referral"`
	// Close marks the call handled on the phone (已办结).
	Close bool `json:"close"`
}

// Update changes how a call was handled and where it was referred; both are
// replaced. Status is "" to keep the call's state (re-derived from the
// referral while it is open or referred), "open" to reopen it, "closed" to
// close it.
type Update struct {
	Handling string   `json:"handling"`
	Referral Referral `json:"referral"`
	Status   string   `json:"status"`
}

func text(s string, max int, what string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", apperr.Errorf(apperr.Invalid, "请填写%s。", what)
	}
	if utf8.RuneCountInString(s) > max {
		return "", apperr.Errorf(apperr.Invalid, "%s最多%d个字。", what, max)
	}
	return s, nil
}

func validCategory(c string) bool {
	for _, k := range Categories {
		if k == c {
			return true
		}
	}
	return false
}

// checkReferral fills the referral's phone and refuses an unknown kind or a
// department the catalog does not have.
func (s *Service) checkReferral(ctx context.Context, r Referral) (Referral, error) {
	switch strings.TrimSpace(r.Kind) {
	case "", ReferNone:
		return Referral{Kind: ReferNone}, nil
	case ReferHotline:
		return Referral{Kind: ReferHotline, Phone: HotlinePhone}, nil
	case ReferProblemWindow:
		c, err := s.cases.Centre(ctx)
		if err != nil {
			return Referral{}, err
		}
		return Referral{Kind: ReferProblemWindow, Phone: c.Phone}, nil
	case ReferDepartment:
		dep, office := strings.TrimSpace(r.Department), strings.TrimSpace(r.Office)
		if dep == "" {
			return Referral{}, apperr.Errorf(apperr.Invalid, "转部门时请选择事项清单中的部门。")
		}
		for _, o := range s.catalog.Map() {
			if o.Department == dep && (office == "" || o.Office == office) {
				return Referral{Kind: ReferDepartment, Department: o.Department, Office: o.Office, Phone: o.Phone}, nil
			}
		}
		if office != "" {
			dep += "（" + office + "）"
		}
		return Referral{}, apperr.Errorf(apperr.Invalid, "事项清单中没有部门“%s”，请从清单中选择。", dep)
	}
	return Referral{}, apperr.Errorf(apperr.Invalid, "转办去向应为none（不转办）、hotline（12345热线）、problem_window（“办不成事”窗口）或department（部门），收到“%s”。", r.Kind)
}

// status is the state a call moves to from cur, given its referral and what
// the person asked for.
func status(cur string, r Referral, want string) (string, error) {
	switch want {
	case StatusClosed:
		return StatusClosed, nil
	case "":
		if cur == StatusBooked || cur == StatusCase || cur == StatusClosed {
			return cur, nil
		}
	case StatusOpen:
	default:
		return "", apperr.Errorf(apperr.Invalid, "状态只能改为open（待处理）或closed（已办结），收到“%s”。", want)
	}
	if r.Kind != ReferNone {
		return StatusReferred, nil
	}
	return StatusOpen, nil
}

// describe is the audit line of a call: category, masked phone, referral.
func describe(c Call) string {
	d := CategoryName(c.Category) + " " + citizen.MaskPhone(c.Phone)
	if c.Village != "" {
		d += " " + c.Village
	}
	if c.Referral.Kind != ReferNone {
		d += "，转" + c.Referral.Name()
	}
	return d + "，" + StatusName(c.Status)
}

// Log records a call. Errors, with nothing saved: invalid for a malformed
// phone (citizen.NormalizePhone, the one phone rule), a missing need, an
// unknown category or referral, a department not in the catalog, a time
// ahead or more than seven days back, a field over its limit; conflict for
// the same call (phone, category, need) logged within DuplicateWindow.
func (s *Service) Log(ctx context.Context, by account.Principal, req Request) (Call, error) {
	if err := mayLog(by); err != nil {
		return Call{}, err
	}
	var c Call
	var err error
	if c.Phone, err = citizen.NormalizePhone(req.Phone); err != nil {
		return Call{}, err
	}
	if c.CallerName, err = text(req.CallerName, MaxName, "来电人姓名", false); err != nil {
		return Call{}, err
	}
	if c.Village, err = text(req.Village, MaxVillage, "村（社区）", false); err != nil {
		return Call{}, err
	}
	if c.Need, err = text(req.Need, MaxNeed, "来电诉求", true); err != nil {
		return Call{}, err
	}
	if c.Handling, err = text(req.Handling, MaxHandling, "处理情况", false); err != nil {
		return Call{}, err
	}
	if c.Category = strings.TrimSpace(req.Category); !validCategory(c.Category) {
		return Call{}, apperr.Errorf(apperr.Invalid, "请选择来电类别（%s）。", strings.Join(Categories, "、"))
	}
	if c.Referral, err = s.checkReferral(ctx, req.Referral); err != nil {
		return Call{}, err
	}
	want := ""
	if req.Close {
		want = StatusClosed
	}
	if c.Status, err = status(StatusOpen, c.Referral, want); err != nil {
		return Call{}, err
	}
	now := s.clock.Now()
	c.At = now.UTC()
	if strings.TrimSpace(req.At) != "" {
		at, err := time.Parse(time.RFC3339, strings.TrimSpace(req.At))
		if err != nil {
			return Call{}, apperr.Errorf(apperr.Invalid, "来电时间应为RFC 3339时间（如2026-11-28T10:30:00Z），收到“%s”。", req.At)
		}
		if at.After(now.Add(time.Minute)) || at.Before(now.AddDate(0, 0, -7)) {
			return Call{}, apperr.Errorf(apperr.Invalid, "来电时间须在最近7天以内，且不能晚于现在。")
		}
		c.At = at.UTC()
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return Call{}, err
	}
	var out Call
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		c := c
		c.ID, c.TakenBy, c.TakenByName, c.CreatedAt, c.UpdatedAt = store.NewID(), by.Login, by.Name, tx.Now, tx.Now
		sl, err := s.sealer.SealContact("call", c.ID, c.CallerName, c.Phone)
		if err != nil {
			return err
		}
		var last string
		err = tx.QueryRowContext(ctx, `SELECT at FROM call_log WHERE phone_index = ? AND category = ? AND need = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1`,
			sl.PhoneIndex, c.Category, c.Need, store.FormatTime(tx.Now.Add(-DuplicateWindow))).Scan(&last)
		if err == nil {
			at, _ := store.ParseTime(last)
			return apperr.Errorf(apperr.Conflict, "一分钟内已登记过电话%s的同一诉求（%s），请勿重复提交。", citizen.MaskPhone(c.Phone), at.In(clock.Shanghai).Format("15:04"))
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("check duplicate call: %w", err)
		}
		ts := store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO call_log (id, site_id, at, caller_name, phone, phone_index, village, need, category, handling,
			referral, referral_department, referral_office, referral_phone, status, taken_by, taken_by_name, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			c.ID, st.ID, store.FormatTime(c.At), sl.Name, sl.Phone, sl.PhoneIndex, c.Village, c.Need, c.Category, c.Handling,
			c.Referral.Kind, c.Referral.Department, c.Referral.Office, c.Referral.Phone, c.Status, c.TakenBy, c.TakenByName, ts, ts); err != nil {
			return fmt.Errorf("log call: %w", err)
		}
		if err := s.record(ctx, tx, by, "calllog.create", c, describe(c)); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Call{}, err
	}
	return out.masked(), nil
}

// record writes the audit line and the outbox row of a change to c, both
// with the caller masked, and announces it once committed.
func (s *Service) record(ctx context.Context, tx *store.Tx, by account.Principal, action string, c Call, detail string) error {
	if err := audit.Record(ctx, tx, by.Actor(), action, c.ID, detail); err != nil {
		return err
	}
	if err := tx.Outbox(ctx, action, c.ID, c.masked()); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: EventChanged, Data: map[string]string{"id": c.ID, "status": c.Status, "category": c.Category, "action": action}})
		}
	})
	return nil
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

const columns = `id, at, caller_name, phone, phone_index, village, need, category, handling, referral, referral_department, referral_office, referral_phone,
	status, booking_id, case_id, taken_by, taken_by_name, created_at, updated_at`

// query reads calls with the caller's name and phone opened (callers mask
// them).
func (s *Service) query(ctx context.Context, q querier, where string, args ...any) ([]Call, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM call_log WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query calls: %w", err)
	}
	defer rows.Close()
	out := []Call{}
	for rows.Next() {
		var c Call
		var at, created, updated string
		if err := rows.Scan(&c.ID, &at, &c.nameSealed, &c.phoneSealed, &c.phoneIndexed, &c.Village, &c.Need, &c.Category, &c.Handling,
			&c.Referral.Kind, &c.Referral.Department, &c.Referral.Office, &c.Referral.Phone,
			&c.Status, &c.BookingID, &c.CaseID, &c.TakenBy, &c.TakenByName, &created, &updated); err != nil {
			return nil, fmt.Errorf("query calls: %w", err)
		}
		c.At, _ = store.ParseTime(at)
		c.CreatedAt, _ = store.ParseTime(created)
		c.UpdatedAt, _ = store.ParseTime(updated)
		c.CallerName, c.Phone = c.nameSealed, c.phoneSealed
		if err := s.sealer.OpenContact("call", c.ID, &c.CallerName, &c.Phone); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Service) getTx(ctx context.Context, q querier, id string) (Call, error) {
	list, err := s.query(ctx, q, `id = ?`, id)
	if err != nil {
		return Call{}, err
	}
	if len(list) == 0 {
		return Call{}, apperr.Errorf(apperr.NotFound, "找不到这条来电登记。")
	}
	return list[0], nil
}

// List returns the calls that came in from one date to another (Shanghai,
// YYYY-MM-DD, inclusive; empty from is seven days before to, empty to is
// today), newest first, every caller masked. Errors: forbidden for a role
// that does not MayLog; invalid for a malformed date, from after to, or a
// period over MaxSpanDays.
func (s *Service) List(ctx context.Context, by account.Principal, from, to string) ([]Call, error) {
	if err := mayLog(by); err != nil {
		return nil, err
	}
	end := calendar.Date(s.clock.Now())
	if strings.TrimSpace(to) != "" {
		d, err := calendar.ParseDate(to)
		if err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "结束日期应为YYYY-MM-DD，收到“%s”。", to)
		}
		end = d
	}
	start := end.AddDate(0, 0, -7)
	if strings.TrimSpace(from) != "" {
		d, err := calendar.ParseDate(from)
		if err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "开始日期应为YYYY-MM-DD，收到“%s”。", from)
		}
		start = d
	}
	if start.After(end) {
		return nil, apperr.Errorf(apperr.Invalid, "开始日期不能晚于结束日期。")
	}
	if end.Sub(start) > MaxSpanDays*24*time.Hour {
		return nil, apperr.Errorf(apperr.Invalid, "一次最多查询%d天的来电登记。", MaxSpanDays)
	}
	list, err := s.query(ctx, s.db.Read(), `at >= ? AND at < ? ORDER BY at DESC, id DESC LIMIT 500`,
		store.FormatTime(start), store.FormatTime(end.AddDate(0, 0, 1)))
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].mask()
	}
	return list, nil
}

// Get returns one call: in full to a role that SeesContacts, the read in the
// audit log; masked to a clerk. Errors: forbidden, not found.
func (s *Service) Get(ctx context.Context, by account.Principal, id string) (Call, error) {
	if err := mayLog(by); err != nil {
		return Call{}, err
	}
	c, err := s.getTx(ctx, s.db.Read(), id)
	if err != nil {
		return Call{}, err
	}
	if !SeesContacts(by.Role) {
		return c.masked(), nil
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, by.Actor(), "calllog.read", c.ID, "查看来电人完整姓名和电话 "+citizen.MaskPhone(c.Phone))
	})
	if err != nil {
		return Call{}, err
	}
	return c, nil
}

// Update replaces how a call was handled and where it was referred, and
// opens or closes it (see Update). Errors, with nothing saved: forbidden,
// not found, and the refusals of Log for the handling and the referral.
func (s *Service) Update(ctx context.Context, by account.Principal, id string, u Update) (Call, error) {
	if err := mayLog(by); err != nil {
		return Call{}, err
	}
	handling, err := text(u.Handling, MaxHandling, "处理情况", false)
	if err != nil {
		return Call{}, err
	}
	ref, err := s.checkReferral(ctx, u.Referral)
	if err != nil {
		return Call{}, err
	}
	var out Call
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := s.getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Status, err = status(c.Status, ref, u.Status); err != nil {
			return err
		}
		c.Handling, c.Referral, c.UpdatedAt = handling, ref, tx.Now
		if _, err := tx.ExecContext(ctx, `UPDATE call_log SET handling = ?, referral = ?, referral_department = ?, referral_office = ?, referral_phone = ?,
			status = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			c.Handling, ref.Kind, ref.Department, ref.Office, ref.Phone, c.Status, store.FormatTime(tx.Now), id); err != nil {
			return fmt.Errorf("update call: %w", err)
		}
		if err := s.record(ctx, tx, by, "calllog.update", c, describe(c)); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Call{}, err
	}
	return out.masked(), nil
}
