package booking

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"budayang/backend/citizen"
	"budayang/backend/clock"
)

// ICSHistory is how far back a staff calendar export reaches.
const ICSHistory = 30 * 24 * time.Hour

// StaffICS is an RFC 5545 calendar of the open and checked-in bookings that
// name a staff member, from ICSHistory ago on, with times in UTC. Citizens
// appear masked: the file ends up in phone calendars and their clouds.
// extra are further events of the person's (their duties) written after the
// bookings.
func (s *Service) StaffICS(ctx context.Context, staffID, staffName string, extra ...ICSEvent) ([]byte, error) {
	now := s.clock.Now()
	list, err := s.queryBookings(ctx, s.db.Read(), `staff_id = ? AND status IN ('booked','checked_in') AND slot_start >= ? ORDER BY slot_start`,
		staffID, now.Add(-ICSHistory).UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	if err != nil {
		return nil, err
	}
	var w icsWriter
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:-//Budayang//不打烊//ZH")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	name := "不打烊·" + staffName + "的预约"
	if len(extra) > 0 {
		name += "与值班"
	}
	w.prop("X-WR-CALNAME", name)
	w.line("X-WR-TIMEZONE:Asia/Shanghai")
	stamp := icsTime(now)
	for _, b := range list {
		kind := "预约"
		if b.SlotKind == "extended" {
			kind = "定向延时预约"
		}
		w.line("BEGIN:VEVENT")
		w.line("UID:" + b.ID + "@budayang")
		w.line("DTSTAMP:" + stamp)
		w.line("DTSTART:" + icsTime(b.SlotStart))
		w.line("DTEND:" + icsTime(b.SlotEnd))
		w.prop("SUMMARY", fmt.Sprintf("%s：%s业务 %s", kind, b.Line, citizen.MaskName(b.CitizenName)))
		desc := fmt.Sprintf("预约人：%s\n电话：%s\n时间：%s", citizen.MaskName(b.CitizenName), citizen.MaskPhone(b.Phone),
			b.SlotStart.In(clock.Shanghai).Format("2006-01-02 15:04"))
		if b.Status == CheckedIn {
			desc += "\n已签到：" + b.TicketNumber
		}
		w.prop("DESCRIPTION", desc)
		w.line("STATUS:CONFIRMED")
		w.line("END:VEVENT")
	}
	for _, e := range extra {
		w.line("BEGIN:VEVENT")
		w.line("UID:" + e.UID)
		w.line("DTSTAMP:" + stamp)
		w.line("DTSTART:" + icsTime(e.Start))
		w.line("DTEND:" + icsTime(e.End))
		w.prop("SUMMARY", e.Summary)
		if e.Description != "" {
			w.prop("DESCRIPTION", e.Description)
		}
		w.line("STATUS:CONFIRMED")
		w.line("END:VEVENT")
	}
	w.line("END:VCALENDAR")
	return []byte(w.b.String()), nil
}

// ICSEvent is an event other than a booking in a staff calendar.
type ICSEvent struct {
	UID         string
	Start, End  time.Time
	Summary     string
	Description string
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

type icsWriter struct{ b strings.Builder }

// prop writes NAME:value with TEXT escaping (RFC 5545 §3.3.11).
func (w *icsWriter) prop(name, value string) {
	value = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(value)
	w.line(name + ":" + value)
}

// line writes one content line folded at 75 octets without splitting a
// UTF-8 character (§3.1), ending in CRLF.
func (w *icsWriter) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut] + "\r\n ")
		s = s[cut:]
		limit = 74 // the leading space of a continuation counts
	}
	w.b.WriteString(s + "\r\n")
}
