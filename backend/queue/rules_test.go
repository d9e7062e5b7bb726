package queue_test

import (
	"testing"
	"time"

	"budayang/backend/queue"
)

var t0 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func ticket(number, line string, minute int, mod ...func(*queue.Ticket)) queue.Ticket {
	t := queue.Ticket{ID: number, Number: number, Line: line, Status: queue.Waiting, QueuedAt: t0.Add(time.Duration(minute) * time.Minute)}
	for _, m := range mod {
		m(&t)
	}
	return t
}

func priority(t *queue.Ticket) { t.Priority = true }
func appointment(due int) func(*queue.Ticket) {
	return func(t *queue.Ticket) {
		d := t0.Add(time.Duration(due) * time.Minute)
		t.AppointmentID, t.DueAt = "b1", &d
	}
}
func status(s string) func(*queue.Ticket) { return func(t *queue.Ticket) { t.Status = s } }
func target(n int) func(*queue.Ticket)    { return func(t *queue.Ticket) { t.TargetWindow = &n } }

func TestNext(t *testing.T) {
	all := queue.Window{Number: 1}
	onlyB := queue.Window{Number: 2, Lines: []string{"B"}}
	now := t0.Add(30 * time.Minute)
	tests := []struct {
		name   string
		window queue.Window
		tix    []queue.Ticket
		want   string
	}{
		{"FirstComeFirstServed", all, []queue.Ticket{ticket("A002", "A", 5), ticket("A001", "A", 1)}, "A001"},
		{"PriorityFirst", all, []queue.Ticket{ticket("A001", "A", 1), ticket("V001", "A", 20, priority)}, "V001"},
		{"DueAppointmentBeforeFirstCome", all, []queue.Ticket{ticket("A001", "A", 1), ticket("A005", "A", 25, appointment(30))}, "A005"},
		{"AppointmentNotYetDueWaits", all, []queue.Ticket{ticket("A001", "A", 1), ticket("A005", "A", 25, appointment(45))}, "A001"},
		{"PriorityBeforeDueAppointment", all, []queue.Ticket{ticket("A005", "A", 2, appointment(10)), ticket("V001", "A", 20, priority)}, "V001"},
		{"OnlyServedLines", onlyB, []queue.Ticket{ticket("A001", "A", 1), ticket("B001", "B", 9)}, "B001"},
		{"PriorityOfOtherLineNotTaken", onlyB, []queue.Ticket{ticket("V001", "A", 1, priority), ticket("B001", "B", 9)}, "B001"},
		{"SkippedWaitsForRequeueTime", all, []queue.Ticket{ticket("A001", "A", 40, status(queue.Skipped)), ticket("A002", "A", 2)}, "A002"},
		{"SkippedCallableAfterRequeue", all, []queue.Ticket{ticket("A001", "A", 20, status(queue.Skipped)), ticket("A002", "A", 25)}, "A001"},
		{"HeldIsNotCalledNext", all, []queue.Ticket{ticket("A001", "A", 1, status(queue.Held)), ticket("A002", "A", 2)}, "A002"},
		{"TransferredToThisWindow", onlyB, []queue.Ticket{ticket("A001", "A", 1, target(2)), ticket("B001", "B", 9)}, "A001"},
		{"TransferredToOtherWindow", all, []queue.Ticket{ticket("A001", "A", 1, target(2)), ticket("A002", "A", 9)}, "A002"},
		{"NothingWaits", all, []queue.Ticket{ticket("A001", "A", 1, status(queue.Called))}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := queue.Next(tt.tix, tt.window, now)
			if tt.want == "" {
				if ok {
					t.Fatalf("got %s, want nothing", got.Number)
				}
				return
			}
			if !ok || got.Number != tt.want {
				t.Errorf("got %s (%v), want %s", got.Number, ok, tt.want)
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	for n, want := range map[int]string{1: "A001", 42: "A042", 999: "A999", 1000: "A1000"} {
		if got := queue.FormatNumber("A", n); got != want {
			t.Errorf("FormatNumber(A, %d): got %s, want %s", n, got, want)
		}
	}
}
