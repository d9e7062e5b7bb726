package queue_test

import (
	"context"
	"testing"
	"time"

	"budayang/backend/queue"
)

func callNumbers(v queue.HallView) []string {
	out := []string{}
	for _, t := range v.Calls {
		out = append(out, t.Number)
	}
	return out
}

func sameNumbers(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// The hall display announces only calls that are still live: a ticket being
// served at an open window. The call ends when its ticket leaves the window.
func TestQueue_HallCalls(t *testing.T) {
	ctx := context.Background()
	ends := []struct {
		name string
		end  func(h hall, id string) error
	}{
		{"EndsWhenCompleted", func(h hall, id string) error { _, err := h.q.Complete(ctx, h.clerk, id); return err }},
		{"EndsWhenSkipped", func(h hall, id string) error { _, err := h.q.Skip(ctx, h.clerk, id); return err }},
		{"EndsWhenHeld", func(h hall, id string) error { _, err := h.q.Hold(ctx, h.clerk, id); return err }},
		{"EndsWhenTransferred", func(h hall, id string) error { _, err := h.q.Transfer(ctx, h.clerk, id, "", 2); return err }},
		{"EndsWhenCompletedAndTheWindowPaused", func(h hall, id string) error {
			if _, err := h.q.Complete(ctx, h.clerk, id); err != nil {
				return err
			}
			_, err := h.q.Pause(ctx, h.clerk, 1, "午休")
			return err
		}},
	}
	for _, tt := range ends {
		t.Run(tt.name, func(t *testing.T) {
			h := open(t)
			a1 := h.issue(t, queue.IssueRequest{Line: "A"})
			if _, ok, err := h.q.CallNext(ctx, h.clerk, 1); !ok || err != nil {
				t.Fatalf("call A001: %v %v", ok, err)
			}
			if v, _ := h.q.Hall(ctx); !sameNumbers(callNumbers(v), []string{"A001"}) {
				t.Fatalf("calls while served: got %v, want [A001]", callNumbers(v))
			}
			if err := tt.end(h, a1.ID); err != nil {
				t.Fatal(err)
			}
			v, err := h.q.Hall(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := callNumbers(v); len(got) != 0 {
				t.Errorf("calls: got %v, want none", got)
			}
		})
	}

	t.Run("NewestFirst", func(t *testing.T) {
		h := open(t)
		for range 3 {
			h.issue(t, queue.IssueRequest{Line: "A"})
		}
		for _, n := range []int{2, 1, 3} {
			if _, ok, err := h.q.CallNext(ctx, h.clerk, n); !ok || err != nil {
				t.Fatalf("call at %d: %v %v", n, ok, err)
			}
			h.clk.Advance(time.Minute)
		}
		v, err := h.q.Hall(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := callNumbers(v), []string{"A003", "A002", "A001"}; !sameNumbers(got, want) {
			t.Errorf("calls: got %v, want %v", got, want)
		}
	})
}
