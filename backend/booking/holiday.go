package booking

import (
	"context"
	"fmt"

	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/store"
)

// ArrangementTx is the bookings' part of the calendar's ArrangementHook,
// run in the transaction that stores year's arrangement: every open booking
// from today on, on a date the arrangement can name, whose slot the new
// rules no longer hold (the day became a holiday) goes on the call list the
// duty officer works from next with ReasonClosedDay, as when the site
// closes a day, so the citizen is phoned to come another day. A booking has
// no date worked out from the calendar beyond its slot, so nothing else is
// recomputed; the day-before and hour-before reminders follow the slot.
func (s *Service) ArrangementTx(ctx context.Context, tx *store.Tx, year int) error {
	r, err := s.cal.RulesTx(ctx, tx)
	if err != nil {
		return err
	}
	today := calendar.FormatDate(tx.Now)
	lo, hi := max(fmt.Sprintf("%d-12-01", year-1), today), fmt.Sprintf("%d-01-31", year+1)
	list, err := s.queryBookings(ctx, tx, `status = 'booked' AND date >= ? AND date <= ? ORDER BY slot_start, created_at`, lo, hi)
	if err != nil || len(list) == 0 {
		return err
	}
	// The list the duty officer works next, under the new rules: the
	// calendar's cache still has the old ones until this commits.
	next, ok := r.AddWorkingDays(tx.Now, 1)
	if !ok {
		return calendar.ErrNoWorkday
	}
	listDate := calendar.FormatDate(next)
	st, err := s.sites.Get(ctx)
	if err != nil {
		return err
	}
	for _, b := range list {
		day := r.Day(b.SlotStart)
		if day.Holiday == "" {
			continue
		}
		rule, err := s.lineRuleTx(ctx, tx, b.Line)
		if err != nil {
			return err
		}
		if _, ok := FindSlot(day, rule, b.SlotStart); ok {
			continue
		}
		if err := addClosedDayCall(ctx, tx, st.ID, listDate, b.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.System, "booking.holiday", b.ID,
			fmt.Sprintf("%s是%s，加入%s提醒电话清单", b.Date, day.ClosedReason(), listDate)); err != nil {
			return err
		}
	}
	return nil
}
