package proxy

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
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

// EventChanged announces a proxy case's change. Its data carries no
// villager's name, ID number or phone: the event stream is open to the
// hall's LAN.
const EventChanged = "proxy:changed"

// WindowCases is what the proxy service needs of the window's cases: that
// the case a proxy case is accepted into exists, and its number; and to open
// that case inside the transaction that accepts the proxy case.
type WindowCases interface {
	Get(ctx context.Context, by account.Principal, id string) (cases.Case, error)
	OpenTx(ctx context.Context, tx *store.Tx, by account.Principal, req cases.OpenRequest) (cases.Case, error)
}

// Staff is what the proxy service needs of the accounts.
type Staff interface {
	Get(ctx context.Context, id string) (account.Staff, error)
}

// Service keeps the site's proxy cases, villages and assistants' cards.
type Service struct {
	db      *store.DB
	clock   clock.Clock
	pub     events.Publisher
	cal     *calendar.Service
	catalog *catalog.Service
	sites   *site.Service
	sealer  *secret.Sealer
	window  WindowCases
	staff   Staff
}

// NewService returns the proxy service.
func NewService(db *store.DB, clk clock.Clock, pub events.Publisher, cal *calendar.Service, cat *catalog.Service, sites *site.Service, sealer *secret.Sealer, window WindowCases, staff Staff) *Service {
	return &Service{db: db, clock: clk, pub: pub, cal: cal, catalog: cat, sites: sites, sealer: sealer, window: window, staff: staff}
}

// Channels by which a request reaches an assistant.
var Channels = []string{"phone", "wechat", "walk_in", "home_visit"}

// ChannelName is the Chinese name of a channel, "" for an unknown one.
func ChannelName(c string) string {
	switch c {
	case "phone":
		return "电话代办"
	case "wechat":
		return "微信代办"
	case "walk_in":
		return "到村服务室"
	case "home_visit":
		return "上门服务"
	}
	return ""
}

// Material is one line of a proxy case's checklist.
type Material struct {
	Index int `json:"index"`
	catalog.Material
	Collected   bool       `json:"collected"`
	Note        string     `json:"note"`
	CollectedAt *time.Time `json:"collected_at,omitempty"`
	CollectedBy string     `json:"collected_by,omitempty"`
	// Photos are the line's photos, sealed at rest; only the owner reads
	// them (PhotoData).
	Photos []Photo `json:"photos"`
}

// Event is one step of a proxy case: who, when, where.
type Event struct {
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"`
	From      string    `json:"from,omitempty"`
	To        string    `json:"to,omitempty"`
	Where     string    `json:"where"`
	Note      string    `json:"note,omitempty"`
}

// Case is one proxy case.
type Case struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	OwnerID     string `json:"owner_id"`
	OwnerName   string `json:"owner_name"`
	VillageID   string `json:"village_id,omitempty"`
	VillageName string `json:"village_name,omitempty"`
	CitizenName string `json:"citizen_name"`
	IDNumber    string `json:"id_number"`
	Phone       string `json:"phone"`
	// Masked is true when the three fields above are masked: in every list,
	// and for everyone but the owner.
	Masked      bool      `json:"masked"`
	ItemCode    string    `json:"item_code"`
	ItemName    string    `json:"item_name"`
	Department  string    `json:"department"`
	LimitDays   int       `json:"limit_days"`
	Channel     string    `json:"channel"`
	ChannelName string    `json:"channel_name"`
	Fee         string    `json:"fee"`
	State       string    `json:"state"`
	StateName   string    `json:"state_name"`
	StateSince  time.Time `json:"state_since"`
	// Next is the state the case may go to, "" once returned.
	Next string `json:"next"`
	// DueDate is the date promised to the villager; DueWarning carries the
	// calendar's warning when a year it counted through has no holiday
	// arrangement loaded.
	DueDate    string `json:"due_date"`
	DueWarning string `json:"due_warning,omitempty"`
	// Overdue is past DueDate and not returned; Stalled is waiting in its
	// state longer than WaitLimit working days.
	Overdue          bool       `json:"overdue"`
	Stalled          bool       `json:"stalled"`
	WaitedDays       int        `json:"waited_days"`
	WindowCaseID     string     `json:"window_case_id,omitempty"`
	WindowCaseNumber string     `json:"window_case_number,omitempty"`
	ReturnMethod     string     `json:"return_method,omitempty"`
	Note             string     `json:"note,omitempty"`
	Materials        []Material `json:"materials"`
	MissingRequired  int        `json:"missing_required"`
	History          []Event    `json:"history,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

func (c *Case) mask() {
	c.CitizenName = citizen.MaskName(c.CitizenName)
	c.IDNumber = citizen.MaskID(c.IDNumber)
	c.Phone = citizen.MaskPhone(c.Phone)
	c.Masked = true
}

// county is what the outbox carries: masked, without checklist or history.
func (c Case) county() Case {
	c.mask()
	c.Materials = nil
	c.History = nil
	return c
}

func (c Case) missing() []string {
	var out []string
	for _, m := range c.Materials {
		if m.Required && !m.Collected {
			out = append(out, m.Name)
		}
	}
	return out
}

func aad(id, field string) string { return "proxy/" + id + "/" + field }

const caseColumns = `id, number, owner_id, owner_name, village_id, village_name, citizen_name, id_number, phone,
	item_code, item_name, department, limit_days, channel, fee, state, state_since, due_date, due_warning,
	window_case_id, window_case_number, return_method, note, created_at, updated_at`

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// query reads proxy cases with their checklists, personal fields opened
// (callers mask them), and works out Overdue and Stalled against today.
func (s *Service) query(ctx context.Context, q querier, where string, args ...any) ([]Case, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+caseColumns+` FROM proxy_case WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query proxy cases: %w", err)
	}
	var out []Case
	for rows.Next() {
		var c Case
		var since, created, updated string
		if err := rows.Scan(&c.ID, &c.Number, &c.OwnerID, &c.OwnerName, &c.VillageID, &c.VillageName, &c.CitizenName, &c.IDNumber, &c.Phone,
			&c.ItemCode, &c.ItemName, &c.Department, &c.LimitDays, &c.Channel, &c.Fee, &c.State, &since, &c.DueDate, &c.DueWarning,
			&c.WindowCaseID, &c.WindowCaseNumber, &c.ReturnMethod, &c.Note, &created, &updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("query proxy cases: %w", err)
		}
		c.StateSince, _ = store.ParseTime(since)
		c.CreatedAt, _ = store.ParseTime(created)
		c.UpdatedAt, _ = store.ParseTime(updated)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rules, err := s.cal.Rules(ctx)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	today := calendar.FormatDate(now)
	for i := range out {
		c := &out[i]
		if err := s.open(c); err != nil {
			return nil, err
		}
		c.StateName, c.ChannelName, c.Next = StateName(c.State), ChannelName(c.Channel), Next(c.State)
		c.WaitedDays = max(rules.WorkingDaysBetween(c.StateSince, now), 0)
		c.Overdue = !Terminal(c.State) && c.DueDate != "" && c.DueDate < today
		if limit, ok := WaitLimit(c.State); ok {
			c.Stalled = c.WaitedDays > limit
		}
		if c.Materials, err = s.materials(ctx, q, c.ID); err != nil {
			return nil, err
		}
		c.MissingRequired = len(c.missing())
	}
	return out, nil
}

func (s *Service) open(c *Case) error {
	var err error
	if c.CitizenName, err = s.sealer.Open(c.CitizenName, aad(c.ID, "name")); err != nil {
		return secret.WrongKey(s.sealer.Where())
	}
	if c.IDNumber, err = s.sealer.Open(c.IDNumber, aad(c.ID, "id_number")); err != nil {
		return secret.WrongKey(s.sealer.Where())
	}
	if c.Phone, err = s.sealer.Open(c.Phone, aad(c.ID, "phone")); err != nil {
		return secret.WrongKey(s.sealer.Where())
	}
	return nil
}

func (s *Service) materials(ctx context.Context, q querier, id string) ([]Material, error) {
	photos, err := s.photos(ctx, q, id)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT idx, name, form, count, required, notes, collected, note, collected_at, collected_by
		FROM proxy_material WHERE case_id = ? ORDER BY idx`, id)
	if err != nil {
		return nil, fmt.Errorf("read proxy checklist: %w", err)
	}
	defer rows.Close()
	out := []Material{}
	for rows.Next() {
		var m Material
		var at sql.NullString
		if err := rows.Scan(&m.Index, &m.Name, &m.Form, &m.Count, &m.Required, &m.Notes, &m.Collected, &m.Note, &at, &m.CollectedBy); err != nil {
			return nil, fmt.Errorf("read proxy checklist: %w", err)
		}
		if at.Valid {
			if t, err := store.ParseTime(at.String); err == nil {
				m.CollectedAt = &t
			}
		}
		if m.Photos = photos[m.Index]; m.Photos == nil {
			m.Photos = []Photo{}
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *Service) history(ctx context.Context, id string) ([]Event, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT at, actor, actor_name, action, from_state, to_state, place, note FROM proxy_event WHERE case_id = ? ORDER BY at, rowid`, id)
	if err != nil {
		return nil, fmt.Errorf("read proxy history: %w", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.ActorName, &e.Action, &e.From, &e.To, &e.Where, &e.Note); err != nil {
			return nil, fmt.Errorf("read proxy history: %w", err)
		}
		e.At, _ = store.ParseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *Service) getTx(ctx context.Context, q querier, id string) (Case, error) {
	list, err := s.query(ctx, q, `id = ?`, id)
	if err != nil {
		return Case{}, err
	}
	if len(list) == 0 {
		return Case{}, apperr.Errorf(apperr.NotFound, "找不到这个代办件。")
	}
	return list[0], nil
}

// centre reports whether role works at the centre's windows: they see every
// proxy case, masked, and accept them.
func centre(role string) bool { return role == account.RoleClerk || role == account.RoleAdmin }

var errNotYours = apperr.Errorf(apperr.Forbidden, "这不是您负责的代办件；代办员只能查看和办理自己登记的代办件。")

// mayRead refuses a duty officer, and an assistant another's case.
func mayRead(by account.Principal, c Case) error {
	switch {
	case by.Role == account.RoleAssistant && by.ID == c.OwnerID:
		return nil
	case centre(by.Role):
		return nil
	}
	return errNotYours
}

// Get returns a proxy case with its checklist and history. The assistant
// who owns it sees the villager's name, ID number and phone in full, and
// each such read is in the audit log (proxy.read); the centre's clerks and
// administrator see them masked. Errors: not found; forbidden for a duty
// officer and for an assistant who does not own the case.
func (s *Service) Get(ctx context.Context, by account.Principal, id string) (Case, error) {
	c, err := s.getTx(ctx, s.db.Read(), id)
	if err != nil {
		return Case{}, err
	}
	if err := mayRead(by, c); err != nil {
		return Case{}, err
	}
	if c.History, err = s.history(ctx, id); err != nil {
		return Case{}, err
	}
	if by.ID != c.OwnerID {
		c.mask()
		return c, nil
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, by.Actor(), "proxy.read", c.ID, c.Number+" 查看群众完整姓名、身份证号码和电话")
	})
	if err != nil {
		return Case{}, err
	}
	return c, nil
}

// Filter narrows List.
type Filter struct {
	State string
	// Late keeps the cases past their promised date or stalled in their
	// state.
	Late bool
}

// List returns proxy cases newest first, masked: an assistant's own, or
// every case for the centre's clerks and administrator. Errors: invalid
// state; forbidden for a duty officer.
func (s *Service) List(ctx context.Context, by account.Principal, f Filter) ([]Case, error) {
	where := []string{"1 = 1"}
	var args []any
	switch {
	case by.Role == account.RoleAssistant:
		where = append(where, "owner_id = ?")
		args = append(args, by.ID)
	case !centre(by.Role):
		return nil, apperr.Errorf(apperr.Forbidden, "值班人员不能查看代办件。")
	}
	if f.State != "" {
		if !known(f.State) {
			return nil, apperr.Errorf(apperr.Invalid, "未知的代办状态“%s”。", f.State)
		}
		where = append(where, "state = ?")
		args = append(args, f.State)
	}
	if f.Late {
		where = append(where, "state <> ?")
		args = append(args, Returned)
	}
	list, err := s.query(ctx, s.db.Read(), strings.Join(where, " AND ")+` ORDER BY created_at DESC, number DESC LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	out := []Case{}
	for _, c := range list {
		if f.Late && !c.Overdue && !c.Stalled {
			continue
		}
		c.mask()
		out = append(out, c)
	}
	return out, nil
}

// due is the promised date n working days after from, with the calendar's
// warning when a year it counts through has no holiday arrangement.
func (s *Service) due(ctx context.Context, from time.Time, n int) (string, string, error) {
	rules, err := s.cal.Rules(ctx)
	if err != nil {
		return "", "", err
	}
	d, ok := rules.AddWorkingDays(from, n)
	if !ok {
		return "", "", apperr.Errorf(apperr.Conflict, "工作日历中找不到工作日，无法计算办结期限。")
	}
	warning := ""
	for y := from.In(clock.Shanghai).Year(); y <= d.Year(); y++ {
		if !rules.Legal.Knows(y) {
			warning = calendar.MissingYearWarning(y)
			break
		}
	}
	return calendar.FormatDate(d), warning, nil
}

// publish sends the case to the outbox (masked) and announces the change
// after commit.
func (s *Service) publish(ctx context.Context, tx *store.Tx, c Case, action string) error {
	if err := tx.Outbox(ctx, "proxy."+action, c.ID, c.county()); err != nil {
		return err
	}
	if err := s.relayOut(ctx, tx, c, action); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: EventChanged, Data: map[string]string{
				"id": c.ID, "number": c.Number, "state": c.State, "owner_id": c.OwnerID, "action": action,
			}})
		}
	})
	return nil
}
