package proxy_test

import (
	"context"
	"strings"
	"testing"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/proxy"
)

// round is the assistant's three villages on the room's round: 和平村 first,
// then 石桥村, then 新街社区 (positions 1, 2, 3), and a village of another
// room the assistant does not cover.
type round struct {
	heping, shiqiao, xinjie, far proxy.Village
}

func (f fixture) round(t *testing.T) round {
	t.Helper()
	ctx := context.Background()
	add := func(name, room string, pos int) proxy.Village {
		v, err := f.svc.AddVillage(ctx, f.site.Admin, proxy.Village{Name: name, Room: room, Position: pos})
		if err != nil {
			t.Fatalf("add village %s: %v", name, err)
		}
		return v
	}
	r := round{shiqiao: add("石桥村", "石桥村便民服务室", 2), heping: add("和平村", "石桥村便民服务室", 1),
		xinjie: add("新街社区", "石桥村便民服务室", 3), far: add("远山村", "远山村便民服务室", 1)}
	ids := []string{r.heping.ID, r.shiqiao.ID, r.xinjie.ID}
	if _, err := f.svc.SetCard(ctx, f.site.Admin, f.assistant.ID, proxy.CardInput{WorkPhone: "0818-7654321", VillageIDs: &ids}); err != nil {
		t.Fatalf("cover villages: %v", err)
	}
	return r
}

func (f fixture) book(t *testing.T, v proxy.Village, name, hm string, minutes int) proxy.Visit {
	t.Helper()
	got, err := f.svc.BookVisit(context.Background(), f.assistant, proxy.VisitRequest{VillageID: v.ID, Name: name, Phone: "13900001111",
		Date: "2026-11-26", Time: hm, Minutes: minutes, Reason: "老人行动不便，代办高龄津贴"})
	if err != nil {
		t.Fatalf("book %s %s: %v", v.Name, hm, err)
	}
	return got
}

func TestRoute_VillagesInRoundOrderTimesChained(t *testing.T) {
	f := setup(t)
	r := f.round(t)
	f.book(t, r.shiqiao, "王大爷", "09:00", 30)
	f.book(t, r.heping, "李奶奶", "10:00", 60)
	f.book(t, r.heping, "刘大娘", "11:10", 30)
	f.book(t, r.xinjie, "陈伯伯", "09:30", 30)
	route, err := f.svc.Route(context.Background(), f.assistant, "2026-11-26")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(route.Villages, "→"); got != "和平村→石桥村→新街社区" {
		t.Errorf("villages %s, want the room's round 和平村→石桥村→新街社区", got)
	}
	want := []struct {
		name, village, planned, until string
		travel                        int
		late                          bool
	}{
		{"李奶奶", "和平村", "10:00", "11:00", 0, false},  // first stop: its booked time
		{"刘大娘", "和平村", "11:10", "11:40", 5, false},  // 11:00 + 5 within the village is before 11:10
		{"王大爷", "石桥村", "12:00", "12:30", 20, true},  // 11:40 + 20 to the next village, later than booked
		{"陈伯伯", "新街社区", "12:50", "13:20", 20, true}, // chained again
	}
	if len(route.Stops) != len(want) {
		t.Fatalf("got %d stops, want %d", len(route.Stops), len(want))
	}
	for i, w := range want {
		s := route.Stops[i]
		if s.CitizenName != w.name || s.VillageName != w.village || s.Planned != w.planned || s.Until != w.until || s.Travel != w.travel || s.Late != w.late {
			t.Errorf("stop %d: got %s %s %s–%s travel %d late %v, want %+v", i, s.CitizenName, s.VillageName, s.Planned, s.Until, s.Travel, s.Late, w)
		}
	}
	if route.Minutes != 60+5+30+20+30+20+30 {
		t.Errorf("route minutes %d, want visits plus travel", route.Minutes)
	}
	t.Run("OutcomeOtherThanDoneTakesNoTime", func(t *testing.T) {
		if _, err := f.svc.RecordOutcome(context.Background(), f.assistant, route.Stops[0].ID, proxy.OutcomeRequest{Outcome: "not_home", Note: "邻居说去女儿家了"}); err != nil {
			t.Fatal(err)
		}
		again, err := f.svc.Route(context.Background(), f.assistant, "2026-11-26")
		if err != nil {
			t.Fatal(err)
		}
		if s := again.Stops[1]; s.Planned != "11:10" || again.Stops[2].Planned != "12:00" {
			t.Errorf("got %s then %s, want 11:10 then 12:00 (10:00 + 5 → booked 11:10)", s.Planned, again.Stops[2].Planned)
		}
		if again.Stops[0].OutcomeName != "不在家" {
			t.Errorf("outcome %q, want 不在家", again.Stops[0].OutcomeName)
		}
	})
	t.Run("ReadsAudited", func(t *testing.T) {
		if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'proxy.route'`); n != 2 {
			t.Errorf("got %d proxy.route lines, want one per read of the route in full", n)
		}
	})
	t.Run("AdminMovesAVillageOnTheRound", func(t *testing.T) {
		if _, err := f.svc.SetVillagePosition(context.Background(), f.assistant, r.xinjie.ID, 0); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("assistant: got %v, want forbidden", err)
		}
		if _, err := f.svc.SetVillagePosition(context.Background(), f.site.Admin, r.xinjie.ID, 0); err != nil {
			t.Fatal(err)
		}
		again, err := f.svc.Route(context.Background(), f.assistant, "2026-11-26")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(again.Villages, "→"); got != "新街社区→和平村→石桥村" {
			t.Errorf("villages %s, want 新街社区 first once moved to position 0", got)
		}
	})
	t.Run("ListMaskedCentreSeesAll", func(t *testing.T) {
		list, err := f.svc.Visits(context.Background(), f.clerk, "2026-11-26")
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 4 || !list[0].Masked || list[0].Phone != "139****1111" || list[0].CitizenName != "王*爷" {
			t.Errorf("got %+v, want four masked visits by time", list)
		}
		if own, _ := f.svc.Visits(context.Background(), f.other, "2026-11-26"); len(own) != 0 {
			t.Errorf("another assistant sees %d visits, want none", len(own))
		}
		if _, err := f.svc.Visits(context.Background(), f.duty, "2026-11-26"); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("duty officer: got %v, want forbidden", err)
		}
	})
}

func TestBookVisit_BadInputRefusedNothingSaved(t *testing.T) {
	f := setup(t)
	r := f.round(t)
	f.book(t, r.shiqiao, "王大爷", "09:00", 60)
	ok := func() proxy.VisitRequest {
		return proxy.VisitRequest{VillageID: r.heping.ID, Name: "李奶奶", Phone: "13900002222", Date: "2026-11-26", Time: "14:00", Minutes: 30, Reason: "代办残疾人证换领"}
	}
	tests := []struct {
		name   string
		by     account.Principal
		change func(*proxy.VisitRequest)
		code   string
		says   string
	}{
		{"PastDay", f.assistant, func(v *proxy.VisitRequest) { v.Date = "2026-11-24" }, apperr.Invalid, "已过"},
		{"EarlierToday", f.assistant, func(v *proxy.VisitRequest) { v.Date, v.Time = "2026-11-25", "08:30" }, apperr.Invalid, "已过"},
		{"OverlapsStart", f.assistant, func(v *proxy.VisitRequest) { v.Time = "08:45" }, apperr.Conflict, "时间重叠"},
		{"OverlapsInside", f.assistant, func(v *proxy.VisitRequest) { v.Time, v.Minutes = "09:30", 10 }, apperr.Conflict, "石桥村"},
		{"UnknownVillage", f.assistant, func(v *proxy.VisitRequest) { v.VillageID = "nope" }, apperr.Invalid, "不在您的服务范围"},
		{"VillageNotCovered", f.assistant, func(v *proxy.VisitRequest) { v.VillageID = r.far.ID }, apperr.Invalid, "不在您的服务范围"},
		{"InvalidPhone", f.assistant, func(v *proxy.VisitRequest) { v.Phone = "1234" }, apperr.Invalid, "电话"},
		{"NoName", f.assistant, func(v *proxy.VisitRequest) { v.Name = " " }, apperr.Invalid, "姓名"},
		{"BadTime", f.assistant, func(v *proxy.VisitRequest) { v.Time = "25:00" }, apperr.Invalid, "HH:MM"},
		{"TooLong", f.assistant, func(v *proxy.VisitRequest) { v.Minutes = 300 }, apperr.Invalid, "预计用时"},
		{"NoReason", f.assistant, func(v *proxy.VisitRequest) { v.Reason = "" }, apperr.Invalid, "事由"},
		{"Clerk", f.clerk, func(*proxy.VisitRequest) {}, apperr.Forbidden, "只有代办员"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.visitSnapshot(t)
			req := ok()
			tt.change(&req)
			_, err := f.svc.BookVisit(context.Background(), tt.by, req)
			if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.says) {
				t.Fatalf("got %v, want %s saying %q", err, tt.code, tt.says)
			}
			if after := f.visitSnapshot(t); after != before {
				t.Errorf("changed: %s → %s", before, after)
			}
		})
	}
	t.Run("BackToBackAccepted", func(t *testing.T) {
		req := ok()
		req.VillageID, req.Time = r.shiqiao.ID, "10:00"
		if _, err := f.svc.BookVisit(context.Background(), f.assistant, req); err != nil {
			t.Errorf("visit starting as the other ends: %v", err)
		}
	})
}

func (f fixture) visitSnapshot(t *testing.T) string {
	t.Helper()
	var s string
	if err := f.site.Core.DB.Read().QueryRow(`SELECT (SELECT count(*) FROM home_visit) || '/' || (SELECT count(*) FROM audit_log) || '/' ||
		(SELECT count(*) FROM proxy_case) || '/' || (SELECT count(*) FROM home_visit WHERE case_id <> '')`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVisit_OpensAProxyCaseOnTheSpot(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	r := f.round(t)
	v := f.book(t, r.shiqiao, "张小三", "09:00", 30)
	t.Run("Refused", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			by   account.Principal
			req  proxy.VisitCaseRequest
			code string
		}{
			{"BadIDNumber", f.assistant, proxy.VisitCaseRequest{ItemCode: "MZ-005", IDNumber: "511725199003071233"}, apperr.Invalid},
			{"UnknownItem", f.assistant, proxy.VisitCaseRequest{ItemCode: "XX-999", IDNumber: idZhang}, apperr.NotFound},
			{"AnotherAssistant", f.other, proxy.VisitCaseRequest{ItemCode: "MZ-005", IDNumber: idZhang}, apperr.Forbidden},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := f.visitSnapshot(t)
				if _, err := f.svc.OpenCaseFromVisit(ctx, tt.by, v.ID, tt.req); apperr.Code(err) != tt.code {
					t.Fatalf("got %v, want %s", err, tt.code)
				}
				if after := f.visitSnapshot(t); after != before {
					t.Errorf("changed: %s → %s", before, after)
				}
			})
		}
	})
	c, err := f.svc.OpenCaseFromVisit(ctx, f.assistant, v.ID, proxy.VisitCaseRequest{ItemCode: "MZ-005", IDNumber: idZhang})
	if err != nil {
		t.Fatal(err)
	}
	if c.Channel != "home_visit" || c.VillageName != "石桥村" || c.CitizenName != "张*三" || c.State != proxy.Requested {
		t.Errorf("got %s %s %s %s, want a home-visit case in 石桥村 for the visit's villager", c.Channel, c.VillageName, c.CitizenName, c.State)
	}
	full, err := f.svc.Get(ctx, f.assistant, c.ID)
	if err != nil || full.Phone != "13900001111" || full.CitizenName != "张小三" {
		t.Errorf("got %q %q (%v), want the visit's name and phone carried", full.CitizenName, full.Phone, err)
	}
	list, _ := f.svc.Visits(ctx, f.assistant, "2026-11-26")
	if len(list) != 1 || list[0].CaseID != c.ID || list[0].CaseNumber != c.Number {
		t.Errorf("visit %+v, want linked to %s", list, c.Number)
	}
	if _, err := f.svc.OpenCaseFromVisit(ctx, f.assistant, v.ID, proxy.VisitCaseRequest{ItemCode: "MZ-001", IDNumber: idZhang}); apperr.Code(err) != apperr.Conflict {
		t.Errorf("second case from one visit: got %v, want conflict", err)
	}
}
