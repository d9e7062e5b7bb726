package whereabouts_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/core/coretest"
	"budayang/backend/whereabouts"
)

type hall struct {
	*coretest.Site
	clerk, clerk2, duty, assistant account.Principal
}

func open(t *testing.T) hall {
	t.Helper()
	s := coretest.Open(t)
	return hall{Site: s,
		clerk:     s.Person("clerk1", "李窗口", account.RoleClerk),
		clerk2:    s.Person("clerk2", "张顶岗", account.RoleClerk),
		duty:      s.Person("duty1", "王值班", account.RoleDuty),
		assistant: s.Person("assistant1", "赵代办", account.RoleAssistant),
	}
}

// in is the clock's time plus d, as the form sends it.
func (h hall) in(d time.Duration) string { return h.Clock.Now().Add(d).Format(time.RFC3339) }

func TestWhereabouts_Leave(t *testing.T) {
	h := open(t)
	ctx := context.Background()
	tests := []struct {
		name string
		by   account.Principal
		req  whereabouts.Request
		code string
		say  string
	}{
		{"WhereMissing", h.clerk, whereabouts.Request{BackAt: h.in(time.Hour)}, apperr.Invalid, "请填写去向"},
		{"WhereTooLong", h.clerk, whereabouts.Request{Where: strings.Repeat("远", whereabouts.MaxPlace+1), BackAt: h.in(time.Hour)}, apperr.Invalid, "请填写去向"},
		{"BackInThePast", h.clerk, whereabouts.Request{Where: "入户代办", BackAt: h.in(-time.Minute)}, apperr.Invalid, "返回时间"},
		{"BackTooFar", h.clerk, whereabouts.Request{Where: "入户代办", BackAt: h.in(whereabouts.MaxAway + time.Minute)}, apperr.Invalid, "返回时间"},
		{"BackMalformed", h.clerk, whereabouts.Request{Where: "入户代办", BackAt: "下午三点"}, apperr.Invalid, "返回时间"},
		{"CoverIsSelf", h.clerk, whereabouts.Request{Where: "入户代办", BackAt: h.in(time.Hour), CoveredBy: h.clerk.ID}, apperr.Invalid, "顶岗"},
		{"CoverUnknown", h.clerk, whereabouts.Request{Where: "入户代办", BackAt: h.in(time.Hour), CoveredBy: "nobody"}, apperr.Invalid, "顶岗"},
		{"UnknownWindow", h.clerk, whereabouts.Request{Where: "入户代办", BackAt: h.in(time.Hour), Window: 9}, apperr.Invalid, "9号窗口"},
		{"ForSomeoneElse", h.clerk, whereabouts.Request{StaffID: h.clerk2.ID, Where: "入户代办", BackAt: h.in(time.Hour)}, apperr.Forbidden, "自己"},
		{"Assistant", h.assistant, whereabouts.Request{Where: "入户代办", BackAt: h.in(time.Hour)}, apperr.Forbidden, "窗口工作人员"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.Core.Whereabouts.Leave(ctx, tt.by, tt.req)
			if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.say) {
				t.Fatalf("got %v, want %s saying %q", err, tt.code, tt.say)
			}
			if list, _ := h.Core.Whereabouts.Current(ctx); len(list) != 0 {
				t.Errorf("a refused message is current: %v", list)
			}
		})
	}
	t.Run("ForOneselfThenReplaced", func(t *testing.T) {
		m, err := h.Core.Whereabouts.Leave(ctx, h.clerk, whereabouts.Request{Where: "县局开会", BackAt: h.in(time.Hour), Window: 2, CoveredBy: h.clerk2.ID})
		if err != nil {
			t.Fatal(err)
		}
		if m.StaffName != "李窗口" || m.Window != 2 || m.CoveredByName != "张顶岗" || !m.ExpiresAt.Equal(m.BackAt.Add(whereabouts.Grace)) {
			t.Errorf("got %+v", m)
		}
		if _, err := h.Core.Whereabouts.Leave(ctx, h.clerk, whereabouts.Request{Where: "入户代办", BackAt: h.in(2 * time.Hour), Window: 2}); err != nil {
			t.Fatal(err)
		}
		list, _ := h.Core.Whereabouts.Current(ctx)
		if len(list) != 1 || list[0].Where != "入户代办" {
			t.Errorf("got %v, want the newer message only", list)
		}
	})
	t.Run("AdminForAnother", func(t *testing.T) {
		m, err := h.Core.Whereabouts.Leave(ctx, h.Admin, whereabouts.Request{StaffID: h.duty.ID, Where: "培训", BackAt: h.in(30 * time.Minute)})
		if err != nil || m.StaffName != "王值班" {
			t.Fatalf("got %+v %v", m, err)
		}
	})
}

func TestWhereabouts_Return(t *testing.T) {
	h := open(t)
	ctx := context.Background()
	m, err := h.Core.Whereabouts.Leave(ctx, h.clerk, whereabouts.Request{Where: "入户代办", BackAt: h.in(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Core.Whereabouts.Return(ctx, h.clerk2, m.ID); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("a colleague clears it: got %v, want forbidden", err)
	}
	if err := h.Core.Whereabouts.Return(ctx, h.clerk, m.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.Core.Whereabouts.Return(ctx, h.clerk, m.ID); apperr.Code(err) != apperr.NotFound {
		t.Errorf("twice: got %v, want not found", err)
	}
	if list, _ := h.Core.Whereabouts.Current(ctx); len(list) != 0 {
		t.Errorf("current after return: %v", list)
	}
}

// A message is gone from the board once back_at and Grace have passed, even
// before the job runs; the job then ends it and announces the board.
func TestWhereabouts_Expiry(t *testing.T) {
	h := open(t)
	ctx := context.Background()
	sub := h.Core.Bus.Subscribe(16)
	defer sub.Close()
	if _, err := h.Core.Whereabouts.Leave(ctx, h.clerk, whereabouts.Request{Where: "入户代办", BackAt: h.in(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		advance time.Duration
		current int
	}{
		{"BeforeBack", 59 * time.Minute, 1},
		{"LateWithinGrace", time.Minute + whereabouts.Grace - time.Second, 1},
		{"PastGrace", time.Second, 0},
	}
	for _, st := range steps {
		h.Clock.Advance(st.advance)
		if list, _ := h.Core.Whereabouts.Current(ctx); len(list) != st.current {
			t.Errorf("%s: %d current, want %d", st.name, len(list), st.current)
		}
	}
	for len(sub.C) > 0 {
		<-sub.C
	}
	if err := h.Core.Whereabouts.Expire(ctx, h.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := h.Core.DB.Read().QueryRow(`SELECT count(*) FROM whereabouts WHERE cleared_reason = 'expired'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("expired rows: %d %v, want 1", n, err)
	}
	if len(sub.C) == 0 {
		t.Fatal("no event after the expiry")
	}
	if e := <-sub.C; e.Type != whereabouts.EventChanged || string(e.JSON) != `{"notices":[]}` {
		t.Errorf("event %s %s, want the empty board", e.Type, e.JSON)
	}
	entries, _ := h.Core.Audit.List(ctx, 0, 1)
	if entries[0].Action != "whereabouts.expire" || entries[0].Actor != "system" {
		t.Errorf("audit: %+v, want whereabouts.expire by system", entries[0])
	}
}

// What the display, the kiosk and the public event carry: names, windows,
// where and times; no id a write accepts, no phone.
func TestWhereabouts_PublicFields(t *testing.T) {
	h := open(t)
	ctx := context.Background()
	sub := h.Core.Bus.Subscribe(16)
	defer sub.Close()
	if _, err := h.Core.Whereabouts.Leave(ctx, h.clerk, whereabouts.Request{Where: "县局开会", BackAt: h.in(time.Hour), Window: 1, CoveredBy: h.clerk2.ID}); err != nil {
		t.Fatal(err)
	}
	list, _ := h.Core.Whereabouts.Current(ctx)
	board, _ := json.Marshal(whereabouts.Public(list))
	var event []byte
	for len(sub.C) > 0 {
		if e := <-sub.C; e.Type == whereabouts.EventChanged {
			event = e.JSON
		}
	}
	for name, raw := range map[string][]byte{"board": board, "event": event} {
		var v struct {
			Notices []map[string]any `json:"notices"`
		}
		if err := json.Unmarshal(raw, &v); err != nil || len(v.Notices) != 1 {
			t.Fatalf("%s: %s %v", name, raw, err)
		}
		got := v.Notices[0]
		for _, key := range []string{"id", "staff_id", "covered_by_id", "phone"} {
			if _, ok := got[key]; ok {
				t.Errorf("%s carries %q: %s", name, key, raw)
			}
		}
		for _, id := range []string{h.clerk.ID, h.clerk2.ID, list[0].ID} {
			if strings.Contains(string(raw), id) {
				t.Errorf("%s carries the id %s: %s", name, id, raw)
			}
		}
		if got["staff_name"] != "李窗口" || got["window"] != 1.0 || got["where"] != "县局开会" || got["covered_by_name"] != "张顶岗" {
			t.Errorf("%s: %s", name, raw)
		}
	}
}
