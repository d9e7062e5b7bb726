package cases

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/store"
)

// SetMaterials replaces the checklist's received marks with exactly the
// indexes given; the holder only, while the case is open for materials.
// Errors: forbidden, conflict in a later state, invalid index.
func (s *Service) SetMaterials(ctx context.Context, by account.Principal, id string, received []int) (Case, error) {
	return s.change(ctx, by, id, "materials", func(tx *store.Tx, c *Case) (string, Params, error) {
		if !Editable(c.Status) {
			return "", nil, apperr.Errorf(apperr.Conflict, "办件已%s，材料清单不能再修改。", StatusName(c.Status))
		}
		for i := range c.Materials {
			c.Materials[i].Received = false
		}
		if err := tick(c, received, true); err != nil {
			return "", nil, err
		}
		sort.Ints(received)
		if err := s.saveMaterials(ctx, tx, by, *c); err != nil {
			return "", nil, err
		}
		c.count()
		got := len(c.Materials) - c.MissingAny
		return fmt.Sprintf("已收%d项，缺必需材料%d项", got, c.MissingRequired), Params{"received": got, "missing_required": c.MissingRequired}, nil
	})
}

// CitizenUpdate corrects the applicant's details.
type CitizenUpdate struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
}

// UpdateCitizen corrects the applicant's name, ID number and phone; the
// holder only, before a decision, and only a role that HandlesCases. An ID
// number, once given, cannot be emptied. Errors: forbidden, conflict, the
// refusals of Open.
func (s *Service) UpdateCitizen(ctx context.Context, by account.Principal, id string, u CitizenUpdate) (Case, error) {
	if !HandlesCases(by.Role) {
		return Case{}, errNotHandler
	}
	return s.change(ctx, by, id, "citizen", func(tx *store.Tx, c *Case) (string, Params, error) {
		if !Editable(c.Status) {
			return "", nil, apperr.Errorf(apperr.Conflict, "办件已%s，申请人信息不能再修改。", StatusName(c.Status))
		}
		f, err := checkCitizen(u.Name, u.IDNumber, u.Phone, c.IDNumber != "", tx.Now)
		if err != nil {
			return "", nil, err
		}
		name, err := s.sealer.Seal(f.name, aad(c.ID, "name"))
		if err != nil {
			return "", nil, err
		}
		idSealed, err := s.sealer.Seal(f.id, aad(c.ID, "id_number"))
		if err != nil {
			return "", nil, err
		}
		phone, err := s.sealer.Seal(f.phone, aad(c.ID, "phone"))
		if err != nil {
			return "", nil, err
		}
		index := ""
		if f.id != "" {
			index = s.sealer.Index(f.id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_file SET citizen_name = ?, id_number = ?, phone = ?, id_index = ?, name_index = ? WHERE id = ?`,
			name, idSealed, phone, index, s.nameIndex(f.name), c.ID); err != nil {
			return "", nil, fmt.Errorf("update citizen: %w", err)
		}
		var what, fields []string
		if f.name != c.CitizenName {
			what, fields = append(what, "姓名"), append(fields, "name")
		}
		if f.id != c.IDNumber {
			what, fields = append(what, "身份证号码"), append(fields, "id_number")
		}
		if f.phone != c.Phone {
			what, fields = append(what, "电话"), append(fields, "phone")
		}
		if len(what) == 0 {
			return "无变化", Params{"fields": []string{}}, nil
		}
		return "更正" + strings.Join(what, "、"), Params{"fields": fields}, nil
	})
}

// Take makes by the holder of an open case (接办); the first clerk stays
// responsible. Errors: forbidden for a role that does not HandlesCases,
// conflict for a closed case or one by already holds.
func (s *Service) Take(ctx context.Context, by account.Principal, id string) (Case, error) {
	if s.keyErr != nil {
		return Case{}, s.keyErr
	}
	if !HandlesCases(by.Role) {
		return Case{}, errNotHandler
	}
	var out Case
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := s.getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if Closed(c.Status) {
			return apperr.Errorf(apperr.Conflict, "办件已%s，无需接办。", StatusName(c.Status))
		}
		if c.HolderID == by.ID {
			return apperr.Errorf(apperr.Conflict, "办件%s已由您经办。", c.Number)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_file SET holder_id = ?, holder_name = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			by.ID, by.Name, store.FormatTime(tx.Now), id); err != nil {
			return fmt.Errorf("take case: %w", err)
		}
		if err := s.record(ctx, tx, by, id, c.Number, "take", c.Status, c.Status, "原经办人"+c.HolderName+"，首问负责人"+c.ResponsibleName,
			Params{"holder": c.HolderName, "responsible": c.ResponsibleName}); err != nil {
			return err
		}
		if out, err = s.getTx(ctx, tx, id); err != nil {
			return err
		}
		out.mask()
		return s.publish(ctx, tx, out, "take")
	})
	return out, err
}

// change runs a holder-only edit that does not move the state.
func (s *Service) change(ctx context.Context, by account.Principal, id, action string, fn func(tx *store.Tx, c *Case) (string, Params, error)) (Case, error) {
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
		detail, params, err := fn(tx, &c)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_file SET updated_at = ?, version = version + 1 WHERE id = ?`, store.FormatTime(tx.Now), id); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		if err := s.record(ctx, tx, by, id, c.Number, action, c.Status, c.Status, detail, params); err != nil {
			return err
		}
		if out, err = s.getTx(ctx, tx, id); err != nil {
			return err
		}
		out.mask()
		return s.publish(ctx, tx, out, action)
	})
	return out, err
}
