package booking_test

import (
	"reflect"
	"testing"

	"budayang/backend/booking"
	"budayang/backend/calendar"
	"budayang/backend/core/coretest"
)

const warn2027 = "2027年节假日安排尚未导入，暂按周末休息计算"

// A day in a year without a holiday arrangement is bookable as a weekday,
// and its slots say so.
func TestBooking_SlotsWarnWithoutTheYear(t *testing.T) {
	f := setup(t)
	for _, tc := range []struct {
		date string
		want []string
	}{
		{"2026-12-31", []string{}},
		{"2027-01-01", []string{warn2027}},
	} {
		t.Run(tc.date, func(t *testing.T) {
			d, _ := calendar.ParseDate(tc.date)
			day, err := f.core.Bookings.Slots(f.ctx, booking.Staff(f.clerk), "A", d)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(day.Warnings, tc.want) || len(day.Slots) == 0 {
				t.Errorf("got %d slots, warnings %v; want slots and %v", len(day.Slots), day.Warnings, tc.want)
			}
		})
	}
}

// The clock stands at Wednesday 2026-11-25. Storing 2027's arrangement
// makes New Year's Day a holiday: its office-hours booking goes on the next
// call list to be moved; a Monday booking and one in extended hours kept on
// holidays stand.
func TestBooking_DayThatBecomesAHoliday(t *testing.T) {
	f := setup(t)
	w, err := f.core.Calendar.AddExtendedWindow(f.ctx, f.admin, calendar.ExtendedWindow{Name: "节假日值守", Weekdays: []int{5}, Start: "18:00", End: "19:00", OnHolidays: true})
	if err != nil {
		t.Fatal(err)
	}
	holiday := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2027-01-01", "09:00"), Name: "张三", Phone: "13812345678"})
	monday := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2027-01-04", "09:00"), Name: "李四", Phone: "13900001111"})
	extended := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2027-01-01", "18:00"), Name: "王五", Phone: "13700002222", StaffID: f.clerk.ID})
	if _, err := f.core.Calendar.ImportArrangement(f.ctx, f.admin, coretest.Arrangement2027()); err != nil {
		t.Fatalf("import 2027: %v", err)
	}
	cl, err := f.core.Bookings.CallList(f.ctx, f.duty, "2026-11-26")
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Entries) != 1 || cl.Entries[0].BookingID != holiday.ID || cl.Entries[0].Reason != booking.ReasonClosedDay {
		t.Errorf("call list: got %+v, want only the New Year's Day office booking, to move (not %s, %s in %s)", cl.Entries, monday.ID, extended.ID, w.Name)
	}
	var n int
	if err := f.core.DB.Read().QueryRowContext(f.ctx, `SELECT count(*) FROM audit_log WHERE action = 'booking.holiday' AND target = ?`, holiday.ID).Scan(&n); err != nil || n != 1 {
		t.Errorf("audit lines: got %d %v, want 1", n, err)
	}
}
