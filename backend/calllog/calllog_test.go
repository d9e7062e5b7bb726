package calllog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/calllog"
	"budayang/backend/cases"
	"budayang/backend/core/coretest"
	"budayang/backend/events"
	"budayang/backend/store"
)

// The fixture caller: a name and a phone found nowhere else, so any
// occurrence of them is a leak.
const (
	callerName  = "欧阳春燕"
	callerPhone = "13977778888"
)

type desk struct {
	*coretest.Site
	duty, clerk, assistant account.Principal
}

func open(t *testing.T) desk {
	t.Helper()
	s := coretest.Open(t)
	return desk{Site: s,
		duty:      s.Person("duty1", "王值班", account.RoleDuty),
		clerk:     s.Person("clerk1", "李窗口", account.RoleClerk),
		assistant: s.Person("assistant1", "赵代办", account.RoleAssistant),
	}
}

func (d desk) log(t *testing.T, req calllog.Request) calllog.Call {
	t.Helper()
	c, err := d.Core.CallLog.Log(context.Background(), d.duty, req)
	if err != nil {
		t.Fatalf("log call: %v", err)
	}
	return c
}

func fixtureCall() calllog.Request {
	return calllog.Request{CallerName: callerName, Phone: callerPhone, Village: "青龙村", Need: "母亲的养老保险待遇认证怎么办", Category: calllog.CategoryConsult}
}

// rows counts what a refused request must leave as it was.
func (d desk) rows(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"call_log", "audit_log", "outbox", "booking", "case_file"} {
		var n int
		if err := d.Core.DB.Read().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func sameRows(t *testing.T, before, after map[string]int) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %d rows, want %d: a refused request changed it", k, after[k], v)
		}
	}
}

func TestCallLog_Log_BadInput(t *testing.T) {
	d := open(t)
	ctx := context.Background()
	d.log(t, fixtureCall())
	tests := []struct {
		name   string
		by     account.Principal
		edit   func(*calllog.Request)
		code   string
		saying string
	}{
		{"PhoneTenDigits", d.duty, func(r *calllog.Request) { r.Phone = "1397777888" }, apperr.Invalid, "电话号码"},
		{"PhoneMissing", d.duty, func(r *calllog.Request) { r.Phone = "" }, apperr.Invalid, "电话号码"},
		{"NeedMissing", d.duty, func(r *calllog.Request) { r.Need = "  " }, apperr.Invalid, "请填写来电诉求"},
		{"NeedTooLong", d.duty, func(r *calllog.Request) { r.Need = strings.Repeat("办", calllog.MaxNeed+1) }, apperr.Invalid, "来电诉求最多"},
		{"UnknownCategory", d.duty, func(r *calllog.Request) { r.Category = "gossip" }, apperr.Invalid, "请选择来电类别"},
		{"UnknownReferral", d.duty, func(r *calllog.Request) { r.Referral.Kind = "mayor" }, apperr.Invalid, "转办去向"},
		{"DepartmentNotInCatalog", d.duty, func(r *calllog.Request) {
			r.Referral = calllog.Referral{Kind: calllog.ReferDepartment, Department: "县外星事务局"}
		}, apperr.Invalid, "事项清单中没有部门"},
		{"DepartmentMissing", d.duty, func(r *calllog.Request) { r.Referral.Kind = calllog.ReferDepartment }, apperr.Invalid, "请选择事项清单中的部门"},
		{"TimeAhead", d.duty, func(r *calllog.Request) { r.At = d.Clock.Now().Add(time.Hour).Format(time.RFC3339) }, apperr.Invalid, "来电时间"},
		{"TimeMalformed", d.duty, func(r *calllog.Request) { r.At = "昨天晚上" }, apperr.Invalid, "来电时间"},
		{"IdenticalWithinAMinute", d.duty, func(r *calllog.Request) {}, apperr.Conflict, "请勿重复提交"},
		{"IdenticalByAnotherPerson", d.clerk, func(r *calllog.Request) {}, apperr.Conflict, "请勿重复提交"},
		{"Assistant", d.assistant, func(r *calllog.Request) { r.Need = "另一件事" }, apperr.Forbidden, "值班人员"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := fixtureCall()
			tt.edit(&req)
			before := d.rows(t)
			_, err := d.Core.CallLog.Log(ctx, tt.by, req)
			if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.saying) {
				t.Fatalf("got %v (%s), want %s saying %q", err, apperr.Code(err), tt.code, tt.saying)
			}
			if strings.Contains(apperr.Message(err), callerPhone) && tt.code == apperr.Conflict {
				t.Errorf("the refusal %q names the phone in full", apperr.Message(err))
			}
			sameRows(t, before, d.rows(t))
		})
	}
	t.Run("IdenticalAfterAMinute", func(t *testing.T) {
		d.Clock.Advance(calllog.DuplicateWindow + time.Second)
		d.log(t, fixtureCall())
	})
}

// Every list, event, outbox row and audit line carries the caller masked;
// the duty officer and the admin read them in full, each read audited; a
// clerk reads them masked, unaudited.
func TestCallLog_Masking(t *testing.T) {
	d := open(t)
	ctx := context.Background()
	sub := d.Core.Bus.Subscribe(64)
	defer sub.Close()
	c := d.log(t, fixtureCall())
	if c.Phone != "139****8888" || c.CallerName == callerName || !c.Masked {
		t.Errorf("logged call answered with %q %q masked=%v, want it masked", c.CallerName, c.Phone, c.Masked)
	}
	if _, err := d.Core.CallLog.Update(ctx, d.duty, c.ID, calllog.Update{Handling: "已告知可在手机上认证", Status: calllog.StatusClosed}); err != nil {
		t.Fatal(err)
	}

	list, err := d.Core.CallLog.List(ctx, d.duty, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Phone != "139****8888" || list[0].CallerName != "欧**燕" || list[0].Status != calllog.StatusClosed {
		t.Fatalf("list: got %+v, want one closed call, masked", list)
	}

	tests := []struct {
		name      string
		by        account.Principal
		wantPhone string
		audited   bool
	}{
		{"Duty", d.duty, callerPhone, true},
		{"Admin", d.Admin, callerPhone, true},
		{"Clerk", d.clerk, "139****8888", false},
	}
	for _, tt := range tests {
		t.Run("Get/"+tt.name, func(t *testing.T) {
			before := d.rows(t)["audit_log"]
			got, err := d.Core.CallLog.Get(ctx, tt.by, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Phone != tt.wantPhone || got.Masked == tt.audited {
				t.Errorf("phone %q masked=%v, want %q", got.Phone, got.Masked, tt.wantPhone)
			}
			entries, _ := d.Core.Audit.List(ctx, 0, 1)
			read := d.rows(t)["audit_log"] == before+1 && entries[0].Action == "calllog.read" && entries[0].Actor == tt.by.Login
			if read != tt.audited {
				t.Errorf("audited %v, want %v", read, tt.audited)
			}
		})
	}

	t.Run("AuditOutboxEvents", func(t *testing.T) {
		entries, err := d.Core.Audit.List(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var calls int
		for _, e := range entries {
			if strings.HasPrefix(e.Action, "calllog.") {
				calls++
				noLeak(t, "audit "+e.Action, e.Detail+e.Target)
			}
		}
		if calls != 4 { // create, update, two full reads
			t.Errorf("%d calllog audit lines, want 4", calls)
		}
		out, err := d.Core.DB.PendingOutbox(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		var rows int
		for _, o := range out {
			if strings.HasPrefix(o.Kind, "calllog.") {
				rows++
				noLeak(t, "outbox "+o.Kind, o.Payload)
				if !strings.Contains(o.Payload, "139****8888") {
					t.Errorf("outbox %s: %s, want the masked phone", o.Kind, o.Payload)
				}
			}
		}
		if rows != 2 {
			t.Errorf("%d calllog outbox rows, want 2 (a read is not a change)", rows)
		}
		var seen int
		for len(sub.C) > 0 {
			e := <-sub.C
			if e.Type == calllog.EventChanged {
				seen++
				noLeak(t, "event", string(eventJSON(e)))
			}
		}
		if seen != 2 {
			t.Errorf("%d call:changed events, want 2", seen)
		}
	})
}

func eventJSON(e events.Event) []byte {
	if e.JSON != nil {
		return e.JSON
	}
	b, _ := json.Marshal(e.Data)
	return b
}

func noLeak(t *testing.T, where, s string) {
	t.Helper()
	for _, v := range []string{callerPhone, callerName, "97777888", "春燕"} {
		if strings.Contains(s, v) {
			t.Errorf("%s holds %q: %s", where, v, s)
		}
	}
}

func TestCallLog_Referrals(t *testing.T) {
	d := open(t)
	ctx := context.Background()
	if _, err := d.Core.Cases.SetCentre(ctx, d.Admin, cases.Centre{Phone: "0818-7654321", Address: "青龙镇政府一楼"}); err != nil {
		t.Fatal(err)
	}
	office := d.Core.Catalog.Map()[0]
	tests := []struct {
		name       string
		ref        calllog.Referral
		wantPhone  string
		wantStatus string
	}{
		{"None", calllog.Referral{}, "", calllog.StatusOpen},
		{"Hotline", calllog.Referral{Kind: calllog.ReferHotline, Phone: "110"}, "12345", calllog.StatusReferred},
		{"ProblemWindow", calllog.Referral{Kind: calllog.ReferProblemWindow}, "0818-7654321", calllog.StatusReferred},
		{"Department", calllog.Referral{Kind: calllog.ReferDepartment, Department: office.Department}, office.Phone, calllog.StatusReferred},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := fixtureCall()
			req.Need = tt.name + "的诉求"
			req.Phone = "1390000000" + string(rune('0'+i))
			req.Referral = tt.ref
			c := d.log(t, req)
			if c.Referral.Phone != tt.wantPhone || c.Status != tt.wantStatus {
				t.Errorf("got referral %+v status %s, want phone %q status %s", c.Referral, c.Status, tt.wantPhone, tt.wantStatus)
			}
		})
	}
	t.Run("UpdateRefersAndCloses", func(t *testing.T) {
		c := d.log(t, calllog.Request{Phone: "13600001111", Need: "路灯坏了", Category: calllog.CategoryComplaint})
		c, err := d.Core.CallLog.Update(ctx, d.clerk, c.ID, calllog.Update{Handling: "已转12345", Referral: calllog.Referral{Kind: calllog.ReferHotline}})
		if err != nil || c.Status != calllog.StatusReferred || c.Referral.Phone != "12345" {
			t.Fatalf("refer: %+v %v", c, err)
		}
		c, err = d.Core.CallLog.Update(ctx, d.duty, c.ID, calllog.Update{Handling: "已回访", Referral: c.Referral, Status: calllog.StatusClosed})
		if err != nil || c.Status != calllog.StatusClosed {
			t.Fatalf("close: %+v %v", c, err)
		}
		before := d.rows(t)
		if _, err := d.Core.CallLog.Update(ctx, d.duty, c.ID, calllog.Update{Status: "lost"}); apperr.Code(err) != apperr.Invalid {
			t.Errorf("unknown status: got %v, want invalid", err)
		}
		if _, err := d.Core.CallLog.Update(ctx, d.duty, "0190f000-0000-7000-8000-000000000000", calllog.Update{}); apperr.Code(err) != apperr.NotFound {
			t.Errorf("unknown id: got %v, want not found", err)
		}
		sameRows(t, before, d.rows(t))
	})
}

// A call becomes an appointment through the booking service, with its
// checks, and is linked to it in the same transaction: once.
func TestCallLog_Book(t *testing.T) {
	d := open(t)
	ctx := context.Background()
	c := d.log(t, fixtureCall())
	refusals := []struct {
		name string
		req  calllog.BookingRequest
		code string
		say  string
	}{
		{"ClosedDay", calllog.BookingRequest{Line: "A", SlotStart: "2026-11-28T01:00:00Z"}, apperr.Invalid, "不办公"},
		{"NotASlot", calllog.BookingRequest{Line: "A", SlotStart: "2026-11-26T01:07:00Z"}, apperr.Invalid, "不是"},
		{"Past", calllog.BookingRequest{Line: "A", SlotStart: "2026-11-24T01:00:00Z"}, apperr.Invalid, "已经过去"},
		{"UnknownLine", calllog.BookingRequest{Line: "Q", SlotStart: "2026-11-26T01:00:00Z"}, apperr.Invalid, "业务线"},
		{"BadPhone", calllog.BookingRequest{Line: "A", SlotStart: "2026-11-26T01:00:00Z", Phone: "12345"}, apperr.Invalid, "电话号码"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			before := d.rows(t)
			_, err := d.Core.CallLog.Book(ctx, d.duty, c.ID, tt.req)
			if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.say) {
				t.Fatalf("got %v, want %s saying %q", err, tt.code, tt.say)
			}
			sameRows(t, before, d.rows(t))
		})
	}
	t.Run("Books", func(t *testing.T) {
		// The list's masked phone, sent back as shown, books the call's number.
		out, err := d.Core.CallLog.Book(ctx, d.duty, c.ID, calllog.BookingRequest{Line: "A", SlotStart: "2026-11-26T01:00:00Z", Phone: "139****8888"})
		if err != nil {
			t.Fatal(err)
		}
		if out.Call.Status != calllog.StatusBooked || out.Call.BookingID != out.Booking.ID || out.Booking.Code == "" || out.Booking.Channel != "phone" {
			t.Errorf("got %+v, want the call booked and linked, the check-in code given", out)
		}
		if out.Booking.Phone != "139****8888" {
			t.Errorf("duty officer sees the booking's phone %q, want masked as on every booking", out.Booking.Phone)
		}
		b, err := d.Core.Bookings.Get(ctx, d.Admin, out.Booking.ID)
		if err != nil || b.Phone != callerPhone || b.CitizenName != callerName || !strings.Contains(b.Note, "养老保险") {
			t.Errorf("booking as the admin reads it: %+v %v, want the caller's name and phone and the need", b, err)
		}
	})
	t.Run("Twice", func(t *testing.T) {
		before := d.rows(t)
		_, err := d.Core.CallLog.Book(ctx, d.duty, c.ID, calllog.BookingRequest{Line: "A", SlotStart: "2026-11-26T02:00:00Z"})
		if apperr.Code(err) != apperr.Conflict {
			t.Fatalf("got %v, want conflict", err)
		}
		if _, err := d.Core.CallLog.OpenCase(ctx, d.duty, c.ID, calllog.CaseRequest{ItemCode: "MZ-001"}); apperr.Code(err) != apperr.Conflict {
			t.Fatalf("case after booking: got %v, want conflict", err)
		}
		sameRows(t, before, d.rows(t))
	})
}

// A call becomes a case held by nobody; a clerk finds it among the unheld
// and takes it; the duty officer stays responsible and cannot take it.
func TestCallLog_OpenCase(t *testing.T) {
	d := open(t)
	ctx := context.Background()
	c := d.log(t, fixtureCall())
	t.Run("UnknownItem", func(t *testing.T) {
		before := d.rows(t)
		if _, err := d.Core.CallLog.OpenCase(ctx, d.duty, c.ID, calllog.CaseRequest{ItemCode: "NOPE-1"}); apperr.Code(err) != apperr.NotFound {
			t.Fatalf("got %v, want not found", err)
		}
		sameRows(t, before, d.rows(t))
	})
	out, err := d.Core.CallLog.OpenCase(ctx, d.duty, c.ID, calllog.CaseRequest{ItemCode: "MZ-001"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Call.Status != calllog.StatusCase || out.Call.CaseID != out.Case.ID || out.Case.HolderID != "" || out.Case.ResponsibleID != d.duty.ID || !out.Case.Masked {
		t.Fatalf("got %+v, want an unheld case, masked, the duty officer responsible", out)
	}
	unheld, err := d.Core.Cases.List(ctx, d.clerk, cases.Filter{Unheld: true})
	if err != nil || len(unheld) != 1 || unheld[0].ID != out.Case.ID {
		t.Fatalf("unheld cases: %v %v, want the call's case", unheld, err)
	}
	if _, err := d.Core.Cases.Take(ctx, d.duty, out.Case.ID); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("duty officer takes: got %v, want forbidden", err)
	}
	taken, err := d.Core.Cases.Take(ctx, d.clerk, out.Case.ID)
	if err != nil || taken.HolderID != d.clerk.ID {
		t.Fatalf("clerk takes: %+v %v", taken, err)
	}
	full, err := d.Core.Cases.Get(ctx, d.clerk, out.Case.ID)
	if err != nil || full.Phone != callerPhone || full.CitizenName != callerName {
		t.Errorf("the holder reads %q %q, %v: want the caller", full.CitizenName, full.Phone, err)
	}
	if unheld, _ := d.Core.Cases.List(ctx, d.clerk, cases.Filter{Unheld: true}); len(unheld) != 0 {
		t.Errorf("still unheld after the take: %v", unheld)
	}
}

// The database file and its WAL hold neither the caller's name nor phone.
func TestCallLog_NoPlainPhoneInFile(t *testing.T) {
	d := open(t)
	ctx := context.Background()
	c := d.log(t, fixtureCall())
	if _, err := d.Core.CallLog.Get(ctx, d.duty, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Core.CallLog.Book(ctx, d.duty, c.ID, calllog.BookingRequest{Line: "A", SlotStart: "2026-11-26T01:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(d.Core.DataDir, store.FileName)
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{callerPhone, callerName} {
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("%s holds %q in the clear", filepath.Base(f), v)
			}
		}
	}
}
