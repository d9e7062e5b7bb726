package rating_test

import (
	"context"
	"testing"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/core/coretest"
	"budayang/backend/queue"
	"budayang/backend/rating"
)

type fixture struct {
	c            *core.Core
	clk          *clock.Fixed
	admin, clerk account.Principal
}

func setup(t *testing.T) fixture {
	t.Helper()
	s := coretest.Open(t)
	return fixture{c: s.Core, clk: s.Clock, admin: s.Admin, clerk: s.Person("clerk1", "王小明", account.RoleClerk)}
}

// served issues, calls and (when complete) completes a ticket at window 3.
func (f fixture) served(t *testing.T, complete bool) queue.Ticket {
	t.Helper()
	ctx := context.Background()
	tk, err := f.c.Queue.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Queue.CallTicket(ctx, f.clerk, 3, tk.ID); err != nil {
		t.Fatal(err)
	}
	if complete {
		if tk, err = f.c.Queue.Complete(ctx, f.clerk, tk.ID); err != nil {
			t.Fatal(err)
		}
	}
	return tk
}

func good(id string) rating.Submission {
	return rating.Submission{TicketID: id, Level: 5, Attitude: 5, Efficiency: 5, Competence: 5}
}

func TestRating_Submit(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	kiosk := audit.Actor{Login: "kiosk"}
	if _, err := f.c.Ratings.Submit(ctx, kiosk, 3, good("")); apperr.Code(err) != apperr.Conflict {
		t.Fatalf("nothing completed yet: got %v, want conflict", err)
	}
	earlier := f.served(t, true)
	f.clk.Advance(time.Minute)
	done := f.served(t, true)
	tests := []struct {
		name   string
		window int
		in     rating.Submission
		code   string
	}{
		{"ErrOtherWindow", 2, good(""), apperr.Conflict},
		{"ErrNotThePendingService", 3, good(earlier.ID), apperr.Conflict},
		{"ErrUnknownTicket", 3, good("nope"), apperr.Conflict},
		{"ErrLevelOutOfRange", 3, rating.Submission{Level: 6, Attitude: 5, Efficiency: 5, Competence: 5}, apperr.Invalid},
		{"ErrSubScoreMissing", 3, rating.Submission{Level: 5, Attitude: 5, Efficiency: 0, Competence: 5}, apperr.Invalid},
		{"ErrBadWithoutReason", 3, rating.Submission{Level: 2, Attitude: 2, Efficiency: 2, Competence: 2}, apperr.Invalid},
		{"ErrMalformedPhone", 3, rating.Submission{Level: 2, Attitude: 2, Efficiency: 2, Competence: 2, Reason: "慢", Phone: "123"}, apperr.Invalid},
		{"GoodNamingThePendingService", 3, good(done.ID), ""},
		{"ErrSecondRating", 3, good(""), apperr.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := f.c.Ratings.Submit(ctx, kiosk, tt.window, tt.in)
			if tt.code == "" && err != nil || tt.code != "" && apperr.Code(err) != tt.code {
				t.Fatalf("got %v, want %q", err, tt.code)
			}
			if err == nil && r.TicketID != done.ID {
				t.Errorf("rated ticket %s, want the pending %s", r.TicketNumber, done.Number)
			}
		})
	}
}

func TestRating_SubmitWithinRatingMinutes(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	st, _ := f.c.Queue.Settings(ctx)
	f.served(t, true)
	f.clk.Advance(time.Duration(st.RatingMinutes)*time.Minute + time.Second)
	if _, err := f.c.Ratings.Submit(ctx, audit.Actor{Login: "kiosk"}, 3, good("")); apperr.Code(err) != apperr.Conflict {
		t.Fatalf("rating %d minutes after completion: got %v, want conflict", st.RatingMinutes, err)
	}
}

func TestRating_BadRatingFollowUp(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	done := f.served(t, true)
	p, err := f.c.Ratings.Pending(ctx, 3)
	if err != nil || p == nil || p.Number != done.Number || p.Staff != "王小明" {
		t.Fatalf("pending at window 3: %+v %v, want %s served by 王小明", p, err, done.Number)
	}
	r, err := f.c.Ratings.Submit(ctx, audit.Actor{Login: "kiosk"}, 3, rating.Submission{
		TicketID: done.ID, Level: 1, Attitude: 1, Efficiency: 2, Competence: 2, Reason: "等了很久没人理", Name: "张小三", Phone: "13812345678"})
	if err != nil {
		t.Fatal(err)
	}
	// Wednesday 25 November + 15 working days, no holiday in between.
	if r.Rectification == nil || r.Rectification.DueDate != "2026-12-16" || r.Rectification.StaffLogin != "clerk1" {
		t.Fatalf("rectification: %+v", r.Rectification)
	}
	if r.StaffName != "王小明" {
		t.Errorf("the centre head sees the clerk as %q, want 王小明", r.StaffName)
	}
	if !r.ReturnCallDue {
		t.Error("named bad rating does not ask for a return call")
	}
	if p, _ := f.c.Ratings.Pending(ctx, 3); p != nil {
		t.Errorf("still pending after rating: %+v", p)
	}

	mine, err := f.c.Ratings.List(ctx, f.clerk, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].CitizenName != "张*三" || mine[0].Phone != "138****5678" {
		t.Fatalf("clerk's view: %+v", mine)
	}
	all, _ := f.c.Ratings.List(ctx, f.admin, true)
	if len(all) != 1 || all[0].CitizenName != "张小三" || all[0].StaffName != "王小明" {
		t.Fatalf("head's view: %+v", all)
	}

	if _, err := f.c.Ratings.AddReturnCall(ctx, f.clerk, r.ID, "已解决", ""); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("clerk return call: got %v, want forbidden", err)
	}
	r, err = f.c.Ratings.AddReturnCall(ctx, f.admin, r.ID, "已电话致歉，群众表示理解", "")
	if err != nil || r.ReturnCallDue || len(r.ReturnCalls) != 1 {
		t.Fatalf("return call: %+v %v", r, err)
	}

	f.clk.Advance(22 * 24 * time.Hour)
	if n, _ := f.c.Ratings.Overdue(ctx, f.clk.Now()); n != 1 {
		t.Errorf("overdue rectifications: %d, want 1", n)
	}
	all, _ = f.c.Ratings.List(ctx, f.admin, true)
	if !all[0].Rectification.Overdue {
		t.Error("rectification past its due date not marked overdue")
	}

	r, err = f.c.Ratings.FileAppeal(ctx, f.clerk, r.ID, "群众误按")
	if err != nil || r.Appeal == nil || r.Appeal.Status != "pending" {
		t.Fatalf("appeal: %+v %v", r.Appeal, err)
	}
	if _, err := f.c.Ratings.FileAppeal(ctx, f.clerk, r.ID, "再次申诉"); apperr.Code(err) != apperr.Conflict {
		t.Errorf("second appeal: got %v, want conflict", err)
	}
	r, err = f.c.Ratings.DecideAppeal(ctx, f.admin, r.ID, true, "监控显示确为误按")
	if err != nil || r.Appeal.Status != "upheld" || r.Rectification.Status != "void" {
		t.Fatalf("decide: %+v %+v %v", r.Appeal, r.Rectification, err)
	}
	if _, err := f.c.Ratings.CloseRectification(ctx, f.clerk, r.ID, "已整改"); apperr.Code(err) != apperr.Conflict {
		t.Errorf("closing a voided rectification: got %v, want conflict", err)
	}
}

func TestRating_CloseRectification(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	done := f.served(t, true)
	r, err := f.c.Ratings.Submit(ctx, audit.Actor{Login: "kiosk"}, 3, rating.Submission{TicketID: done.ID, Level: 2, Attitude: 3, Efficiency: 2, Competence: 3, Reason: "材料说明不清"})
	if err != nil {
		t.Fatal(err)
	}
	if r.ReturnCallDue {
		t.Error("anonymous bad rating asks for a return call")
	}
	other, _ := f.c.Accounts.Create(ctx, f.admin, account.NewStaff{Login: "clerk2", Name: "李四", Role: account.RoleClerk, Password: "Clerk12345"})
	if _, err := f.c.Ratings.CloseRectification(ctx, account.Principal{Staff: other}, r.ID, "x"); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("another clerk closing: got %v, want forbidden", err)
	}
	if _, err := f.c.Ratings.CloseRectification(ctx, f.clerk, r.ID, ""); apperr.Code(err) != apperr.Invalid {
		t.Errorf("no note: got %v, want invalid", err)
	}
	r, err = f.c.Ratings.CloseRectification(ctx, f.clerk, r.ID, "已制作一次性告知单模板")
	if err != nil || r.Rectification.Status != "done" {
		t.Fatalf("close: %+v %v", r.Rectification, err)
	}
}
