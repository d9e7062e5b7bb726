package calllog

import (
	"context"
	"fmt"
	"strings"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/booking"
	"budayang/backend/cases"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/store"
)

// BookingRequest turns a call into an appointment: the booking API's line
// and slot fields. Name and phone left empty, or as the list shows them
// masked, are the call's.
type BookingRequest struct {
	Line      string `json:"line"`
	SlotStart string `json:"slot_start"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	StaffID   string `json:"staff_id"`
	Note      string `json:"note"`
}

// CaseRequest turns a call into a case for a window clerk to take. Name and
// phone left empty, or as shown masked, are the call's; the note defaults to
// the call's need.
type CaseRequest struct {
	ItemCode string `json:"item_code"`
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	Note     string `json:"note"`
}

// Booked is a call with the appointment made from it. The booking carries
// its check-in code, which the duty officer reads to the caller; the
// citizen's name and phone on it are masked for a role that does not see
// them on bookings.
type Booked struct {
	Call    Call            `json:"call"`
	Booking booking.Booking `json:"booking"`
}

// Opened is a call with the case opened from it, masked.
type Opened struct {
	Call Call       `json:"call"`
	Case cases.Case `json:"case"`
}

// orCall is what a person typed, or the call's value when they left it
// empty or as the list showed it masked.
func orCall(typed, full string, mask func(string) string) string {
	if t := strings.TrimSpace(typed); t != "" && t != mask(full) {
		return t
	}
	return full
}

// cut keeps the first n characters of s.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// linkTx loads call id for a conversion, refusing one already converted.
func (s *Service) linkTx(ctx context.Context, tx *store.Tx, id string) (Call, error) {
	c, err := s.getTx(ctx, tx, id)
	if err != nil {
		return Call{}, err
	}
	switch {
	case c.BookingID != "":
		return Call{}, apperr.Errorf(apperr.Conflict, "这条来电已转为预约，不能重复转。")
	case c.CaseID != "":
		return Call{}, apperr.Errorf(apperr.Conflict, "这条来电已转为办件，不能重复转。")
	}
	return c, nil
}

// Book turns a call into a phone appointment through the booking service,
// with the calendar form's checks (an open day, a real slot with room, not
// in the past), and links it to the call in the same transaction. Errors,
// with nothing saved: forbidden, not found, conflict for a call already
// turned into an appointment or a case, and every refusal of booking.Create.
func (s *Service) Book(ctx context.Context, by account.Principal, id string, req BookingRequest) (Booked, error) {
	if err := mayLog(by); err != nil {
		return Booked{}, err
	}
	var out Booked
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := s.linkTx(ctx, tx, id)
		if err != nil {
			return err
		}
		note := strings.TrimSpace(req.Note)
		if note == "" {
			note = cut("值班电话转预约："+c.Need, 200)
		}
		b, err := s.bookings.CreateTx(ctx, tx, booking.Staff(by), booking.Request{
			Line: req.Line, SlotStart: req.SlotStart, StaffID: req.StaffID, Note: note, Channel: booking.ChannelPhone,
			Name:  orCall(req.Name, c.CallerName, citizen.MaskName),
			Phone: orCall(req.Phone, c.Phone, citizen.MaskPhone),
		})
		if err != nil {
			return err
		}
		c.BookingID, c.Status, c.UpdatedAt = b.ID, StatusBooked, tx.Now
		if _, err := tx.ExecContext(ctx, `UPDATE call_log SET booking_id = ?, status = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			b.ID, c.Status, store.FormatTime(tx.Now), c.ID); err != nil {
			return fmt.Errorf("link booking to call: %w", err)
		}
		detail := fmt.Sprintf("转为预约 %s %s %s线，电话%s", b.Date, b.SlotStart.In(clock.Shanghai).Format("15:04"), b.Line, citizen.MaskPhone(b.Phone))
		if err := s.record(ctx, tx, by, "calllog.booking", c, detail); err != nil {
			return err
		}
		if !booking.SeesContacts(by.Role) {
			b.CitizenName, b.Phone = citizen.MaskName(b.CitizenName), citizen.MaskPhone(b.Phone)
		}
		out = Booked{Call: c.masked(), Booking: b}
		return nil
	})
	if err != nil {
		return Booked{}, err
	}
	return out, nil
}

// OpenCase turns a call into a case of the catalog item req names, held by
// nobody until a window clerk takes it (cases.OpenUnheldTx; clerks find it
// with GET /api/v1/cases?unheld=1), and links it to the call in the same
// transaction. The person who logs it stays responsible for it. Errors,
// with nothing saved: forbidden, not found, conflict for a call already
// turned into an appointment or a case, and every refusal of cases.Open.
func (s *Service) OpenCase(ctx context.Context, by account.Principal, id string, req CaseRequest) (Opened, error) {
	if err := mayLog(by); err != nil {
		return Opened{}, err
	}
	var out Opened
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := s.linkTx(ctx, tx, id)
		if err != nil {
			return err
		}
		note := strings.TrimSpace(req.Note)
		if note == "" {
			note = cut("值班电话登记："+c.Need, 500)
		}
		cs, err := s.cases.OpenUnheldTx(ctx, tx, by, cases.OpenRequest{
			ItemCode: req.ItemCode, Note: note,
			Name:  orCall(req.Name, c.CallerName, citizen.MaskName),
			Phone: orCall(req.Phone, c.Phone, citizen.MaskPhone),
		})
		if err != nil {
			return err
		}
		c.CaseID, c.Status, c.UpdatedAt = cs.ID, StatusCase, tx.Now
		if _, err := tx.ExecContext(ctx, `UPDATE call_log SET case_id = ?, status = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			cs.ID, c.Status, store.FormatTime(tx.Now), c.ID); err != nil {
			return fmt.Errorf("link case to call: %w", err)
		}
		if err := s.record(ctx, tx, by, "calllog.case", c, "转为办件"+cs.Number+"（"+cs.ItemName+"，待窗口接办）"); err != nil {
			return err
		}
		out = Opened{Call: c.masked(), Case: cs}
		return nil
	})
	if err != nil {
		return Opened{}, err
	}
	return out, nil
}
