package booking_test

import (
	"strings"
	"testing"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/booking"
	"budayang/backend/calendar"
	"budayang/backend/clock"
	"budayang/backend/store"
)

// The clock stands at Wednesday 2026-11-25 09:00; Friday the 27th is closed.
func TestBooking_ClosingADayWithBookings(t *testing.T) {
	closeFriday := func(f *fixture, confirmed bool) error {
		_, err := f.core.Calendar.SetOverride(f.ctx, f.admin, calendar.Override{Date: "2026-11-27", Kind: calendar.OverrideClosed, Reason: "停电检修"}, confirmed)
		return err
	}
	bookFriday := func(f *fixture) (booking.Booking, booking.Booking) {
		return f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-27", "09:00"), Name: "张三", Phone: "13812345678"}),
			f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-27", "10:30"), Name: "李四", Phone: "13900001111"})
	}
	isClosed := func(f *fixture) bool {
		r, err := f.core.Calendar.Rules(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, ok := r.Overrides["2026-11-27"]
		return ok
	}

	t.Run("RefusedUnconfirmedNamingThem", func(t *testing.T) {
		f := setup(t)
		bookFriday(f)
		err := closeFriday(f, false)
		if apperr.Code(err) != apperr.Conflict {
			t.Fatalf("got %v, want conflict", err)
		}
		for _, want := range []string{"2个待签到的预约", "09:00 A线", "10:30 A线"} {
			if !strings.Contains(apperr.Message(err), want) {
				t.Errorf("message %q does not name %q", apperr.Message(err), want)
			}
		}
		if strings.Contains(apperr.Message(err), "张") {
			t.Errorf("message %q names the citizen", apperr.Message(err))
		}
		if isClosed(f) {
			t.Error("the day was closed although refused")
		}
	})

	t.Run("ConfirmedPutsThemOnTheNextCallList", func(t *testing.T) {
		f := setup(t)
		a, b := bookFriday(f)
		if err := closeFriday(f, true); err != nil {
			t.Fatal(err)
		}
		if !isClosed(f) {
			t.Fatal("the day is not closed")
		}
		cl, err := f.core.Bookings.CallList(f.ctx, f.duty, "2026-11-26")
		if err != nil {
			t.Fatal(err)
		}
		if len(cl.Entries) != 2 || cl.Entries[0].BookingID != a.ID || cl.Entries[1].BookingID != b.ID {
			t.Fatalf("call list: got %+v, want the two Friday bookings", cl.Entries)
		}
		for _, e := range cl.Entries {
			if e.Reason != booking.ReasonClosedDay || e.CitizenName == "" || e.Phone == "" {
				t.Errorf("entry: got %+v, want reason %s with name and phone for the duty officer", e, booking.ReasonClosedDay)
			}
		}
	})

	t.Run("DayWithoutBookingsClosesUnasked", func(t *testing.T) {
		f := setup(t)
		if err := closeFriday(f, false); err != nil {
			t.Fatal(err)
		}
		if !isClosed(f) {
			t.Error("the day is not closed")
		}
	})

	// A day closed before the check existed, or bookings the list lost:
	// the 16:00 build still finds them, once, for the duty officer to call.
	t.Run("CallListBuildIncludesClosedDays", func(t *testing.T) {
		f := setup(t)
		fri, _ := bookFriday(f)
		thu := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-26", "09:00"), Name: "王五", Phone: "13700002222"})
		if err := closeFriday(f, true); err != nil {
			t.Fatal(err)
		}
		if err := f.core.DB.Write(f.ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(f.ctx, `DELETE FROM booking_call`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		at16 := time.Date(2026, 11, 25, 16, 0, 0, 0, clock.Shanghai)
		cl, err := f.core.Bookings.BuildCallList(f.ctx, at16)
		if err != nil {
			t.Fatal(err)
		}
		reasons := map[string]string{}
		for _, e := range cl.Entries {
			reasons[e.BookingID] = e.Reason
		}
		if len(cl.Entries) != 3 || reasons[thu.ID] != "" || reasons[fri.ID] != booking.ReasonClosedDay {
			t.Fatalf("list for %s: got %+v, want Thursday's reminder and Friday's two to move", cl.Date, cl.Entries)
		}
		again, err := f.core.Bookings.BuildCallList(f.ctx, at16)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Entries) != 3 {
			t.Errorf("second build: got %d entries, want 3", len(again.Entries))
		}
	})
}
