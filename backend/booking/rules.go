// Package booking keeps appointments (预约): a clerk or duty officer books for
// a citizen on the phone, a village assistant for a villager, a citizen at
// the kiosk for a later day. Slots come from the working calendar, per line
// with a capacity; extended-hours bookings name the staff member who comes
// in. A booking is rescheduled or cancelled with a reason, marked no-show, or
// checked in with its short code, which turns it into an appointment ticket
// called before first-come tickets once its time has come.
package booking

import (
	"time"

	"budayang/backend/calendar"
)

// Booking states.
const (
	Booked    = "booked"
	CheckedIn = "checked_in"
	Cancelled = "cancelled"
	NoShow    = "no_show"
)

// Channels a booking arrives by.
const (
	ChannelPhone  = "phone"  // 电话预约 by a clerk or the duty officer
	ChannelProxy  = "proxy"  // 代办员 on a villager's behalf
	ChannelKiosk  = "kiosk"  // the citizen at the kiosk, for a later day
	ChannelWindow = "window" // at the window, for a later day
)

// Check-in opens this long before a slot starts and closes when it ends.
const CheckInEarly = 30 * time.Minute

// LineRule is how a line's days are cut into slots.
type LineRule struct {
	Line        string `json:"line"`
	SlotMinutes int    `json:"slot_minutes"`
	// Capacity is the places per slot in office and market hours;
	// ExtendedCapacity the places per slot in extended hours, where one
	// named person serves.
	Capacity         int `json:"capacity"`
	ExtendedCapacity int `json:"extended_capacity"`
}

// DefaultLineRule is the rule of a line never configured: half-hour slots,
// four places, two in extended hours.
func DefaultLineRule(line string) LineRule {
	return LineRule{Line: line, SlotMinutes: 30, Capacity: 4, ExtendedCapacity: 2}
}

// Validate checks the slot length divides an hour sensibly and capacities
// are positive.
func (r LineRule) Validate() error {
	switch {
	case r.SlotMinutes < 10 || r.SlotMinutes > 240:
		return invalid("每个时段应为10到240分钟，收到%d。", r.SlotMinutes)
	case r.Capacity < 1 || r.Capacity > 100:
		return invalid("每个时段可约人数应为1到100，收到%d。", r.Capacity)
	case r.ExtendedCapacity < 1 || r.ExtendedCapacity > 100:
		return invalid("延时时段可约人数应为1到100，收到%d。", r.ExtendedCapacity)
	}
	return nil
}

// Slot is one bookable piece of a day.
type Slot struct {
	Start           time.Time `json:"start"`
	End             time.Time `json:"end"`
	Kind            string    `json:"kind"`
	AppointmentOnly bool      `json:"appointment_only"`
	Name            string    `json:"name,omitempty"`
	Capacity        int       `json:"capacity"`
	Booked          int       `json:"booked"`
	Available       int       `json:"available"`
}

// Slots cuts each opening span of day into whole slots of the rule's length;
// a remainder shorter than a slot is not bookable.
func Slots(day calendar.Day, rule LineRule) []Slot {
	date, err := calendar.ParseDate(day.Date)
	if err != nil {
		return nil
	}
	step := time.Duration(rule.SlotMinutes) * time.Minute
	out := []Slot{}
	for _, sp := range day.Hours {
		start, end := sp.At(date)
		capacity := rule.Capacity
		if sp.AppointmentOnly {
			capacity = rule.ExtendedCapacity
		}
		for t := start; !t.Add(step).After(end); t = t.Add(step) {
			out = append(out, Slot{Start: t.UTC(), End: t.Add(step).UTC(), Kind: sp.Kind, AppointmentOnly: sp.AppointmentOnly,
				Name: sp.Name, Capacity: capacity, Available: capacity})
		}
	}
	return out
}

// FindSlot returns the slot of day that starts at start.
func FindSlot(day calendar.Day, rule LineRule, start time.Time) (Slot, bool) {
	for _, s := range Slots(day, rule) {
		if s.Start.Equal(start) {
			return s, true
		}
	}
	return Slot{}, false
}

// Check-in outcomes outside the window.
const (
	TooEarly = "too_early"
	TooLate  = "too_late"
)

// CheckInTiming says whether now is inside a slot's check-in window: from
// CheckInEarly before it starts until it ends. It returns "", TooEarly or
// TooLate.
func CheckInTiming(start, end, now time.Time) string {
	switch {
	case now.Before(start.Add(-CheckInEarly)):
		return TooEarly
	case !now.Before(end):
		return TooLate
	}
	return ""
}

// Reminder kinds for the staff member named by an extended-hours booking.
const (
	DayBefore  = "day_before"
	HourBefore = "hour_before"
)

// DayBeforeAt is the hour of the afternoon before when the day-before
// reminder goes out (with the duty officer's call list).
const DayBeforeAt = 16

// ReminderDue says which reminder is due at now for a booking starting at
// start, given which were sent: the hour-before one within the last hour,
// else the day-before one from 16:00 on the day before. A booking made late
// gets what is still due; nothing is due once it has started.
func ReminderDue(start, now time.Time, sentDay, sentHour bool) string {
	if !now.Before(start) {
		return ""
	}
	if start.Sub(now) <= time.Hour {
		if sentHour {
			return ""
		}
		return HourBefore
	}
	dayBefore := calendar.Date(start).AddDate(0, 0, -1).Add(DayBeforeAt * time.Hour)
	if !sentDay && !now.Before(dayBefore) {
		return DayBefore
	}
	return ""
}
