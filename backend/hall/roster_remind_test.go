package hall_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"budayang/backend/calendar"
	"budayang/backend/roster"
	"budayang/backend/store"
)

func remindersOf(rs []roster.Reminder, kind, ref string) []roster.Reminder {
	var out []roster.Reminder
	for _, r := range rs {
		if r.Kind == kind && (ref == "" || r.AssignmentID == ref || r.HandoverID == ref) {
			out = append(out, r)
		}
	}
	return out
}

// The roster's reminders with a fixed clock: each is sent when due and
// once, whatever the number of runs.
func TestRoster_Reminders(t *testing.T) {
	fx, planID, as := publishedSeptember(t)
	h := fx.h
	ctx := context.Background()
	_, me := h.do("GET", "/api/v1/me", fx.admin, "")
	head := me["id"].(string)
	var sunday assignment
	for _, x := range as {
		if x.shift == "day" && sunday.id == "" {
			sunday = x
		}
	}
	vacantPlace := sunday.date + " 节假日白班"
	if code, out := h.do("PUT", "/api/v1/roster/plans/"+planID+"/assignments/"+sunday.id, fx.admin, `{"staff_id":""}`); code != 200 {
		t.Fatalf("vacate a published place: %d %v", code, out)
	}
	send := func(t *testing.T, at time.Time) []roster.Reminder {
		t.Helper()
		got, err := h.core.Roster.SendReminders(ctx, at)
		if err != nil {
			t.Fatalf("send at %v: %v", at, err)
		}
		return got
	}
	a := fx.evening(t, as, "2026-09-17")
	dayBefore := calendar.Date(a.start).AddDate(0, 0, -1).Add(16 * time.Hour)

	t.Run("DayBeforeOnce", func(t *testing.T) {
		first := send(t, dayBefore.Add(-time.Minute))
		if got := remindersOf(first, roster.RemindDayBefore, a.id); len(got) != 0 {
			t.Fatalf("before 16:00 the day before: %v", got)
		}
		got := remindersOf(send(t, dayBefore), roster.RemindDayBefore, a.id)
		if len(got) != 1 || got[0].StaffID != a.staff || !got[0].Start.Equal(a.start) || got[0].Shift != "工作日晚班" {
			t.Fatalf("at 16:00 the day before: %v", got)
		}
		vac := remindersOf(first, roster.RemindVacant, "")
		if len(vac) != 1 || vac[0].StaffID != head || !slices.Contains(vac[0].Vacant, vacantPlace) {
			t.Errorf("the vacant weekend place, to the head: %v", vac)
		}
		again := send(t, dayBefore.Add(5*time.Minute))
		if got := remindersOf(again, roster.RemindDayBefore, a.id); len(got) != 0 {
			t.Errorf("sent twice: %v", got)
		}
		if got := remindersOf(again, roster.RemindVacant, ""); len(got) != 0 {
			t.Errorf("vacancy told twice: %v", got)
		}
	})

	t.Run("HourBeforeOnce", func(t *testing.T) {
		if got := remindersOf(send(t, a.start.Add(-61*time.Minute)), roster.RemindHourBefore, a.id); len(got) != 0 {
			t.Fatalf("61 minutes before: %v", got)
		}
		if got := remindersOf(send(t, a.start.Add(-time.Hour)), roster.RemindHourBefore, a.id); len(got) != 1 || got[0].StaffID != a.staff {
			t.Fatalf("an hour before: %v", got)
		}
		if got := remindersOf(send(t, a.start.Add(-30*time.Minute)), roster.RemindHourBefore, a.id); len(got) != 0 {
			t.Errorf("sent twice: %v", got)
		}
	})

	t.Run("UnacknowledgedHandover", func(t *testing.T) {
		written := a.end.Add(-30 * time.Minute)
		fx.setClock(written)
		code, ho := h.do("POST", "/api/v1/roster/handovers", fx.tokens[fx.login(t, a.staff)], fmt.Sprintf(`{"assignment_id":%q,"note":"钥匙在抽屉里"}`, a.id))
		if code != 201 {
			t.Fatalf("handover: %d %v", code, ho)
		}
		id := ho["id"].(string)
		want := []string{head}
		for _, r := range ho["receivers"].([]any) {
			want = append(want, r.(map[string]any)["staff_id"].(string))
		}
		slices.Sort(want)
		if got := remindersOf(send(t, written.Add(59*time.Minute)), roster.RemindHandover, id); len(got) != 0 {
			t.Fatalf("within the hour: %v", got)
		}
		got := remindersOf(send(t, written.Add(time.Hour)), roster.RemindHandover, id)
		var to []string
		for _, r := range got {
			to = append(to, r.StaffID)
		}
		slices.Sort(to)
		if !slices.Equal(to, want) {
			t.Fatalf("an hour on, told %v, want the receivers and the head %v", to, want)
		}
		if got := remindersOf(send(t, written.Add(2*time.Hour)), roster.RemindHandover, id); len(got) != 0 {
			t.Errorf("told twice: %v", got)
		}
	})

	t.Run("DaysNoPlanCovers", func(t *testing.T) {
		vac := remindersOf(send(t, sept(25, 10, 0)), roster.RemindVacant, "")
		if len(vac) != 1 || !slices.Contains(vac[0].Vacant, "2026-10-01 节假日白班") || slices.Contains(vac[0].Vacant, vacantPlace) {
			t.Errorf("the first days of October have no plan: %v", vac)
		}
	})

	t.Run("CatchUpAfterDowntime", func(t *testing.T) {
		d := fx.evening(t, as, "2026-09-23")
		// The job last ran the morning before; the PC was then off until
		// half an hour before the duty.
		fx.setClock(calendar.Date(d.start).AddDate(0, 0, -1).Add(10 * time.Hour))
		if st, err := h.core.Jobs.RunNow(ctx, "roster-reminders"); err != nil || st.LastError != "" {
			t.Fatalf("run: %v %v", st, err)
		}
		sub := h.core.Bus.Subscribe(64)
		defer sub.Close()
		back := d.start.Add(-30 * time.Minute)
		fx.setClock(back)
		ran, err := h.core.Jobs.CatchUp(ctx)
		if err != nil || !slices.Contains(ran, "roster-reminders") {
			t.Fatalf("catch up: %v %v", ran, err)
		}
		var kinds []string
		rows, err := h.core.DB.Read().Query(`SELECT kind, sent_at FROM roster_reminder WHERE ref = ? ORDER BY kind`, d.id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var kind, at string
			if err := rows.Scan(&kind, &at); err != nil {
				t.Fatal(err)
			}
			when, _ := store.ParseTime(at)
			kinds = append(kinds, fmt.Sprintf("%s@%s", kind, when.Sub(back)))
		}
		rows.Close()
		if strings.Join(kinds, ",") != "hour_before@0s" {
			t.Errorf("reminders of the duty: %v, want only the hour-before one, made up on start", kinds)
		}
		for {
			select {
			case e := <-sub.C:
				if r, ok := e.Data.(roster.Reminder); ok && r.AssignmentID == d.id && r.Kind == roster.RemindHourBefore {
					return
				}
				continue
			default:
			}
			break
		}
		t.Error("no roster:reminder event for the duty after the catch-up")
	})
}
