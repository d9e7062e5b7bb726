package booking_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/booking"
	"budayang/backend/calendar"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/core/coretest"
	"budayang/backend/store/storetest"
)

type fixture struct {
	t     *testing.T
	site  *coretest.Site
	ctx   context.Context
	core  *core.Core
	clock *clock.Fixed
	admin account.Principal
	clerk account.Principal
	duty  account.Principal
}

// setup opens a real site at storetest.Epoch (Wednesday 2026-11-25 09:00)
// with line A, an administrator, a clerk and a duty officer.
func setup(t *testing.T) *fixture {
	t.Helper()
	s := coretest.Open(t)
	return &fixture{t: t, ctx: context.Background(), site: s, core: s.Core, clock: s.Clock, admin: s.Admin,
		clerk: s.Person("clerk1", "王小明", account.RoleClerk), duty: s.Person("duty1", "李值班", account.RoleDuty)}
}

// at is a Shanghai wall-clock time as the RFC 3339 string the API takes.
func at(date, hm string) string {
	t, _ := time.ParseInLocation("2006-01-02 15:04", date+" "+hm, clock.Shanghai)
	return t.UTC().Format(time.RFC3339)
}

func (f *fixture) book(by account.Principal, req booking.Request) booking.Booking {
	f.t.Helper()
	b, err := f.core.Bookings.Create(f.ctx, booking.Staff(by), req)
	if err != nil {
		f.t.Fatalf("book %+v: %v", req, err)
	}
	return b
}

func (f *fixture) count(table string) int {
	f.t.Helper()
	var n int
	if err := f.core.DB.Read().QueryRowContext(f.ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestBooking_Create(t *testing.T) {
	f := setup(t)
	if _, err := f.core.Bookings.SetLineRule(f.ctx, f.admin, booking.LineRule{Line: "A", SlotMinutes: 30, Capacity: 1, ExtendedCapacity: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.core.Calendar.AddExtendedWindow(f.ctx, f.admin, calendar.ExtendedWindow{Name: "周日上午", Weekdays: []int{7}, Start: "09:00", End: "11:00"}); err != nil {
		t.Fatal(err)
	}
	first := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-26", "09:00"), Name: "张三", Phone: "138 1234 5678"})
	if first.Phone != "13812345678" || first.Status != booking.Booked || len(first.Code) != 6 || first.Channel != booking.ChannelPhone || first.Date != "2026-11-26" {
		t.Fatalf("first booking: got %+v", first)
	}
	ok := func() booking.Request {
		return booking.Request{Line: "A", SlotStart: at("2026-11-26", "10:00"), Name: "李四", Phone: "13900001111"}
	}
	tests := []struct {
		name   string
		by     booking.Booker
		change func(r *booking.Request)
		code   string
		says   string
	}{
		{"MalformedPhone", booking.Staff(f.clerk), func(r *booking.Request) { r.Phone = "1234" }, apperr.Invalid, "电话号码"},
		{"UnknownLine", booking.Staff(f.clerk), func(r *booking.Request) { r.Line = "Z" }, apperr.Invalid, "没有“Z”这条业务线"},
		{"InThePast", booking.Staff(f.clerk), func(r *booking.Request) { r.SlotStart = at("2026-11-25", "08:30") }, apperr.Invalid, "已经过去"},
		{"ClosedSaturday", booking.Staff(f.clerk), func(r *booking.Request) { r.SlotStart = at("2026-11-28", "09:00") }, apperr.Invalid, "周末"},
		{"ClosedHoliday", booking.Staff(f.clerk), func(r *booking.Request) { r.SlotStart = at("2027-01-01", "09:00") }, "", ""},
		{"LunchBreak", booking.Staff(f.clerk), func(r *booking.Request) { r.SlotStart = at("2026-11-26", "12:30") }, apperr.Invalid, "不是综合受理的可预约时段"},
		{"OffTheGrid", booking.Staff(f.clerk), func(r *booking.Request) { r.SlotStart = at("2026-11-26", "09:10") }, apperr.Invalid, "可预约时段"},
		{"OverCapacity", booking.Staff(f.clerk), func(r *booking.Request) { r.SlotStart = at("2026-11-26", "09:00") }, apperr.Conflict, "该时段已约满"},
		{"SamePhoneSameSlot", booking.Staff(f.duty), func(r *booking.Request) {
			r.SlotStart, r.Phone = at("2026-11-26", "09:00"), "+86 13812345678"
		}, apperr.Conflict, "同一时段不能重复预约"},
		{"ExtendedWithoutStaff", booking.Staff(f.clerk), func(r *booking.Request) { r.SlotStart = at("2026-11-29", "09:00") }, apperr.Invalid, "须指定到岗"},
		{"KioskToday", booking.Kiosk("kiosk1"), func(r *booking.Request) { r.SlotStart = at("2026-11-25", "15:00") }, apperr.Invalid, "今天办事请直接取号"},
		{"KioskExtended", booking.Kiosk("kiosk1"), func(r *booking.Request) {
			r.SlotStart, r.StaffID = at("2026-11-29", "09:00"), f.duty.ID
		}, apperr.Invalid, "取号机不能预约"},
		{"UnknownStaff", booking.Staff(f.clerk), func(r *booking.Request) { r.StaffID = "nobody" }, apperr.Invalid, "不存在"},
		{"AdministratorToServe", booking.Staff(f.clerk), func(r *booking.Request) {
			r.SlotStart, r.StaffID = at("2026-11-29", "09:00"), f.admin.ID
		}, apperr.Invalid, "只能安排综合窗口或值班人员"},
		{"NoName", booking.Staff(f.clerk), func(r *booking.Request) { r.Name = " " }, apperr.Invalid, "姓名"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "ClosedHoliday" {
				// 2027 has no arrangement yet, so New Year's Day is a working Friday…
				if _, err := f.core.Calendar.ImportArrangement(f.ctx, f.admin, calendar.Arrangement{Year: 2027, Notice: "测试",
					Holidays: []calendar.Period{{Name: "元旦", From: "2027-01-01", To: "2027-01-03"}}}); err != nil {
					t.Fatal(err)
				}
				// …until the notice is imported.
				tt.code, tt.says = apperr.Invalid, "元旦假期"
			}
			bookings, audits, outbox := f.count("booking"), f.count("audit_log"), f.count("outbox")
			req := ok()
			tt.change(&req)
			_, err := f.core.Bookings.Create(f.ctx, tt.by, req)
			if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.says) {
				t.Fatalf("got %v (%s), want %s saying %q", err, apperr.Code(err), tt.code, tt.says)
			}
			if f.count("booking") != bookings || f.count("audit_log") != audits || f.count("outbox") != outbox {
				t.Error("a refused booking wrote something")
			}
		})
	}
	t.Run("ExtendedWithStaffOnASunday", func(t *testing.T) {
		b := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-29", "09:30"), Name: "赵六", Phone: "13700001111", StaffID: f.duty.ID})
		if b.SlotKind != calendar.KindExtended || b.StaffID != f.duty.ID {
			t.Errorf("got %+v", b)
		}
	})
	t.Run("AssistantBooksByProxy", func(t *testing.T) {
		asst := f.site.Person("asst1", "陈代办", account.RoleAssistant)
		b := f.book(asst, booking.Request{Line: "A", SlotStart: at("2026-11-27", "14:00"), Name: "刘大爷", Phone: "0818-7654321"})
		if b.Channel != booking.ChannelProxy || b.Phone != "08187654321" {
			t.Errorf("got %+v", b)
		}
	})
	t.Run("KioskForALaterDay", func(t *testing.T) {
		b, err := f.core.Bookings.Create(f.ctx, booking.Kiosk("kiosk1"), booking.Request{Line: "A", SlotStart: at("2026-11-27", "15:00"), Name: "孙七", Phone: "13600001111"})
		if err != nil || b.Channel != booking.ChannelKiosk || b.BookedBy != "kiosk" {
			t.Errorf("got %+v %v", b, err)
		}
	})
	t.Run("KioskLeavesTheNameToTheWindow", func(t *testing.T) {
		b, err := f.core.Bookings.Create(f.ctx, booking.Kiosk("kiosk1"), booking.Request{Line: "A", SlotStart: at("2026-11-27", "16:00"), Name: " ", Phone: "13600002222"})
		if err != nil || b.CitizenName != "" || len(b.Code) != 6 {
			t.Errorf("got %+v %v", b, err)
		}
	})
}

// Many clerks race for the last place in a slot: exactly one gets it.
func TestBooking_CapacityRace(t *testing.T) {
	f := setup(t)
	if _, err := f.core.Bookings.SetLineRule(f.ctx, f.admin, booking.LineRule{Line: "A", SlotMinutes: 30, Capacity: 2, ExtendedCapacity: 1}); err != nil {
		t.Fatal(err)
	}
	f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-26", "09:00"), Name: "先到", Phone: "13800000000"})
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.core.Bookings.Create(f.ctx, booking.Staff(f.clerk), booking.Request{Line: "A", SlotStart: at("2026-11-26", "09:00"),
				Name: "抢号", Phone: fmt.Sprintf("1390000%04d", i)})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !strings.Contains(apperr.Message(err), "该时段已约满"):
			t.Errorf("loser: got %v, want 该时段已约满", err)
		}
	}
	if won != 1 {
		t.Errorf("winners: got %d, want 1", won)
	}
	day, _ := f.core.Bookings.Slots(f.ctx, booking.Staff(f.clerk), "A", storetest.Epoch.AddDate(0, 0, 1))
	if s := day.Slots[1]; s.Booked != 2 || s.Available != 0 {
		t.Errorf("09:00 slot: got %+v", s)
	}
}

func TestBooking_Changes(t *testing.T) {
	f := setup(t)
	b := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-26", "09:00"), Name: "张三", Phone: "13812345678"})
	t.Run("RescheduleNeedsAReason", func(t *testing.T) {
		_, err := f.core.Bookings.Reschedule(f.ctx, booking.Staff(f.clerk), b.ID, booking.Move{SlotStart: at("2026-11-27", "10:00")})
		if apperr.Code(err) != apperr.Invalid {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("RescheduleOntoAHoliday", func(t *testing.T) {
		_, err := f.core.Bookings.Reschedule(f.ctx, booking.Staff(f.clerk), b.ID, booking.Move{SlotStart: at("2026-11-28", "10:00"), Reason: "家中有事"})
		if apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), "周末") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("Reschedule", func(t *testing.T) {
		m, err := f.core.Bookings.Reschedule(f.ctx, booking.Staff(f.clerk), b.ID, booking.Move{SlotStart: at("2026-11-27", "10:00"), Reason: "家中有事"})
		if err != nil || m.Date != "2026-11-27" || m.Reschedules != 1 || m.Code != b.Code || m.Reason != "家中有事" {
			t.Fatalf("got %+v %v", m, err)
		}
	})
	t.Run("NoShowBeforeTheSlotEnds", func(t *testing.T) {
		_, err := f.core.Bookings.MarkNoShow(f.ctx, booking.Staff(f.clerk), b.ID)
		if apperr.Code(err) != apperr.Conflict {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("NoShowAfter", func(t *testing.T) {
		f.clock.Set(time.Date(2026, 11, 27, 11, 0, 0, 0, clock.Shanghai))
		defer f.clock.Set(storetest.Epoch)
		m, err := f.core.Bookings.MarkNoShow(f.ctx, booking.Staff(f.clerk), b.ID)
		if err != nil || m.Status != booking.NoShow {
			t.Fatalf("got %+v %v", m, err)
		}
	})
	t.Run("CancelAClosedBooking", func(t *testing.T) {
		_, err := f.core.Bookings.Cancel(f.ctx, booking.Staff(f.clerk), b.ID, "不来了")
		if apperr.Code(err) != apperr.Conflict {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("CancelFreesThePlace", func(t *testing.T) {
		c := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-26", "09:00"), Name: "李四", Phone: "13900001111"})
		got, err := f.core.Bookings.Cancel(f.ctx, booking.Staff(f.clerk), c.ID, "已在网上办理")
		if err != nil || got.Status != booking.Cancelled {
			t.Fatalf("got %+v %v", got, err)
		}
		f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-26", "09:00"), Name: "李四", Phone: "13900001111"})
	})
}

func TestBooking_CheckIn(t *testing.T) {
	f := setup(t)
	b := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-25", "10:00"), Name: "张三", Phone: "13812345678"})
	kiosk := booking.Kiosk("kiosk1")
	t.Run("TooEarly", func(t *testing.T) {
		_, err := f.core.Bookings.CheckIn(f.ctx, kiosk, booking.CheckInRequest{Code: b.Code})
		var we *booking.WindowError
		if !errors.As(err, &we) || we.Reason != booking.TooEarly || apperr.Code(err) != apperr.Conflict || !strings.Contains(err.Error(), "09:30起") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("TooEarlyTakesANormalTicket", func(t *testing.T) {
		res, err := f.core.Bookings.CheckIn(f.ctx, kiosk, booking.CheckInRequest{Code: b.Code, AcceptNormal: true})
		if err != nil || res.Priority || res.Ticket.AppointmentID != "" || res.Ticket.Number != "A001" {
			t.Fatalf("got %+v %v", res, err)
		}
		if got, _ := f.core.Bookings.Get(f.ctx, f.admin, b.ID); got.Status != booking.Booked {
			t.Errorf("an early normal ticket must leave the booking open, got %s", got.Status)
		}
	})
	t.Run("InTheWindow", func(t *testing.T) {
		f.clock.Set(time.Date(2026, 11, 25, 9, 40, 0, 0, clock.Shanghai))
		res, err := f.core.Bookings.CheckIn(f.ctx, kiosk, booking.CheckInRequest{Code: b.Code})
		if err != nil || !res.Priority || res.Ticket.AppointmentID != b.ID || res.Ticket.DueAt == nil || !res.Ticket.DueAt.Equal(b.SlotStart) {
			t.Fatalf("got %+v %v", res, err)
		}
		if res.Ticket.Ahead != 1 {
			t.Errorf("ahead %d, want 1: the early normal ticket waits, and the appointment is not due before 10:00", res.Ticket.Ahead)
		}
		if res.Booking.Phone != "138****5678" || res.Booking.CitizenName != "张*" || res.Ticket.Phone != "138****5678" {
			t.Errorf("kiosk must see masked data: %+v", res)
		}
		got, _ := f.core.Bookings.Get(f.ctx, f.admin, b.ID)
		if got.Status != booking.CheckedIn || got.TicketNumber != res.Ticket.Number || got.CheckedInLate {
			t.Errorf("booking after check-in: %+v", got)
		}
	})
	t.Run("CodeUsedUp", func(t *testing.T) {
		if _, err := f.core.Bookings.CheckIn(f.ctx, kiosk, booking.CheckInRequest{Code: b.Code}); apperr.Code(err) != apperr.NotFound {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("TooLateThenNormal", func(t *testing.T) {
		f.clock.Set(time.Date(2026, 11, 25, 9, 0, 0, 0, clock.Shanghai))
		late := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-25", "11:00"), Name: "王五", Phone: "13700001111"})
		f.clock.Set(time.Date(2026, 11, 25, 11, 45, 0, 0, clock.Shanghai))
		_, err := f.core.Bookings.CheckIn(f.ctx, booking.Staff(f.clerk), booking.CheckInRequest{Code: late.Code})
		var we *booking.WindowError
		if !errors.As(err, &we) || we.Reason != booking.TooLate {
			t.Fatalf("got %v", err)
		}
		res, err := f.core.Bookings.CheckIn(f.ctx, booking.Staff(f.clerk), booking.CheckInRequest{Code: late.Code, AcceptNormal: true})
		if err != nil || res.Priority || !res.Booking.CheckedInLate || res.Booking.Status != booking.CheckedIn {
			t.Fatalf("got %+v %v", res, err)
		}
		if res.Ticket.Ahead != 2 {
			t.Errorf("ahead %d, want 2: the normal ticket and the appointment due since 10:00", res.Ticket.Ahead)
		}
	})
}

func TestBooking_CheckInByPhone(t *testing.T) {
	f := setup(t)
	kiosk := booking.Kiosk("kiosk1")
	first := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-25", "10:00"), Name: "张三", Phone: "13812345678"})
	second := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-25", "14:00"), Name: "张三", Phone: "13812345678"})
	other := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-25", "14:00"), Name: "李四", Phone: "13900001111"})
	afternoon := time.Date(2026, 11, 25, 13, 40, 0, 0, clock.Shanghai)
	wrong := "000000"
	if wrong == second.Code || wrong == other.Code {
		wrong = "999999"
	}
	// A phone with no booking and a booked phone with a wrong code get one
	// answer, word for word, so the kiosk never tells who booked.
	noBooking := "没有找到与该电话和预约码相符的今日有效预约，请核对后重试，或到窗口咨询。"
	tests := []struct {
		name    string
		by      booking.Booker
		phone   string
		verify  string
		code    string
		message string
		want    string // booking id
	}{
		{"ErrMalformedPhone", kiosk, "12345", second.Code, apperr.Invalid, "", ""},
		{"ErrNeitherCodeNorPhone", kiosk, "", "", apperr.Invalid, "", ""},
		{"ErrKioskPhoneWithoutCode", kiosk, "139 0000 1111", "", apperr.Invalid, "", ""},
		{"ErrUnknownPhone", kiosk, "137 0000 2222", second.Code, apperr.NotFound, noBooking, ""},
		{"ErrStrangersPhoneWrongCode", kiosk, "139 0000 1111", wrong, apperr.NotFound, noBooking, ""},
		{"ErrStrangersPhoneOwnCode", kiosk, "139 0000 1111", second.Code, apperr.NotFound, noBooking, ""},
		{"KioskPhoneAndCode", kiosk, "138-1234-5678", second.Code, "", "", second.ID},
		{"DeskPhoneAlone", booking.Staff(f.clerk), "13900001111", "", "", "", other.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.clock.Set(afternoon)
			res, err := f.core.Bookings.CheckIn(f.ctx, tt.by, booking.CheckInRequest{Phone: tt.phone, Verify: tt.verify})
			if tt.code != "" {
				if apperr.Code(err) != tt.code || (tt.message != "" && apperr.Message(err) != tt.message) {
					t.Fatalf("got %v, want %s %q", err, tt.code, tt.message)
				}
				for _, b := range []booking.Booking{first, second, other} {
					if got, _ := f.core.Bookings.Get(f.ctx, f.admin, b.ID); got.Status != booking.Booked || got.TicketID != "" {
						t.Errorf("a refused check-in touched booking %s: %+v", b.ID, got)
					}
				}
				return
			}
			if err != nil || res.Booking.ID != tt.want || !res.Priority {
				t.Fatalf("got %+v %v, want booking %s", res.Booking, err, tt.want)
			}
		})
	}
}

func TestBooking_Reminders(t *testing.T) {
	f := setup(t)
	if _, err := f.core.Calendar.AddExtendedWindow(f.ctx, f.admin, calendar.ExtendedWindow{Name: "周日上午", Weekdays: []int{7}, Start: "09:00", End: "12:00"}); err != nil {
		t.Fatal(err)
	}
	ext := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-29", "09:00"), Name: "赵六", Phone: "13700001111", StaffID: f.duty.ID})
	fri := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-27", "09:00"), Name: "张三", Phone: "13812345678"})
	mon := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-30", "14:00"), Name: "李四", Phone: "13900001111"})
	sub := f.core.Bus.Subscribe(4096) // every five-minute run also publishes job:ran
	defer sub.Close()

	t.Run("ThursdayCallListIsForFriday", func(t *testing.T) {
		if _, err := f.core.Jobs.RunDue(f.ctx, time.Date(2026, 11, 26, 15, 58, 0, 0, clock.Shanghai), time.Date(2026, 11, 26, 16, 0, 0, 0, clock.Shanghai)); err != nil {
			t.Fatal(err)
		}
		cl, err := f.core.Bookings.CallList(f.ctx, f.duty, "2026-11-27")
		if err != nil || !cl.Built || len(cl.Entries) != 1 || cl.Entries[0].BookingID != fri.ID || cl.Entries[0].Phone != "13812345678" {
			t.Fatalf("got %+v %v", cl, err)
		}
	})
	t.Run("FridayCallListCoversTheWeekendUpToMonday", func(t *testing.T) {
		if _, err := f.core.Jobs.RunDue(f.ctx, time.Date(2026, 11, 27, 15, 58, 0, 0, clock.Shanghai), time.Date(2026, 11, 27, 16, 0, 0, 0, clock.Shanghai)); err != nil {
			t.Fatal(err)
		}
		cl, _ := f.core.Bookings.CallList(f.ctx, f.duty, "2026-11-30")
		if len(cl.Entries) != 2 || cl.Entries[0].BookingID != ext.ID || cl.Entries[1].BookingID != mon.ID {
			t.Fatalf("got %+v", cl)
		}
		if err := f.core.Bookings.MarkCalled(f.ctx, f.duty, "2026-11-30", mon.ID, booking.Reached); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("DayBeforeAndHourBefore", func(t *testing.T) {
		// Saturday 15:00 to Sunday 09:00, every five minutes.
		if _, err := f.core.Jobs.RunDue(f.ctx, time.Date(2026, 11, 28, 15, 0, 0, 0, clock.Shanghai), time.Date(2026, 11, 29, 9, 0, 0, 0, clock.Shanghai)); err != nil {
			t.Fatal(err)
		}
		var got []booking.Reminder
		for len(sub.C) > 0 {
			if e := <-sub.C; e.Type == booking.EventReminder {
				got = append(got, e.Data.(booking.Reminder))
			}
		}
		if len(got) != 2 {
			t.Fatalf("reminders: got %+v, want day_before and hour_before", got)
		}
		if got[0].Kind != booking.DayBefore || got[0].StaffID != f.duty.ID || got[0].CitizenName != "赵*" {
			t.Errorf("first: got %+v", got[0])
		}
		if got[1].Kind != booking.HourBefore || got[1].BookingID != ext.ID {
			t.Errorf("second: got %+v", got[1])
		}
		if n := f.count("booking_reminder"); n != 2 {
			t.Errorf("reminder rows: got %d, want 2", n)
		}
	})
	t.Run("RescheduleRemindsAgain", func(t *testing.T) {
		f.clock.Set(time.Date(2026, 11, 29, 8, 30, 0, 0, clock.Shanghai))
		if _, err := f.core.Bookings.Reschedule(f.ctx, booking.Staff(f.clerk), ext.ID, booking.Move{SlotStart: at("2026-12-06", "10:00"), StaffID: f.duty.ID, Reason: "改期"}); err != nil {
			t.Fatal(err)
		}
		sent, err := f.core.Bookings.SendReminders(f.ctx, time.Date(2026, 12, 5, 16, 0, 0, 0, clock.Shanghai))
		if err != nil || len(sent) != 1 || sent[0].Kind != booking.DayBefore {
			t.Fatalf("got %+v %v", sent, err)
		}
	})
}

func TestReminderDue(t *testing.T) {
	start := time.Date(2026, 11, 29, 9, 0, 0, 0, clock.Shanghai)
	tests := []struct {
		name              string
		now               time.Time
		sentDay, sentHour bool
		want              string
	}{
		{"BeforeTheAfternoonBefore", time.Date(2026, 11, 28, 15, 55, 0, 0, clock.Shanghai), false, false, ""},
		{"AfternoonBefore", time.Date(2026, 11, 28, 16, 0, 0, 0, clock.Shanghai), false, false, booking.DayBefore},
		{"AlreadyToldTheDayBefore", time.Date(2026, 11, 28, 20, 0, 0, 0, clock.Shanghai), true, false, ""},
		{"BookedLateEvening", time.Date(2026, 11, 28, 22, 0, 0, 0, clock.Shanghai), false, false, booking.DayBefore},
		{"AnHourBefore", time.Date(2026, 11, 29, 8, 0, 0, 0, clock.Shanghai), true, false, booking.HourBefore},
		{"BookedWithinTheHour", time.Date(2026, 11, 29, 8, 30, 0, 0, clock.Shanghai), false, false, booking.HourBefore},
		{"AlreadyStarted", start, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := booking.ReminderDue(start, tt.now, tt.sentDay, tt.sentHour); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBooking_StaffICS(t *testing.T) {
	f := setup(t)
	if _, err := f.core.Calendar.AddExtendedWindow(f.ctx, f.admin, calendar.ExtendedWindow{Name: "周日上午", Weekdays: []int{7}, Start: "09:00", End: "12:00"}); err != nil {
		t.Fatal(err)
	}
	b := f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-29", "09:00"), Name: "欧阳小明", Phone: "13700001111", StaffID: f.duty.ID,
		Note: "带户口本"})
	f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-26", "09:00"), Name: "别人", Phone: "13800001111"})
	raw, err := f.core.Bookings.StaffICS(f.ctx, f.duty.ID, f.duty.Name)
	if err != nil {
		t.Fatal(err)
	}
	ics := string(raw)
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "VERSION:2.0\r\n", "UID:" + b.ID + "@budayang\r\n",
		"DTSTART:20261129T010000Z\r\n", "DTEND:20261129T013000Z\r\n", "欧**明", "137****1111", "END:VCALENDAR\r\n"} {
		if !strings.Contains(strings.ReplaceAll(ics, "\r\n ", ""), want) {
			t.Errorf("missing %q in\n%s", want, ics)
		}
	}
	if strings.Contains(ics, "13700001111") || strings.Contains(ics, "别人") || strings.Contains(ics, "带户口本") {
		t.Errorf("leaks personal data or another's booking:\n%s", ics)
	}
	if n := strings.Count(ics, "BEGIN:VEVENT"); n != 1 {
		t.Errorf("events: got %d, want 1", n)
	}
	for _, l := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line longer than 75 octets: %q", l)
		}
	}
}

// Two clerks booking one unserved ticket at the same moment both pass
// FromTicket's check; the database keeps the first booking and refuses the
// second with a sentence, and keeps nothing of it.
func TestBooking_OneBookingPerTicket(t *testing.T) {
	f := setup(t)
	first := f.book(f.clerk, booking.FromTicketRequest(booking.Request{Line: "A", SlotStart: at("2026-11-26", "09:00"), Name: "张三", Phone: "13812345678"}, "t1"))
	if first.FromTicketID != "t1" {
		t.Fatalf("the booking does not name its ticket: %+v", first)
	}
	before := f.count("booking")
	_, err := f.core.Bookings.Create(f.ctx, booking.Staff(f.clerk),
		booking.FromTicketRequest(booking.Request{Line: "A", SlotStart: at("2026-11-26", "10:00"), Name: "张三", Phone: "13812345678"}, "t1"))
	if apperr.Code(err) != apperr.Conflict || !strings.Contains(err.Error(), "已转为预约") {
		t.Fatalf("second booking of the ticket: %v, want a conflict", err)
	}
	if n := f.count("booking"); n != before {
		t.Errorf("bookings %d after the refusal, want %d", n, before)
	}
}

// A kiosk booking may leave the name to the window; the clerk fills it in
// there, sealed like any booking's, and only the roles that see contacts may.
func TestBooking_SetName(t *testing.T) {
	f := setup(t)
	b, err := f.core.Bookings.Create(f.ctx, booking.Kiosk("kiosk1"), booking.Request{Line: "A", SlotStart: at("2026-11-27", "10:00"), Phone: "13600001111"})
	if err != nil || b.CitizenName != "" {
		t.Fatalf("kiosk booking without a name: %+v %v", b, err)
	}
	tests := []struct {
		name string
		by   account.Principal
		to   string
		code string
	}{
		{"DutyMayNot", f.duty, "刘大爷", apperr.Forbidden},
		{"Blank", f.clerk, "  ", apperr.Invalid},
		{"ClerkFillsIt", f.clerk, "刘大爷", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.core.Bookings.SetName(f.ctx, booking.Staff(tt.by), b.ID, tt.to)
			if apperr.Code(err) != tt.code && !(tt.code == "" && err == nil) {
				t.Fatalf("got %v, want %q", err, tt.code)
			}
			if tt.code == "" && got.CitizenName != tt.to {
				t.Errorf("got name %q, want %q", got.CitizenName, tt.to)
			}
		})
	}
	again, err := f.core.Bookings.Get(f.ctx, f.clerk, b.ID)
	if err != nil || again.CitizenName != "刘大爷" {
		t.Errorf("read back: %+v %v", again, err)
	}
	var raw string
	if err := f.core.DB.Read().QueryRowContext(f.ctx, `SELECT citizen_name FROM booking WHERE id = ?`, b.ID).Scan(&raw); err != nil || strings.Contains(raw, "刘大爷") {
		t.Errorf("stored name %q: want it sealed", raw)
	}
}
