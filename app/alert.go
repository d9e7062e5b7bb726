package app

import (
	"encoding/json"
	"fmt"

	"budayang/backend/booking"
	"budayang/backend/cases"
	"budayang/backend/clock"
	"budayang/backend/countysync"
	"budayang/backend/events"
	"budayang/backend/roster"
)

// alert words what the tray tells the signed-in person about an event: their
// extended-hours booking the day before and the hour before (plan task 10),
// their overdue or nearly due cases (限时办结), and the roster's reminders:
// their duty the day before and the hour before, a handover waiting for
// their acknowledgement, and for the head shifts with nobody on them. It
// is "" for events that
// are not for them. Events are read from their JSON, which is the same
// whether they came from this site or a window's hall host.
func alert(e events.Event, staffID string) string {
	if staffID == "" {
		return ""
	}
	switch e.Type {
	case booking.EventReminder:
		var r booking.Reminder
		if json.Unmarshal(e.JSON, &r) != nil || r.StaffID != staffID {
			return ""
		}
		at := r.SlotStart.In(clock.Shanghai)
		when := "明天 " + at.Format("15:04")
		if r.Kind == booking.HourBefore {
			when = "一小时内 " + at.Format("15:04")
		}
		return fmt.Sprintf("延时服务预约：%s，%s业务，%s", when, r.Line, r.CitizenName)
	case roster.EventReminder:
		var r roster.Reminder
		if json.Unmarshal(e.JSON, &r) != nil || r.StaffID != staffID {
			return ""
		}
		return rosterAlert(r)
	case cases.EventDue:
		var d cases.DueEvent
		if json.Unmarshal(e.JSON, &d) != nil {
			return ""
		}
		var overdue, soon int
		for _, c := range d.Cases {
			if c.HolderID != staffID && c.ResponsibleID != staffID {
				continue
			}
			if c.Overdue {
				overdue++
			} else {
				soon++
			}
		}
		switch {
		case overdue > 0 && soon > 0:
			return fmt.Sprintf("办件提醒：%d件已超期，%d件即将到期", overdue, soon)
		case overdue > 0:
			return fmt.Sprintf("办件提醒：%d件已超期", overdue)
		case soon > 0:
			return fmt.Sprintf("办件提醒：%d件即将到期", soon)
		}
	}
	return ""
}

func rosterAlert(r roster.Reminder) string {
	at := r.Start.In(clock.Shanghai)
	switch r.Kind {
	case roster.RemindDayBefore:
		return fmt.Sprintf("值班提醒：%s起%s", at.Format("01-02 15:04"), r.Shift)
	case roster.RemindHourBefore:
		return fmt.Sprintf("值班提醒：一小时内 %s起%s", at.Format("15:04"), r.Shift)
	case roster.RemindHandover:
		return fmt.Sprintf("交接班提醒：%s的交接班记录还没有确认", r.From)
	case roster.RemindVacant:
		if len(r.Vacant) == 0 {
			return ""
		}
		return fmt.Sprintf("排班提醒：未来%d天有%d个班次无人值班，最早%s", roster.VacantDays, len(r.Vacant), r.Vacant[0])
	}
	return ""
}

// syncAlert words the county sync stall alarm (countysync.EventStalled)
// for the tray, for whoever is at the machine: raised, and cleared again.
func syncAlert(e events.Event) string {
	if e.Type != countysync.EventStalled {
		return ""
	}
	var st countysync.StallEvent
	if json.Unmarshal(e.JSON, &st) != nil {
		return ""
	}
	if !st.Stalled {
		return "县平台同步已恢复"
	}
	if st.Since == nil {
		return "县平台同步停滞：待上报记录没有进展"
	}
	return fmt.Sprintf("县平台同步停滞：自 %s 起待上报记录没有进展", st.Since.In(clock.Shanghai).Format("01-02 15:04"))
}
