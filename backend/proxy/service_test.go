package proxy_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/cases"
	"budayang/backend/core/coretest"
	"budayang/backend/proxy"
)

// The villager of the fixtures: a valid resident ID number (GB 11643 check
// digit) and a mobile number.
const (
	idZhang    = "511725199003071232"
	phoneZhang = "13812345678"
)

type fixture struct {
	site                          *coretest.Site
	svc                           *proxy.Service
	assistant, other, clerk, duty account.Principal
}

func setup(t *testing.T) fixture {
	t.Helper()
	s := coretest.Open(t)
	return fixture{site: s, svc: s.Core.Proxy,
		assistant: s.Person("zhao", "赵代办", account.RoleAssistant),
		other:     s.Person("qian", "钱代办", account.RoleAssistant),
		clerk:     s.Person("clerk1", "李窗口", account.RoleClerk),
		duty:      s.Person("duty1", "孙值班", account.RoleDuty)}
}

// elderly is a request for the senior citizen's card (MZ-005: two
// materials, the first required, five working days).
func elderly() proxy.OpenRequest {
	return proxy.OpenRequest{ItemCode: "MZ-005", Name: "张小三", IDNumber: idZhang, Phone: "138 1234 5678", Channel: "phone", Where: "石桥村便民服务室"}
}

func (f fixture) open(t *testing.T, req proxy.OpenRequest) proxy.Case {
	t.Helper()
	c, err := f.svc.Open(context.Background(), f.assistant, req)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return c
}

func (f fixture) move(t *testing.T, by account.Principal, id string, mv proxy.Move) proxy.Case {
	t.Helper()
	c, err := f.svc.Transition(context.Background(), by, id, mv)
	if err != nil {
		t.Fatalf("to %s: %v", mv.To, err)
	}
	return c
}

func (f fixture) tickRequired(t *testing.T, c proxy.Case) {
	t.Helper()
	for _, m := range c.Materials {
		if m.Required {
			i := m.Index
			if _, err := f.svc.SetMaterial(context.Background(), f.assistant, c.ID, proxy.Tick{Index: &i, Collected: true, Note: "原件已看，复印件已收"}); err != nil {
				t.Fatalf("tick %d: %v", i, err)
			}
		}
	}
}

// snapshot is every row count and version a refused request must leave as
// it was.
func (f fixture) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT count(*) || '/' || coalesce(sum(version), 0) || '/' || coalesce(group_concat(state), '') FROM proxy_case`,
		`SELECT count(*) || '/' || coalesce(sum(collected), 0) FROM proxy_material`,
		`SELECT count(*) FROM proxy_event`, `SELECT count(*) FROM outbox`, `SELECT count(*) FROM audit_log`,
		`SELECT count(*) FROM village`, `SELECT count(*) FROM assistant_card`, `SELECT count(*) FROM assistant_village`,
	} {
		var s string
		if err := f.site.Core.DB.Read().QueryRow(q).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		b.WriteString(s + ";")
	}
	return b.String()
}

func TestOpen_SealsMasksAndCopiesTheChecklist(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c := f.open(t, elderly())
	t.Run("AnswerMasked", func(t *testing.T) {
		if !c.Masked || c.IDNumber != "511725********1232" || c.Phone != "138****5678" || c.CitizenName != "张*三" {
			t.Errorf("got %q %q %q masked=%v, want masked", c.CitizenName, c.IDNumber, c.Phone, c.Masked)
		}
		if c.State != proxy.Requested || c.Number != "DB-20261125-001" || c.OwnerID != f.assistant.ID {
			t.Errorf("got %s %s owner %s", c.State, c.Number, c.OwnerID)
		}
		if len(c.Materials) != 2 || !c.Materials[0].Required || c.MissingRequired != 1 {
			t.Errorf("got checklist %+v missing %d, want the item's two lines", c.Materials, c.MissingRequired)
		}
	})
	t.Run("DueFromTheCalendar", func(t *testing.T) {
		// Wednesday 25 November + 5 (allowance) + 5 (the item) working days.
		if c.DueDate != "2026-12-09" || c.DueWarning != "" {
			t.Errorf("got %s %q, want 2026-12-09 without warning", c.DueDate, c.DueWarning)
		}
		low := elderly()
		low.ItemCode = "MZ-001"
		c2 := f.open(t, low)
		if !strings.Contains(c2.DueWarning, "2027年节假日安排尚未导入") {
			t.Errorf("got warning %q, want the calendar's missing-year warning", c2.DueWarning)
		}
	})
	t.Run("OwnerReadsInFullAudited", func(t *testing.T) {
		before := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'proxy.read'`)
		got, err := f.svc.Get(ctx, f.assistant, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Masked || got.IDNumber != idZhang || got.Phone != phoneZhang || got.CitizenName != "张小三" {
			t.Errorf("got %q %q %q, want in full", got.CitizenName, got.IDNumber, got.Phone)
		}
		if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'proxy.read'`); n != before+1 {
			t.Errorf("got %d proxy.read lines, want %d", n, before+1)
		}
		if len(got.History) != 1 || got.History[0].Where != "石桥村便民服务室" || got.History[0].Actor != "zhao" {
			t.Errorf("got history %+v, want one line with who and where", got.History)
		}
	})
	t.Run("CentreReadsMasked", func(t *testing.T) {
		for _, by := range []account.Principal{f.site.Admin, f.clerk} {
			got, err := f.svc.Get(ctx, by, c.ID)
			if err != nil || !got.Masked || strings.Contains(got.IDNumber, "19900307") {
				t.Errorf("%s: got %v %q, want masked", by.Login, err, got.IDNumber)
			}
		}
	})
	t.Run("OthersRefused", func(t *testing.T) {
		for _, by := range []account.Principal{f.other, f.duty} {
			if _, err := f.svc.Get(ctx, by, c.ID); apperr.Code(err) != apperr.Forbidden {
				t.Errorf("%s: got %v, want forbidden", by.Login, err)
			}
		}
		list, err := f.svc.List(ctx, f.other, proxy.Filter{})
		if err != nil || len(list) != 0 {
			t.Errorf("another assistant's list: got %d cases, %v; want none", len(list), err)
		}
	})
	t.Run("ListsMasked", func(t *testing.T) {
		for _, by := range []account.Principal{f.assistant, f.site.Admin} {
			list, err := f.svc.List(ctx, by, proxy.Filter{State: proxy.Requested})
			if err != nil || len(list) != 2 {
				t.Fatalf("%s: got %d, %v; want 2", by.Login, len(list), err)
			}
			for _, c := range list {
				if !c.Masked || strings.Contains(c.IDNumber+c.Phone, "19900307") || strings.Contains(c.Phone, "1234") {
					t.Errorf("%s: got %q %q in a list", by.Login, c.IDNumber, c.Phone)
				}
			}
		}
	})
	t.Run("OutboxMasked", func(t *testing.T) {
		var payloads string
		if err := f.site.Core.DB.Read().QueryRow(`SELECT group_concat(payload, '|') FROM outbox WHERE kind LIKE 'proxy.%'`).Scan(&payloads); err != nil {
			t.Fatal(err)
		}
		if payloads == "" || strings.Contains(payloads, idZhang) || strings.Contains(payloads, phoneZhang) || strings.Contains(payloads, "张小三") {
			t.Errorf("outbox carries personal data: %s", payloads)
		}
	})
}

func (f fixture) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.site.Core.DB.Read().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpen_RefusesBadInputAndChangesNothing(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	f.open(t, elderly())
	tests := []struct {
		name string
		by   account.Principal
		edit func(r *proxy.OpenRequest)
		code string
		says string
	}{
		{"BadCheckDigit", f.assistant, func(r *proxy.OpenRequest) { r.IDNumber = "511725199003071233" }, apperr.Invalid, "身份证"},
		{"ShortPhone", f.assistant, func(r *proxy.OpenRequest) { r.Phone = "1381234567" }, apperr.Invalid, "手机号"},
		{"NoName", f.assistant, func(r *proxy.OpenRequest) { r.Name = " " }, apperr.Invalid, "姓名"},
		{"UnknownItem", f.assistant, func(r *proxy.OpenRequest) { r.ItemCode = "XX-999" }, apperr.NotFound, "XX-999"},
		{"CountyOnlyItem", f.assistant, func(r *proxy.OpenRequest) { r.ItemCode = "MZ-006" }, apperr.Invalid, "不能代办"},
		{"UnknownChannel", f.assistant, func(r *proxy.OpenRequest) { r.Channel = "fax" }, apperr.Invalid, "受理渠道"},
		{"NoPlace", f.assistant, func(r *proxy.OpenRequest) { r.Where = "" }, apperr.Invalid, "办理地点"},
		{"VillageNotCovered", f.assistant, func(r *proxy.OpenRequest) { r.VillageID = "nope" }, apperr.Invalid, "服务范围"},
		{"Duplicate", f.assistant, func(*proxy.OpenRequest) {}, apperr.Conflict, "请勿重复登记"},
		{"ClerkOpens", f.clerk, func(*proxy.OpenRequest) {}, apperr.Forbidden, "只有代办员"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.snapshot(t)
			req := elderly()
			tt.edit(&req)
			_, err := f.svc.Open(ctx, tt.by, req)
			if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.says) {
				t.Errorf("got %v (%s), want %s saying %q", err, apperr.Code(err), tt.code, tt.says)
			}
			if after := f.snapshot(t); after != before {
				t.Errorf("database changed: %s → %s", before, after)
			}
		})
	}
}

func TestTransition_WholeLife(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c := f.open(t, elderly())
	f.tickRequired(t, c)
	f.move(t, f.assistant, c.ID, proxy.Move{To: proxy.MaterialsCollected, Where: "张小三家中"})
	f.site.Clock.Advance(24 * time.Hour)
	f.move(t, f.assistant, c.ID, proxy.Move{To: proxy.HandedOver, Where: "测试镇便民服务中心", Note: "逢场天交件"})
	wc, err := f.site.Core.Cases.Open(ctx, f.clerk, cases.OpenRequest{ItemCode: "MZ-005", Name: "张小三", IDNumber: idZhang, Phone: phoneZhang})
	if err != nil {
		t.Fatal(err)
	}
	got := f.move(t, f.clerk, c.ID, proxy.Move{To: proxy.Accepted, Where: "综合窗口1", WindowCaseID: wc.ID})
	if got.WindowCaseNumber != wc.Number || got.DueDate != "2026-12-03" {
		t.Errorf("accepted: got window case %q due %s, want %s due 2026-12-03 (26 Nov + 5 working days)", got.WindowCaseNumber, got.DueDate, wc.Number)
	}
	f.move(t, f.clerk, c.ID, proxy.Move{To: proxy.ResultReady, Where: "综合窗口1"})
	got = f.move(t, f.assistant, c.ID, proxy.Move{To: proxy.Returned, Where: "石桥村", ReturnMethod: proxy.ReturnDelivery})
	if got.State != proxy.Returned || got.ReturnMethod != proxy.ReturnDelivery || got.Next != "" {
		t.Errorf("got %s %s next %q, want returned by delivery", got.State, got.ReturnMethod, got.Next)
	}
	full, err := f.svc.Get(ctx, f.assistant, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range full.History {
		if e.Action == "transition" || e.Action == "open" {
			if e.Where == "" || e.Actor == "" || e.At.IsZero() {
				t.Errorf("step %+v lacks who, when or where", e)
			}
			steps = append(steps, e.To)
		}
	}
	if strings.Join(steps, ",") != strings.Join(proxy.States, ",") {
		t.Errorf("got steps %v, want %v", steps, proxy.States)
	}
	t.Run("NewRequestAfterReturn", func(t *testing.T) {
		if _, err := f.svc.Open(ctx, f.assistant, elderly()); err != nil {
			t.Errorf("got %v, want a new case once the last one is returned", err)
		}
	})
}

func TestTransition_RefusesAndChangesNothing(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	fresh := f.open(t, elderly())
	other := elderly()
	other.ItemCode = "MZ-004"
	accepted := f.open(t, other)
	f.tickRequired(t, accepted)
	f.move(t, f.assistant, accepted.ID, proxy.Move{To: proxy.MaterialsCollected, Where: "村"})
	f.move(t, f.assistant, accepted.ID, proxy.Move{To: proxy.HandedOver, Where: "镇"})
	wc, err := f.site.Core.Cases.Open(ctx, f.clerk, cases.OpenRequest{ItemCode: "MZ-004", Name: "张小三", IDNumber: idZhang, Phone: phoneZhang})
	if err != nil {
		t.Fatal(err)
	}
	f.move(t, f.clerk, accepted.ID, proxy.Move{To: proxy.Accepted, Where: "窗口", WindowCaseID: wc.ID})
	tests := []struct {
		name string
		by   account.Principal
		id   string
		move proxy.Move
		code string
		says string
	}{
		{"CollectedWithoutRequiredMaterials", f.assistant, fresh.ID, proxy.Move{To: proxy.MaterialsCollected, Where: "村"}, apperr.Invalid, "还缺少必需材料"},
		{"HandoverSkippingCollection", f.assistant, fresh.ID, proxy.Move{To: proxy.HandedOver, Where: "镇"}, apperr.Conflict, "下一步应为“材料已收齐”"},
		{"ReturnNotReady", f.assistant, accepted.ID, proxy.Move{To: proxy.Returned, Where: "村", ReturnMethod: proxy.ReturnPost}, apperr.Conflict, "下一步应为“结果已出”"},
		{"AnotherAssistantsCase", f.other, fresh.ID, proxy.Move{To: proxy.MaterialsCollected, Where: "村"}, apperr.Forbidden, "不是您负责的代办件"},
		{"DutyOfficer", f.duty, accepted.ID, proxy.Move{To: proxy.ResultReady, Where: "村"}, apperr.Forbidden, "不是您负责的代办件"},
		{"AcceptedTwice", f.clerk, accepted.ID, proxy.Move{To: proxy.Accepted, Where: "窗口", WindowCaseID: wc.ID}, apperr.Conflict, "当前为“中心已受理”"},
		{"UnknownCase", f.assistant, "0190f000-0000-7000-8000-000000000000", proxy.Move{To: proxy.MaterialsCollected, Where: "村"}, apperr.NotFound, "找不到这个代办件"},
		{"OverlongPlace", f.assistant, fresh.ID, proxy.Move{To: proxy.MaterialsCollected, Where: strings.Repeat("村", 61)}, apperr.Invalid, "最多60个字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.snapshot(t)
			_, err := f.svc.Transition(ctx, tt.by, tt.id, tt.move)
			if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.says) {
				t.Errorf("got %v (%s), want %s saying %q", err, apperr.Code(err), tt.code, tt.says)
			}
			if after := f.snapshot(t); after != before {
				t.Errorf("database changed: %s → %s", before, after)
			}
		})
	}
	t.Run("UnknownWindowCase", func(t *testing.T) {
		handed := elderly()
		handed.ItemCode = "MZ-003"
		c := f.open(t, handed)
		f.tickRequired(t, c)
		f.move(t, f.assistant, c.ID, proxy.Move{To: proxy.MaterialsCollected, Where: "村"})
		f.move(t, f.assistant, c.ID, proxy.Move{To: proxy.HandedOver, Where: "镇"})
		before := f.snapshot(t)
		_, err := f.svc.Transition(ctx, f.clerk, c.ID, proxy.Move{To: proxy.Accepted, Where: "窗口", WindowCaseID: "nope"})
		if apperr.Code(err) != apperr.NotFound {
			t.Errorf("got %v, want not found", err)
		}
		if after := f.snapshot(t); after != before {
			t.Errorf("database changed: %s → %s", before, after)
		}
	})
}

func TestSetMaterial_RefusesAndChangesNothing(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c := f.open(t, elderly())
	f.tickRequired(t, c)
	f.move(t, f.assistant, c.ID, proxy.Move{To: proxy.MaterialsCollected, Where: "村"})
	zero, nine := 0, 9
	tests := []struct {
		name string
		by   account.Principal
		tick proxy.Tick
		code string
		says string
	}{
		{"AnotherAssistant", f.other, proxy.Tick{Index: &zero}, apperr.Forbidden, "不是您负责的代办件"},
		{"Clerk", f.clerk, proxy.Tick{Index: &zero}, apperr.Forbidden, "不是您负责的代办件"},
		{"NoIndex", f.assistant, proxy.Tick{}, apperr.Invalid, "材料序号"},
		{"BeyondTheChecklist", f.assistant, proxy.Tick{Index: &nine, Collected: true}, apperr.Invalid, "超出"},
		{"UntickRequiredOnceCollected", f.assistant, proxy.Tick{Index: &zero}, apperr.Conflict, "不能取消必需材料"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.snapshot(t)
			_, err := f.svc.SetMaterial(ctx, tt.by, c.ID, tt.tick)
			if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.says) {
				t.Errorf("got %v (%s), want %s saying %q", err, apperr.Code(err), tt.code, tt.says)
			}
			if after := f.snapshot(t); after != before {
				t.Errorf("database changed: %s → %s", before, after)
			}
		})
	}
}

func TestList_LateShowsStalledAndOverdue(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	waiting := f.open(t, elderly())
	late := func(by account.Principal) []string {
		t.Helper()
		list, err := f.svc.List(ctx, by, proxy.Filter{Late: true})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range list {
			ids = append(ids, c.ID)
		}
		return ids
	}
	// Three working days in requested is the limit; Monday 30 November is
	// the third after Wednesday, Tuesday the fourth.
	f.site.Clock.Set(time.Date(2026, 11, 30, 17, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	if got := late(f.assistant); len(got) != 0 {
		t.Errorf("at the limit: got %v, want nothing late", got)
	}
	f.site.Clock.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	for _, by := range []account.Principal{f.assistant, f.site.Admin} {
		if got := late(by); len(got) != 1 || got[0] != waiting.ID {
			t.Errorf("%s: got %v, want the stalled case", by.Login, got)
		}
	}
	if got := late(f.other); len(got) != 0 {
		t.Errorf("another assistant: got %v, want none", got)
	}
	f.site.Clock.Set(time.Date(2026, 12, 10, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	list, err := f.svc.List(ctx, f.assistant, proxy.Filter{Late: true})
	if err != nil || len(list) != 1 || !list[0].Overdue || !list[0].Stalled {
		t.Errorf("past 9 December: got %+v %v, want overdue and stalled", list, err)
	}
}

// The fixture's full ID number and phone are nowhere in the database files:
// not in the rows, the history, the audit log or the outbox.
func TestPersonalData_NotInTheDatabaseFile(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c := f.open(t, elderly())
	f.tickRequired(t, c)
	f.move(t, f.assistant, c.ID, proxy.Move{To: proxy.MaterialsCollected, Where: "村"})
	if _, err := f.svc.Get(ctx, f.assistant, c.ID); err != nil {
		t.Fatal(err)
	}
	path := f.site.Core.DB.Path()
	for _, file := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(file)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{idZhang, phoneZhang, "张小三"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %q in the clear", file, secret)
			}
		}
	}
}
