package queue_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/core/coretest"
	"budayang/backend/queue"
	"budayang/backend/site"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

type hall struct {
	c     *core.Core
	clk   *clock.Fixed
	q     *queue.Service
	clerk account.Principal
	admin account.Principal
}

// open sets up a town centre with line A and three windows at 09:00 on a
// Wednesday, with a clerk signed in.
func open(t testing.TB) hall {
	t.Helper()
	s := coretest.Open(t)
	return hall{c: s.Core, clk: s.Clock, q: s.Core.Queue, clerk: s.Person("clerk1", "王小明", account.RoleClerk), admin: s.Admin}
}

func (h hall) issue(t testing.TB, req queue.IssueRequest) queue.Ticket {
	t.Helper()
	tk, err := h.q.Issue(context.Background(), audit.Actor{Login: "kiosk"}, req)
	if err != nil {
		t.Fatalf("issue %+v: %v", req, err)
	}
	return tk
}

func TestQueue_Issue(t *testing.T) {
	h := open(t)
	ctx := context.Background()
	a1 := h.issue(t, queue.IssueRequest{Line: "A"})
	a2 := h.issue(t, queue.IssueRequest{Line: "a", Phone: "138 1234 5678"})
	v1 := h.issue(t, queue.IssueRequest{Line: "A", Priority: true, PriorityKind: "孕妇"})
	if a1.Number != "A001" || a2.Number != "A002" || v1.Number != "V001" {
		t.Fatalf("numbers %s %s %s, want A001 A002 V001", a1.Number, a2.Number, v1.Number)
	}
	if a1.Ahead != 0 || a2.Ahead != 1 || v1.Ahead != 0 {
		t.Errorf("ahead %d %d %d, want 0 1 0", a1.Ahead, a2.Ahead, v1.Ahead)
	}
	if got, _ := h.q.Ticket(ctx, a2.ID); got.Ahead != 2 || got.Phone != "138****5678" {
		t.Errorf("A002 after a priority ticket: ahead %d phone %q, want 2 and masked", got.Ahead, got.Phone)
	}

	errs := []struct {
		name string
		req  queue.IssueRequest
		code string
	}{
		{"ErrUnknownLine", queue.IssueRequest{Line: "Q"}, apperr.NotFound},
		{"ErrMalformedPhone", queue.IssueRequest{Line: "A", Phone: "12345"}, apperr.Invalid},
		{"ErrUnknownPriorityKind", queue.IssueRequest{Line: "A", Priority: true, PriorityKind: "VIP"}, apperr.Invalid},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := h.q.Issue(ctx, audit.Actor{Login: "kiosk"}, tt.req); apperr.Code(err) != tt.code {
				t.Errorf("got %v, want %s", err, tt.code)
			}
		})
	}
	t.Run("ErrOutsideHours", func(t *testing.T) {
		h.clk.Set(time.Date(2026, 11, 25, 17, 30, 0, 0, clock.Shanghai))
		defer h.clk.Set(storetest.Epoch)
		if _, err := h.q.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"}); apperr.Code(err) != apperr.Conflict {
			t.Errorf("got %v, want conflict", err)
		}
	})
	t.Run("ErrDailyCap", func(t *testing.T) {
		// The cap counts every ticket issued on the line, the green
		// channel's too: a priority button is no way round it.
		lines := []struct {
			prefix string
			first  bool // the first ticket is green channel
			next   bool // the one refused is green channel
		}{
			{"B", false, false},
			{"C", false, true},
			{"D", true, false},
			{"E", true, true},
		}
		for _, l := range lines {
			if _, err := h.q.SaveLine(ctx, h.admin, queue.Line{Prefix: l.prefix, Name: "不动产" + l.prefix, Opens: "08:30", Closes: "17:30", DailyCap: 1, Active: true}); err != nil {
				t.Fatal(err)
			}
			h.issue(t, queue.IssueRequest{Line: l.prefix, Priority: l.first})
			if _, err := h.q.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: l.prefix, Priority: l.next}); apperr.Code(err) != apperr.Conflict {
				t.Errorf("line %s, first priority %v, next priority %v: got %v, want conflict", l.prefix, l.first, l.next, err)
			}
		}
	})
	t.Run("NumbersResetNextDay", func(t *testing.T) {
		h.clk.Set(storetest.Epoch.Add(24 * time.Hour))
		defer h.clk.Set(storetest.Epoch)
		if got := h.issue(t, queue.IssueRequest{Line: "A"}); got.Number != "A001" {
			t.Errorf("next day: got %s, want A001", got.Number)
		}
	})
}

// Numbers come from a counter that commits with the ticket, so reopening the
// database (a restart, or a crash after the commit) continues the sequence.
// A ticket whose issue committed is answered as issued even when counting
// who is ahead fails afterwards: an error there would have the citizen take
// a second ticket.
func TestQueue_IssuedTicketSurvivesAFailedCount(t *testing.T) {
	h := open(t)
	ctx := context.Background()
	h.issue(t, queue.IssueRequest{Line: "A"})
	// The count runs on the read pool; with it gone only the count fails.
	h.c.DB.Read().Close()
	tk, err := h.q.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"})
	if err != nil || tk.Number != "A002" || tk.Ahead != 0 {
		t.Fatalf("issue with the count failing: %+v %v, want A002 issued", tk, err)
	}
	var n int
	err = h.c.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM ticket WHERE id = ?`, tk.ID).Scan(&n)
	})
	if err != nil || n != 1 {
		t.Errorf("A002 in the database: %d %v, want 1", n, err)
	}
}

// The clerk's panel names who served each ticket.
func TestQueue_TodayNamesTheClerk(t *testing.T) {
	h := open(t)
	ctx := context.Background()
	a1, a2 := h.issue(t, queue.IssueRequest{Line: "A"}), h.issue(t, queue.IssueRequest{Line: "A"})
	if _, ok, err := h.q.CallNext(ctx, h.clerk, 1); err != nil || !ok {
		t.Fatalf("call next: %v %v", ok, err)
	}
	today, err := h.q.Today(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{a1.Number: "王小明", a2.Number: ""}
	for _, tk := range today {
		if tk.ServedByName != want[tk.Number] {
			t.Errorf("%s served by %q, want %q", tk.Number, tk.ServedByName, want[tk.Number])
		}
	}
}

func TestQueue_NumbersSurviveRestart(t *testing.T) {
	clk := clock.NewFixed(storetest.Epoch)
	dir := t.TempDir()
	ctx := context.Background()
	c, err := core.Open(ctx, core.Options{DataDir: dir, Clock: clk, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Setup(ctx, site.Profile{Name: "x", Kind: site.KindTown, Population: 1}, "Admin12345", 1); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := c.Queue.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	c, err = core.Open(ctx, core.Options{DataDir: dir, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tk, err := c.Queue.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"})
	if err != nil || tk.Number != "A004" {
		t.Fatalf("after restart: got %s, %v; want A004", tk.Number, err)
	}
}

func TestQueue_Transitions(t *testing.T) {
	ctx := context.Background()
	type step func(h hall, id string) (queue.Ticket, error)
	recall := func(h hall, id string) (queue.Ticket, error) { return h.q.Recall(ctx, h.clerk, id) }
	hold := func(h hall, id string) (queue.Ticket, error) { return h.q.Hold(ctx, h.clerk, id) }
	skip := func(h hall, id string) (queue.Ticket, error) { return h.q.Skip(ctx, h.clerk, id) }
	complete := func(h hall, id string) (queue.Ticket, error) { return h.q.Complete(ctx, h.clerk, id) }
	callBack := func(h hall, id string) (queue.Ticket, error) { return h.q.CallTicket(ctx, h.clerk, 1, id) }
	transfer := func(h hall, id string) (queue.Ticket, error) { return h.q.Transfer(ctx, h.clerk, id, "", 2) }
	tests := []struct {
		name   string
		call   bool
		steps  []step
		want   string
		errAt  int // index of the step that must fail with conflict, or -1
		status string
	}{
		{"CompleteWaitingRefused", false, []step{complete}, queue.Waiting, 0, ""},
		{"RecallWaitingRefused", false, []step{recall}, queue.Waiting, 0, ""},
		{"CallThenComplete", true, []step{complete}, queue.Completed, -1, ""},
		{"RecallKeepsCalled", true, []step{recall, recall}, queue.Called, -1, ""},
		{"HoldThenCallBack", true, []step{hold, callBack, complete}, queue.Completed, -1, ""},
		{"CompleteHeldRefused", true, []step{hold, complete}, queue.Held, 1, ""},
		{"CompleteTwiceRefused", true, []step{complete, complete}, queue.Completed, 1, ""},
		{"SkipRequeues", true, []step{skip}, queue.Skipped, -1, ""},
		{"TransferWaitsAgain", true, []step{transfer}, queue.Waiting, -1, ""},
		{"CallBackCompletedRefused", true, []step{complete, callBack}, queue.Completed, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := open(t)
			tk := h.issue(t, queue.IssueRequest{Line: "A"})
			if tt.call {
				got, ok, err := h.q.CallNext(ctx, h.clerk, 1)
				if err != nil || !ok || got.ID != tk.ID {
					t.Fatalf("call next: %v %v %v", got.Number, ok, err)
				}
			}
			for i, s := range tt.steps {
				_, err := s(h, tk.ID)
				if i == tt.errAt {
					if apperr.Code(err) != apperr.Conflict {
						t.Fatalf("step %d: got %v, want conflict", i, err)
					}
					break
				}
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
			}
			got, err := h.q.Ticket(ctx, tk.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.want {
				t.Errorf("status %s, want %s", got.Status, tt.want)
			}
		})
	}
}

func TestQueue_CallNext(t *testing.T) {
	ctx := context.Background()
	t.Run("EmptyQueue", func(t *testing.T) {
		h := open(t)
		if _, ok, err := h.q.CallNext(ctx, h.clerk, 1); ok || err != nil {
			t.Errorf("got %v %v, want nothing", ok, err)
		}
	})
	t.Run("ErrUnknownWindow", func(t *testing.T) {
		h := open(t)
		if _, _, err := h.q.CallNext(ctx, h.clerk, 9); apperr.Code(err) != apperr.NotFound {
			t.Errorf("got %v, want not_found", err)
		}
	})
	t.Run("ErrWindowPaused", func(t *testing.T) {
		h := open(t)
		h.issue(t, queue.IssueRequest{Line: "A"})
		if _, err := h.q.Pause(ctx, h.clerk, 1, "午休"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := h.q.CallNext(ctx, h.clerk, 1); apperr.Code(err) != apperr.Conflict {
			t.Errorf("got %v, want conflict", err)
		}
		v, _ := h.q.Hall(ctx)
		if !v.Windows[0].Paused || v.Windows[0].PauseReason != "午休" {
			t.Errorf("hall window 1: %+v", v.Windows[0])
		}
		if _, err := h.q.Resume(ctx, h.clerk, 1); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := h.q.CallNext(ctx, h.clerk, 1); !ok || err != nil {
			t.Errorf("after resume: %v %v", ok, err)
		}
	})
	t.Run("ErrStillServing", func(t *testing.T) {
		h := open(t)
		h.issue(t, queue.IssueRequest{Line: "A"})
		h.issue(t, queue.IssueRequest{Line: "A"})
		h.q.CallNext(ctx, h.clerk, 1)
		if _, _, err := h.q.CallNext(ctx, h.clerk, 1); apperr.Code(err) != apperr.Conflict {
			t.Errorf("got %v, want conflict", err)
		}
	})
	t.Run("ErrAssistantCannotCall", func(t *testing.T) {
		h := open(t)
		p := account.Principal{Staff: account.Staff{ID: "x", Role: account.RoleAssistant}}
		if _, _, err := h.q.CallNext(ctx, p, 1); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("got %v, want forbidden", err)
		}
	})
	t.Run("SkipThenNoShow", func(t *testing.T) {
		h := open(t)
		tk := h.issue(t, queue.IssueRequest{Line: "A"})
		h.q.CallNext(ctx, h.clerk, 1)
		h.q.Skip(ctx, h.clerk, tk.ID)
		if _, ok, _ := h.q.CallNext(ctx, h.clerk, 1); ok {
			t.Fatal("skipped ticket called before its re-queue time")
		}
		h.clk.Advance(10 * time.Minute)
		got, ok, _ := h.q.CallNext(ctx, h.clerk, 1)
		if !ok || got.ID != tk.ID {
			t.Fatal("skipped ticket not called after its re-queue time")
		}
		final, err := h.q.Skip(ctx, h.clerk, tk.ID)
		if err != nil || final.Status != queue.NoShow {
			t.Errorf("second skip: %v %v, want no_show", final.Status, err)
		}
	})
	t.Run("TransferKeepsIssueTime", func(t *testing.T) {
		h := open(t)
		if _, err := h.q.SaveLine(ctx, h.admin, queue.Line{Prefix: "B", Name: "社保", Opens: "08:30", Closes: "17:30", Active: true}); err != nil {
			t.Fatal(err)
		}
		first := h.issue(t, queue.IssueRequest{Line: "A"})
		h.clk.Advance(5 * time.Minute)
		later := h.issue(t, queue.IssueRequest{Line: "B"})
		h.q.CallNext(ctx, h.clerk, 1)
		moved, err := h.q.Transfer(ctx, h.clerk, first.ID, "B", 0)
		if err != nil || moved.Line != "B" || !moved.QueuedAt.Equal(first.IssuedAt) {
			t.Fatalf("transfer: %+v %v", moved, err)
		}
		h.q.SaveWindow(ctx, h.admin, queue.Window{Number: 2, Lines: []string{"B"}})
		got, _, _ := h.q.CallNext(ctx, h.clerk, 2)
		if got.ID != first.ID {
			t.Errorf("window 2 called %s, want the transferred %s before %s", got.Number, first.Number, later.Number)
		}
	})
}

// Twenty windows calling at once never get the same ticket, and every ticket
// is called exactly once.
func TestQueue_ConcurrentCallsNeverShareATicket(t *testing.T) {
	h := open(t)
	ctx := context.Background()
	for n := 4; n <= 20; n++ {
		if _, err := h.q.SaveWindow(ctx, h.admin, queue.Window{Number: n}); err != nil {
			t.Fatal(err)
		}
	}
	const tickets = 100
	for i := 0; i < tickets; i++ {
		h.issue(t, queue.IssueRequest{Line: "A"})
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for n := 1; n <= 20; n++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			for {
				tk, ok, err := h.q.CallNext(ctx, h.clerk, n)
				if err != nil {
					t.Errorf("window %d: %v", n, err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				seen[tk.Number]++
				mu.Unlock()
				if _, err := h.q.Complete(ctx, h.clerk, tk.ID); err != nil {
					t.Errorf("complete %s: %v", tk.Number, err)
					return
				}
			}
		}(n)
	}
	wg.Wait()
	if len(seen) != tickets {
		t.Errorf("called %d distinct tickets, want %d", len(seen), tickets)
	}
	for num, n := range seen {
		if n != 1 {
			t.Errorf("%s called %d times", num, n)
		}
	}
}

func TestQueue_CloseDay(t *testing.T) {
	h := open(t)
	ctx := context.Background()
	done := h.issue(t, queue.IssueRequest{Line: "A"})
	h.q.CallNext(ctx, h.clerk, 1)
	h.q.Complete(ctx, h.clerk, done.ID)
	h.issue(t, queue.IssueRequest{Line: "A"})
	held := h.issue(t, queue.IssueRequest{Line: "A"})
	h.q.CallTicket(ctx, h.clerk, 1, held.ID)
	h.q.Hold(ctx, h.clerk, held.ID)
	ran, err := h.c.Jobs.RunDue(ctx, storetest.Epoch, storetest.Epoch.Add(13*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fmt.Sprint(ran), "end-of-day") {
		t.Fatalf("jobs run by 22:00: %v, want end-of-day among them", ran)
	}
	unserved, err := h.q.Unserved(ctx, queue.Day(storetest.Epoch))
	if err != nil || len(unserved) != 2 {
		t.Fatalf("unserved: %d %v, want 2", len(unserved), err)
	}
	if got, _ := h.q.Ticket(ctx, done.ID); got.Status != queue.Completed {
		t.Errorf("completed ticket became %s", got.Status)
	}
}
