package queue

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// The SQL that counts tickets ahead and picks call-next candidates must agree
// with the pure rules (Callable, Order, Next) on any mix of tickets.
func TestSQLAgreesWithRules(t *testing.T) {
	db, _ := storetest.MustOpen(t)
	ctx := context.Background()
	rng := rand.New(rand.NewSource(7))
	day := "2026-11-25"
	now := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	statuses := []string{Waiting, Waiting, Waiting, Skipped, Called, Held, Completed}
	var all []Ticket
	err := db.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < 300; i++ {
			tk := Ticket{
				ID: fmt.Sprintf("t%03d", i), Day: day, Line: []string{"A", "B"}[rng.Intn(2)],
				Status:   statuses[rng.Intn(len(statuses))],
				Priority: rng.Intn(10) == 0,
				QueuedAt: now.Add(time.Duration(rng.Intn(120)-90) * time.Minute),
			}
			tk.Number = fmt.Sprintf("%s%03d", tk.Line, i)
			if rng.Intn(8) == 0 {
				due := now.Add(time.Duration(rng.Intn(60)-30) * time.Minute)
				tk.AppointmentID, tk.DueAt = "b", &due
			}
			if rng.Intn(12) == 0 {
				w := 1 + rng.Intn(2)
				tk.TargetWindow = &w
			}
			var due, target any
			if tk.DueAt != nil {
				due = store.FormatTime(*tk.DueAt)
			}
			if tk.TargetWindow != nil {
				target = *tk.TargetWindow
			}
			q := store.FormatTime(tk.QueuedAt)
			if _, err := tx.ExecContext(ctx, `INSERT INTO ticket (id, site_id, day, number, line, priority, appointment_id, due_at, status,
				target_window, issued_at, queued_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				tk.ID, "s", day, tk.Number, tk.Line, boolInt(tk.Priority), tk.AppointmentID, due, tk.Status, target, q, q, q, q); err != nil {
				return err
			}
			all = append(all, tk)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []Window{{Number: 1}, {Number: 2, Lines: []string{"B"}}, {Number: 3, Lines: []string{"A"}}} {
		want, wantOK := Next(all, w, now)
		cands, err := candidates(ctx, db.Read(), day, w, now)
		if err != nil {
			t.Fatal(err)
		}
		got, gotOK := Next(cands, w, now)
		if gotOK != wantOK || got.ID != want.ID {
			t.Errorf("window %d: SQL candidates pick %s, rules pick %s", w.Number, got.ID, want.ID)
		}
	}
	for _, tk := range all {
		if tk.Status != Waiting && tk.Status != Skipped || tk.TargetWindow != nil {
			continue
		}
		line := Window{Lines: []string{tk.Line}}
		var queue []Ticket
		for _, o := range all {
			if o.ID == tk.ID || (o.TargetWindow == nil && Callable(o, line, now)) {
				queue = append(queue, o)
			}
		}
		Order(queue, now)
		want := 0
		for i, o := range queue {
			if o.ID == tk.ID {
				want = i
			}
		}
		got, err := ahead(ctx, db.Read(), tk, now)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: SQL counts %d ahead, rules %d", tk.Number, got, want)
		}
	}
}
