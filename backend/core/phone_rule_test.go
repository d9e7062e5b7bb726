package core_test

import (
	"context"
	"strings"
	"testing"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/booking"
	"budayang/backend/calllog"
	"budayang/backend/cases"
	"budayang/backend/citizen"
	"budayang/backend/core/coretest"
	"budayang/backend/queue"
	"budayang/backend/rating"
)

// The rating pad refused landlines the host accepted elsewhere, and the case
// form's hint accepted numbers starting 12: every door that takes a phone now
// judges it by the one rule, citizen.NormalizePhone, which GET /api/v1/rules
// serves to the screens.
func TestPhoneRule_OneRuleEverywhere(t *testing.T) {
	s := coretest.Open(t)
	ctx := context.Background()
	clerk := s.Person("clerk1", "李窗口", account.RoleClerk)
	isPhoneRefusal := func(err error) bool {
		return apperr.Code(err) == apperr.Invalid && strings.Contains(apperr.Message(err), "电话号码")
	}
	doors := []struct {
		name string
		try  func(phone string) error
	}{
		{"Rating", func(p string) error {
			_, err := s.Core.Ratings.Submit(ctx, audit.System, 1, rating.Submission{TicketID: "no-such-ticket", Level: 5, Attitude: 5, Efficiency: 5, Competence: 5, Phone: p})
			return err
		}},
		{"Booking", func(p string) error {
			_, err := s.Core.Bookings.Create(ctx, booking.Staff(s.Admin), booking.Request{Line: "A", Name: "张三", Phone: p})
			return err
		}},
		{"Case", func(p string) error {
			_, err := s.Core.Cases.Open(ctx, clerk, cases.OpenRequest{ItemCode: "MZ-001", Name: "张三", Phone: p})
			return err
		}},
		{"CallLog", func(p string) error {
			_, err := s.Core.CallLog.Log(ctx, s.Admin, calllog.Request{Phone: p, Need: "咨询" + p, Category: calllog.CategoryConsult})
			return err
		}},
		{"Ticket", func(p string) error {
			_, err := s.Core.Queue.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A", Phone: p})
			return err
		}},
	}
	phones := []struct {
		phone string
		ok    bool
	}{
		{"13812345678", true},
		{"0818-7654321", true},
		{"08187654321", true},
		{"(028) 8765 4321", true},
		{"+86 138 1234 5678", true},
		{"12812345678", false},
		{"10012345678", false},
		{"1381234567", false},
		{"7654321", false},
	}
	for _, ph := range phones {
		if _, err := citizen.NormalizePhone(ph.phone); (err == nil) != ph.ok {
			t.Fatalf("the rule itself: %q got %v, want ok=%v", ph.phone, err, ph.ok)
		}
		for _, d := range doors {
			t.Run(d.name+"/"+ph.phone, func(t *testing.T) {
				err := d.try(ph.phone)
				if refused := isPhoneRefusal(err); refused == ph.ok {
					t.Errorf("got %v, want the phone %s", err, map[bool]string{true: "accepted", false: "refused"}[ph.ok])
				}
			})
		}
	}
}
