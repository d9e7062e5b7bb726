package proxy_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/booking"
	"budayang/backend/calendar"
	"budayang/backend/cases"
	"budayang/backend/clock"
	"budayang/backend/proxy"
	"budayang/backend/store"
)

// residentID is a valid resident ID number (GB 11643 check digit) for the
// first 17 digits.
func residentID(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return first17 + string("10X98765432"[sum%11])
}

// market is a site on Wednesday 25 November 2026, a market day (逢5), with
// the assistant's cases: two with their materials collected, one still
// collecting, and one of another assistant's with its materials collected.
type market struct {
	fixture
	ready1, ready2, collecting, others proxy.Case
}

func setupMarket(t *testing.T) market {
	t.Helper()
	f := setup(t)
	ctx := context.Background()
	if _, err := f.site.Core.Calendar.SetMarketRule(ctx, f.site.Admin, calendar.MarketRule{Kind: calendar.MarketSolar, Days: []int{5, 15, 25}}); err != nil {
		t.Fatalf("market rule: %v", err)
	}
	m := market{fixture: f}
	villager := func(name, id, phone string) proxy.OpenRequest {
		return proxy.OpenRequest{ItemCode: "MZ-005", Name: name, IDNumber: id, Phone: phone, Channel: "phone", Where: "石桥村便民服务室"}
	}
	collected := func(by string, req proxy.OpenRequest) proxy.Case {
		owner := f.assistant
		if by == "other" {
			owner = f.other
		}
		c, err := f.svc.Open(ctx, owner, req)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		i := 0
		if _, err := f.svc.SetMaterial(ctx, owner, c.ID, proxy.Tick{Index: &i, Collected: true, Note: "原件已看"}); err != nil {
			t.Fatalf("tick: %v", err)
		}
		c, err = f.svc.Transition(ctx, owner, c.ID, proxy.Move{To: proxy.MaterialsCollected, Where: "石桥村便民服务室"})
		if err != nil {
			t.Fatalf("collected: %v", err)
		}
		return c
	}
	m.ready1 = collected("", villager("张小三", idZhang, phoneZhang))
	m.ready2 = collected("", villager("李四妹", residentID("51172519450101002"), "13900002222"))
	m.others = collected("other", villager("王五", residentID("51172519500202003"), "13900003333"))
	var err error
	if m.collecting, err = f.svc.Open(ctx, f.assistant, villager("赵六", residentID("51172519400303004"), "13900004444")); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMarketDay_ListsOnMarketDaysOnly(t *testing.T) {
	m := setupMarket(t)
	ctx := context.Background()
	core := m.site.Core
	if _, err := core.Bookings.SetLineRule(ctx, m.site.Admin, booking.LineRule{Line: "A", SlotMinutes: 30, Capacity: 2, ExtendedCapacity: 1}); err != nil {
		t.Fatal(err)
	}
	slot := time.Date(2026, 11, 25, 15, 0, 0, 0, clock.Shanghai).UTC().Format(time.RFC3339)
	if _, err := core.Bookings.Create(ctx, booking.Staff(m.clerk), booking.Request{Line: "A", SlotStart: slot, Name: "张小三", Phone: phoneZhang}); err != nil {
		t.Fatalf("book: %v", err)
	}
	if _, err := core.Bookings.Create(ctx, booking.Staff(m.clerk), booking.Request{Line: "A", SlotStart: slot, Name: "陌生人", Phone: "13700009999"}); err != nil {
		t.Fatalf("book: %v", err)
	}
	// A result ready to take back: handed over, accepted, result out.
	if _, err := m.svc.HandOver(ctx, m.assistant, proxy.HandoverRequest{CaseIDs: []string{m.ready2.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.svc.Accept(ctx, m.clerk, m.ready2.ID, proxy.AcceptRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.svc.Transition(ctx, m.clerk, m.ready2.ID, proxy.Move{To: proxy.ResultReady, Where: "综合窗口"}); err != nil {
		t.Fatal(err)
	}
	numbers := func(list []proxy.Case) string {
		var out []string
		for _, c := range list {
			out = append(out, c.Number+"/"+c.CitizenName)
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name                    string
		at                      time.Time
		market                  bool
		handOver, booked, ready string
	}{
		{"MarketDay", time.Date(2026, 11, 25, 9, 30, 0, 0, clock.Shanghai), true, m.ready1.Number + "/张*三", "张*三/138****5678/" + m.ready1.Number, m.ready2.Number + "/李*妹"},
		{"OtherDay", time.Date(2026, 11, 26, 9, 30, 0, 0, clock.Shanghai), false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m.site.Clock.Set(tt.at)
			h, err := m.svc.MarketDay(ctx, m.assistant)
			if err != nil {
				t.Fatal(err)
			}
			var booked []string
			for _, b := range h.Booked {
				booked = append(booked, b.CitizenName+"/"+b.Phone+"/"+strings.Join(b.Cases, "、"))
			}
			if h.MarketDay != tt.market || numbers(h.ToHandOver) != tt.handOver || strings.Join(booked, ",") != tt.booked || numbers(h.Results) != tt.ready {
				t.Errorf("got market %v, hand over %q, booked %q, results %q; want %v %q %q %q",
					h.MarketDay, numbers(h.ToHandOver), booked, numbers(h.Results), tt.market, tt.handOver, tt.booked, tt.ready)
			}
		})
	}
	if _, err := m.svc.MarketDay(ctx, m.clerk); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("clerk: got %v, want forbidden", err)
	}
}

func TestHandOver_AllOrNothing(t *testing.T) {
	m := setupMarket(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		ids   []string
		code  string
		names []string
	}{
		{"OneMissingMaterials", []string{m.ready1.ID, m.collecting.ID}, apperr.Invalid, []string{m.collecting.Number, "还缺少必需材料", "一件也未交接"}},
		{"AnothersCase", []string{m.ready1.ID, m.others.ID}, apperr.Invalid, []string{m.others.Number, "不是您负责的"}},
		{"UnknownCase", []string{m.ready1.ID, "nope"}, apperr.Invalid, []string{"nope：找不到"}},
		{"None", nil, apperr.Invalid, []string{"请选择"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := m.snapshot(t) + m.handoverCount(t)
			_, err := m.svc.HandOver(ctx, m.assistant, proxy.HandoverRequest{CaseIDs: tt.ids})
			if apperr.Code(err) != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
			for _, s := range tt.names {
				if !strings.Contains(apperr.Message(err), s) {
					t.Errorf("refusal %q does not say %q", apperr.Message(err), s)
				}
			}
			if after := m.snapshot(t) + m.handoverCount(t); after != before {
				t.Errorf("changed: %s → %s", before, after)
			}
		})
	}
	t.Run("WholeBatch", func(t *testing.T) {
		h, err := m.svc.HandOver(ctx, m.assistant, proxy.HandoverRequest{CaseIDs: []string{m.ready2.ID, m.ready1.ID}, Where: "镇便民服务中心综合窗口"})
		if err != nil {
			t.Fatal(err)
		}
		if h.Number != "JJ-20261125-001" || len(h.Cases) != 2 || h.Cases[0].ID != m.ready2.ID || h.Cases[1].State != proxy.HandedOver || !h.Cases[0].Masked {
			t.Errorf("got %s with %+v, want both cases handed over in order, masked", h.Number, h.Cases)
		}
		if n := m.count(t, `SELECT count(*) FROM audit_log WHERE action = 'proxy.handover'`); n != 1 {
			t.Errorf("got %d proxy.handover lines, want 1", n)
		}
	})
}

func (m market) handoverCount(t *testing.T) string {
	return strings.Repeat("h", m.count(t, `SELECT count(*) FROM proxy_handover`)+m.count(t, `SELECT count(*) FROM proxy_handover_case`))
}

func TestHandoverPDF_ChineseMaskedWithSignatures(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	m := setupMarket(t)
	ctx := context.Background()
	h, err := m.svc.HandOver(ctx, m.assistant, proxy.HandoverRequest{CaseIDs: []string{m.ready1.ID, m.ready2.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.svc.HandoverPDF(ctx, m.other, h.ID); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("another assistant: got %v, want forbidden", err)
	}
	pdf, err := m.svc.HandoverPDF(ctx, m.clerk, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "handover.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"代办件交接清单", h.Number, m.ready1.Number, m.ready2.Number, "张*三", "李*妹", "138****5678", "511725********1232",
		"老年人优待证", "原件已看", "移交人（代办员）", "接收人（中心窗口）", "赵代办"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
	for _, never := range []string{"张小三", "李四妹", phoneZhang, idZhang, "13900002222"} {
		if strings.Contains(text, never) {
			t.Errorf("PDF shows %q in full", never)
		}
	}
}

func TestAccept_OpensTheWindowCaseAndLinksInOneTransaction(t *testing.T) {
	m := setupMarket(t)
	ctx := context.Background()
	if _, err := m.svc.HandOver(ctx, m.assistant, proxy.HandoverRequest{CaseIDs: []string{m.ready1.ID, m.ready2.ID}}); err != nil {
		t.Fatal(err)
	}
	windowCount := func() int { return m.count(t, `SELECT count(*) FROM case_file`) }
	t.Run("Refused", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			id   string
			by   func() (string, error)
			code string
		}{
			{"Assistant", m.ready1.ID, nil, apperr.Forbidden},
			{"NotHandedOver", m.collecting.ID, nil, apperr.Conflict},
		} {
			t.Run(tt.name, func(t *testing.T) {
				by := m.clerk
				if tt.code == apperr.Forbidden {
					by = m.assistant
				}
				before, wc := m.snapshot(t), windowCount()
				if _, err := m.svc.Accept(ctx, by, tt.id, proxy.AcceptRequest{}); apperr.Code(err) != tt.code {
					t.Fatalf("got %v, want %s", err, tt.code)
				}
				if m.snapshot(t) != before || windowCount() != wc {
					t.Errorf("changed")
				}
			})
		}
	})
	t.Run("FailureAfterTheWindowCaseLeavesBothUnchanged", func(t *testing.T) {
		// The proxy case's step is refused by the database after the window
		// case was written in the same transaction.
		err := m.site.Core.DB.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `CREATE TRIGGER refuse_accept BEFORE INSERT ON proxy_event WHEN NEW.to_state = 'accepted' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		before, wc := m.snapshot(t), windowCount()
		if _, err := m.svc.Accept(ctx, m.clerk, m.ready2.ID, proxy.AcceptRequest{}); err == nil {
			t.Fatal("accepted despite the refusal")
		}
		if m.snapshot(t) != before || windowCount() != wc {
			t.Errorf("changed: proxy %s → %s, window cases %d → %d", before, m.snapshot(t), wc, windowCount())
		}
		if err := m.site.Core.DB.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `DROP TRIGGER refuse_accept`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	})
	c, err := m.svc.Accept(ctx, m.clerk, m.ready1.ID, proxy.AcceptRequest{Where: "综合窗口1号"})
	if err != nil {
		t.Fatal(err)
	}
	if c.State != proxy.Accepted || c.WindowCaseID == "" || c.WindowCaseNumber != "20261125-001" {
		t.Fatalf("got %s linked to %q %q, want accepted and linked", c.State, c.WindowCaseID, c.WindowCaseNumber)
	}
	wc, err := m.site.Core.Cases.Get(ctx, m.clerk, c.WindowCaseID)
	if err != nil {
		t.Fatal(err)
	}
	if wc.Status != cases.Accepted || wc.ItemCode != "MZ-005" || wc.IDNumber != idZhang || wc.Phone != phoneZhang || !strings.Contains(wc.Note, m.ready1.Number) {
		t.Errorf("window case %s %s %s note %q, want accepted for the villager (in full to the clerk who holds it) with the proxy number", wc.Status, wc.ItemCode, wc.IDNumber, wc.Note)
	}
	if len(wc.Materials) == 0 || !wc.Materials[0].Received {
		t.Errorf("window case materials %+v, want the collected line received", wc.Materials)
	}
	if _, err := m.svc.Accept(ctx, m.clerk, m.ready1.ID, proxy.AcceptRequest{}); apperr.Code(err) != apperr.Conflict {
		t.Errorf("second acceptance: got %v, want conflict", err)
	}
}
