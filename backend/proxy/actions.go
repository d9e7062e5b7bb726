package proxy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/cases"
	"budayang/backend/catalog"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/store"
)

// OpenRequest registers a villager's request.
type OpenRequest struct {
	ItemCode string `json:"item_code"`
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	Channel  string `json:"channel"`
	// VillageID is optional; when given it is one of the villages the
	// assistant covers.
	VillageID string `json:"village_id"`
	// Fee is what the villager pays, if anything; empty takes the item's fee.
	Fee   string `json:"fee"`
	Note  string `json:"note"`
	Where string `json:"where"`
}

func limited(field, v string, n int) (string, error) {
	v = strings.TrimSpace(v)
	if utf8.RuneCountInString(v) > n {
		return "", apperr.Errorf(apperr.Invalid, "%s最多%d个字。", field, n)
	}
	return v, nil
}

// Open registers a proxy case owned by by, an assistant, in state
// requested, with the item's checklist copied and the date promised to the
// villager (request date + Allowance + the item's limit, in working days).
// Errors, with nothing saved: forbidden for any role but an assistant; not
// found for an unknown item; invalid for an item the town centre does not handle (the sentence says
// where it is handled), an unknown channel, a missing name, an invalid ID
// number or phone, a village the assistant does not cover, a missing place;
// conflict when the villager already has a running proxy case for the item
// (a second submission).
func (s *Service) Open(ctx context.Context, by account.Principal, req OpenRequest) (Case, error) {
	return s.openWith(ctx, by, req, nil)
}

// openWith is Open with then run inside the same transaction on the new case
// (unmasked): a home visit links the case it opened, or neither is saved.
func (s *Service) openWith(ctx context.Context, by account.Principal, req OpenRequest, then func(tx *store.Tx, c Case) error) (Case, error) {
	if by.Role != account.RoleAssistant {
		return Case{}, apperr.Errorf(apperr.Forbidden, "只有代办员可以登记代办件。")
	}
	it, err := s.catalog.Item(strings.TrimSpace(req.ItemCode))
	if err != nil {
		return Case{}, err
	}
	if !it.HandledAt(catalog.LevelTown) {
		// The centre could not accept it into a window case: the villager
		// is told where to go instead.
		return Case{}, apperr.Errorf(apperr.Invalid, "“%s”不在镇便民服务中心办理，不能代办，请告知群众到%s办理。", it.Name, it.WhereHandled())
	}
	if ChannelName(req.Channel) == "" {
		return Case{}, apperr.Errorf(apperr.Invalid, "请选择受理渠道：电话、微信、到村服务室或上门服务。")
	}
	name, err := limited("群众姓名", req.Name, 30)
	if err != nil {
		return Case{}, err
	}
	if name == "" {
		return Case{}, apperr.Errorf(apperr.Invalid, "请填写群众姓名。")
	}
	id, err := citizen.ValidateID(req.IDNumber, s.clock.Now())
	if err != nil {
		return Case{}, err
	}
	phone, err := citizen.NormalizePhone(req.Phone)
	if err != nil {
		return Case{}, err
	}
	fee, err := limited("费用", req.Fee, 60)
	if err != nil {
		return Case{}, err
	}
	if fee == "" {
		fee = it.Fee
	}
	note, err := limited("备注", req.Note, 500)
	if err != nil {
		return Case{}, err
	}
	where, err := limited("办理地点", req.Where, 60)
	if err != nil {
		return Case{}, err
	}
	if where == "" {
		return Case{}, apperr.Errorf(apperr.Invalid, "请填写办理地点。")
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return Case{}, err
	}
	var village Village
	if req.VillageID != "" {
		if village, err = s.coveredVillage(ctx, by.ID, req.VillageID); err != nil {
			return Case{}, err
		}
	}
	var out Case
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		dueDate, warning, err := s.due(ctx, tx.Now, Allowance+it.LimitDays)
		if err != nil {
			return err
		}
		index := s.sealer.Index(id)
		var running string
		err = tx.QueryRowContext(ctx, `SELECT number FROM proxy_case WHERE id_index = ? AND item_code = ? AND state <> ?`, index, it.Code, Returned).Scan(&running)
		switch {
		case err == nil:
			return apperr.Errorf(apperr.Conflict, "这位群众的“%s”代办件（%s）正在办理中，请勿重复登记。", it.Name, running)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("find running proxy case: %w", err)
		}
		caseID := store.NewID()
		now := store.FormatTime(tx.Now)
		number, err := nextNumber(ctx, tx)
		if err != nil {
			return err
		}
		sealed := map[string]string{"name": name, "id_number": id, "phone": phone}
		for field, v := range sealed {
			if sealed[field], err = s.sealer.Seal(v, aad(caseID, field)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO proxy_case (id, site_id, number, owner_id, owner_name, village_id, village_name,
			citizen_name, id_number, phone, id_index, item_code, item_name, department, limit_days, channel, fee, state, state_since,
			due_date, due_warning, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			caseID, st.ID, number, by.ID, by.Name, village.ID, village.Name, sealed["name"], sealed["id_number"], sealed["phone"], index,
			it.Code, it.Name, it.Department, it.LimitDays, req.Channel, fee, Requested, now, dueDate, warning, note, now, now); err != nil {
			return fmt.Errorf("open proxy case: %w", err)
		}
		for i, m := range it.Materials {
			if _, err := tx.ExecContext(ctx, `INSERT INTO proxy_material (case_id, idx, name, form, count, required, notes) VALUES (?,?,?,?,?,?,?)`,
				caseID, i, m.Name, m.Form, m.Count, m.Required, m.Notes); err != nil {
				return fmt.Errorf("open proxy case: material %d: %w", i, err)
			}
		}
		if err := s.record(ctx, tx, by, caseID, "open", "", Requested, where, note); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, by.Actor(), "proxy.open", caseID, number+" 登记代办件："+it.Name+"，"+ChannelName(req.Channel)); err != nil {
			return err
		}
		c, err := s.getTx(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if then != nil {
			if err := then(tx, c); err != nil {
				return err
			}
		}
		out = c
		out.mask()
		return s.publish(ctx, tx, c, "open")
	})
	return out, err
}

// nextNumber gives the day's next proxy case number, DB-YYYYMMDD-NNN.
func nextNumber(ctx context.Context, tx *store.Tx) (string, error) {
	day := tx.Now.In(clock.Shanghai).Format("20060102")
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO proxy_counter (day, last) VALUES (?, 1)
		ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last`, day).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("number proxy case: %w", err)
	}
	return fmt.Sprintf("DB-%s-%03d", day, n), nil
}

// record writes one step of a case's history.
func (s *Service) record(ctx context.Context, tx *store.Tx, by account.Principal, id, action, from, to, where, note string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO proxy_event (id, case_id, at, actor, actor_name, action, from_state, to_state, place, note) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		store.NewID(), id, store.FormatTime(tx.Now), by.Login, by.Name, action, from, to, where, note); err != nil {
		return fmt.Errorf("proxy history: %w", err)
	}
	return nil
}

// Tick is one checklist line ticked or unticked, with a note.
type Tick struct {
	Index     *int   `json:"index"`
	Collected bool   `json:"collected"`
	Note      string `json:"note"`
}

// SetMaterial ticks or unticks one checklist line with a note. Only the
// owner, and only while the materials are being collected: in requested, or
// in materials_collected as long as no required line is unticked. Errors,
// with nothing changed: not found; forbidden for anyone else; invalid for a
// missing or unknown line or a note over 200 characters; conflict after the
// handover, or unticking a required line once all were collected.
func (s *Service) SetMaterial(ctx context.Context, by account.Principal, id string, t Tick) (Case, error) {
	note, err := limited("材料备注", t.Note, 200)
	if err != nil {
		return Case{}, err
	}
	var out Case
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := s.getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if by.Role != account.RoleAssistant || by.ID != c.OwnerID {
			return errNotYours
		}
		if t.Index == nil {
			return apperr.Errorf(apperr.Invalid, "缺少字段“index”（材料序号）。")
		}
		i := *t.Index
		if i < 0 || i >= len(c.Materials) {
			return apperr.Errorf(apperr.Invalid, "材料序号%d超出“%s”的材料清单。", i, c.ItemName)
		}
		m := c.Materials[i]
		switch {
		case c.State != Requested && c.State != MaterialsCollected:
			return apperr.Errorf(apperr.Conflict, "代办件已%s，材料清单不能再改。", StateName(c.State))
		case c.State == MaterialsCollected && m.Required && !t.Collected:
			return apperr.Errorf(apperr.Conflict, "材料已标记收齐，不能取消必需材料“%s”。", m.Name)
		}
		var at any
		who := ""
		if t.Collected {
			at, who = store.FormatTime(tx.Now), by.Name
		}
		if _, err := tx.ExecContext(ctx, `UPDATE proxy_material SET collected = ?, note = ?, collected_at = ?, collected_by = ? WHERE case_id = ? AND idx = ?`,
			t.Collected, note, at, who, c.ID, i); err != nil {
			return fmt.Errorf("tick proxy material: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE proxy_case SET updated_at = ?, version = version + 1 WHERE id = ?`, store.FormatTime(tx.Now), c.ID); err != nil {
			return fmt.Errorf("tick proxy material: %w", err)
		}
		verb := "收到"
		if !t.Collected {
			verb = "取消"
		}
		line := verb + "材料“" + m.Name + "”"
		if err := s.record(ctx, tx, by, c.ID, "materials", "", "", "", joinNote(line, note)); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, by.Actor(), "proxy.materials", c.ID, c.Number+" "+line); err != nil {
			return err
		}
		if c, err = s.getTx(ctx, tx, id); err != nil {
			return err
		}
		out = c
		out.mask()
		return s.publish(ctx, tx, c, "materials")
	})
	return out, err
}

func joinNote(a, b string) string {
	if b == "" {
		return a
	}
	return a + "：" + b
}

// Transition moves a case to its next state by Check, recording who, when
// and where. Accepting links the centre's window case (which must exist on
// this site) and sets the promised date to the acceptance date plus the
// item's limit. Errors, with nothing changed: not found; forbidden for a
// duty officer or another assistant and for a step that is not the
// mover's; every refusal of Check; not found for an unknown window case.
func (s *Service) Transition(ctx context.Context, by account.Principal, id string, mv Move) (Case, error) {
	note, err := limited("备注", mv.Note, 500)
	if err != nil {
		return Case{}, err
	}
	if mv.Where, err = limited("办理地点", mv.Where, 60); err != nil {
		return Case{}, err
	}
	var out Case
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.moveTx(ctx, tx, by, id, mv, note, nil)
		return err
	})
	return out, err
}

// moveTx is Transition inside tx, mv.Where already checked. wc is the
// window case to accept into when the caller opened it in tx (nil: read
// mv.WindowCaseID).
func (s *Service) moveTx(ctx context.Context, tx *store.Tx, by account.Principal, id string, mv Move, note string, wc *cases.Case) (Case, error) {
	var out Case
	err := func() error {
		c, err := s.getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayRead(by, c); err != nil {
			return err
		}
		mover := Mover{Role: by.Role, Owner: by.ID == c.OwnerID}
		if err := Check(Facts{State: c.State, MissingRequired: c.missing()}, mover, mv); err != nil {
			return err
		}
		sets := []string{"state = ?", "state_since = ?", "updated_at = ?", "version = version + 1"}
		now := store.FormatTime(tx.Now)
		args := []any{mv.To, now, now}
		detail := StateName(c.State) + "→" + StateName(mv.To)
		switch mv.To {
		case Accepted:
			if wc == nil {
				got, err := s.window.Get(ctx, account.Principal{}, strings.TrimSpace(mv.WindowCaseID))
				if apperr.Code(err) == apperr.NotFound {
					return apperr.Errorf(apperr.NotFound, "找不到要关联的中心办件。")
				}
				if err != nil {
					return err
				}
				wc = &got
			}
			dueDate, warning, err := s.due(ctx, tx.Now, c.LimitDays)
			if err != nil {
				return err
			}
			sets = append(sets, "window_case_id = ?", "window_case_number = ?", "due_date = ?", "due_warning = ?")
			args = append(args, wc.ID, wc.Number, dueDate, warning)
			detail += "，中心办件" + wc.Number
		case Returned:
			sets = append(sets, "return_method = ?")
			args = append(args, mv.ReturnMethod)
			detail += "，" + ReturnMethodName(mv.ReturnMethod)
		}
		res, err := tx.ExecContext(ctx, `UPDATE proxy_case SET `+strings.Join(sets, ", ")+` WHERE id = ? AND state = ?`, append(args, c.ID, c.State)...)
		if err != nil {
			return fmt.Errorf("move proxy case to %s: %w", mv.To, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("move proxy case to %s: %w", mv.To, err)
		}
		if n != 1 {
			return apperr.Errorf(apperr.Conflict, "代办件刚被他人变更，请刷新后再试。")
		}
		if err := s.record(ctx, tx, by, c.ID, "transition", c.State, mv.To, mv.Where, note); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, by.Actor(), "proxy.transition", c.ID, c.Number+" "+detail+"（"+mv.Where+"）"); err != nil {
			return err
		}
		if c, err = s.getTx(ctx, tx, id); err != nil {
			return err
		}
		out = c
		out.mask()
		return s.publish(ctx, tx, c, "transition")
	}()
	return out, err
}
