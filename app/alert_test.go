package app

import (
	"encoding/json"
	"testing"
	"time"

	"budayang/backend/booking"
	"budayang/backend/cases"
	"budayang/backend/cli"
	"budayang/backend/clock"
	"budayang/backend/countysync"
	"budayang/backend/events"
	"budayang/backend/hall"
	"budayang/backend/roster"
)

func event(typ string, data any) events.Event {
	raw, _ := json.Marshal(data)
	return events.Event{Type: typ, Data: data, JSON: raw}
}

func TestAlert(t *testing.T) {
	sunday := time.Date(2026, 11, 29, 9, 0, 0, 0, clock.Shanghai)
	reminder := func(kind, staff string) events.Event {
		return event(booking.EventReminder, booking.Reminder{StaffID: staff, Kind: kind, Line: "A", SlotStart: sunday, CitizenName: "赵*"})
	}
	due := event(cases.EventDue, cases.DueEvent{Cases: []cases.DueCase{
		{Number: "1", Overdue: true, ResponsibleID: "s1", HolderID: "s2"},
		{Number: "2", HolderID: "s1"},
		{Number: "3", HolderID: "s3", ResponsibleID: "s3"},
	}})
	duty := func(kind, staff string) events.Event {
		return event(roster.EventReminder, roster.Reminder{StaffID: staff, Kind: kind, Shift: "工作日晚班", Start: time.Date(2026, 9, 17, 18, 0, 0, 0, clock.Shanghai).UTC()})
	}
	tests := []struct {
		name  string
		e     events.Event
		staff string
		want  string
	}{
		{"DutyDayBefore", duty(roster.RemindDayBefore, "s1"), "s1", "值班提醒：09-17 18:00起工作日晚班"},
		{"DutyHourBefore", duty(roster.RemindHourBefore, "s1"), "s1", "值班提醒：一小时内 18:00起工作日晚班"},
		{"SomeoneElsesDuty", duty(roster.RemindHourBefore, "s2"), "s1", ""},
		{"Handover", event(roster.EventReminder, roster.Reminder{StaffID: "s1", Kind: roster.RemindHandover, From: "张三"}), "s1", "交接班提醒：张三的交接班记录还没有确认"},
		{"Vacant", event(roster.EventReminder, roster.Reminder{StaffID: "s1", Kind: roster.RemindVacant, Vacant: []string{"2026-09-20 节假日白班", "2026-09-21 工作日晚班"}}), "s1", "排班提醒：未来7天有2个班次无人值班，最早2026-09-20 节假日白班"},
		{"DayBefore", reminder(booking.DayBefore, "s1"), "s1", "延时服务预约：明天 09:00，A业务，赵*"},
		{"HourBefore", reminder(booking.HourBefore, "s1"), "s1", "延时服务预约：一小时内 09:00，A业务，赵*"},
		{"SomeoneElsesBooking", reminder(booking.DayBefore, "s2"), "s1", ""},
		{"NobodySignedIn", reminder(booking.DayBefore, "s1"), "", ""},
		{"ResponsibleAndHolder", due, "s1", "办件提醒：1件已超期，1件即将到期"},
		{"HolderOnly", due, "s2", "办件提醒：1件已超期"},
		{"NotMine", due, "s9", ""},
		{"OtherEvents", event("ticket:called", map[string]int{"window": 1}), "s1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := alert(tt.e, tt.staff); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSyncAlert(t *testing.T) {
	since := time.Date(2026, 11, 29, 1, 5, 0, 0, time.UTC)
	tests := []struct {
		name string
		e    events.Event
		want string
	}{
		{"Raised", event(countysync.EventStalled, countysync.StallEvent{Stalled: true, Since: &since}), "县平台同步停滞：自 11-29 09:05 起待上报记录没有进展"},
		{"Cleared", event(countysync.EventStalled, countysync.StallEvent{}), "县平台同步已恢复"},
		{"OtherEvents", event("ticket:called", map[string]int{"window": 1}), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := syncAlert(tt.e); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// The stall alarm reaches the tray whoever is signed in, or nobody.
func TestApp_TrayShowsTheSyncStall(t *testing.T) {
	c, _ := hallHost(t)
	tray := &shownTray{}
	a := New(cli.DesktopOptions{Door: hall.New(c, nil), Bus: c.Bus, Log: c.Log})
	a.tray = tray
	since := time.Date(2026, 11, 29, 1, 5, 0, 0, time.UTC)
	a.notice(event(countysync.EventStalled, countysync.StallEvent{Stalled: true, Since: &since}))
	tray.mu.Lock()
	defer tray.mu.Unlock()
	if len(tray.alerts) != 1 || tray.alerts[0] != "县平台同步停滞：自 11-29 09:05 起待上报记录没有进展" {
		t.Errorf("tray alerts %q", tray.alerts)
	}
}

func TestApp_WatchSessionLearnsWho(t *testing.T) {
	a := New(cli.DesktopOptions{})
	a.watchSession(InvokeRequest{Method: "POST", Path: "/api/v1/login"}, 200, `{"token":"t1","staff":{"id":"s1","login":"admin"}}`)
	if a.staffID != "s1" {
		t.Fatalf("after login: %q", a.staffID)
	}
	a.watchSession(InvokeRequest{Method: "POST", Path: "/api/v1/logout", Token: "t1"}, 204, ``)
	a.watchSession(InvokeRequest{Method: "GET", Path: "/api/v1/me", Token: "t2"}, 200, `{"id":"s7","login":"duty1"}`)
	if a.staffID != "s7" || a.token != "t2" {
		t.Fatalf("resumed session: %q %q", a.staffID, a.token)
	}
}
