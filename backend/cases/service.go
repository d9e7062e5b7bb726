package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/catalog"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/queue"
	"budayang/backend/secret"
	"budayang/backend/settings"
	"budayang/backend/site"
	"budayang/backend/store"
)

// Event types of cases. Their data carries no citizen's name, ID number or
// phone: the event stream is open to the hall's LAN.
const (
	EventChanged = "case:changed"
	EventDue     = "case:due"
)

// Settings keys owned by cases.
const (
	keyCentre      = "cases.centre"
	keyFingerprint = "cases.key_fingerprint"
)

// Tickets is what cases need of the queue.
type Tickets interface {
	Ticket(ctx context.Context, id string) (queue.Ticket, error)
}

// Service keeps the site's cases.
type Service struct {
	db      *store.DB
	clock   clock.Clock
	pub     events.Publisher
	cal     *calendar.Service
	catalog *catalog.Service
	tickets Tickets
	sites   *site.Service
	sealer  *secret.Sealer
	// keyErr is set when the stored key fingerprint is not the sealer's:
	// the site opens, but personal fields cannot be read or written.
	keyErr error
}

// NewService returns the case service. The first start records the key's
// fingerprint; a later start with another key (a lost or replaced key file)
// leaves the service refusing every case operation with a sentence saying
// so, rather than failing the whole program.
func NewService(ctx context.Context, db *store.DB, clk clock.Clock, pub events.Publisher, cal *calendar.Service, cat *catalog.Service, tickets Tickets, sites *site.Service, sealer *secret.Sealer) (*Service, error) {
	s := &Service{db: db, clock: clk, pub: pub, cal: cal, catalog: cat, tickets: tickets, sites: sites, sealer: sealer}
	var stored string
	if err := settings.Get(ctx, db, keyFingerprint, &stored); err != nil {
		return nil, err
	}
	switch stored {
	case sealer.Fingerprint:
	case "":
		if err := db.Write(ctx, func(tx *store.Tx) error {
			return settings.Set(ctx, tx, keyFingerprint, sealer.Fingerprint)
		}); err != nil {
			return nil, fmt.Errorf("record key fingerprint: %w", err)
		}
	default:
		s.keyErr = secret.WrongKey(sealer.Where())
	}
	if err := s.indexNames(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// KeyError is the sentence every case operation answers when the field key
// is not the one the database was sealed with, or nil.
func (s *Service) KeyError() error { return s.keyErr }

// KeyLocation says where the field key is kept, for the admin page.
func (s *Service) KeyLocation() string { return s.sealer.Where() }

// Material is one line of a case's checklist.
type Material struct {
	Index int `json:"index"`
	catalog.Material
	Received   bool       `json:"received"`
	ReceivedAt *time.Time `json:"received_at,omitempty"`
	ReceivedBy string     `json:"received_by,omitempty"`
}

// Event is one line of a case's history.
type Event struct {
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	ActorName  string    `json:"actor_name"`
	Action     string    `json:"action"`
	ActionName string    `json:"action_name"`
	From       string    `json:"from,omitempty"`
	To         string    `json:"to,omitempty"`
	Detail     string    `json:"detail,omitempty"`
	// Params are the values from which the UI words the line for Action;
	// empty on lines older than them, which only have Detail.
	Params Params `json:"params"`
}

// Case is one piece of work on an item for a citizen.
type Case struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	ItemCode    string `json:"item_code"`
	ItemName    string `json:"item_name"`
	Department  string `json:"department"`
	LimitDays   int    `json:"limit_days"`
	Status      string `json:"status"`
	StatusName  string `json:"status_name"`
	CitizenName string `json:"citizen_name"`
	IDNumber    string `json:"id_number"`
	Phone       string `json:"phone"`
	// Masked is true when the three personal fields above are masked: for
	// everyone but the holder, and in every list.
	Masked          bool   `json:"masked"`
	TicketID        string `json:"ticket_id,omitempty"`
	TicketNumber    string `json:"ticket_number,omitempty"`
	ResponsibleID   string `json:"responsible_id"`
	ResponsibleName string `json:"responsible_name"`
	HolderID        string `json:"holder_id"`
	HolderName      string `json:"holder_name"`
	// Note is the clerks' internal note; SupplementNote is the text for the
	// citizen that the one-time notice prints under 补正说明.
	Note           string     `json:"note,omitempty"`
	SupplementNote string     `json:"supplement_note,omitempty"`
	Reason         string     `json:"reason,omitempty"`
	Result         string     `json:"result,omitempty"`
	TransferTo     string     `json:"transfer_to,omitempty"`
	AcceptedAt     *time.Time `json:"accepted_at,omitempty"`
	DueDate        string     `json:"due_date,omitempty"`
	// DueEstimated is set while the due date runs through a year without a
	// holiday arrangement, counted weekends-only; DueWarnings say which.
	DueEstimated    bool       `json:"due_estimated"`
	DueWarnings     []string   `json:"due_warnings,omitempty"`
	PausedDays      int        `json:"paused_days"`
	SupplementSince *time.Time `json:"supplement_since,omitempty"`
	ClosedAt        *time.Time `json:"closed_at,omitempty"`
	Overdue         bool       `json:"overdue"`
	Materials       []Material `json:"materials"`
	// MissingRequired counts required materials not yet received.
	MissingRequired int       `json:"missing_required"`
	MissingAny      int       `json:"missing_any"`
	Actions         []string  `json:"actions"`
	History         []Event   `json:"history,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`

	idSealed, nameSealed, phoneSealed string
	// dueUncounted are the years behind DueWarnings, for the receipt.
	dueUncounted []int
}

func (c *Case) mask() {
	c.CitizenName = citizen.MaskName(c.CitizenName)
	c.IDNumber = citizen.MaskID(c.IDNumber)
	c.Phone = citizen.MaskPhone(c.Phone)
	c.Masked = true
}

// county is what the outbox carries to the county: no personal field in
// the clear.
func (c Case) county() Case {
	c.mask()
	c.Materials = nil
	c.History = nil
	c.Actions = nil
	return c
}

func (c *Case) count() {
	c.MissingRequired, c.MissingAny = 0, 0
	for _, m := range c.Materials {
		if !m.Received {
			c.MissingAny++
			if m.Required {
				c.MissingRequired++
			}
		}
	}
}

func aad(id, field string) string { return "case/" + id + "/" + field }

const caseColumns = `id, number, item_code, item_name, department, limit_days, status, citizen_name, id_number, phone,
	ticket_id, ticket_number, responsible_id, responsible_name, holder_id, holder_name, note, supplement_note, reason, result, transfer_to,
	accepted_at, due_date, paused_days, supplement_since, closed_at, created_at, updated_at`

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func nullTime(ns sql.NullString) *time.Time {
	if !ns.Valid {
		return nil
	}
	t, err := store.ParseTime(ns.String)
	if err != nil {
		return nil
	}
	return &t
}

// query reads cases with their materials, personal fields opened (callers
// mask them).
func (s *Service) query(ctx context.Context, q querier, where string, args ...any) ([]Case, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+caseColumns+` FROM case_file WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query cases: %w", err)
	}
	var out []Case
	for rows.Next() {
		var c Case
		var acc, since, closed sql.NullString
		var created, updated string
		if err := rows.Scan(&c.ID, &c.Number, &c.ItemCode, &c.ItemName, &c.Department, &c.LimitDays, &c.Status, &c.nameSealed, &c.idSealed, &c.phoneSealed,
			&c.TicketID, &c.TicketNumber, &c.ResponsibleID, &c.ResponsibleName, &c.HolderID, &c.HolderName, &c.Note, &c.SupplementNote, &c.Reason, &c.Result, &c.TransferTo,
			&acc, &c.DueDate, &c.PausedDays, &since, &closed, &created, &updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("query cases: %w", err)
		}
		c.AcceptedAt, c.SupplementSince, c.ClosedAt = nullTime(acc), nullTime(since), nullTime(closed)
		c.CreatedAt, _ = store.ParseTime(created)
		c.UpdatedAt, _ = store.ParseTime(updated)
		c.StatusName = StatusName(c.Status)
		c.Actions = Allowed(c.Status)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]string, len(out))
	for i := range out {
		ids[i] = out[i].ID
	}
	mats, err := materialsOf(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	today := calendar.FormatDate(s.clock.Now())
	rules, err := s.cal.Rules(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		c := &out[i]
		estimate(rules, c)
		if c.CitizenName, err = s.sealer.Open(c.nameSealed, aad(c.ID, "name")); err != nil {
			return nil, secret.WrongKey(s.sealer.Where())
		}
		if c.IDNumber, err = s.sealer.Open(c.idSealed, aad(c.ID, "id_number")); err != nil {
			return nil, secret.WrongKey(s.sealer.Where())
		}
		if c.Phone, err = s.sealer.Open(c.phoneSealed, aad(c.ID, "phone")); err != nil {
			return nil, secret.WrongKey(s.sealer.Where())
		}
		c.Overdue = Running(c.Status) && c.DueDate != "" && c.DueDate < today
		if c.Materials = mats[c.ID]; c.Materials == nil {
			c.Materials = []Material{}
		}
		c.count()
	}
	return out, nil
}

func (s *Service) getTx(ctx context.Context, tx *store.Tx, id string) (Case, error) {
	list, err := s.query(ctx, tx, `id = ?`, id)
	if err != nil {
		return Case{}, err
	}
	if len(list) == 0 {
		return Case{}, apperr.Errorf(apperr.NotFound, "找不到这个办件。")
	}
	return list[0], nil
}

func (s *Service) history(ctx context.Context, id string) ([]Event, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT at, actor, actor_name, action, from_status, to_status, detail, params FROM case_event WHERE case_id = ? ORDER BY at, rowid`, id)
	if err != nil {
		return nil, fmt.Errorf("read case history: %w", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var at, params string
		if err := rows.Scan(&at, &e.Actor, &e.ActorName, &e.Action, &e.From, &e.To, &e.Detail, &params); err != nil {
			return nil, fmt.Errorf("read case history: %w", err)
		}
		if err := json.Unmarshal([]byte(params), &e.Params); err != nil {
			return nil, fmt.Errorf("read case history params: %w", err)
		}
		e.At, _ = store.ParseTime(at)
		e.ActionName = eventName(e.Action)
		out = append(out, e)
	}
	return out, rows.Err()
}

func eventName(a string) string {
	switch a {
	case "open":
		return "登记办件"
	case "take":
		return "接办"
	case "materials":
		return "更新材料清单"
	case "citizen":
		return "更正申请人信息"
	case ActDeadlineMoved:
		return "办结期限调整"
	}
	return ActionName(a)
}

// Get returns a case with its checklist and history. The holder, when of a
// role that HandlesCases, sees the citizen's name, ID number and phone in
// full, and each such read is in the audit log; everyone else sees them
// masked. Errors: not found.
func (s *Service) Get(ctx context.Context, by account.Principal, id string) (Case, error) {
	if s.keyErr != nil {
		return Case{}, s.keyErr
	}
	list, err := s.query(ctx, s.db.Read(), `id = ?`, id)
	if err != nil {
		return Case{}, err
	}
	if len(list) == 0 {
		return Case{}, apperr.Errorf(apperr.NotFound, "找不到这个办件。")
	}
	c := list[0]
	if c.History, err = s.history(ctx, id); err != nil {
		return Case{}, err
	}
	if by.ID != c.HolderID || !HandlesCases(by.Role) {
		c.mask()
		return c, nil
	}
	action, detail := "case.read", c.Number+" 查看申请人完整姓名和电话"
	if c.IDNumber != "" {
		action, detail = "case.read_id", c.Number+" 查看完整身份证号码"
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, by.Actor(), action, c.ID, detail)
	})
	if err != nil {
		return Case{}, err
	}
	return c, nil
}

// Filter narrows List.
type Filter struct {
	Status string
	// Mine keeps the cases the reader is responsible for or holds.
	Mine     bool
	ItemCode string
	// IDNumber finds a citizen's cases through the blind index; the number
	// is never compared in the clear.
	IDNumber string
	// Name finds a citizen's cases by the whole name, through its keyed
	// hash like the ID number.
	Name string
	Open bool
	// Unheld keeps the cases nobody holds yet: those the duty desk opened
	// from a call for a window clerk to take.
	Unheld bool
	Limit  int
}

// List returns cases newest first, masked. Errors: invalid status or ID
// number.
func (s *Service) List(ctx context.Context, by account.Principal, f Filter) ([]Case, error) {
	if s.keyErr != nil {
		return nil, s.keyErr
	}
	where := []string{"1 = 1"}
	var args []any
	if f.Status != "" {
		if StatusName(f.Status) == f.Status {
			return nil, apperr.Errorf(apperr.Invalid, "未知的办件状态“%s”。", f.Status)
		}
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if f.Open {
		where = append(where, "status NOT IN ('completed','rejected')")
	}
	if f.Unheld {
		where = append(where, "holder_id = ''")
	}
	if f.Mine {
		where = append(where, "(responsible_id = ? OR holder_id = ?)")
		args = append(args, by.ID, by.ID)
	}
	if f.ItemCode != "" {
		where = append(where, "item_code = ?")
		args = append(args, f.ItemCode)
	}
	if f.IDNumber != "" {
		id, err := citizen.ValidateID(f.IDNumber, s.clock.Now())
		if err != nil {
			return nil, err
		}
		// "<> ''" lets the planner use the partial index case_id_index.
		where = append(where, "id_index = ? AND id_index <> ''")
		args = append(args, s.sealer.Index(id))
	}
	if f.Name != "" {
		where = append(where, "name_index = ? AND name_index <> ''")
		args = append(args, s.nameIndex(f.Name))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	list, err := s.query(ctx, s.db.Read(), strings.Join(where, " AND ")+` ORDER BY created_at DESC, number DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].mask()
	}
	if list == nil {
		list = []Case{}
	}
	return list, nil
}

// DueList is the home screen's and the tray's view of deadlines: Moved are
// the reader's deadlines a holiday arrangement moved, until acknowledged.
type DueList struct {
	Date    string         `json:"date"`
	Overdue []Case         `json:"overdue"`
	DueSoon []Case         `json:"due_soon"`
	Moved   []DeadlineMove `json:"moved"`
}

// Due returns the running cases past their deadline and those due today or
// on the next working day, masked: all of them, or only those the reader
// is responsible for or holds when mine is set; and, either way, the moved
// deadlines of the cases the reader holds (movesFor).
func (s *Service) Due(ctx context.Context, by account.Principal, mine bool) (DueList, error) {
	if s.keyErr != nil {
		return DueList{}, s.keyErr
	}
	now := s.clock.Now()
	next, err := s.cal.NextWorkday(ctx, now)
	if err != nil {
		return DueList{}, err
	}
	today := calendar.FormatDate(now)
	where := `status IN ('accepted','transferred') AND due_date <> '' AND due_date <= ?`
	args := []any{calendar.FormatDate(next)}
	if mine {
		where += ` AND (responsible_id = ? OR holder_id = ?)`
		args = append(args, by.ID, by.ID)
	}
	list, err := s.query(ctx, s.db.Read(), where+` ORDER BY due_date, number`, args...)
	if err != nil {
		return DueList{}, err
	}
	moved, err := s.movesFor(ctx, by)
	if err != nil {
		return DueList{}, err
	}
	out := DueList{Date: today, Overdue: []Case{}, DueSoon: []Case{}, Moved: moved}
	for _, c := range list {
		c.mask()
		if c.DueDate < today {
			out.Overdue = append(out.Overdue, c)
		} else {
			out.DueSoon = append(out.DueSoon, c)
		}
	}
	return out, nil
}

// DueSpec runs the deadline reminder at 08:30 and 14:30 every day.
const DueSpec = "30 8,14 * * *"

// DueEvent is the tray's reminder: counts and case numbers, no names.
type DueEvent struct {
	Date    string    `json:"date"`
	Overdue int       `json:"overdue"`
	DueSoon int       `json:"due_soon"`
	Cases   []DueCase `json:"cases"`
}

// DueCase names one case in a reminder.
type DueCase struct {
	ID            string `json:"id"`
	Number        string `json:"number"`
	ItemName      string `json:"item_name"`
	DueDate       string `json:"due_date"`
	Overdue       bool   `json:"overdue"`
	ResponsibleID string `json:"responsible_id"`
	HolderID      string `json:"holder_id"`
}

// RemindDue publishes case:due with every overdue and nearly due case; the
// tray of each clerk shows those naming them. It is the scheduled job.
func (s *Service) RemindDue(ctx context.Context, _ time.Time) error {
	d, err := s.Due(ctx, account.Principal{}, false)
	if err != nil {
		return err
	}
	ev := DueEvent{Date: d.Date, Overdue: len(d.Overdue), DueSoon: len(d.DueSoon), Cases: []DueCase{}}
	for _, c := range append(d.Overdue, d.DueSoon...) {
		ev.Cases = append(ev.Cases, DueCase{ID: c.ID, Number: c.Number, ItemName: c.ItemName, DueDate: c.DueDate, Overdue: c.Overdue, ResponsibleID: c.ResponsibleID, HolderID: c.HolderID})
	}
	if s.pub != nil {
		s.pub.Publish(events.Event{Type: EventDue, Data: ev})
	}
	return nil
}

// Centre is the site's contact details printed on case documents.
type Centre struct {
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// Centre returns the contact details printed on documents.
func (s *Service) Centre(ctx context.Context) (Centre, error) {
	var c Centre
	err := settings.Get(ctx, s.db, keyCentre, &c)
	return c, err
}

// SetCentre changes the contact details; administrators only. Errors: an
// invalid phone, an address over 100 characters.
func (s *Service) SetCentre(ctx context.Context, by account.Principal, c Centre) (Centre, error) {
	if by.Role != account.RoleAdmin {
		return Centre{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以修改中心联系方式。")
	}
	c.Address = strings.TrimSpace(c.Address)
	if strings.TrimSpace(c.Phone) != "" {
		p, err := citizen.NormalizePhone(c.Phone)
		if err != nil {
			return Centre{}, err
		}
		c.Phone = formatPhone(p)
	}
	if utf8.RuneCountInString(c.Address) > 100 {
		return Centre{}, apperr.Errorf(apperr.Invalid, "地址最多100字。")
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := settings.Set(ctx, tx, keyCentre, c); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by.Actor(), "cases.centre", keyCentre, c.Phone+" "+c.Address)
	})
	return c, err
}

// formatPhone writes a landline with a dash after its area code.
func formatPhone(p string) string {
	if strings.HasPrefix(p, "0") && len(p) >= 10 {
		n := 4
		if strings.HasPrefix(p, "01") || strings.HasPrefix(p, "02") {
			n = 3
		}
		return p[:n] + "-" + p[n:]
	}
	return p
}
