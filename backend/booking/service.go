package booking

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/queue"
	"budayang/backend/secret"
	"budayang/backend/settings"
	"budayang/backend/site"
	"budayang/backend/store"
)

// Event types of bookings. Their data never carries a full name, phone or
// check-in code: the event stream is open to the hall's LAN.
const (
	EventCreated  = "booking:created"
	EventChanged  = "booking:changed"
	EventReminder = "booking:reminder"
	EventCallList = "booking:call_list"
)

const keyLineRules = "booking.lines"

// Queue is what booking needs of the queue: the lines, a ticket issued
// inside the check-in's transaction, and its place in line once committed.
type Queue interface {
	Line(ctx context.Context, prefix string) (queue.Line, error)
	IssueTx(ctx context.Context, tx *store.Tx, who audit.Actor, req queue.IssueRequest) (queue.Ticket, error)
	AheadOfIssued(ctx context.Context, t queue.Ticket) int
}

// Directory finds the staff member an extended-hours booking names.
type Directory interface {
	Get(ctx context.Context, id string) (account.Staff, error)
}

// Service keeps the site's bookings.
type Service struct {
	db    *store.DB
	clock clock.Clock
	pub   events.Publisher
	cal   *calendar.Service
	queue Queue
	staff Directory
	sites *site.Service
	// sealer seals citizens' names and phones before they are stored.
	sealer *secret.Sealer
}

// NewService returns the booking service; citizens' names and phones are
// sealed with sealer, the phone's keyed hash kept beside for search.
func NewService(db *store.DB, clk clock.Clock, pub events.Publisher, cal *calendar.Service, q Queue, staff Directory, sites *site.Service, sealer *secret.Sealer) *Service {
	return &Service{db: db, clock: clk, pub: pub, cal: cal, queue: q, staff: staff, sites: sites, sealer: sealer}
}

// Booking is one appointment.
type Booking struct {
	ID            string     `json:"id"`
	Line          string     `json:"line"`
	Date          string     `json:"date"`
	SlotStart     time.Time  `json:"slot_start"`
	SlotEnd       time.Time  `json:"slot_end"`
	SlotKind      string     `json:"slot_kind"`
	StaffID       string     `json:"staff_id,omitempty"`
	CitizenName   string     `json:"citizen_name"`
	Phone         string     `json:"phone"`
	Note          string     `json:"note,omitempty"`
	Channel       string     `json:"channel"`
	BookedBy      string     `json:"booked_by"`
	Code          string     `json:"code,omitempty"`
	Status        string     `json:"status"`
	Reason        string     `json:"reason,omitempty"`
	Reschedules   int        `json:"reschedules"`
	TicketID      string     `json:"ticket_id,omitempty"`
	TicketNumber  string     `json:"ticket_number,omitempty"`
	CheckedInAt   *time.Time `json:"checked_in_at,omitempty"`
	CheckedInLate bool       `json:"checked_in_late,omitempty"`
	// FromTicketID is the unserved ticket this booking was made from.
	FromTicketID string    `json:"from_ticket_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// Public is what the kiosk, the event stream and the county see: name and
// phone masked, no note, no check-in code.
func (b Booking) Public() Booking {
	b.CitizenName = citizen.MaskName(b.CitizenName)
	b.Phone = citizen.MaskPhone(b.Phone)
	b.Note = ""
	b.Code = ""
	return b
}

// Booker is who makes or changes a booking: a signed-in staff member, or the
// kiosk (Role empty).
type Booker struct {
	Actor audit.Actor
	Role  string
}

// Staff returns the booker of a signed-in person.
func Staff(p account.Principal) Booker { return Booker{Actor: p.Actor(), Role: p.Role} }

// Kiosk returns the booker of the unattended kiosk at addr.
func Kiosk(addr string) Booker {
	return Booker{Actor: audit.Actor{Login: "kiosk", Workstation: addr}}
}

func (b Booker) kiosk() bool { return b.Role == "" }

// Request asks for a booking.
type Request struct {
	Line string `json:"line"`
	// SlotStart is the RFC 3339 start of a slot listed by Slots.
	SlotStart string `json:"slot_start"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	// StaffID names who comes in; required in extended hours.
	StaffID string `json:"staff_id"`
	Note    string `json:"note"`
	// Channel is phone (default) or window; an assistant's bookings are
	// always proxy, the kiosk's kiosk.
	Channel string `json:"channel"`
	// fromTicket is set by FromTicket only.
	fromTicket string
}

// LineRules returns the slot rule of every line configured, and the default
// for the others on request.
func (s *Service) LineRule(ctx context.Context, line string) (LineRule, error) {
	rules := map[string]LineRule{}
	if err := settings.Get(ctx, s.db, keyLineRules, &rules); err != nil {
		return LineRule{}, err
	}
	return ruleOf(rules, line), nil
}

func ruleOf(rules map[string]LineRule, line string) LineRule {
	if r, ok := rules[line]; ok {
		return r
	}
	return DefaultLineRule(line)
}

func (s *Service) lineRuleTx(ctx context.Context, tx *store.Tx, line string) (LineRule, error) {
	rules := map[string]LineRule{}
	if err := settings.GetTx(ctx, tx, keyLineRules, &rules); err != nil {
		return LineRule{}, err
	}
	return ruleOf(rules, line), nil
}

// SetLineRule sets a line's slot length and capacities; administrators only.
// Bookings already made keep their slots. Errors: unknown line, invalid rule.
func (s *Service) SetLineRule(ctx context.Context, by account.Principal, r LineRule) (LineRule, error) {
	if by.Role != account.RoleAdmin {
		return LineRule{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以设置预约时段。")
	}
	l, err := s.line(ctx, r.Line)
	if err != nil {
		return LineRule{}, err
	}
	r.Line = l.Prefix
	if err := r.Validate(); err != nil {
		return LineRule{}, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		rules := map[string]LineRule{}
		if err := settings.GetTx(ctx, tx, keyLineRules, &rules); err != nil {
			return err
		}
		rules[r.Line] = r
		if err := settings.Set(ctx, tx, keyLineRules, rules); err != nil {
			return err
		}
		detail := fmt.Sprintf("%d分钟/时段，%d人，延时%d人", r.SlotMinutes, r.Capacity, r.ExtendedCapacity)
		if err := audit.Record(ctx, tx, by.Actor(), "booking.line_rule", r.Line, detail); err != nil {
			return err
		}
		return tx.Outbox(ctx, "booking.line_rule", r.Line, r)
	})
	return r, err
}

// line returns an active line, or says the line is unknown or closed.
func (s *Service) line(ctx context.Context, prefix string) (queue.Line, error) {
	prefix = strings.ToUpper(strings.TrimSpace(prefix))
	if prefix == "" {
		return queue.Line{}, invalid("请选择业务线。")
	}
	l, err := s.queue.Line(ctx, prefix)
	if apperr.Code(err) == apperr.NotFound {
		return queue.Line{}, invalid("没有“%s”这条业务线，不能预约。", prefix)
	}
	if err != nil {
		return queue.Line{}, err
	}
	if !l.Active {
		return queue.Line{}, invalid("%s（%s）已停用，不能预约。", l.Name, l.Prefix)
	}
	return l, nil
}

// SlotDay is a line's slots on one date, with the date as the calendar has it.
type SlotDay struct {
	Line  string       `json:"line"`
	Day   calendar.Day `json:"day"`
	Slots []Slot       `json:"slots"`
	// HorizonDays is how many days ahead the kiosk may book (the constant),
	// so the kiosk offers no date the host refuses.
	HorizonDays int `json:"horizon_days"`
	// Warnings say the day is in a year without a holiday arrangement: it
	// is open as a weekday now, and may turn out a holiday. Never nil.
	Warnings []string `json:"warnings"`
}

// Slots lists a line's slots on date with the places left; the kiosk does not
// see extended-hours slots, nor slots already begun. Errors: unknown line.
func (s *Service) Slots(ctx context.Context, by Booker, line string, date time.Time) (SlotDay, error) {
	if by.kiosk() {
		if err := withinHorizon(date, s.clock.Now()); err != nil {
			return SlotDay{}, err
		}
	}
	l, err := s.line(ctx, line)
	if err != nil {
		return SlotDay{}, err
	}
	rule, err := s.LineRule(ctx, l.Prefix)
	if err != nil {
		return SlotDay{}, err
	}
	day, err := s.cal.Day(ctx, date)
	if err != nil {
		return SlotDay{}, err
	}
	counts := map[string]int{}
	rows, err := s.db.Read().QueryContext(ctx,
		`SELECT slot_start, count(*) FROM booking WHERE line = ? AND date = ? AND status <> 'cancelled' GROUP BY slot_start`, l.Prefix, day.Date)
	if err != nil {
		return SlotDay{}, fmt.Errorf("count bookings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at string
		var n int
		if err := rows.Scan(&at, &n); err != nil {
			return SlotDay{}, fmt.Errorf("count bookings: %w", err)
		}
		counts[at] = n
	}
	if err := rows.Err(); err != nil {
		return SlotDay{}, err
	}
	now := s.clock.Now()
	out := SlotDay{Line: l.Prefix, Day: day, Slots: []Slot{}, HorizonDays: HorizonDays, Warnings: []string{}}
	if day.Warning != "" {
		out.Warnings = append(out.Warnings, day.Warning)
	}
	for _, sl := range Slots(day, rule) {
		if by.kiosk() && (sl.AppointmentOnly || !sl.Start.After(now)) {
			continue
		}
		sl.Booked = counts[store.FormatTime(sl.Start)]
		sl.Available = max(sl.Capacity-sl.Booked, 0)
		out.Slots = append(out.Slots, sl)
	}
	return out, nil
}

// wanted is a request that passed the checks that need no transaction.
type wanted struct {
	line    queue.Line
	start   time.Time
	name    string
	phone   string
	staffID string
	note    string
	channel string
}

func (s *Service) check(ctx context.Context, by Booker, req Request) (wanted, error) {
	var w wanted
	var err error
	if w.phone, err = citizen.NormalizePhone(req.Phone); err != nil {
		return w, err
	}
	w.name = strings.TrimSpace(req.Name)
	// At the kiosk the name may be left to the window (到窗口再填): typing
	// Chinese on a touch screen defeats many elderly citizens, and the phone
	// and the code find the booking.
	if (w.name == "" && !by.kiosk()) || utf8.RuneCountInString(w.name) > 30 {
		return w, invalid("请填写预约人姓名（不超过30个字）。")
	}
	w.note = strings.TrimSpace(req.Note)
	if utf8.RuneCountInString(w.note) > 200 {
		return w, invalid("备注不能超过200个字。")
	}
	if w.line, err = s.line(ctx, req.Line); err != nil {
		return w, err
	}
	if w.start, err = parseStart(req.SlotStart); err != nil {
		return w, err
	}
	if w.staffID, err = s.checkStaff(ctx, req.StaffID); err != nil {
		return w, err
	}
	switch {
	case by.kiosk():
		w.channel = ChannelKiosk
	case by.Role == account.RoleAssistant:
		w.channel = ChannelProxy
	case req.Channel == "" || req.Channel == ChannelPhone:
		w.channel = ChannelPhone
	case req.Channel == ChannelWindow:
		w.channel = ChannelWindow
	default:
		return w, invalid("预约方式应为phone（电话）或window（窗口），收到“%s”。", req.Channel)
	}
	return w, nil
}

// HorizonDays is how far ahead the kiosk books: up to this many days after
// today. Staff book further ahead on the citizen's behalf.
const HorizonDays = 14

// withinHorizon refuses a kiosk date after the horizon.
func withinHorizon(t, now time.Time) error {
	last := calendar.Date(now).AddDate(0, 0, HorizonDays)
	if calendar.FormatDate(t) > calendar.FormatDate(last) {
		return invalid("取号机只能预约今后%d天以内（%s及以前）的时段。", HorizonDays, calendar.FormatDate(last))
	}
	return nil
}

func parseStart(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, invalid("预约时段应为RFC 3339时间（如2026-11-26T01:00:00Z），收到“%s”。", s)
	}
	return t.UTC(), nil
}

func (s *Service) checkStaff(ctx context.Context, id string) (string, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return "", nil
	}
	st, err := s.staff.Get(ctx, id)
	if apperr.Code(err) == apperr.NotFound {
		return "", invalid("指定的到岗工作人员不存在。")
	}
	if err != nil {
		return "", err
	}
	if !st.Active {
		return "", invalid("%s的账号已停用，不能安排到岗。", st.Name)
	}
	if !account.ServesWindow(st.Role) {
		return "", invalid("%s是%s，到岗服务只能安排综合窗口或值班人员。", st.Name, account.RoleName(st.Role))
	}
	return st.ID, nil
}

// placeTx finds the slot w asks for and checks, in the order a person would
// want to hear them, every rule that refuses it; except names the booking
// being moved, which does not count against itself.
func (s *Service) placeTx(ctx context.Context, tx *store.Tx, by Booker, w wanted, except string) (calendar.Day, Slot, error) {
	now := tx.Now
	local := w.start.In(clock.Shanghai)
	if !w.start.After(now) {
		return calendar.Day{}, Slot{}, invalid("%s已经过去，不能预约过去的时间。", local.Format("2006-01-02 15:04"))
	}
	if by.kiosk() {
		if err := withinHorizon(w.start, now); err != nil {
			return calendar.Day{}, Slot{}, err
		}
	}
	rules, err := s.cal.RulesTx(ctx, tx)
	if err != nil {
		return calendar.Day{}, Slot{}, err
	}
	day := rules.Day(w.start)
	if !day.Open() {
		return day, Slot{}, invalid("%s是%s，不办公，不能预约。", day.Date, day.ClosedReason())
	}
	rule, err := s.lineRuleTx(ctx, tx, w.line.Prefix)
	if err != nil {
		return day, Slot{}, err
	}
	slot, ok := FindSlot(day, rule, w.start)
	if !ok {
		return day, Slot{}, invalid("%s不是%s的可预约时段（每%d分钟一个时段，须在办公时间内）。", local.Format("2006-01-02 15:04"), w.line.Name, rule.SlotMinutes)
	}
	if by.kiosk() {
		if slot.AppointmentOnly {
			return day, slot, invalid("延时服务时段须由工作人员电话预约，取号机不能预约。")
		}
		if day.Date <= calendar.FormatDate(now) {
			return day, slot, invalid("取号机只能预约以后的日期；今天办事请直接取号。")
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM booking WHERE phone_index = ? AND line = ? AND date = ? AND status = 'booked' AND id <> ?`,
			s.sealer.Index(w.phone), w.line.Prefix, day.Date, except).Scan(&open); err != nil {
			return day, slot, fmt.Errorf("check open bookings of phone: %w", err)
		}
		if open > 0 {
			return day, slot, apperr.Errorf(apperr.Conflict, "电话%s在%s已有%s的预约，同一天同一业务线只能预约一次。", citizen.MaskPhone(w.phone), day.Date, w.line.Name)
		}
	}
	if slot.AppointmentOnly && w.staffID == "" {
		return day, slot, invalid("%s是延时服务时段（%s），须指定到岗的工作人员。", local.Format("15:04"), slot.Name)
	}
	var other string
	err = tx.QueryRowContext(ctx, `SELECT line FROM booking WHERE phone_index = ? AND status <> 'cancelled' AND slot_start < ? AND slot_end > ? AND id <> ? LIMIT 1`,
		s.sealer.Index(w.phone), store.FormatTime(slot.End), store.FormatTime(slot.Start), except).Scan(&other)
	if err == nil {
		return day, slot, apperr.Errorf(apperr.Conflict, "电话%s在%s已有%s业务线的预约，同一时段不能重复预约。", citizen.MaskPhone(w.phone), local.Format("01月02日 15:04"), other)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return day, slot, fmt.Errorf("check double booking: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM booking WHERE line = ? AND slot_start = ? AND status <> 'cancelled' AND id <> ?`,
		w.line.Prefix, store.FormatTime(slot.Start), except).Scan(&slot.Booked); err != nil {
		return day, slot, fmt.Errorf("count slot: %w", err)
	}
	if slot.Booked >= slot.Capacity {
		return day, slot, apperr.Errorf(apperr.Conflict, "该时段已约满（%s %s，%d个名额），请选择其他时段。", w.line.Name, local.Format("01月02日 15:04"), slot.Capacity)
	}
	return day, slot, nil
}

// Create books a slot. Errors (nothing is written on any of them): invalid
// for a malformed phone, a missing name, an unknown or stopped line, a time
// in the past, a closed day, a time that is not a slot, an extended-hours
// slot without a named staff member, a kiosk booking for today; conflict for
// a double booking of the same phone in the same slot, and "该时段已约满"
// when the slot is full.
func (s *Service) Create(ctx context.Context, by Booker, req Request) (Booking, error) {
	w, err := s.check(ctx, by, req)
	if err != nil {
		return Booking{}, err
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return Booking{}, err
	}
	var b Booking
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		b, err = s.createTx(ctx, tx, by, w, st.ID, req.fromTicket)
		return err
	})
	if err != nil {
		return Booking{}, err
	}
	return b, nil
}

// createTx books the slot w asks for inside tx; see Create.
func (s *Service) createTx(ctx context.Context, tx *store.Tx, by Booker, w wanted, siteID, fromTicket string) (Booking, error) {
	day, slot, err := s.placeTx(ctx, tx, by, w, "")
	if err != nil {
		return Booking{}, err
	}
	code, err := newCodeTx(ctx, tx)
	if err != nil {
		return Booking{}, err
	}
	b := Booking{ID: store.NewID(), Line: w.line.Prefix, Date: day.Date, SlotStart: slot.Start, SlotEnd: slot.End, SlotKind: slot.Kind,
		StaffID: w.staffID, CitizenName: w.name, Phone: w.phone, Note: w.note, Channel: w.channel, BookedBy: by.Actor.Login,
		Code: code, Status: Booked, FromTicketID: fromTicket, CreatedAt: tx.Now}
	ts := store.FormatTime(tx.Now)
	sl, err := s.sealer.SealContact("booking", b.ID, b.CitizenName, b.Phone)
	if err != nil {
		return Booking{}, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO booking (id, site_id, line, date, slot_start, slot_end, slot_kind, staff_id, citizen_name, phone, phone_index, note,
		channel, booked_by, code, status, from_ticket_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		b.ID, siteID, b.Line, b.Date, store.FormatTime(b.SlotStart), store.FormatTime(b.SlotEnd), b.SlotKind, b.StaffID, sl.Name, sl.Phone, sl.PhoneIndex, b.Note,
		b.Channel, b.BookedBy, b.Code, b.Status, b.FromTicketID, ts, ts)
	if store.IsUnique(err) && strings.Contains(err.Error(), "from_ticket_id") {
		return Booking{}, errTicketBooked
	}
	if store.IsUnique(err) {
		return Booking{}, apperr.Errorf(apperr.Conflict, "电话%s在该时段已有预约，同一时段不能重复预约。", citizen.MaskPhone(b.Phone))
	}
	if err != nil {
		return Booking{}, fmt.Errorf("create booking: %w", err)
	}
	return b, s.record(ctx, tx, by.Actor, "booking.create", EventCreated, b, describe(b))
}

// record writes the audit line and outbox row of a change to b and
// publishes its event once committed.
func (s *Service) record(ctx context.Context, tx *store.Tx, who audit.Actor, action, event string, b Booking, detail string) error {
	if err := audit.Record(ctx, tx, who, action, b.ID, detail); err != nil {
		return err
	}
	pub := b.Public()
	if err := tx.Outbox(ctx, action, b.ID, pub); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: event, Data: map[string]any{"action": action, "booking": pub}})
		}
	})
	return nil
}

func describe(b Booking) string {
	d := fmt.Sprintf("%s %s %s %s", b.Line, b.SlotStart.In(clock.Shanghai).Format("2006-01-02 15:04"), citizen.MaskName(b.CitizenName), citizen.MaskPhone(b.Phone))
	if b.StaffID != "" {
		d += " 到岗" + b.StaffID
	}
	return d
}

const codeDigits = 6

// newCodeTx draws a check-in code no open booking holds.
func newCodeTx(ctx context.Context, tx *store.Tx) (string, error) {
	for range 20 {
		n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
		if err != nil {
			return "", fmt.Errorf("draw check-in code: %w", err)
		}
		code := fmt.Sprintf("%0*d", codeDigits, n.Int64())
		var x int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM booking WHERE code = ? AND status = 'booked'`, code).Scan(&x)
		if errors.Is(err, sql.ErrNoRows) {
			return code, nil
		}
		if err != nil {
			return "", fmt.Errorf("draw check-in code: %w", err)
		}
	}
	return "", fmt.Errorf("draw check-in code: no free code after 20 draws")
}

const bookingCols = `id, line, date, slot_start, slot_end, slot_kind, staff_id, citizen_name, phone, note, channel, booked_by, code, status,
	reason, reschedules, ticket_id, ticket_number, checked_in_at, checked_in_late, from_ticket_id, created_at`

type rowScanner interface{ Scan(...any) error }

func scanBooking(r rowScanner) (Booking, error) {
	var b Booking
	var start, end, created string
	var checked sql.NullString
	var late int
	err := r.Scan(&b.ID, &b.Line, &b.Date, &start, &end, &b.SlotKind, &b.StaffID, &b.CitizenName, &b.Phone, &b.Note, &b.Channel, &b.BookedBy,
		&b.Code, &b.Status, &b.Reason, &b.Reschedules, &b.TicketID, &b.TicketNumber, &checked, &late, &b.FromTicketID, &created)
	if err != nil {
		return Booking{}, err
	}
	b.SlotStart, _ = store.ParseTime(start)
	b.SlotEnd, _ = store.ParseTime(end)
	b.CreatedAt, _ = store.ParseTime(created)
	b.SlotStart, b.SlotEnd, b.CreatedAt = b.SlotStart.UTC(), b.SlotEnd.UTC(), b.CreatedAt.UTC()
	if checked.Valid {
		if t, err := store.ParseTime(checked.String); err == nil {
			t = t.UTC()
			b.CheckedInAt = &t
		}
	}
	b.CheckedInLate = late == 1
	if b.Status != Booked {
		b.Code = ""
	}
	return b, nil
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// queryBookings reads bookings with their names and phones opened; callers
// mask them for readers who may not see them.
func (s *Service) queryBookings(ctx context.Context, q querier, where string, args ...any) ([]Booking, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+bookingCols+` FROM booking WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list bookings: %w", err)
	}
	defer rows.Close()
	out := []Booking{}
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, fmt.Errorf("list bookings: %w", err)
		}
		if err := s.open(&b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func (s *Service) getBooking(ctx context.Context, q querier, id string) (Booking, error) {
	list, err := s.queryBookings(ctx, q, `id = ?`, id)
	if err != nil {
		return Booking{}, err
	}
	if len(list) == 0 {
		return Booking{}, apperr.Errorf(apperr.NotFound, "找不到这个预约。")
	}
	return list[0], nil
}

// Get returns one booking: in full, the read audited, to the roles that
// SeesContacts; name and phone masked to others. Errors: not found.
func (s *Service) Get(ctx context.Context, by account.Principal, id string) (Booking, error) {
	b, err := s.getBooking(ctx, s.db.Read(), id)
	if err != nil {
		return Booking{}, err
	}
	list, err := s.forReader(ctx, by, []Booking{b}, b.ID)
	if err != nil {
		return Booking{}, err
	}
	return list[0], nil
}

// forReader masks list for a reader who may not see citizens' contacts, and
// records in the audit log a full read by one who may.
func (s *Service) forReader(ctx context.Context, by account.Principal, list []Booking, target string) ([]Booking, error) {
	if !SeesContacts(by.Role) {
		for i := range list {
			list[i].CitizenName = citizen.MaskName(list[i].CitizenName)
			list[i].Phone = citizen.MaskPhone(list[i].Phone)
		}
		return list, nil
	}
	if len(list) == 0 {
		return list, nil
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, by.Actor(), "booking.read", target, fmt.Sprintf("查看%d个预约的完整姓名和电话", len(list)))
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// Filter narrows List. Dates are inclusive YYYY-MM-DD; empty fields match all.
type Filter struct {
	From, To string
	Line     string
	StaffID  string
	Status   string
}

// List returns bookings by slot time, names and phones as Get gives them.
// Errors: invalid dates, a range over calendar.MaxRange days.
func (s *Service) List(ctx context.Context, by account.Principal, f Filter) ([]Booking, error) {
	from, err1 := calendar.ParseDate(f.From)
	to, err2 := calendar.ParseDate(f.To)
	if err1 != nil || err2 != nil {
		return nil, invalid("请用YYYY-MM-DD给出查询的起止日期。")
	}
	if to.Before(from) || to.Sub(from) > calendar.MaxRange*24*time.Hour {
		return nil, invalid("查询范围应在1到%d天之间。", calendar.MaxRange)
	}
	where := `date >= ? AND date <= ?`
	args := []any{calendar.FormatDate(from), calendar.FormatDate(to)}
	if f.Line != "" {
		where += ` AND line = ?`
		args = append(args, strings.ToUpper(f.Line))
	}
	if f.StaffID != "" {
		where += ` AND staff_id = ?`
		args = append(args, f.StaffID)
	}
	if f.Status != "" {
		where += ` AND status = ?`
		args = append(args, f.Status)
	}
	list, err := s.queryBookings(ctx, s.db.Read(), where+` ORDER BY slot_start, created_at`, args...)
	if err != nil {
		return nil, err
	}
	return s.forReader(ctx, by, list, f.From+"~"+f.To)
}

func invalid(format string, args ...any) error { return apperr.Errorf(apperr.Invalid, format, args...) }
