package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/secret"
	"budayang/backend/settings"
	"budayang/backend/store"
	"budayang/backend/textlimit"
)

// Event types of the queue.
const (
	TicketIssued      = "ticket:issued"
	TicketCalled      = "ticket:called"
	TicketRecalled    = "ticket:recalled"
	TicketHeld        = "ticket:held"
	TicketSkipped     = "ticket:skipped"
	TicketTransferred = "ticket:transferred"
	TicketCompleted   = "ticket:completed"
	WindowPaused      = "window:paused"
	WindowResumed     = "window:resumed"
	DayClosed         = "day:closed"
	QueueChanged      = "queue:changed"
)

const settingsKey = "queue.settings"

// Service runs one hall's queue.
type Service struct {
	db    *store.DB
	clock clock.Clock
	pub   events.Publisher
	log   *slog.Logger
	// sealer seals the phone a citizen leaves on a ticket.
	sealer *secret.Sealer
	// siteID never changes once set up; settings change only through
	// SaveSettings in this process. Both are read on every issue.
	siteID   atomic.Pointer[string]
	settings atomic.Pointer[Settings]
	lines    atomic.Pointer[map[string]Line] // see lineTx
}

// NewService returns the queue service; phones on tickets are sealed with
// sealer before they are stored.
func NewService(db *store.DB, clk clock.Clock, pub events.Publisher, log *slog.Logger, sealer *secret.Sealer) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: db, clock: clk, pub: pub, log: log, sealer: sealer}
}

// Day is the business day of t: its date in Asia/Shanghai.
func Day(t time.Time) string { return t.In(clock.Shanghai).Format("2006-01-02") }

func (s *Service) publish(tx *store.Tx, typ string, data any) {
	tx.AfterCommit(func() {
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: typ, Data: data})
		}
	})
}

// Settings returns the queue rules, with defaults for what was never set.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	st := DefaultSettings()
	err := settings.Get(ctx, s.db, settingsKey, &st)
	return st, err
}

func (s *Service) settingsTx(ctx context.Context, tx *store.Tx) (Settings, error) {
	if st := s.settings.Load(); st != nil {
		return *st, nil
	}
	st := DefaultSettings()
	if err := settings.GetTx(ctx, tx, settingsKey, &st); err != nil {
		return Settings{}, err
	}
	s.settings.Store(&st)
	return st, nil
}

// SaveSettings changes the queue rules; administrators only.
func (s *Service) SaveSettings(ctx context.Context, by account.Principal, st Settings) (Settings, error) {
	if by.Role != account.RoleAdmin {
		return Settings{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以修改叫号规则。")
	}
	switch {
	case st.SkipRequeueMinutes < 0 || st.SkipRequeueMinutes > 240:
		return Settings{}, apperr.Errorf(apperr.Invalid, "过号重新排队时间应在0到240分钟之间。")
	case st.MaxSkips < 1 || st.MaxSkips > 10:
		return Settings{}, apperr.Errorf(apperr.Invalid, "过号次数上限应在1到10之间。")
	case st.RectificationDays < 1 || st.RectificationDays > 60:
		return Settings{}, apperr.Errorf(apperr.Invalid, "整改期限应在1到60个工作日之间。")
	case st.RatingMinutes < 1 || st.RatingMinutes > 120:
		return Settings{}, apperr.Errorf(apperr.Invalid, "评价等待时间应在1到120分钟之间。")
	case len(st.PriorityKinds) == 0:
		return Settings{}, apperr.Errorf(apperr.Invalid, "绿色通道至少要有一类人群。")
	case len(st.PriorityKinds) > maxPriorityKinds:
		return Settings{}, apperr.Errorf(apperr.Invalid, "绿色通道最多%d类人群。", maxPriorityKinds)
	}
	for _, k := range st.PriorityKinds {
		if err := textlimit.Check("绿色通道人群名称", k, textlimit.Name); err != nil {
			return Settings{}, err
		}
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := settings.Set(ctx, tx, settingsKey, st); err != nil {
			return err
		}
		tx.AfterCommit(func() { s.settings.Store(nil) })
		return audit.Record(ctx, tx, by.Actor(), "queue.settings", settingsKey, fmt.Sprintf("%+v", st))
	})
	return st, err
}

// maxPriorityKinds bounds the green channel's groups: the kiosk shows each
// as a button.
const maxPriorityKinds = 12

// IssueRequest asks for a ticket.
type IssueRequest struct {
	Line         string `json:"line"`
	Priority     bool   `json:"priority"`
	PriorityKind string `json:"priority_kind"`
	Phone        string `json:"phone"`
	// AppointmentID and DueAt come from a checked-in appointment; the ticket
	// is called before first-come tickets once DueAt has passed.
	AppointmentID string     `json:"-"`
	DueAt         *time.Time `json:"-"`
	// Source is kiosk, desk or appointment.
	Source string `json:"-"`
}

// Issue gives a new ticket: numbered per line prefix per day (V for the
// green channel), never reusing a number within the day. Errors: unknown or
// inactive line, the day closed (CloseDay), outside the line's hours
// (appointments excepted), the line's daily cap reached, a malformed phone.
func (s *Service) Issue(ctx context.Context, who audit.Actor, req IssueRequest) (Ticket, error) {
	var t Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		t, err = s.IssueTx(ctx, tx, who, req)
		return err
	})
	if err != nil {
		return Ticket{}, err
	}
	t.Ahead = s.AheadOfIssued(ctx, t)
	return t, nil
}

// Ahead counts the callable tickets before t now. It reads the committed
// queue, so an issue counts after its commit: the count walks up to MaxAhead
// index entries, and off the one writer that every kiosk and window waits
// for it runs beside the next commit instead of in front of it.
func (s *Service) Ahead(ctx context.Context, t Ticket) (int, error) {
	return ahead(ctx, s.db.Read(), t, s.clock.Now())
}

// AheadOfIssued is Ahead for a ticket whose issue has committed. A count that
// fails is logged and given as 0: the ticket exists, and an error in its
// place would have a kiosk take another.
func (s *Service) AheadOfIssued(ctx context.Context, t Ticket) int {
	n, err := s.Ahead(ctx, t)
	if err != nil {
		s.log.Warn("count ahead of an issued ticket", "ticket", t.Number, "err", err)
		return 0
	}
	return n
}

// IssueTx is Issue inside the caller's transaction (an appointment's check-in
// marks the booking and issues its ticket together); the ticket's Ahead is
// for the caller to fill in with AheadOfIssued once the transaction has
// committed.
func (s *Service) IssueTx(ctx context.Context, tx *store.Tx, who audit.Actor, req IssueRequest) (Ticket, error) {
	req.Line = strings.ToUpper(strings.TrimSpace(req.Line))
	line, err := s.lineTx(ctx, tx, req.Line)
	if err != nil {
		return Ticket{}, err
	}
	if !line.Active {
		return Ticket{}, apperr.Errorf(apperr.Conflict, "%s（%s）已停止取号。", line.Name, line.Prefix)
	}
	phone := ""
	if strings.TrimSpace(req.Phone) != "" {
		if phone, err = citizen.NormalizePhone(req.Phone); err != nil {
			return Ticket{}, err
		}
	}
	st, err := s.settingsTx(ctx, tx)
	if err != nil {
		return Ticket{}, err
	}
	if req.Priority {
		if req.PriorityKind == "" {
			req.PriorityKind = st.PriorityKinds[0]
		}
		if !contains(st.PriorityKinds, req.PriorityKind) {
			return Ticket{}, apperr.Errorf(apperr.Invalid, "绿色通道不包括“%s”，可选：%s。", req.PriorityKind, strings.Join(st.PriorityKinds, "、"))
		}
	} else {
		req.PriorityKind = ""
	}
	now := tx.Now
	day := Day(now)
	if err := refuseIfClosedTx(ctx, tx, day, closedIssue); err != nil {
		return Ticket{}, err
	}
	if req.AppointmentID == "" {
		hm := now.In(clock.Shanghai).Format("15:04")
		if hm < line.Opens || hm >= line.Closes {
			return Ticket{}, apperr.Errorf(apperr.Conflict, "%s的取号时间为%s至%s，现在不能取号；可以电话预约其他时间。", line.Name, line.Opens, line.Closes)
		}
	}
	// The cap counts every ticket issued on the line that day, the green
	// channel's too: a priority button is no way round it. Checked-in
	// appointments took their place when booked.
	if line.DailyCap > 0 && req.AppointmentID == "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM ticket WHERE day = ? AND line = ? AND appointment_id = ''`, day, line.Prefix).Scan(&n); err != nil {
			return Ticket{}, fmt.Errorf("issue on %s: count: %w", line.Prefix, err)
		}
		if n >= line.DailyCap {
			return Ticket{}, apperr.Errorf(apperr.Conflict, "%s今日取号已达上限（%d个），请明天再来或电话预约。", line.Name, line.DailyCap)
		}
	}
	prefix := line.Prefix
	if req.Priority {
		prefix = PriorityPrefix
	}
	var seq int
	err = tx.QueryRowContext(ctx,
		`INSERT INTO ticket_counter (day, prefix, last) VALUES (?, ?, 1)
		 ON CONFLICT(day, prefix) DO UPDATE SET last = last + 1 RETURNING last`, day, prefix).Scan(&seq)
	if err != nil {
		return Ticket{}, fmt.Errorf("issue on %s: number: %w", line.Prefix, err)
	}
	if req.Source == "" {
		req.Source = "kiosk"
	}
	t := Ticket{
		ID: store.NewID(), Number: FormatNumber(prefix, seq), Line: line.Prefix, Status: Waiting,
		Priority: req.Priority, PriorityKind: req.PriorityKind, AppointmentID: req.AppointmentID, DueAt: req.DueAt,
		Phone: phone, Source: req.Source, IssuedAt: now, QueuedAt: now, Day: day,
	}
	var dueAt any
	if t.DueAt != nil {
		dueAt = store.FormatTime(*t.DueAt)
	}
	ts := store.FormatTime(now)
	siteID, err := s.siteIDTx(ctx, tx)
	if err != nil {
		return Ticket{}, err
	}
	sealed, index, err := s.sealPhone(t.ID, t.Phone)
	if err != nil {
		return Ticket{}, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO ticket (id, site_id, day, number, line, priority, priority_kind, appointment_id, due_at, phone, phone_index, source, status,
		issued_at, queued_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		t.ID, siteID, day, t.Number, t.Line, boolInt(t.Priority), t.PriorityKind, t.AppointmentID, dueAt, sealed, index, t.Source, t.Status, ts, ts, ts, ts)
	if err != nil {
		return Ticket{}, fmt.Errorf("issue on %s: %w", line.Prefix, err)
	}
	if err := audit.Record(ctx, tx, who, "ticket.issue", t.Number, line.Name+" "+t.PriorityKind); err != nil {
		return Ticket{}, err
	}
	if err := tx.Outbox(ctx, "ticket.issue", t.ID, publicTicket(t)); err != nil {
		return Ticket{}, err
	}
	s.publish(tx, TicketIssued, publicTicket(t))
	return t, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Service) siteIDTx(ctx context.Context, tx *store.Tx) (string, error) {
	if id := s.siteID.Load(); id != nil {
		return *id, nil
	}
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM site LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.Errorf(apperr.Conflict, "本机尚未完成初始设置。")
	}
	if err != nil {
		return "", fmt.Errorf("read site id: %w", err)
	}
	s.siteID.Store(&id)
	return id, nil
}

// publicTicket is what the hall display, kiosk and events may show: the
// phone masked.
func publicTicket(t Ticket) Ticket {
	if t.Phone != "" {
		t.Phone = citizen.MaskPhone(t.Phone)
	}
	return t
}

// rankSQL is rank as SQL over the ticket columns, with :now bound; the
// ordering tests check that the two agree.
const rankSQL = `(CASE WHEN priority = 1 THEN 0
	WHEN appointment_id != '' AND due_at IS NOT NULL AND due_at <= :now THEN 1 ELSE 2 END)`

// callableSQL is Callable as SQL: waiting, or skipped and past its re-queue
// time.
const callableSQL = `(status = 'waiting' OR (status = 'skipped' AND queued_at <= :now))`

// MaxAhead bounds the count of tickets ahead: the count stops there (the
// kiosk shows at most 前面还有 99 人), so a long queue costs a bounded index
// walk per issue.
const MaxAhead = 99

// ahead counts the callable tickets of t's line that come before t at now,
// in SQL over a covering index, so a long queue is counted, not loaded.
func ahead(ctx context.Context, q querier, t Ticket, now time.Time) (int, error) {
	var n int
	// One seek per status, so the walk covers only the open tickets of the
	// line, never the day's completed ones.
	r := rank(t, now)
	before := `(` + rankSQL + ` < :rank OR (` + rankSQL + ` = :rank AND (queued_at < :queued OR (queued_at = :queued AND number < :number))))`
	if r == lastRank {
		// Every ticket ranks at most lastRank, so for a first-come ticket
		// the queue time decides first: one comparison for most rows, the
		// rank only for the few queued after it.
		before = `(queued_at < :queued OR (queued_at = :queued AND number < :number) OR ` + rankSQL + ` < :rank)`
	}
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM (
		SELECT 1 FROM ticket WHERE day = :day AND line = :line AND status = 'waiting' AND target_window IS NULL AND id != :id AND `+before+`
		UNION ALL
		SELECT 1 FROM ticket WHERE day = :day AND line = :line AND status = 'skipped' AND target_window IS NULL AND id != :id
			AND queued_at <= :now AND `+before+`
		LIMIT `+fmt.Sprint(MaxAhead)+`)`,
		sql.Named("day", t.Day), sql.Named("line", t.Line), sql.Named("id", t.ID), sql.Named("now", store.FormatTime(now)),
		sql.Named("rank", r), sql.Named("queued", store.FormatTime(t.QueuedAt)), sql.Named("number", t.Number)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count ahead of %s: %w", t.Number, err)
	}
	return n, nil
}

// candidates returns the callable tickets window w could take at now, as a
// bounded superset of the one Next picks: every green-channel and due
// appointment ticket, and the earliest-queued of the rest. Next makes the
// choice.
func candidates(ctx context.Context, q querier, day string, w Window, now time.Time) ([]Ticket, error) {
	lines := "1 = 1"
	args := []any{sql.Named("day", day), sql.Named("now", store.FormatTime(now)), sql.Named("window", w.Number)}
	if len(w.Lines) > 0 {
		ph := make([]string, len(w.Lines))
		for i, l := range w.Lines {
			ph[i] = fmt.Sprintf(":l%d", i)
			args = append(args, sql.Named(fmt.Sprintf("l%d", i), l))
		}
		lines = "line IN (" + strings.Join(ph, ",") + ")"
	}
	// Three index walks, each short however long the queue: the earliest
	// waiting, the earliest skipped that are due back, and the few green
	// channel and appointment tickets.
	mine := `(target_window = :window OR (target_window IS NULL AND ` + lines + `))`
	return queryTickets(ctx, q, `id IN (
		SELECT id FROM (SELECT id FROM ticket WHERE day = :day AND status = 'waiting' AND `+mine+`
			ORDER BY queued_at, number LIMIT 20)
		UNION ALL
		SELECT id FROM (SELECT id FROM ticket WHERE day = :day AND status = 'skipped' AND queued_at <= :now AND `+mine+`
			ORDER BY queued_at, number LIMIT 20)
		UNION ALL
		SELECT id FROM ticket INDEXED BY ticket_special WHERE day = :day AND status IN ('waiting', 'skipped') AND (priority = 1 OR appointment_id != '')
			AND `+callableSQL+` AND `+mine+`)`, args...)
}

const ticketCols = `id, day, number, line, status, priority, priority_kind, appointment_id, due_at, phone, source, window, target_window,
	issued_at, queued_at, called_at, completed_at, recalls, skips, served_by, transferred`

type rowScanner interface{ Scan(...any) error }

func scanTicket(r rowScanner) (Ticket, error) {
	var t Ticket
	var prio, transferred int
	var due, called, completed sql.NullString
	var win, target sql.NullInt64
	var issued, queued string
	err := r.Scan(&t.ID, &t.Day, &t.Number, &t.Line, &t.Status, &prio, &t.PriorityKind, &t.AppointmentID, &due, &t.phoneSealed, &t.Source,
		&win, &target, &issued, &queued, &called, &completed, &t.Recalls, &t.Skips, &t.ServedBy, &transferred)
	if err != nil {
		return Ticket{}, err
	}
	t.Priority, t.Transferred = prio == 1, transferred == 1
	t.IssuedAt, _ = store.ParseTime(issued)
	t.QueuedAt, _ = store.ParseTime(queued)
	t.DueAt = nullTime(due)
	t.CalledAt = nullTime(called)
	t.CompletedAt = nullTime(completed)
	t.Window = nullInt(win)
	t.TargetWindow = nullInt(target)
	return t, nil
}

func nullTime(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t, err := store.ParseTime(s.String)
	if err != nil {
		return nil
	}
	return &t
}

func nullInt(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func queryTickets(ctx context.Context, q querier, where string, args ...any) ([]Ticket, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+ticketCols+` FROM ticket WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	defer rows.Close()
	out := []Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("list tickets: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func openTickets(ctx context.Context, q querier, day string) ([]Ticket, error) {
	return queryTickets(ctx, q, `day = ? AND status IN ('waiting','skipped')`, day)
}

func getTicket(ctx context.Context, q querier, id string) (Ticket, error) {
	ts, err := queryTickets(ctx, q, `id = ?`, id)
	if err != nil {
		return Ticket{}, err
	}
	if len(ts) == 0 {
		return Ticket{}, apperr.Errorf(apperr.NotFound, "找不到这张号票。")
	}
	return ts[0], nil
}

func (s *Service) ticketTx(ctx context.Context, tx *store.Tx, id string) (Ticket, error) {
	return getTicket(ctx, tx, id)
}

// Ticket returns one ticket with its place in line, phone masked.
func (s *Service) Ticket(ctx context.Context, id string) (Ticket, error) {
	t, err := getTicket(ctx, s.db.Read(), id)
	if err != nil {
		return Ticket{}, err
	}
	if err := s.revealOne(&t); err != nil {
		return Ticket{}, err
	}
	if t.Status == Waiting || t.Status == Skipped {
		if t.Ahead, err = s.Ahead(ctx, t); err != nil {
			return Ticket{}, err
		}
	}
	return publicTicket(t), nil
}

// Today returns today's tickets in issue order, for the clerk's panel, with
// the name of the clerk who served each and the phones opened.
func (s *Service) Today(ctx context.Context) ([]Ticket, error) {
	ts, err := queryTickets(ctx, s.db.Read(), `day = ? ORDER BY issued_at, number`, Day(s.clock.Now()))
	if err != nil {
		return nil, err
	}
	if err := s.reveal(ts); err != nil {
		return nil, err
	}
	names := map[string]string{}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT login, name FROM staff`)
	if err != nil {
		return nil, fmt.Errorf("read staff names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var login, name string
		if err := rows.Scan(&login, &name); err != nil {
			return nil, fmt.Errorf("read staff names: %w", err)
		}
		names[login] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read staff names: %w", err)
	}
	for i := range ts {
		ts[i].ServedByName = names[ts[i].ServedBy]
	}
	return ts, nil
}

// LastCompleted returns the ticket most recently completed at window n since
// since, for the rating pad.
func (s *Service) LastCompleted(ctx context.Context, n int, since time.Time) (Ticket, bool, error) {
	ts, err := queryTickets(ctx, s.db.Read(), `window = ? AND status = 'completed' AND completed_at >= ? ORDER BY completed_at DESC LIMIT 1`,
		n, store.FormatTime(since))
	if err != nil || len(ts) == 0 {
		return Ticket{}, false, err
	}
	if err := s.revealOne(&ts[0]); err != nil {
		return Ticket{}, false, err
	}
	return publicTicket(ts[0]), true, nil
}
