package queue_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/queue"
	"budayang/backend/store/storetest"
)

// After 结束今日叫号 the kiosk issued A007 and a clerk called it; a closed day
// now stays closed until the next one.
func TestQueue_ClosedDayStaysClosed(t *testing.T) {
	closers := []struct {
		name  string
		close func(h hall) error
	}{
		{"ByClerk", func(h hall) error {
			_, err := h.q.CloseDay(context.Background(), h.admin.Actor(), queue.Day(h.clk.Now()))
			return err
		}},
		{"ByEndOfDayJob", func(h hall) error {
			_, err := h.c.Jobs.RunNow(context.Background(), "end-of-day")
			return err
		}},
	}
	for _, cl := range closers {
		t.Run(cl.name, func(t *testing.T) {
			h := open(t)
			ctx := context.Background()
			h.clk.Set(storetest.Epoch.Add(7 * time.Hour)) // 16:00, before the line closes
			waiting := h.issue(t, queue.IssueRequest{Line: "A"})
			if err := cl.close(h); err != nil {
				t.Fatal(err)
			}
			steps := []struct {
				name string
				do   func() error
			}{
				{"IssueAtKiosk", func() error {
					_, err := h.q.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"})
					return err
				}},
				{"IssueAtDesk", func() error {
					_, err := h.q.Issue(ctx, h.clerk.Actor(), queue.IssueRequest{Line: "A", Source: "desk"})
					return err
				}},
				{"IssueGreenChannel", func() error {
					_, err := h.q.Issue(ctx, h.clerk.Actor(), queue.IssueRequest{Line: "A", Priority: true, Source: "desk"})
					return err
				}},
				{"CallNext", func() error {
					_, _, err := h.q.CallNext(ctx, h.clerk, 1)
					return err
				}},
				{"CallChosen", func() error {
					_, err := h.q.CallTicket(ctx, h.clerk, 1, waiting.ID)
					return err
				}},
			}
			for _, st := range steps {
				err := st.do()
				if apperr.Code(err) != apperr.Conflict || !strings.HasPrefix(apperr.Message(err), "今天的叫号已经结束") {
					t.Errorf("%s after the close: got %v, want a conflict saying the day is closed", st.name, err)
				}
			}
			// The next morning the hall opens again.
			h.clk.Set(storetest.Epoch.Add(24 * time.Hour))
			next := h.issue(t, queue.IssueRequest{Line: "A"})
			if next.Number != "A001" {
				t.Errorf("next day's first ticket: got %s, want A001", next.Number)
			}
			called, ok, err := h.q.CallNext(ctx, h.clerk, 1)
			if err != nil || !ok || called.ID != next.ID {
				t.Errorf("next day's call: got %s %v %v, want %s", called.Number, ok, err, next.Number)
			}
		})
	}
}
