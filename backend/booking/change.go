package booking

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/queue"
	"budayang/backend/store"
)

func reasonOf(s string) (string, error) {
	r := strings.TrimSpace(s)
	if r == "" {
		return "", invalid("请填写原因。")
	}
	if utf8.RuneCountInString(r) > 200 {
		return "", invalid("原因不能超过200个字。")
	}
	return r, nil
}

// openTx returns a booking that is still booked, or says what became of it.
func (s *Service) openTx(ctx context.Context, tx *store.Tx, id string) (Booking, error) {
	b, err := s.getBooking(ctx, tx, id)
	if err != nil {
		return Booking{}, err
	}
	if b.Status != Booked {
		return Booking{}, apperr.Errorf(apperr.Conflict, "该预约已%s，不能再修改。", statusName(b.Status))
	}
	return b, nil
}

func statusName(s string) string {
	switch s {
	case Booked:
		return "预约"
	case CheckedIn:
		return "签到"
	case Cancelled:
		return "取消"
	case NoShow:
		return "标记为爽约"
	}
	return s
}

// Move is a reschedule: the new slot and, for extended hours, who comes in.
type Move struct {
	SlotStart string `json:"slot_start"`
	StaffID   string `json:"staff_id"`
	Reason    string `json:"reason"`
}

// Reschedule moves an open booking to another slot of its line, under every
// rule Create applies (the booking does not count against itself); the
// code stays, reminders are sent again for the new time. Errors: not found,
// conflict when no longer open, and Create's.
func (s *Service) Reschedule(ctx context.Context, by Booker, id string, m Move) (Booking, error) {
	reason, err := reasonOf(m.Reason)
	if err != nil {
		return Booking{}, err
	}
	cur, err := s.getBooking(ctx, s.db.Read(), id)
	if err != nil {
		return Booking{}, err
	}
	w, err := s.check(ctx, by, Request{Line: cur.Line, SlotStart: m.SlotStart, Name: cur.CitizenName, Phone: cur.Phone, StaffID: m.StaffID})
	if err != nil {
		return Booking{}, err
	}
	var b Booking
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		old, err := s.openTx(ctx, tx, id)
		if err != nil {
			return err
		}
		day, slot, err := s.placeTx(ctx, tx, by, w, id)
		if err != nil {
			return err
		}
		b = old
		b.Date, b.SlotStart, b.SlotEnd, b.SlotKind, b.StaffID = day.Date, slot.Start, slot.End, slot.Kind, w.staffID
		b.Reason, b.Reschedules = reason, old.Reschedules+1
		_, err = tx.ExecContext(ctx, `UPDATE booking SET date = ?, slot_start = ?, slot_end = ?, slot_kind = ?, staff_id = ?, reason = ?,
			reschedules = reschedules + 1, updated_at = ?, version = version + 1 WHERE id = ?`,
			b.Date, store.FormatTime(b.SlotStart), store.FormatTime(b.SlotEnd), b.SlotKind, b.StaffID, b.Reason, store.FormatTime(tx.Now), id)
		if store.IsUnique(err) {
			return apperr.Errorf(apperr.Conflict, "电话%s在该时段已有预约，同一时段不能重复预约。", citizen.MaskPhone(b.Phone))
		}
		if err != nil {
			return fmt.Errorf("reschedule booking: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM booking_reminder WHERE booking_id = ?`, id); err != nil {
			return fmt.Errorf("reschedule booking: %w", err)
		}
		detail := fmt.Sprintf("%s → %s：%s", old.SlotStart.In(clock.Shanghai).Format("01-02 15:04"), b.SlotStart.In(clock.Shanghai).Format("01-02 15:04"), reason)
		return s.record(ctx, tx, by.Actor, "booking.reschedule", EventChanged, b, detail)
	})
	if err != nil {
		return Booking{}, err
	}
	return by.view(b), nil
}

// Cancel cancels an open booking with a reason, freeing its place. Errors:
// not found, a missing reason, conflict when no longer open.
func (s *Service) Cancel(ctx context.Context, by Booker, id, reason string) (Booking, error) {
	reason, err := reasonOf(reason)
	if err != nil {
		return Booking{}, err
	}
	return s.close(ctx, by, id, Cancelled, reason, "booking.cancel", func(b Booking, now time.Time) error { return nil })
}

// MarkNoShow marks an open booking whose slot has ended as a no-show (爽约).
// Errors: not found, conflict when no longer open or the slot not yet over.
func (s *Service) MarkNoShow(ctx context.Context, by Booker, id string) (Booking, error) {
	return s.close(ctx, by, id, NoShow, "", "booking.no_show", func(b Booking, now time.Time) error {
		if now.Before(b.SlotEnd) {
			return apperr.Errorf(apperr.Conflict, "预约时段到%s才结束，现在还不能标记爽约。", b.SlotEnd.In(clock.Shanghai).Format("15:04"))
		}
		return nil
	})
}

func (s *Service) close(ctx context.Context, by Booker, id, status, reason, action string, allowed func(Booking, time.Time) error) (Booking, error) {
	var b Booking
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if b, err = s.openTx(ctx, tx, id); err != nil {
			return err
		}
		if err := allowed(b, tx.Now); err != nil {
			return err
		}
		b.Status, b.Code = status, ""
		if reason != "" {
			b.Reason = reason
		}
		if _, err := tx.ExecContext(ctx, `UPDATE booking SET status = ?, reason = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			status, b.Reason, store.FormatTime(tx.Now), id); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		return s.record(ctx, tx, by.Actor, action, EventChanged, b, reason)
	})
	if err != nil {
		return Booking{}, err
	}
	return by.view(b), nil
}

// CheckInResult is a successful check-in: the booking and its ticket.
// Priority is true for an appointment ticket (called before first-come
// tickets once its slot begins), false for the normal ticket taken instead.
type CheckInResult struct {
	Booking  Booking      `json:"booking"`
	Ticket   queue.Ticket `json:"ticket"`
	Priority bool         `json:"priority"`
}

// WindowError refuses a check-in outside its window; the caller may offer
// a normal ticket instead (CheckIn with acceptNormal).
type WindowError struct {
	Reason string // TooEarly or TooLate
	Line   string
	Opens  time.Time
	Closes time.Time
	err    *apperr.Error
}

func (e *WindowError) Error() string { return e.err.Message }

// Unwrap gives the conflict apperr, so the error has a code and a sentence.
func (e *WindowError) Unwrap() error { return e.err }

// CheckInRequest names the booking to check in: its code, or the phone
// given when booking with Verify, something only the citizen has.
type CheckInRequest struct {
	Code  string `json:"code"`
	Phone string `json:"phone"`
	// Verify is the booking's code; asked with a phone at the kiosk, so a
	// phone number alone checks in nobody's booking and tells nothing.
	Verify       string `json:"verify"`
	AcceptNormal bool   `json:"accept_normal"`
}

// errNoPhoneBooking is the one answer to a phone check-in that finds
// nothing: the same whether the phone has no booking today or the code
// given with it is wrong, so the kiosk never tells whether a phone booked.
var errNoPhoneBooking = apperr.Errorf(apperr.NotFound, "没有找到与该电话和预约码相符的今日有效预约，请核对后重试，或到窗口咨询。")

// CheckIn turns the open booking with code into a ticket. Inside its window
// (from CheckInEarly before the slot until its end) the ticket is an
// appointment ticket due at the slot's start; outside it returns
// *WindowError saying too early or too late, unless AcceptNormal, when it
// issues a normal first-come ticket instead: too early leaves the booking
// open, too late closes it as checked in late. Errors: not found for an
// unknown code, and the queue's (stopped line, outside its hours, daily cap).
//
// A citizen checks in by phone instead (Code empty) with the booking's code
// as Verify at the kiosk; staff at the desk, who see the citizen, need no
// Verify. Of that phone's bookings today (matching Verify) the one whose
// check-in window is open is taken, else the earliest. A phone with no
// booking and a wrong Verify get the same not-found sentence.
func (s *Service) CheckIn(ctx context.Context, by Booker, in CheckInRequest) (CheckInResult, error) {
	code := strings.TrimSpace(in.Code)
	var where, phone string
	var args []any
	switch {
	case code != "":
		if len(code) != codeDigits {
			return CheckInResult{}, invalid("预约码是%d位数字。", codeDigits)
		}
		where, args = `code = ? AND status = 'booked'`, []any{code}
	case strings.TrimSpace(in.Phone) != "":
		p, err := citizen.NormalizePhone(in.Phone)
		if err != nil {
			return CheckInResult{}, err
		}
		phone = p
		today := s.clock.Now().In(clock.Shanghai).Format("2006-01-02")
		where, args = `phone_index = ? AND date = ? AND status = 'booked'`, []any{s.sealer.Index(p), today}
		if by.kiosk() {
			verify := strings.TrimSpace(in.Verify)
			if len(verify) != codeDigits {
				return CheckInResult{}, invalid("按电话签到还须输入%d位预约码。", codeDigits)
			}
			where, args = where+` AND code = ?`, append(args, verify)
		}
		where += ` ORDER BY slot_start`
	default:
		return CheckInResult{}, invalid("请输入预约码或预约时留的电话号码。")
	}
	acceptNormal := in.AcceptNormal
	source := "appointment"
	if !by.kiosk() {
		source = "desk"
	}
	var res CheckInResult
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		list, err := s.queryBookings(ctx, tx, where, args...)
		if err != nil {
			return err
		}
		if len(list) == 0 && code != "" {
			return apperr.Errorf(apperr.NotFound, "没有找到预约码%s的有效预约（可能已签到或已取消）。", code)
		}
		if len(list) == 0 && by.kiosk() {
			return errNoPhoneBooking
		}
		if len(list) == 0 {
			return apperr.Errorf(apperr.NotFound, "今天没有电话%s的有效预约（可能已签到或已取消）。", citizen.MaskPhone(phone))
		}
		b := list[0]
		for _, c := range list {
			if CheckInTiming(c.SlotStart, c.SlotEnd, tx.Now) == "" {
				b = c
				break
			}
		}
		timing := CheckInTiming(b.SlotStart, b.SlotEnd, tx.Now)
		if timing != "" && !acceptNormal {
			return windowError(b, timing)
		}
		req := queue.IssueRequest{Line: b.Line, Phone: b.Phone, Source: source}
		if timing == "" {
			start := b.SlotStart
			req.AppointmentID, req.DueAt, req.Source = b.ID, &start, "appointment"
		}
		t, err := s.queue.IssueTx(ctx, tx, by.Actor, req)
		if err != nil {
			return err
		}
		res = CheckInResult{Booking: b, Ticket: t, Priority: timing == ""}
		if timing == TooEarly {
			return audit.Record(ctx, tx, by.Actor, "booking.checkin_early", b.ID, "提前到达，取普通号"+t.Number)
		}
		now := tx.Now
		b.Status, b.Code, b.TicketID, b.TicketNumber, b.CheckedInAt, b.CheckedInLate = CheckedIn, "", t.ID, t.Number, &now, timing == TooLate
		if _, err := tx.ExecContext(ctx, `UPDATE booking SET status = ?, ticket_id = ?, ticket_number = ?, checked_in_at = ?, checked_in_late = ?,
			updated_at = ?, version = version + 1 WHERE id = ?`,
			b.Status, t.ID, t.Number, store.FormatTime(now), boolInt(b.CheckedInLate), store.FormatTime(now), b.ID); err != nil {
			return fmt.Errorf("check in booking: %w", err)
		}
		res.Booking = b
		detail := "签到取号" + t.Number
		if b.CheckedInLate {
			detail = "迟到，取普通号" + t.Number
		}
		return s.record(ctx, tx, by.Actor, "booking.checkin", EventChanged, b, detail)
	})
	if err != nil {
		return CheckInResult{}, err
	}
	res.Ticket.Ahead = s.queue.AheadOfIssued(ctx, res.Ticket)
	res.Booking = by.view(res.Booking)
	if !by.kiosk() && SeesContacts(by.Role) {
		return res, nil
	}
	if res.Ticket.Phone != "" {
		res.Ticket.Phone = citizen.MaskPhone(res.Ticket.Phone)
	}
	return res, nil
}

func windowError(b Booking, timing string) error {
	start, end := b.SlotStart.In(clock.Shanghai), b.SlotEnd.In(clock.Shanghai)
	opens := start.Add(-CheckInEarly)
	slot := fmt.Sprintf("%s %s–%s", start.Format("01月02日"), start.Format("15:04"), end.Format("15:04"))
	var msg string
	if timing == TooEarly {
		msg = fmt.Sprintf("您的预约时段是%s，%s起才能签到；现在可以先取普通号排队。", slot, opens.Format("01月02日 15:04"))
	} else {
		msg = fmt.Sprintf("您的预约时段%s已过，不能按预约签到；可以取普通号排队。", slot)
	}
	return &WindowError{Reason: timing, Line: b.Line, Opens: opens.UTC(), Closes: b.SlotEnd, err: apperr.Errorf(apperr.Conflict, "%s", msg)}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SetName records the citizen's name on an open booking, as the window
// completes one the kiosk took without it (到窗口再填) or corrects a
// misheard one. Only the roles that see contacts in full may, and the name
// is sealed like every booking's. Errors: forbidden, invalid name, not
// found, conflict when the booking is no longer open.
func (s *Service) SetName(ctx context.Context, by Booker, id, name string) (Booking, error) {
	if !SeesContacts(by.Role) {
		return Booking{}, apperr.Errorf(apperr.Forbidden, "只有综合窗口人员和管理员可以填写预约人姓名。")
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 30 {
		return Booking{}, invalid("请填写预约人姓名（不超过30个字）。")
	}
	var b Booking
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if b, err = s.openTx(ctx, tx, id); err != nil {
			return err
		}
		sealed, err := s.sealer.SealContact("booking", id, name, b.Phone)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE booking SET citizen_name = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			sealed.Name, store.FormatTime(tx.Now), id); err != nil {
			return fmt.Errorf("set name of booking %s: %w", id, err)
		}
		b.CitizenName = name
		return s.record(ctx, tx, by.Actor, "booking.name", EventChanged, b, "")
	})
	if err != nil {
		return Booking{}, err
	}
	return by.view(b), nil
}
