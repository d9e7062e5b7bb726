// Package whereabouts keeps the whereabouts messages (去向留言, plan task 9):
// a window staff member who leaves the window says where they went, when
// they will be back and which colleague covers the window meanwhile (服务
// 双岗). The hall's display and kiosk show the current messages: names,
// window numbers and times only, never an id or a phone. A message ends when
// its author returns, when a newer one replaces it, or by itself Grace after
// the time it gave.
package whereabouts

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/queue"
	"budayang/backend/site"
	"budayang/backend/store"
)

// EventChanged is published after any message is left, cleared or expires.
// It is one of the hall's public events: its data is the public Board.
const EventChanged = "whereabouts:changed"

// Grace is how long a message stays after the time it said its author would
// be back, before it expires by itself.
const Grace = 30 * time.Minute

// MaxAway is how far ahead back_at may be.
const MaxAway = 12 * time.Hour

// MaxPlace is the longest "where", in characters: it is a line on the TV.
const MaxPlace = 20

// ExpireSpec runs Expire every minute.
const ExpireSpec = "* * * * *"

// Message is one current whereabouts message as staff see it.
type Message struct {
	ID            string    `json:"id"`
	StaffID       string    `json:"staff_id"`
	StaffName     string    `json:"staff_name"`
	Window        int       `json:"window"`
	Where         string    `json:"where"`
	BackAt        time.Time `json:"back_at"`
	CoveredByID   string    `json:"covered_by_id,omitempty"`
	CoveredByName string    `json:"covered_by_name,omitempty"`
	// ExpiresAt is BackAt plus Grace: the message is gone after it.
	ExpiresAt time.Time `json:"expires_at"`
	CreatedAt time.Time `json:"created_at"`
}

// Notice is a message as the hall's public pages show it: no id, no phone.
type Notice struct {
	StaffName     string    `json:"staff_name"`
	Window        int       `json:"window"`
	Where         string    `json:"where"`
	BackAt        time.Time `json:"back_at"`
	CoveredByName string    `json:"covered_by_name,omitempty"`
	ExpiresAt     time.Time `json:"expires_at"`
}

// Board is the current messages for the public pages.
type Board struct {
	Notices []Notice `json:"notices"`
}

// Public returns the board the display and kiosk show of list.
func Public(list []Message) Board {
	b := Board{Notices: make([]Notice, 0, len(list))}
	for _, m := range list {
		b.Notices = append(b.Notices, Notice{StaffName: m.StaffName, Window: m.Window, Where: m.Where, BackAt: m.BackAt,
			CoveredByName: m.CoveredByName, ExpiresAt: m.ExpiresAt})
	}
	return b
}

// Request leaves a message. StaffID names whom it is for: empty (or one's
// own id) for oneself; the administrator may name anyone. Window 0 is the
// window the person is signed in at, if any. CoveredBy is the id of the
// colleague who covers, or empty.
type Request struct {
	StaffID   string `json:"staff_id"`
	Window    int    `json:"window"`
	Where     string `json:"where"`
	BackAt    string `json:"back_at"`
	CoveredBy string `json:"covered_by"`
}

// Windows is what the messages need of the queue: which window a person is
// signed in at.
type Windows interface {
	Windows(ctx context.Context) ([]queue.Window, error)
}

// Staff finds people by id.
type Staff interface {
	Get(ctx context.Context, id string) (account.Staff, error)
}

// Service keeps the whereabouts messages.
type Service struct {
	db      *store.DB
	clock   clock.Clock
	pub     events.Publisher
	sites   *site.Service
	windows Windows
	staff   Staff
}

// NewService returns the whereabouts service.
func NewService(db *store.DB, clk clock.Clock, pub events.Publisher, sites *site.Service, windows Windows, staff Staff) *Service {
	return &Service{db: db, clock: clk, pub: pub, sites: sites, windows: windows, staff: staff}
}

// MayLeave reports whether role leaves whereabouts messages: the people who
// serve at a window, and the administrator.
func MayLeave(role string) bool { return account.ServesWindow(role) || role == account.RoleAdmin }

var errRole = apperr.Errorf(apperr.Forbidden, "只有窗口工作人员、值班人员和管理员可以留言去向。")

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (s *Service) current(ctx context.Context, q querier, now time.Time) ([]Message, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, staff_id, staff_name, window, place, back_at, covered_by_id, covered_by_name, created_at
		FROM whereabouts WHERE cleared_at IS NULL AND back_at > ? ORDER BY back_at, staff_name`, store.FormatTime(now.Add(-Grace)))
	if err != nil {
		return nil, fmt.Errorf("current whereabouts: %w", err)
	}
	defer rows.Close()
	out := []Message{}
	for rows.Next() {
		var m Message
		var back, created string
		if err := rows.Scan(&m.ID, &m.StaffID, &m.StaffName, &m.Window, &m.Where, &back, &m.CoveredByID, &m.CoveredByName, &created); err != nil {
			return nil, fmt.Errorf("current whereabouts: %w", err)
		}
		m.BackAt, _ = store.ParseTime(back)
		m.CreatedAt, _ = store.ParseTime(created)
		m.ExpiresAt = m.BackAt.Add(Grace)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Current returns the messages in force at the clock's time, soonest back
// first; one past its back_at by more than Grace is not among them even
// before the job marks it expired.
func (s *Service) Current(ctx context.Context) ([]Message, error) {
	return s.current(ctx, s.db.Read(), s.clock.Now())
}

// announceTx publishes the public board as it stands after tx commits.
func (s *Service) announceTx(ctx context.Context, tx *store.Tx) error {
	list, err := s.current(ctx, tx, tx.Now)
	if err != nil {
		return err
	}
	board := Public(list)
	tx.AfterCommit(func() {
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: EventChanged, Data: board})
		}
	})
	return nil
}

func (s *Service) person(ctx context.Context, id, what string) (account.Staff, error) {
	st, err := s.staff.Get(ctx, id)
	if apperr.Code(err) == apperr.NotFound {
		return account.Staff{}, apperr.Errorf(apperr.Invalid, "%s不是本中心的工作人员。", what)
	}
	if err != nil {
		return account.Staff{}, err
	}
	if !st.Active {
		return account.Staff{}, apperr.Errorf(apperr.Invalid, "%s的账号已停用。", st.Name)
	}
	return st, nil
}

// Leave records that a person left their window; a message they already
// have is replaced. Errors, with nothing saved: forbidden for a role that
// may not MayLeave or a message for someone else by anyone but the
// administrator; invalid for a missing or too long "where", a back_at that
// is not RFC 3339, not ahead or more than MaxAway ahead, an unknown window,
// a colleague who is unknown, inactive or the person themself.
func (s *Service) Leave(ctx context.Context, by account.Principal, req Request) (Message, error) {
	if !MayLeave(by.Role) {
		return Message{}, errRole
	}
	whoID := strings.TrimSpace(req.StaffID)
	if whoID == "" {
		whoID = by.ID
	}
	if whoID != by.ID && by.Role != account.RoleAdmin {
		return Message{}, apperr.Errorf(apperr.Forbidden, "只能留言自己的去向，或由管理员代为留言。")
	}
	who, err := s.person(ctx, whoID, "留言人")
	if err != nil {
		return Message{}, err
	}
	m := Message{StaffID: who.ID, StaffName: who.Name, Window: req.Window}
	if m.Where = strings.TrimSpace(req.Where); m.Where == "" || utf8.RuneCountInString(m.Where) > MaxPlace {
		return Message{}, apperr.Errorf(apperr.Invalid, "请填写去向（不超过%d个字，如“入户代办”“县局开会”）。", MaxPlace)
	}
	back, err := time.Parse(time.RFC3339, strings.TrimSpace(req.BackAt))
	if err != nil {
		return Message{}, apperr.Errorf(apperr.Invalid, "返回时间应为RFC 3339时间（如2026-11-25T02:30:00Z），收到“%s”。", req.BackAt)
	}
	now := s.clock.Now()
	if !back.After(now) || back.After(now.Add(MaxAway)) {
		return Message{}, apperr.Errorf(apperr.Invalid, "返回时间须晚于现在，且在%d小时以内。", int(MaxAway.Hours()))
	}
	m.BackAt, m.ExpiresAt = back.UTC(), back.UTC().Add(Grace)
	if id := strings.TrimSpace(req.CoveredBy); id != "" {
		if id == who.ID {
			return Message{}, apperr.Errorf(apperr.Invalid, "顶岗的同事不能是留言人自己。")
		}
		cover, err := s.person(ctx, id, "顶岗的同事")
		if err != nil {
			return Message{}, err
		}
		m.CoveredByID, m.CoveredByName = cover.ID, cover.Name
	}
	windows, err := s.windows.Windows(ctx)
	if err != nil {
		return Message{}, err
	}
	known := false
	for _, w := range windows {
		if m.Window == 0 && w.StaffID == who.ID {
			m.Window = w.Number
		}
		known = known || w.Number == m.Window
	}
	if m.Window < 0 || (m.Window > 0 && !known) {
		return Message{}, apperr.Errorf(apperr.Invalid, "没有%d号窗口。", m.Window)
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return Message{}, err
	}
	var out Message
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		m := m
		m.ID, m.CreatedAt = store.NewID(), tx.Now
		ts := store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `UPDATE whereabouts SET cleared_at = ?, cleared_by = ?, cleared_reason = 'replaced' WHERE staff_id = ? AND cleared_at IS NULL`,
			ts, by.Login, m.StaffID); err != nil {
			return fmt.Errorf("replace whereabouts: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO whereabouts (id, site_id, staff_id, staff_name, window, place, back_at, covered_by_id, covered_by_name, set_by, created_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)`, m.ID, st.ID, m.StaffID, m.StaffName, m.Window, m.Where, store.FormatTime(m.BackAt), m.CoveredByID, m.CoveredByName, by.Login, ts); err != nil {
			return fmt.Errorf("leave whereabouts: %w", err)
		}
		detail := fmt.Sprintf("%s：%s，%s前回", m.StaffName, m.Where, m.BackAt.In(clock.Shanghai).Format("15:04"))
		if m.CoveredByName != "" {
			detail += "，" + m.CoveredByName + "顶岗"
		}
		if err := s.record(ctx, tx, by.Actor(), "whereabouts.leave", m.ID, detail, m); err != nil {
			return err
		}
		out = m
		return s.announceTx(ctx, tx)
	})
	return out, err
}

func (s *Service) record(ctx context.Context, tx *store.Tx, who audit.Actor, action, id, detail string, payload any) error {
	if err := audit.Record(ctx, tx, who, action, id, detail); err != nil {
		return err
	}
	return tx.Outbox(ctx, action, id, payload)
}

// Return clears a message: its author is back. The author or the
// administrator. Errors: forbidden, not found (also for a message already
// cleared or expired).
func (s *Service) Return(ctx context.Context, by account.Principal, id string) error {
	if !MayLeave(by.Role) {
		return errRole
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		list, err := s.current(ctx, tx, tx.Now)
		if err != nil {
			return err
		}
		var m *Message
		for i := range list {
			if list[i].ID == id {
				m = &list[i]
			}
		}
		if m == nil {
			return apperr.Errorf(apperr.NotFound, "这条去向留言不存在或已结束。")
		}
		if m.StaffID != by.ID && by.Role != account.RoleAdmin {
			return apperr.Errorf(apperr.Forbidden, "只能清除自己的去向留言，或由管理员清除。")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE whereabouts SET cleared_at = ?, cleared_by = ?, cleared_reason = 'returned' WHERE id = ?`,
			store.FormatTime(tx.Now), by.Login, id); err != nil {
			return fmt.Errorf("clear whereabouts: %w", err)
		}
		if err := s.record(ctx, tx, by.Actor(), "whereabouts.return", id, m.StaffName+"已返回", map[string]string{"id": id, "reason": "returned"}); err != nil {
			return err
		}
		return s.announceTx(ctx, tx)
	})
}

// Expire ends the messages past back_at by more than Grace; it is the
// scheduled job, run every minute, and announces the board when it ended
// any.
func (s *Service) Expire(ctx context.Context, now time.Time) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, staff_name FROM whereabouts WHERE cleared_at IS NULL AND back_at <= ?`, store.FormatTime(now.Add(-Grace)))
		if err != nil {
			return fmt.Errorf("expired whereabouts: %w", err)
		}
		type due struct{ id, name string }
		var list []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.name); err != nil {
				rows.Close()
				return err
			}
			list = append(list, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(list) == 0 {
			return err
		}
		for _, d := range list {
			if _, err := tx.ExecContext(ctx, `UPDATE whereabouts SET cleared_at = ?, cleared_by = 'system', cleared_reason = 'expired' WHERE id = ?`,
				store.FormatTime(tx.Now), d.id); err != nil {
				return fmt.Errorf("expire whereabouts: %w", err)
			}
			if err := s.record(ctx, tx, audit.System, "whereabouts.expire", d.id, d.name+"的去向留言已过返回时间"+fmt.Sprint(Grace.Minutes())+"分钟，自动结束",
				map[string]string{"id": d.id, "reason": "expired"}); err != nil {
				return err
			}
		}
		return s.announceTx(ctx, tx)
	})
}
