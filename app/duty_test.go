package app

import (
	"context"
	"net/http"
	"testing"
	"time"

	"budayang/backend/cli"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/roster"
)

func TestDutyLines(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2026, 10, d, h, m, 0, 0, clock.Shanghai).UTC() }
	tests := []struct {
		name      string
		b         roster.Board
		now, next string
	}{
		{"Nobody", roster.Board{}, "值班：当前无人值班", "下一班：暂无排班"},
		{"TwoOnADayShiftOneNext", roster.Board{
			Now: []roster.OnDuty{
				{Name: "张三", Shift: "节假日白班", Start: at(1, 8, 30), End: at(1, 18, 0)},
				{Name: "李四", Shift: "节假日白班", Start: at(1, 8, 30), End: at(1, 18, 0)},
			},
			Next: []roster.OnDuty{{Name: "王五", Shift: "工作日晚班", Start: at(8, 18, 0), End: at(8, 22, 0)}},
		}, "值班：张三、李四（节假日白班，至18:00）", "下一班：王五（工作日晚班，10-08 18:00起）"},
		{"TwoShiftsAtOnce", roster.Board{
			Now: []roster.OnDuty{
				{Name: "张三", Shift: "白班", End: at(1, 18, 0)},
				{Name: "赵六", Shift: "夜班", End: at(2, 8, 0)},
			},
		}, "值班：张三（白班，至18:00）；赵六（夜班，至08:00）", "下一班：暂无排班"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now, next := dutyLines(tt.b)
			if now != tt.now || next != tt.next {
				t.Errorf("got %q, %q; want %q, %q", now, next, tt.now, tt.next)
			}
		})
	}
}

// boardDoor answers /api/v1/roster/now with board and counts the reads.
type boardDoor struct {
	http.Handler
	board string
	reads int
}

func (d *boardDoor) Invoke(_ context.Context, method, path, _, _, _ string) (int, string) {
	if method != http.MethodGet || path != "/api/v1/roster/now" {
		return http.StatusNotFound, `{}`
	}
	d.reads++
	return http.StatusOK, d.board
}

// The tray reads who is on duty through the door and again on a roster
// change; a failed read keeps what it showed.
func TestApp_TrayShowsWhoIsOnDuty(t *testing.T) {
	door := &boardDoor{board: `{"now":[{"name":"张三","shift":"工作日晚班","start":"2026-09-17T18:00:00+08:00","end":"2026-09-17T22:00:00+08:00"}],"next":[],"duty_phone":""}`}
	tray := &shownTray{}
	a := New(cli.DesktopOptions{Door: door, Bus: events.NewBus()})
	a.tray = tray
	a.refreshDuty()
	door.board = `{"now":[],"next":[{"name":"李四","shift":"工作日晚班","start":"2026-09-18T18:00:00+08:00","end":"2026-09-18T22:00:00+08:00"}],"duty_phone":""}`
	a.notice(events.Event{Type: roster.Changed})
	a.notice(events.Event{Type: "ticket:called"})
	door.board = `not json`
	a.refreshDuty()
	want := []string{
		"值班：张三（工作日晚班，至22:00） | 下一班：暂无排班",
		"值班：当前无人值班 | 下一班：李四（工作日晚班，09-18 18:00起）",
	}
	if len(tray.duty) != len(want) || tray.duty[0] != want[0] || tray.duty[1] != want[1] {
		t.Fatalf("tray duty lines %q, want %q", tray.duty, want)
	}
	if door.reads != 3 {
		t.Errorf("reads %d, want 3: start, the roster change, the failed one", door.reads)
	}
}
