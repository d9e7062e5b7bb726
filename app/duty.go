package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"budayang/backend/clock"
	"budayang/backend/roster"
)

// dutyRefresh is how often the tray reads who is on duty: duties begin and
// end by the clock, not by an event.
const dutyRefresh = time.Minute

// refreshDuty puts who is on duty now and next on the tray, read through
// the door (this site's roster, or the hall host's for a window
// workstation); a failed read leaves the lines as they were.
func (a *App) refreshDuty() {
	status, body := a.opts.Door.Invoke(a.context(), http.MethodGet, "/api/v1/roster/now", "", "", a.workstation)
	if status != http.StatusOK {
		return
	}
	var b roster.Board
	if json.Unmarshal([]byte(body), &b) != nil {
		return
	}
	now, next := dutyLines(b)
	a.mu.Lock()
	tray := a.tray
	a.mu.Unlock()
	tray.SetDuty(now, next)
}

// watchDuty refreshes the duty lines every dutyRefresh until ctx ends; a
// roster change refreshes them at once (see notice).
func (a *App) watchDuty(ctx context.Context) {
	a.refreshDuty()
	t := time.NewTicker(dutyRefresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.refreshDuty()
		}
	}
}

// dutyLines words the board for the tray's two read-only lines: who is on
// duty now, until when, and who comes next, from when.
func dutyLines(b roster.Board) (now, next string) {
	now, next = "值班：当前无人值班", "下一班：暂无排班"
	if len(b.Now) > 0 {
		now = "值班：" + groups(b.Now, func(d roster.OnDuty) string { return "至" + d.End.In(clock.Shanghai).Format("15:04") })
	}
	if len(b.Next) > 0 {
		next = "下一班：" + groups(b.Next, func(d roster.OnDuty) string { return d.Start.In(clock.Shanghai).Format("01-02 15:04") + "起" })
	}
	return now, next
}

// groups joins the people of each shift: "张三、李四（节假日白班，至18:00）".
func groups(ds []roster.OnDuty, when func(roster.OnDuty) string) string {
	var order []string
	names := map[string][]string{}
	for _, d := range ds {
		k := fmt.Sprintf("%s，%s", d.Shift, when(d))
		if _, ok := names[k]; !ok {
			order = append(order, k)
		}
		names[k] = append(names[k], d.Name)
	}
	parts := make([]string, 0, len(order))
	for _, k := range order {
		parts = append(parts, strings.Join(names[k], "、")+"（"+k+"）")
	}
	return strings.Join(parts, "；")
}
