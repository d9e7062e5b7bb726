package roster

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/settings"
	"budayang/backend/site"
	"budayang/backend/store"
)

// Changed is published after any change to shifts, absences or a plan.
const Changed = "roster:changed"

const keySetup = "roster.setup"

// Plan statuses.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
)

// Setup is the site's shift definitions, its hard rules and the duty phone
// shown to the public with who is on duty.
type Setup struct {
	Shifts    []Shift `json:"shifts"`
	Rules     Rules   `json:"rules"`
	DutyPhone string  `json:"duty_phone"`
}

// Plan is a roster for a period with its places, the ones left vacant, each
// person's load and the history of the plan.
type Plan struct {
	ID          string      `json:"id"`
	Status      string      `json:"status"`
	From        string      `json:"from"`
	To          string      `json:"to"`
	Assignments []Duty      `json:"assignments"`
	Unfilled    []Unfilled  `json:"unfilled"`
	Load        []Load      `json:"load"`
	History     []PlanEvent `json:"history"`
	CreatedAt   string      `json:"created_at"`
	PublishedAt string      `json:"published_at,omitempty"`
}

// PlanEvent is one line of a plan's history.
type PlanEvent struct {
	At     string `json:"at"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	Detail string `json:"detail"`
}

// Service keeps the site's roster.
type Service struct {
	db    *store.DB
	clock clock.Clock
	pub   events.Publisher
	cal   *calendar.Service
	sites *site.Service
}

// NewService returns the roster service.
func NewService(db *store.DB, clk clock.Clock, pub events.Publisher, cal *calendar.Service, sites *site.Service) *Service {
	return &Service{db: db, clock: clk, pub: pub, cal: cal, sites: sites}
}

func requireAdmin(p account.Principal) error {
	if p.Role != account.RoleAdmin {
		return apperr.Errorf(apperr.Forbidden, "只有管理员可以安排值班。")
	}
	return nil
}

// write runs fn with the site id; the audit line, the outbox row and the
// roster:changed event go with it.
func (s *Service) write(ctx context.Context, by account.Principal, action, target, detail string, payload any, fn func(tx *store.Tx, siteID string) error) error {
	st, err := s.sites.Get(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if err := fn(tx, st.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, by.Actor(), action, target, detail); err != nil {
			return err
		}
		if err := tx.Outbox(ctx, action, target, payload); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			if s.pub != nil {
				s.pub.Publish(events.Event{Type: Changed, Data: map[string]string{"what": action, "target": target}})
			}
		})
		return nil
	})
}

// Setup returns the shift definitions, rules and duty phone; a site that
// never set them has no shifts and DefaultRules.
func (s *Service) Setup(ctx context.Context) (Setup, error) {
	st := Setup{Shifts: []Shift{}, Rules: DefaultRules()}
	if err := settings.Get(ctx, s.db, keySetup, &st); err != nil {
		return Setup{}, err
	}
	return st, nil
}

var phoneRe = regexp.MustCompile(`^[0-9][0-9-]{4,19}$`)

// SetSetup replaces the shift definitions, rules and duty phone;
// administrators only. A shift without an id gets one; without a weight it
// gets the default (see DefaultWeight).
func (s *Service) SetSetup(ctx context.Context, by account.Principal, st Setup) (Setup, error) {
	if err := requireAdmin(by); err != nil {
		return Setup{}, err
	}
	if st.Shifts == nil {
		st.Shifts = []Shift{}
	}
	if len(st.Shifts) > 20 {
		return Setup{}, apperr.Errorf(apperr.Invalid, "班次最多20个。")
	}
	if err := ValidateShifts(st.Shifts, store.NewID); err != nil {
		return Setup{}, err
	}
	if st.Rules == (Rules{}) {
		st.Rules = DefaultRules()
	}
	r := st.Rules
	if r.MaxPerDay < 1 || r.MaxPerDay > 3 || r.MinRestHours < 0 || r.MinRestHours > 48 || r.MaxConsecutiveDays < 1 || r.MaxConsecutiveDays > 14 {
		return Setup{}, apperr.Errorf(apperr.Invalid, "排班规则超出范围：每天最多1到3班，两班间隔0到48小时，连续值班1到14天。")
	}
	st.DutyPhone = strings.TrimSpace(st.DutyPhone)
	if st.DutyPhone != "" && !phoneRe.MatchString(st.DutyPhone) {
		return Setup{}, apperr.Errorf(apperr.Invalid, "值班电话“%s”格式不正确（数字和连字符，如0818-1234567）。", st.DutyPhone)
	}
	err := s.write(ctx, by, "roster.setup", keySetup, fmt.Sprintf("%d个班次", len(st.Shifts)), st, func(tx *store.Tx, _ string) error {
		return settings.Set(ctx, tx, keySetup, st)
	})
	return st, err
}

func mayManage(by account.Principal, staffID string) error {
	if by.Role != account.RoleAdmin && by.ID != staffID {
		return apperr.Errorf(apperr.Forbidden, "只能登记自己的不可值班日期，或由管理员登记。")
	}
	return nil
}

// Unavailable lists a person's declared absences, newest first; the
// administrator, or the person themself.
func (s *Service) Unavailable(ctx context.Context, by account.Principal, staffID string) ([]Unavailability, error) {
	if err := mayManage(by, staffID); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, staff_id, from_date, to_date, reason FROM roster_unavailable WHERE staff_id = ? ORDER BY from_date DESC`, staffID)
	if err != nil {
		return nil, fmt.Errorf("list unavailability: %w", err)
	}
	defer rows.Close()
	out := []Unavailability{}
	for rows.Next() {
		var u Unavailability
		if err := rows.Scan(&u.ID, &u.StaffID, &u.From, &u.To, &u.Reason); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// AddUnavailable declares that a person cannot be on duty from u.From to
// u.To; the administrator, or the person themself. A declaration over a
// duty already published is refused, naming the duty: the head changes the
// roster first.
func (s *Service) AddUnavailable(ctx context.Context, by account.Principal, staffID string, u Unavailability) (Unavailability, error) {
	if err := mayManage(by, staffID); err != nil {
		return Unavailability{}, err
	}
	if err := ValidateUnavailability(&u); err != nil {
		return Unavailability{}, err
	}
	u.ID, u.StaffID = store.NewID(), staffID
	err := s.write(ctx, by, "roster.unavailable", staffID, fmt.Sprintf("%s至%s：%s", u.From, u.To, u.Reason), u, func(tx *store.Tx, siteID string) error {
		var active int
		if err := tx.QueryRowContext(ctx, `SELECT active FROM staff WHERE id = ?`, staffID).Scan(&active); errors.Is(err, sql.ErrNoRows) {
			return apperr.Errorf(apperr.NotFound, "没有这位工作人员。")
		} else if err != nil {
			return err
		}
		var date string
		err := tx.QueryRowContext(ctx, `SELECT a.date FROM roster_assignment a JOIN roster_plan p ON p.id = a.plan_id
			WHERE p.status = 'published' AND a.staff_id = ? AND a.date BETWEEN ? AND ? ORDER BY a.date LIMIT 1`, staffID, u.From, u.To).Scan(&date)
		if err == nil {
			return apperr.Errorf(apperr.Conflict, "%s已排定值班（已发布），请先请负责人调整排班再登记。", date)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO roster_unavailable (id, site_id, staff_id, from_date, to_date, reason, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)`,
			u.ID, siteID, staffID, u.From, u.To, u.Reason, store.FormatTime(tx.Now), by.Login)
		return err
	})
	return u, err
}

type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// people are the active staff with their absences.
func people(ctx context.Context, q queryer) ([]Person, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, role FROM staff WHERE active = 1 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("roster people: %w", err)
	}
	var out []Person
	idx := map[string]int{}
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.ID, &p.Name, &p.Role); err != nil {
			rows.Close()
			return nil, err
		}
		idx[p.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT staff_id, from_date, to_date, reason FROM roster_unavailable`)
	if err != nil {
		return nil, fmt.Errorf("roster absences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u Unavailability
		if err := rows.Scan(&u.StaffID, &u.From, &u.To, &u.Reason); err != nil {
			return nil, err
		}
		if i, ok := idx[u.StaffID]; ok {
			out[i].Unavailable = append(out[i].Unavailable, u)
		}
	}
	return out, rows.Err()
}

const dutyCols = `id, date, shift_id, start_at, end_at, COALESCE(staff_id,''), weight, reason`

func scanDuties(rows *sql.Rows) ([]Duty, map[string]string, error) {
	defer rows.Close()
	out := []Duty{}
	reasons := map[string]string{}
	for rows.Next() {
		var d Duty
		var start, end, reason string
		if err := rows.Scan(&d.ID, &d.Date, &d.ShiftID, &start, &end, &d.StaffID, &d.Weight, &reason); err != nil {
			return nil, nil, err
		}
		a, err1 := store.ParseTime(start)
		b, err2 := store.ParseTime(end)
		if err1 != nil || err2 != nil {
			return nil, nil, fmt.Errorf("roster assignment %s: bad time", d.ID)
		}
		d.Start, d.End = a.In(clock.Shanghai), b.In(clock.Shanghai)
		reasons[d.ID] = reason
		out = append(out, d)
	}
	return out, reasons, rows.Err()
}

// held are the published duties of other plans near from..to, which the
// rules count across the plans' edge.
func held(ctx context.Context, q queryer, planID, from, to string) ([]Duty, error) {
	f, _ := calendar.ParseDate(from)
	t, _ := calendar.ParseDate(to)
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.date, a.shift_id, a.start_at, a.end_at, a.staff_id, a.weight, a.reason FROM roster_assignment a JOIN roster_plan p ON p.id = a.plan_id
		WHERE p.status = 'published' AND p.id <> ? AND a.staff_id IS NOT NULL AND a.date BETWEEN ? AND ?`,
		planID, calendar.FormatDate(f.AddDate(0, 0, -15)), calendar.FormatDate(t.AddDate(0, 0, 15)))
	if err != nil {
		return nil, fmt.Errorf("roster held duties: %w", err)
	}
	d, _, err := scanDuties(rows)
	return d, err
}

// overlapping returns a published plan sharing a date with from..to.
func overlapping(ctx context.Context, q queryer, planID, from, to string) (string, string, error) {
	var f, t string
	err := q.QueryRowContext(ctx, `SELECT from_date, to_date FROM roster_plan WHERE status = 'published' AND id <> ? AND from_date <= ? AND to_date >= ? LIMIT 1`,
		planID, to, from).Scan(&f, &t)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return f, t, err
}

// carry is each person's load brought over: their total in the latest
// published plan before from (with what that plan carried), less the
// least total among the people of both plans, so only the imbalance
// carries and a newcomer starts level with the least loaded.
func carry(ctx context.Context, q queryer, from string, ps []Person) (map[string]float64, error) {
	var id, raw string
	err := q.QueryRowContext(ctx, `SELECT id, carry FROM roster_plan WHERE status = 'published' AND to_date < ? ORDER BY to_date DESC LIMIT 1`, from).Scan(&id, &raw)
	out := map[string]float64{}
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	prev := map[string]float64{}
	if err := json.Unmarshal([]byte(raw), &prev); err != nil {
		return nil, fmt.Errorf("roster plan %s carry: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT staff_id, SUM(weight) FROM roster_assignment WHERE plan_id = ? AND staff_id IS NOT NULL GROUP BY staff_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var sid string
		var w float64
		if err := rows.Scan(&sid, &w); err != nil {
			return nil, err
		}
		prev[sid] += w
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	least, found := 0.0, false
	for _, p := range ps {
		if v, ok := prev[p.ID]; ok && (!found || v < least) {
			least, found = v, true
		}
	}
	for _, p := range ps {
		if v, ok := prev[p.ID]; ok {
			out[p.ID] = round2(v - least)
		}
	}
	return out, nil
}

// Generate drafts a plan for from..to (at most a quarter, not in the past)
// and stores it as a draft; administrators only. Places nobody could take
// are kept vacant and named in Unfilled with the reason.
func (s *Service) Generate(ctx context.Context, by account.Principal, from, to string) (Plan, error) {
	if err := requireAdmin(by); err != nil {
		return Plan{}, err
	}
	f, t, err := ValidatePeriod(from, to, s.clock.Now())
	if err != nil {
		return Plan{}, err
	}
	from, to = calendar.FormatDate(f), calendar.FormatDate(t)
	setup, err := s.Setup(ctx)
	if err != nil {
		return Plan{}, err
	}
	if len(setup.Shifts) == 0 {
		return Plan{}, apperr.Errorf(apperr.Invalid, "还没有设置值班班次，请先设置班次。")
	}
	rules, err := s.cal.Rules(ctx)
	if err != nil {
		return Plan{}, err
	}
	id := store.NewID()
	err = s.write(ctx, by, "roster.generate", id, fmt.Sprintf("%s至%s", from, to), map[string]string{"id": id, "from": from, "to": to}, func(tx *store.Tx, siteID string) error {
		if pf, pt, err := overlapping(ctx, tx, id, from, to); err != nil {
			return err
		} else if pf != "" {
			return apperr.Errorf(apperr.Conflict, "%s至%s已有发布的排班，与%s至%s重叠。", pf, pt, from, to)
		}
		ps, err := people(ctx, tx)
		if err != nil {
			return err
		}
		carried, err := carry(ctx, tx, from, ps)
		if err != nil {
			return err
		}
		for i := range ps {
			ps[i].Carry = carried[ps[i].ID]
		}
		h, err := held(ctx, tx, id, from, to)
		if err != nil {
			return err
		}
		draft := Generate(Input{Rules: setup.Rules, Shifts: setup.Shifts, People: ps, Days: DaysOf(rules, f, t), Held: h, NewID: store.NewID})
		all := map[string]float64{}
		for _, p := range ps {
			all[p.ID] = p.Carry
		}
		rawCarry, _ := json.Marshal(all)
		now := store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO roster_plan (id, site_id, from_date, to_date, status, carry, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)`,
			id, siteID, from, to, StatusDraft, string(rawCarry), now, by.Login); err != nil {
			return fmt.Errorf("insert roster plan: %w", err)
		}
		reasons := map[string]string{}
		for _, u := range draft.Unfilled {
			reasons[u.Date+"|"+u.ShiftID] = u.Reason
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO roster_assignment (id, plan_id, date, shift_id, start_at, end_at, staff_id, weight, reason) VALUES (?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, d := range draft.Duties {
			var staff any
			reason := ""
			if d.StaffID != "" {
				staff = d.StaffID
			} else {
				reason = reasons[d.Date+"|"+d.ShiftID]
			}
			if _, err := stmt.ExecContext(ctx, d.ID, id, d.Date, d.ShiftID, store.FormatTime(d.Start), store.FormatTime(d.End), staff, d.Weight, reason); err != nil {
				return fmt.Errorf("insert roster assignment: %w", err)
			}
		}
		return event(ctx, tx, id, by, "generate", fmt.Sprintf("生成草稿：%d个值班，%d处空缺", len(draft.Duties), len(draft.Unfilled)))
	})
	if err != nil {
		return Plan{}, err
	}
	return s.Plan(ctx, id)
}

// event writes a line of the plan's history and sends the plan's cover to
// the county: every change to a plan goes through here.
func event(ctx context.Context, tx *store.Tx, planID string, by account.Principal, action, detail string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO roster_plan_event (id, plan_id, at, actor, action, detail) VALUES (?,?,?,?,?,?)`,
		store.NewID(), planID, store.FormatTime(tx.Now), by.Login, action, detail); err != nil {
		return err
	}
	return pushCover(ctx, tx, planID)
}

// PlanSummary is a plan without its places, for a list.
type PlanSummary struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	From        string `json:"from"`
	To          string `json:"to"`
	CreatedAt   string `json:"created_at"`
	PublishedAt string `json:"published_at,omitempty"`
}

// Plans lists the plans, the latest period first (drafts before the
// published plan of the same period), at most 100.
func (s *Service) Plans(ctx context.Context) ([]PlanSummary, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, status, from_date, to_date, created_at, COALESCE(published_at,'') FROM roster_plan
		ORDER BY from_date DESC, status, created_at DESC LIMIT 100`)
	if err != nil {
		return nil, fmt.Errorf("list roster plans: %w", err)
	}
	defer rows.Close()
	out := []PlanSummary{}
	for rows.Next() {
		var p PlanSummary
		if err := rows.Scan(&p.ID, &p.Status, &p.From, &p.To, &p.CreatedAt, &p.PublishedAt); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Plan returns a plan with its places, vacancies, loads and history.
func (s *Service) Plan(ctx context.Context, id string) (Plan, error) {
	return loadPlan(ctx, s.db.Read(), id)
}

func loadPlan(ctx context.Context, q queryer, id string) (Plan, error) {
	var p Plan
	var published sql.NullString
	var raw string
	err := q.QueryRowContext(ctx, `SELECT id, status, from_date, to_date, carry, created_at, published_at FROM roster_plan WHERE id = ?`, id).
		Scan(&p.ID, &p.Status, &p.From, &p.To, &raw, &p.CreatedAt, &published)
	if errors.Is(err, sql.ErrNoRows) {
		return Plan{}, apperr.Errorf(apperr.NotFound, "没有这份排班。")
	}
	if err != nil {
		return Plan{}, fmt.Errorf("read roster plan: %w", err)
	}
	p.PublishedAt = published.String
	carried := map[string]float64{}
	if err := json.Unmarshal([]byte(raw), &carried); err != nil {
		return Plan{}, fmt.Errorf("roster plan %s carry: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+dutyCols+` FROM roster_assignment WHERE plan_id = ? ORDER BY start_at, shift_id, id`, id)
	if err != nil {
		return Plan{}, fmt.Errorf("read roster assignments: %w", err)
	}
	duties, reasons, err := scanDuties(rows)
	if err != nil {
		return Plan{}, err
	}
	p.Assignments = duties
	p.Unfilled = []Unfilled{}
	load := map[string]float64{}
	seen := map[string]int{}
	for _, d := range duties {
		if d.StaffID != "" {
			load[d.StaffID] += d.Weight
			continue
		}
		k := d.Date + "|" + d.ShiftID
		if i, ok := seen[k]; ok {
			p.Unfilled[i].Missing++
			continue
		}
		seen[k] = len(p.Unfilled)
		p.Unfilled = append(p.Unfilled, Unfilled{Date: d.Date, ShiftID: d.ShiftID, Missing: 1, Reason: reasons[d.ID]})
	}
	ids := map[string]bool{}
	for k := range carried {
		ids[k] = true
	}
	for k := range load {
		ids[k] = true
	}
	p.Load = []Load{}
	for k := range ids {
		p.Load = append(p.Load, Load{StaffID: k, Weight: round2(load[k]), Carried: carried[k]})
	}
	sort.Slice(p.Load, func(i, j int) bool { return p.Load[i].StaffID < p.Load[j].StaffID })
	rows, err = q.QueryContext(ctx, `SELECT at, actor, action, detail FROM roster_plan_event WHERE plan_id = ? ORDER BY at, id`, id)
	if err != nil {
		return Plan{}, fmt.Errorf("read roster history: %w", err)
	}
	defer rows.Close()
	p.History = []PlanEvent{}
	for rows.Next() {
		var e PlanEvent
		if err := rows.Scan(&e.At, &e.Actor, &e.Action, &e.Detail); err != nil {
			return Plan{}, err
		}
		p.History = append(p.History, e)
	}
	return p, rows.Err()
}

// Assign gives the place aid of plan id to staffID ("" leaves it vacant);
// administrators only. The hard rules are checked against the plan and the
// published duties around it, and a change that breaks one is refused
// naming the rule. Both draft and published plans may be edited; every edit
// goes into the plan's history with who had the place before.
func (s *Service) Assign(ctx context.Context, by account.Principal, planID, aid, staffID string) (Plan, error) {
	if err := requireAdmin(by); err != nil {
		return Plan{}, err
	}
	setup, err := s.Setup(ctx)
	if err != nil {
		return Plan{}, err
	}
	payload := map[string]string{"plan_id": planID, "assignment_id": aid, "staff_id": staffID}
	err = s.write(ctx, by, "roster.assign", aid, "值班人员："+staffID, payload, func(tx *store.Tx, _ string) error {
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
		var before Duty
		for _, d := range p.Assignments {
			if d.ID == aid {
				before = d
			}
		}
		if before.ID != "" && before.Start.Before(tx.Now) {
			return apperr.Errorf(apperr.Conflict, "%s的这班值班已经开始，不能再改。", before.Date)
		}
		d, err := Edit(setup.Rules, ps, setup.Shifts, p.Assignments, h, aid, staffID)
		var v *Violation
		if errors.As(err, &v) {
			return v.Err()
		}
		if err != nil {
			return err
		}
		var staff any
		reason := "负责人调整后空缺"
		if staffID != "" {
			staff, reason = staffID, ""
		}
		if _, err := tx.ExecContext(ctx, `UPDATE roster_assignment SET staff_id = ?, reason = ?, version = version + 1 WHERE id = ?`, staff, reason, d.ID); err != nil {
			return fmt.Errorf("update roster assignment: %w", err)
		}
		return event(ctx, tx, planID, by, "assign", fmt.Sprintf("%s %s：%s → %s", d.Date, d.ShiftID, orVacant(before.StaffID), orVacant(staffID)))
	})
	if err != nil {
		return Plan{}, err
	}
	return s.Plan(ctx, planID)
}

func orVacant(id string) string {
	if id == "" {
		return "空缺"
	}
	return id
}

// Publish makes a draft the roster in force; administrators only. Every
// shift must be filled: the refusal names each vacant one. A plan whose
// period overlaps one already published is refused too.
func (s *Service) Publish(ctx context.Context, by account.Principal, id string) (Plan, error) {
	if err := requireAdmin(by); err != nil {
		return Plan{}, err
	}
	setup, err := s.Setup(ctx)
	if err != nil {
		return Plan{}, err
	}
	names := map[string]string{}
	for _, sh := range setup.Shifts {
		names[sh.ID] = sh.Name
	}
	err = s.write(ctx, by, "roster.publish", id, "发布排班", map[string]string{"id": id}, func(tx *store.Tx, _ string) error {
		p, err := loadPlan(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Status == StatusPublished {
			return apperr.Errorf(apperr.Conflict, "这份排班已经发布。")
		}
		if len(p.Unfilled) > 0 {
			var parts []string
			for _, u := range p.Unfilled {
				n := names[u.ShiftID]
				if n == "" {
					n = u.ShiftID
				}
				parts = append(parts, fmt.Sprintf("%s %s缺%d人", u.Date, n, u.Missing))
			}
			return apperr.Errorf(apperr.Conflict, "还有%d个班次没有排满，不能发布：%s。", len(parts), strings.Join(parts, "；"))
		}
		if pf, pt, err := overlapping(ctx, tx, id, p.From, p.To); err != nil {
			return err
		} else if pf != "" {
			return apperr.Errorf(apperr.Conflict, "%s至%s已有发布的排班，与本排班重叠。", pf, pt)
		}
		if err := stillHolds(ctx, tx, setup, p); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE roster_plan SET status = 'published', published_at = ?, version = version + 1 WHERE id = ?`, store.FormatTime(tx.Now), id); err != nil {
			return fmt.Errorf("publish roster plan: %w", err)
		}
		return event(ctx, tx, id, by, "publish", "发布")
	})
	if err != nil {
		return Plan{}, err
	}
	return s.Plan(ctx, id)
}

// stillHolds checks the whole draft again before it is published: leave
// declared, staff deactivated or a neighbouring plan published since the
// draft was made can break a rule it kept. The refusal names each duty.
func stillHolds(ctx context.Context, tx *store.Tx, setup Setup, p Plan) error {
	ps, err := people(ctx, tx)
	if err != nil {
		return err
	}
	h, err := held(ctx, tx, p.ID, p.From, p.To)
	if err != nil {
		return err
	}
	c := NewChecker(setup.Rules, ps, append(append([]Duty(nil), p.Assignments...), h...))
	shifts := map[string]Shift{}
	for _, s := range setup.Shifts {
		shifts[s.ID] = s
	}
	var broken []string
	for _, d := range p.Assignments {
		if d.StaffID == "" {
			continue
		}
		c.Remove(d)
		if v := c.Check(d, shifts[d.ShiftID]); v != nil {
			broken = append(broken, v.Message)
		}
		c.Add(d)
	}
	if len(broken) > 0 {
		return apperr.Errorf(apperr.Conflict, "排班已不符合规则，请先调整再发布：%s", strings.Join(broken, ""))
	}
	return nil
}

// OnDuty is one person on duty, by name only.
type OnDuty struct {
	Name    string    `json:"name"`
	Shift   string    `json:"shift"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	ShiftID string    `json:"shift_id"`
}

// Board is who is on duty now and who comes next, for the public.
type Board struct {
	Now       []OnDuty `json:"now"`
	Next      []OnDuty `json:"next"`
	DutyPhone string   `json:"duty_phone"`
}

// Now reads the published roster at the clock's time: everyone whose duty
// has begun and not ended, and everyone on the next duty to begin. It
// carries names only and the site's duty phone, never a personal phone.
func (s *Service) Now(ctx context.Context) (Board, error) {
	setup, err := s.Setup(ctx)
	if err != nil {
		return Board{}, err
	}
	names := map[string]string{}
	for _, sh := range setup.Shifts {
		names[sh.ID] = sh.Name
	}
	now := store.FormatTime(s.clock.Now())
	const q = `SELECT s.name, a.shift_id, a.start_at, a.end_at FROM roster_assignment a
		JOIN roster_plan p ON p.id = a.plan_id JOIN staff s ON s.id = a.staff_id
		WHERE p.status = 'published' AND `
	b := Board{Now: []OnDuty{}, Next: []OnDuty{}, DutyPhone: setup.DutyPhone}
	read := func(into *[]OnDuty, where string, args ...any) error {
		rows, err := s.db.Read().QueryContext(ctx, q+where, args...)
		if err != nil {
			return fmt.Errorf("roster now: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var o OnDuty
			var a, e string
			if err := rows.Scan(&o.Name, &o.ShiftID, &a, &e); err != nil {
				return err
			}
			st, _ := store.ParseTime(a)
			en, _ := store.ParseTime(e)
			o.Start, o.End, o.Shift = st.In(clock.Shanghai), en.In(clock.Shanghai), names[o.ShiftID]
			*into = append(*into, o)
		}
		return rows.Err()
	}
	if err := read(&b.Now, `a.start_at <= ? AND a.end_at > ? ORDER BY a.start_at, s.name`, now, now); err != nil {
		return Board{}, err
	}
	err = read(&b.Next, `a.start_at = (SELECT MIN(a2.start_at) FROM roster_assignment a2 JOIN roster_plan p2 ON p2.id = a2.plan_id
		WHERE p2.status = 'published' AND a2.staff_id IS NOT NULL AND a2.start_at > ?) ORDER BY s.name`, now)
	return b, err
}
