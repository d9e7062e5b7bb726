package cases

import (
	"context"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/citizen"
	"budayang/backend/notice"
	"budayang/backend/store"
)

// Documents a case prints.
const (
	DocNotice     = "notice"     // 一次性告知单
	DocReceipt    = "receipt"    // 受理回执
	DocCompletion = "completion" // 办结通知书
)

// DocName is the Chinese name of a document.
func DocName(kind string) string {
	switch kind {
	case DocNotice:
		return "一次性告知单"
	case DocReceipt:
		return "受理回执"
	case DocCompletion:
		return "办结通知书"
	}
	return kind
}

// Document renders one of a case's documents as PDF and records the print
// in the audit log. The ID number and phone are printed masked, the name in
// full. Errors: not found; conflict when the document does not fit the
// case (a notice with nothing missing, a receipt before acceptance, a
// completion notice before completion); forbidden for a role that does not
// HandlesCases, as the documents carry the name in full.
func (s *Service) Document(ctx context.Context, by account.Principal, id, kind string) ([]byte, string, error) {
	if s.keyErr != nil {
		return nil, "", s.keyErr
	}
	if !HandlesCases(by.Role) {
		return nil, "", errNotHandler
	}
	list, err := s.query(ctx, s.db.Read(), `id = ?`, id)
	if err != nil {
		return nil, "", err
	}
	if len(list) == 0 {
		return nil, "", apperr.Errorf(apperr.NotFound, "找不到这个办件。")
	}
	c := list[0]
	switch kind {
	case DocNotice:
		if !Editable(c.Status) {
			return nil, "", apperr.Errorf(apperr.Conflict, "办件已%s，不再出具一次性告知单。", StatusName(c.Status))
		}
		if c.MissingAny == 0 {
			return nil, "", apperr.Errorf(apperr.Conflict, "材料已经齐全，无需出具一次性告知单。")
		}
	case DocReceipt:
		if c.AcceptedAt == nil || c.Status == Rejected {
			return nil, "", apperr.Errorf(apperr.Conflict, "办件尚未受理，不能出具受理回执。")
		}
	case DocCompletion:
		if c.Status != Completed {
			return nil, "", apperr.Errorf(apperr.Conflict, "办件尚未办结，不能出具办结通知书。")
		}
	default:
		return nil, "", apperr.Errorf(apperr.NotFound, "没有“%s”这种办件文书。", kind)
	}
	doc, err := s.docData(ctx, c)
	if err != nil {
		return nil, "", err
	}
	var pdf []byte
	switch kind {
	case DocNotice:
		pdf, err = notice.OneTimeNoticePDF(doc)
	case DocReceipt:
		pdf, err = notice.ReceiptPDF(doc)
	case DocCompletion:
		pdf, err = notice.CompletionPDF(doc)
	}
	if err != nil {
		return nil, "", err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, by.Actor(), "case.print", c.ID, c.Number+" 打印"+DocName(kind))
	})
	if err != nil {
		return nil, "", err
	}
	return pdf, c.Number + "-" + DocName(kind) + ".pdf", nil
}

func (s *Service) docData(ctx context.Context, c Case) (notice.Case, error) {
	st, err := s.sites.Get(ctx)
	if err != nil {
		return notice.Case{}, err
	}
	centre, err := s.Centre(ctx)
	if err != nil {
		return notice.Case{}, err
	}
	d := notice.Case{
		Centre:         notice.Centre{Name: st.Name, Phone: centre.Phone, Address: centre.Address},
		Number:         c.Number,
		ItemCode:       c.ItemCode,
		ItemName:       c.ItemName,
		Department:     c.Department,
		LimitDays:      c.LimitDays,
		CitizenName:    c.CitizenName,
		IDMasked:       citizen.MaskID(c.IDNumber),
		PhoneMasked:    citizen.MaskPhone(c.Phone),
		Clerk:          c.HolderName,
		Responsible:    c.ResponsibleName,
		OpenedAt:       c.CreatedAt,
		Status:         c.Status,
		StatusName:     c.StatusName,
		SupplementNote: c.SupplementNote,
		Result:         c.Result,
		Printed:        s.clock.Now(),
	}
	if c.IDNumber == "" {
		d.IDMasked = "（未登记）"
	}
	// The item's office, phone and basis come from the catalog in use; an
	// item the county has since withdrawn prints without them.
	if it, err := s.catalog.Item(c.ItemCode); err == nil {
		d.Office, d.OfficePhone, d.PhonePending, d.DecidedBy, d.Basis = it.Office, it.Phone, it.PhonePending(), it.DecidedBy, it.Basis
	}
	if c.AcceptedAt != nil {
		d.AcceptedAt = *c.AcceptedAt
	}
	if c.ClosedAt != nil {
		d.ClosedAt = *c.ClosedAt
	}
	if c.DueDate != "" {
		d.DueDate, _ = calendar.ParseDate(c.DueDate)
		d.DueUncounted = c.dueUncounted
	}
	for _, m := range c.Materials {
		d.Materials = append(d.Materials, notice.Material{Material: m.Material, Received: m.Received})
	}
	return d, nil
}
