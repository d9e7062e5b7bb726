package booking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/clock"
	"budayang/backend/store"
)

// ReasonClosedDay marks a call-list entry for a booking on a day the centre
// closed: the duty officer phones the citizen to come another day, instead
// of reminding them to come.
const ReasonClosedDay = "closed_day"

// ClosingDayTx is the calendar's ClosingCheck. A day holding open bookings
// is closed only once confirmed: unconfirmed, it refuses with a conflict
// naming each booking (time and line, no citizen's data); confirmed, it puts
// each on the call list the duty officer works from next, with the reason
// ReasonClosedDay, so the citizen is told.
func (s *Service) ClosingDayTx(ctx context.Context, tx *store.Tx, date string, confirmed bool) error {
	list, err := s.queryBookings(ctx, tx, `status = 'booked' AND date = ? ORDER BY slot_start, created_at`, date)
	if err != nil || len(list) == 0 {
		return err
	}
	if !confirmed {
		names := make([]string, len(list))
		for i, b := range list {
			names[i] = b.SlotStart.In(clock.Shanghai).Format("15:04") + " " + b.Line + "线"
		}
		return apperr.Errorf(apperr.Conflict, "%s有%d个待签到的预约（%s）。闭馆前请确认，并为每个预约改期或电话通知群众。",
			date, len(list), strings.Join(names, "、"))
	}
	listDate, err := s.closedDayListDate(ctx, tx.Now, date)
	if err != nil {
		return err
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return err
	}
	for _, b := range list {
		if err := addClosedDayCall(ctx, tx, st.ID, listDate, b.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.System, "booking.closed_day", b.ID, date+"闭馆，加入"+listDate+"提醒电话清单"); err != nil {
			return err
		}
	}
	return nil
}

// closedDayListDate is the list the duty officer works from next: the next
// working day after now, passing over the day being closed, which the
// calendar does not know is closed until the transaction commits.
func (s *Service) closedDayListDate(ctx context.Context, now time.Time, closing string) (string, error) {
	d, err := s.cal.NextWorkday(ctx, now)
	if err != nil {
		return "", err
	}
	if calendar.FormatDate(d) == closing {
		if d, err = s.cal.NextWorkday(ctx, d); err != nil {
			return "", err
		}
	}
	return calendar.FormatDate(d), nil
}

func addClosedDayCall(ctx context.Context, tx *store.Tx, siteID, listDate, bookingID string) error {
	ts := store.FormatTime(tx.Now)
	_, err := tx.ExecContext(ctx, `INSERT INTO booking_call (id, site_id, list_date, booking_id, reason, created_at, updated_at) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(list_date, booking_id) DO UPDATE SET reason = excluded.reason, updated_at = excluded.updated_at, version = version + 1`,
		store.NewID(), siteID, listDate, bookingID, ReasonClosedDay, ts, ts)
	if err != nil {
		return fmt.Errorf("call list for closed day: %w", err)
	}
	return nil
}

// closedDays returns the closed dates from from on, as a set.
func (s *Service) closedDays(ctx context.Context, from string) (map[string]bool, error) {
	r, err := s.cal.Rules(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for d, o := range r.Overrides {
		if o.Kind == calendar.OverrideClosed && d >= from {
			out[d] = true
		}
	}
	return out, nil
}

// addClosedDaysTx puts on the list for listDate every open booking on a
// closed day not yet on any list as ReasonClosedDay, and says how many.
func (s *Service) addClosedDaysTx(ctx context.Context, tx *store.Tx, siteID, listDate string, closed map[string]bool) (int64, error) {
	if len(closed) == 0 {
		return 0, nil
	}
	dates := make([]any, 0, len(closed))
	for d := range closed {
		dates = append(dates, d)
	}
	list, err := s.queryBookings(ctx, tx, `status = 'booked' AND date IN (?`+strings.Repeat(",?", len(dates)-1)+`)
		AND NOT EXISTS (SELECT 1 FROM booking_call c WHERE c.booking_id = booking.id AND c.reason = '`+ReasonClosedDay+`')`, dates...)
	if err != nil {
		return 0, err
	}
	for _, b := range list {
		if err := addClosedDayCall(ctx, tx, siteID, listDate, b.ID); err != nil {
			return 0, err
		}
	}
	return int64(len(list)), nil
}
