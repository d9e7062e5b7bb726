package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
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
	"budayang/backend/site"
	"budayang/backend/store"
)

// OpenRequest opens a case.
type OpenRequest struct {
	ItemCode string `json:"item_code"`
	Name     string `json:"name"`
	// IDNumber may wait for acceptance; a consultation can open without it.
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	// TicketID links the called ticket the citizen came with.
	TicketID string `json:"ticket_id"`
	Note     string `json:"note"`
	// Received are the checklist indexes the citizen brought.
	Received []int `json:"received"`
	// Accept accepts at once (materials complete, ID number given).
	Accept bool `json:"accept"`
}

// level is the catalog level a site of kind handles.
func level(kind string) string {
	if kind == site.KindVillage {
		return catalog.LevelVillage
	}
	return catalog.LevelTown
}

type citizenFields struct{ name, id, phone string }

// checkCitizen validates and normalises the personal fields, a birth date in
// the ID number against today. The ID number may be empty unless required.
func checkCitizen(name, id, phone string, requireID bool, today time.Time) (citizenFields, error) {
	var f citizenFields
	f.name = strings.TrimSpace(name)
	if f.name == "" {
		return f, apperr.Errorf(apperr.Invalid, "请填写申请人姓名。")
	}
	if utf8.RuneCountInString(f.name) > 30 {
		return f, apperr.Errorf(apperr.Invalid, "申请人姓名最多30个字。")
	}
	var err error
	if f.phone, err = citizen.NormalizePhone(phone); err != nil {
		return f, err
	}
	if strings.TrimSpace(id) == "" {
		if requireID {
			return f, apperr.Errorf(apperr.Invalid, "受理前请填写申请人身份证号码。")
		}
		return f, nil
	}
	if f.id, err = citizen.ValidateID(id, today); err != nil {
		return f, err
	}
	return f, nil
}

func checkNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 {
		return "", apperr.Errorf(apperr.Invalid, "备注最多500字。")
	}
	return note, nil
}

// Open registers a case for one item and one citizen, held by and the
// responsibility of by (首问负责). Errors, with nothing saved: an unknown
// item, an item this site does not handle (the sentence says where it is
// handled), an invalid name, ID number or phone, a ticket that is not
// called, a bad material index, and when Accept is set every refusal of
// accepting.
func (s *Service) Open(ctx context.Context, by account.Principal, req OpenRequest) (Case, error) {
	o, err := s.prepareOpen(ctx, req)
	if err != nil {
		return Case{}, err
	}
	var out Case
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.openTx(ctx, tx, by, o)
		return err
	})
	return out, err
}

// prepareOpen makes the checks of Open that need no transaction.
func (s *Service) prepareOpen(ctx context.Context, req OpenRequest) (opening, error) {
	if s.keyErr != nil {
		return opening{}, s.keyErr
	}
	it, err := s.catalog.Item(strings.TrimSpace(req.ItemCode))
	if err != nil {
		return opening{}, err
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return opening{}, err
	}
	if !it.HandledAt(level(st.Kind)) {
		return opening{}, apperr.Errorf(apperr.Invalid, "“%s”不在%s办理，请引导群众到%s办理。", it.Name, site.KindName(st.Kind), it.WhereHandled())
	}
	f, err := checkCitizen(req.Name, req.IDNumber, req.Phone, req.Accept, s.clock.Now())
	if err != nil {
		return opening{}, err
	}
	note, err := checkNote(req.Note)
	if err != nil {
		return opening{}, err
	}
	var ticket queue.Ticket
	if req.TicketID != "" {
		if ticket, err = s.tickets.Ticket(ctx, req.TicketID); err != nil {
			return opening{}, err
		}
		if ticket.Status != queue.Called && ticket.Status != queue.Held {
			return opening{}, apperr.Errorf(apperr.Conflict, "号票%s当前状态为“%s”，只有正在办理（已叫号或挂起）的号票可以登记办件。", ticket.Number, queue.StatusName(ticket.Status))
		}
	}
	received := map[int]bool{}
	for _, i := range req.Received {
		if i < 0 || i >= len(it.Materials) {
			return opening{}, apperr.Errorf(apperr.Invalid, "材料序号%d超出“%s”的材料清单。", i, it.Name)
		}
		received[i] = true
	}
	return opening{siteID: st.ID, item: it, citizen: f, note: note, ticket: ticket, received: received, accept: req.Accept}, nil
}

// opening is an OpenRequest that passed the checks needing no transaction.
type opening struct {
	siteID   string
	item     catalog.Item
	citizen  citizenFields
	note     string
	ticket   queue.Ticket
	received map[int]bool
	accept   bool
	// unheld leaves the case to the first clerk who takes it.
	unheld bool
}

// openTx writes the case o describes inside tx and returns it masked.
func (s *Service) openTx(ctx context.Context, tx *store.Tx, by account.Principal, o opening) (Case, error) {
	it, f, ticket := o.item, o.citizen, o.ticket
	id := store.NewID()
	now := store.FormatTime(tx.Now)
	number, err := nextNumber(ctx, tx)
	if err != nil {
		return Case{}, err
	}
	name, err := s.sealer.Seal(f.name, aad(id, "name"))
	if err != nil {
		return Case{}, err
	}
	idSealed, err := s.sealer.Seal(f.id, aad(id, "id_number"))
	if err != nil {
		return Case{}, err
	}
	phone, err := s.sealer.Seal(f.phone, aad(id, "phone"))
	if err != nil {
		return Case{}, err
	}
	index := ""
	if f.id != "" {
		index = s.sealer.Index(f.id)
	}
	holderID, holderName := by.ID, by.Name
	if o.unheld {
		holderID, holderName = "", ""
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_file (id, site_id, number, item_code, item_name, department, limit_days, status,
		citizen_name, id_number, phone, id_index, name_index, ticket_id, ticket_number, responsible_id, responsible_name, holder_id, holder_name, note, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		id, o.siteID, number, it.Code, it.Name, it.Department, it.LimitDays, Consultation, name, idSealed, phone, index, s.nameIndex(f.name),
		ticket.ID, ticket.Number, by.ID, by.Name, holderID, holderName, o.note, now, now); err != nil {
		return Case{}, fmt.Errorf("open case: %w", err)
	}
	for i, m := range it.Materials {
		var at any
		rec, who := 0, ""
		if o.received[i] {
			rec, at, who = 1, now, by.Name
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_material (case_id, idx, name, form, count, required, notes, received, received_at, received_by) VALUES (?,?,?,?,?,?,?,?,?,?)`,
			id, i, m.Name, m.Form, m.Count, boolInt(m.Required), m.Notes, rec, at, who); err != nil {
			return Case{}, fmt.Errorf("open case: material %d: %w", i, err)
		}
	}
	detail, params := it.Name, Params{"item": it.Name}
	if ticket.Number != "" {
		detail += "，号票" + ticket.Number
		params["ticket"] = ticket.Number
	}
	if o.unheld {
		detail += "，待窗口接办"
	}
	if err := s.record(ctx, tx, by, id, number, "open", "", Consultation, detail, params); err != nil {
		return Case{}, err
	}
	if o.accept {
		c, err := s.getTx(ctx, tx, id)
		if err != nil {
			return Case{}, err
		}
		if err := s.act(ctx, tx, by, &c, Action{Action: ActAccept}); err != nil {
			return Case{}, err
		}
	}
	c, err := s.getTx(ctx, tx, id)
	if err != nil {
		return Case{}, err
	}
	out := c
	out.mask()
	return out, s.publish(ctx, tx, c, "open")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// nextNumber gives the day's next case number, YYYYMMDD-NNN, never reused.
func nextNumber(ctx context.Context, tx *store.Tx) (string, error) {
	day := tx.Now.In(clock.Shanghai).Format("20060102")
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO case_counter (day, last) VALUES (?, 1)
		ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last`, day).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("number case: %w", err)
	}
	return fmt.Sprintf("%s-%03d", day, n), nil
}

// Params are the values of a history line's sentence, by name, from which
// the UI words the line for its action code in the reader's language.
type Params map[string]any

// record writes the case history line and the audit line of one change:
// detail is the line's Chinese sentence, params its values.
func (s *Service) record(ctx context.Context, tx *store.Tx, by account.Principal, id, number, action, from, to, detail string, params Params) error {
	if params == nil {
		params = Params{}
	}
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("case history: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_event (id, case_id, at, actor, actor_name, action, from_status, to_status, detail, params) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		store.NewID(), id, store.FormatTime(tx.Now), by.Login, by.Name, action, from, to, detail, string(body)); err != nil {
		return fmt.Errorf("case history: %w", err)
	}
	line := number + " " + eventName(action)
	if from != to && to != "" {
		line += "：" + StatusName(from) + "→" + StatusName(to)
	}
	if detail != "" {
		line += "（" + detail + "）"
	}
	return audit.Record(ctx, tx, by.Actor(), "case."+action, id, line)
}

// publish sends the case to the outbox (masked) and announces the change
// after commit.
func (s *Service) publish(ctx context.Context, tx *store.Tx, c Case, action string) error {
	if err := tx.Outbox(ctx, "case."+action, c.ID, c.county()); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: EventChanged, Data: map[string]string{
				"id": c.ID, "number": c.Number, "status": c.Status, "action": action,
				"responsible_id": c.ResponsibleID, "holder_id": c.HolderID,
			}})
		}
	})
	return nil
}

// Action is one move of a case and what it carries.
type Action struct {
	Action string `json:"action"`
	// Received ticks materials before the move is checked (the citizen
	// brought them just now).
	Received []int `json:"received"`
	// Missing unticks materials that must be supplied again
	// (request_supplements).
	Missing []int `json:"missing"`
	// Reason is required to reject.
	Reason string `json:"reason"`
	// Department is required to transfer.
	Department string `json:"department"`
	// Result is what was decided or issued (a certificate number).
	Result string `json:"result"`
	// Note is internal to the clerks and never printed.
	Note string `json:"note"`
	// SupplementNote is what the citizen is told to correct or bring
	// (request_supplements); the one-time notice prints it.
	SupplementNote string `json:"supplement_note"`
}

// HandlesCases reports whether role works window cases and so may take a
// case and see its citizen's name, ID number and phone in full: the window
// clerks and the administrator. Duty officers and assistants see cases
// masked.
func HandlesCases(role string) bool {
	return role == account.RoleClerk || role == account.RoleAdmin
}

// errNotHandler refuses a duty officer or assistant what needs the
// citizen's details in full.
var errNotHandler = apperr.Errorf(apperr.Forbidden, "只有综合窗口工作人员和管理员可以接办办件、查看或更正申请人的完整信息。")

func (s *Service) holderOnly(by account.Principal, c Case) error {
	if by.ID != c.HolderID {
		return apperr.Errorf(apperr.Forbidden, "办件%s由%s经办；如需由您继续办理，请先接办。", c.Number, c.HolderName)
	}
	return nil
}

// Act moves a case by the state table. Only the holder acts. Errors, with
// nothing saved: forbidden for anyone else, conflict for an action the
// state does not allow, invalid for accepting without an ID number,
// accepting, supplying or completing with required materials unticked
// (the sentence lists them), rejecting without a reason, transferring
// without a department, asking for supplements with nothing missing.
func (s *Service) Act(ctx context.Context, by account.Principal, id string, a Action) (Case, error) {
	if s.keyErr != nil {
		return Case{}, s.keyErr
	}
	var out Case
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := s.getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.holderOnly(by, c); err != nil {
			return err
		}
		if err := s.act(ctx, tx, by, &c, a); err != nil {
			return err
		}
		if c, err = s.getTx(ctx, tx, id); err != nil {
			return err
		}
		out = c
		out.mask()
		return s.publish(ctx, tx, c, a.Action)
	})
	return out, err
}

func missingNames(c Case, requiredOnly bool) []string {
	var out []string
	for _, m := range c.Materials {
		if !m.Received && (m.Required || !requiredOnly) {
			out = append(out, m.Name)
		}
	}
	return out
}

func (s *Service) act(ctx context.Context, tx *store.Tx, by account.Principal, c *Case, a Action) error {
	to, err := Next(c.Status, a.Action)
	if err != nil {
		return err
	}
	note, err := checkNote(a.Note)
	if err != nil {
		return err
	}
	forCitizen, err := checkNote(a.SupplementNote)
	if err != nil {
		return err
	}
	a.Reason, a.Department, a.Result = strings.TrimSpace(a.Reason), strings.TrimSpace(a.Department), strings.TrimSpace(a.Result)
	if utf8.RuneCountInString(a.Result) > 200 || utf8.RuneCountInString(a.Reason) > 500 || utf8.RuneCountInString(a.Department) > 60 {
		return apperr.Errorf(apperr.Invalid, "办理结果最多200字，理由最多500字，部门名称最多60字。")
	}
	if err := tick(c, a.Received, true); err != nil {
		return err
	}
	if err := tick(c, a.Missing, false); err != nil {
		return err
	}
	now := tx.Now
	sets := []string{"status = ?"}
	args := []any{to}
	detail, params := note, Params{}
	if note != "" {
		params["note"] = note
	}
	switch a.Action {
	case ActAccept, ActSupply:
		if c.IDNumber == "" {
			return apperr.Errorf(apperr.Invalid, "受理前请填写申请人身份证号码。")
		}
		if miss := missingNames(*c, true); len(miss) > 0 {
			return apperr.Errorf(apperr.Invalid, "还缺少必需材料：%s。请出具一次性告知单，材料齐全后再受理。", strings.Join(miss, "、"))
		}
		if c.AcceptedAt == nil {
			due, err := s.cal.AddWorkingDays(ctx, now, c.LimitDays)
			if err != nil {
				return err
			}
			sets = append(sets, "accepted_at = ?", "due_date = ?", "supplement_since = NULL")
			args = append(args, store.FormatTime(now), calendar.FormatDate(due))
			detail = joinDetail("承诺"+strconv.Itoa(c.LimitDays)+"个工作日，"+calendar.FormatDate(due)+"前办结", detail)
			params["limit_days"], params["due"] = c.LimitDays, calendar.FormatDate(due)
		} else {
			// Back from supplements after acceptance: the working days
			// spent waiting extend the deadline.
			paused := 0
			if c.SupplementSince != nil {
				n, err := s.cal.WorkingDaysBetween(ctx, *c.SupplementSince, now)
				if err != nil {
					return err
				}
				paused = max(n, 0)
			}
			due, err := s.cal.AddWorkingDays(ctx, *c.AcceptedAt, c.LimitDays+c.PausedDays+paused)
			if err != nil {
				return err
			}
			sets = append(sets, "paused_days = ?", "due_date = ?", "supplement_since = NULL")
			args = append(args, c.PausedDays+paused, calendar.FormatDate(due))
			detail = joinDetail(fmt.Sprintf("补正用时%d个工作日，办结期限顺延至%s", paused, calendar.FormatDate(due)), detail)
			params["paused_days"], params["due"] = paused, calendar.FormatDate(due)
		}
	case ActRequestSupplements:
		if len(missingNames(*c, false)) == 0 {
			return apperr.Errorf(apperr.Invalid, "请勾选需要补齐补正的材料。")
		}
		sets = append(sets, "supplement_since = ?")
		args = append(args, store.FormatTime(now))
		detail = joinDetail("缺"+strings.Join(missingNames(*c, false), "、"), detail)
		params["missing"] = missingNames(*c, false)
		if note != "" {
			sets = append(sets, "note = ?")
			args = append(args, note)
		}
		// Each request says afresh what the citizen is to bring.
		sets = append(sets, "supplement_note = ?")
		args = append(args, forCitizen)
	case ActReject:
		if utf8.RuneCountInString(a.Reason) < 2 {
			return apperr.Errorf(apperr.Invalid, "请填写不予受理的理由。")
		}
		sets = append(sets, "reason = ?", "closed_at = ?", "supplement_since = NULL")
		args = append(args, a.Reason, store.FormatTime(now))
		detail = joinDetail(a.Reason, detail)
		params["reason"] = a.Reason
	case ActTransfer:
		if a.Department == "" {
			return apperr.Errorf(apperr.Invalid, "请填写转往的部门。")
		}
		sets = append(sets, "transfer_to = ?")
		args = append(args, a.Department)
		detail = joinDetail("转"+a.Department, detail)
		params["department"] = a.Department
	case ActComplete:
		if miss := missingNames(*c, true); len(miss) > 0 {
			return apperr.Errorf(apperr.Invalid, "还缺少必需材料：%s，不能办结。", strings.Join(miss, "、"))
		}
		sets = append(sets, "closed_at = ?")
		args = append(args, store.FormatTime(now))
		if a.Result != "" {
			sets = append(sets, "result = ?")
			args = append(args, a.Result)
		}
		detail = joinDetail(a.Result, detail)
		if a.Result != "" {
			params["result"] = a.Result
		}
	case ActApprove, ActIssueCertificate:
		if a.Result != "" {
			sets = append(sets, "result = ?")
			args = append(args, a.Result)
		}
		detail = joinDetail(a.Result, detail)
		if a.Result != "" {
			params["result"] = a.Result
		}
	}
	if err := s.saveMaterials(ctx, tx, by, *c); err != nil {
		return err
	}
	sets = append(sets, "updated_at = ?", "version = version + 1")
	args = append(args, store.FormatTime(now), c.ID)
	if _, err := tx.ExecContext(ctx, `UPDATE case_file SET `+strings.Join(sets, ", ")+` WHERE id = ?`, args...); err != nil {
		return fmt.Errorf("%s case: %w", a.Action, err)
	}
	if err := s.record(ctx, tx, by, c.ID, c.Number, a.Action, c.Status, to, detail, params); err != nil {
		return err
	}
	c.Status = to
	return nil
}

func joinDetail(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "；" + b
}

// tick sets the received mark of the listed checklist lines in memory.
func tick(c *Case, idx []int, received bool) error {
	for _, i := range idx {
		if i < 0 || i >= len(c.Materials) {
			return apperr.Errorf(apperr.Invalid, "材料序号%d超出本办件的材料清单。", i)
		}
		c.Materials[i].Received = received
	}
	return nil
}

// saveMaterials writes the received marks that changed.
func (s *Service) saveMaterials(ctx context.Context, tx *store.Tx, by account.Principal, c Case) error {
	all, err := materialsOf(ctx, tx, []string{c.ID})
	if err != nil {
		return err
	}
	stored := all[c.ID]
	for i, m := range c.Materials {
		if stored[i].Received == m.Received {
			continue
		}
		var at any
		who := ""
		if m.Received {
			at, who = store.FormatTime(tx.Now), by.Name
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_material SET received = ?, received_at = ?, received_by = ? WHERE case_id = ? AND idx = ?`,
			boolInt(m.Received), at, who, c.ID, m.Index); err != nil {
			return fmt.Errorf("update materials: %w", err)
		}
	}
	return nil
}
