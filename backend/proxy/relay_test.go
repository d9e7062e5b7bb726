package proxy_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/box"

	"budayang/backend/apperr"
	"budayang/backend/cases"
	"budayang/backend/proxy"
	"budayang/backend/store"
)

func (f fixture) apply(from, kind, caseID string, body []byte) error {
	return f.site.Core.DB.Write(context.Background(), func(tx *store.Tx) error {
		return f.svc.ApplyRelayed(context.Background(), tx, from, kind, caseID, body)
	})
}

// handedOver opens a case and hands it over.
func (f fixture) handedOver(t *testing.T) proxy.Case {
	t.Helper()
	c := f.open(t, elderly())
	f.tickRequired(t, c)
	f.move(t, f.assistant, c.ID, proxy.Move{To: proxy.MaterialsCollected, Where: "村"})
	return f.move(t, f.assistant, c.ID, proxy.Move{To: proxy.HandedOver, Where: "村"})
}

func status(state, number string) []byte {
	b, _ := json.Marshal(map[string]any{"state": state, "window_case_number": number, "at": "2026-11-25T02:00:00Z", "actor_name": "李窗口", "where": "综合窗口1"})
	return b
}

func TestRelay_VillageRoom(t *testing.T) {
	ctx := context.Background()
	pub, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("only the administrator picks the centre", func(t *testing.T) {
		f := setup(t)
		_, err := f.svc.SetCentre(ctx, f.assistant, "centre-1", "青山镇便民服务中心", pub[:])
		if apperr.Code(err) != apperr.Forbidden {
			t.Fatalf("assistant: %v, want forbidden", err)
		}
		if _, err := f.svc.SetCentre(ctx, f.site.Admin, "centre-1", "青山镇", []byte("short")); apperr.Code(err) != apperr.Invalid {
			t.Fatalf("short key: %v, want invalid", err)
		}
	})

	t.Run("without a centre a handover stays local", func(t *testing.T) {
		f := setup(t)
		f.handedOver(t)
		if n := f.count(t, `SELECT count(*) FROM relay_out`); n != 0 {
			t.Fatalf("%d relay messages, want none", n)
		}
	})

	f := setup(t)
	if _, err := f.svc.SetCentre(ctx, f.site.Admin, "centre-1", "青山镇便民服务中心", pub[:]); err != nil {
		t.Fatal(err)
	}
	c := f.handedOver(t)

	t.Run("the handover seals the whole case for the centre alone", func(t *testing.T) {
		var to, kind, body string
		if err := f.site.Core.DB.Read().QueryRow(`SELECT to_site, kind, body FROM relay_out WHERE case_id = ?`, c.ID).Scan(&to, &kind, &body); err != nil {
			t.Fatal(err)
		}
		if to != "centre-1" || kind != "case" || strings.Contains(body, idZhang) || strings.Contains(body, phoneZhang) {
			t.Fatalf("message to %s kind %s body %.60s…", to, kind, body)
		}
		sealed, _ := base64.StdEncoding.DecodeString(body)
		plain, ok := box.OpenAnonymous(nil, sealed, pub, priv)
		if !ok || !strings.Contains(string(plain), idZhang) || !strings.Contains(string(plain), phoneZhang) || !strings.Contains(string(plain), "张小三") {
			t.Fatalf("the centre's key opens %q (%v), want the case in full", plain, ok)
		}
	})

	t.Run("a status from a site the case was not handed to is refused, nothing changed", func(t *testing.T) {
		before := f.snapshot(t)
		if err := f.apply("centre-2", "status", c.ID, status(proxy.Accepted, "BJ-1")); apperr.Code(err) != apperr.Forbidden {
			t.Fatalf("status from centre-2: %v, want forbidden", err)
		}
		if after := f.snapshot(t); after != before {
			t.Fatalf("changed: %s → %s", before, after)
		}
	})

	t.Run("the centre's status moves the case once however often it comes", func(t *testing.T) {
		for range 2 {
			if err := f.apply("centre-1", "status", c.ID, status(proxy.Accepted, "BJ-20261125-001")); err != nil {
				t.Fatal(err)
			}
		}
		got, err := f.svc.Get(ctx, f.assistant, c.ID)
		if err != nil || got.State != proxy.Accepted || got.WindowCaseNumber != "BJ-20261125-001" {
			t.Fatalf("case %s %s %v", got.State, got.WindowCaseNumber, err)
		}
		if n := f.count(t, `SELECT count(*) FROM proxy_event WHERE case_id = '`+c.ID+`' AND action = 'relay'`); n != 1 {
			t.Fatalf("%d relay steps, want 1", n)
		}
		if err := f.apply("centre-1", "status", c.ID, status(proxy.Returned, "")); apperr.Code(err) != apperr.Invalid {
			t.Fatalf("returned from the centre: %v, want invalid", err)
		}
		if err := f.apply("centre-1", "status", c.ID, status(proxy.ResultReady, "BJ-20261125-001")); err != nil {
			t.Fatal(err)
		}
		got, _ = f.svc.Get(ctx, f.assistant, c.ID)
		if got.StateName != "结果已出" {
			t.Fatalf("state %s, want 结果已出", got.StateName)
		}
	})
}

func TestRelay_Centre(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	body, _ := json.Marshal(map[string]any{"number": "DB-20261125-007", "origin": "石桥村便民服务室", "owner_name": "赵代办",
		"name": "张小三", "id_number": idZhang, "phone": phoneZhang, "item_code": "MZ-005", "item_name": "老年人优待证",
		"department": "民政", "limit_days": 5, "channel": "phone", "materials": []map[string]any{{"index": 0, "name": "身份证", "required": true, "collected": true}}})
	for range 2 {
		if err := f.apply("village-1", "case", "case-7", body); err != nil {
			t.Fatal(err)
		}
	}
	list, err := f.svc.InboundList(ctx, f.clerk)
	if err != nil || len(list) != 1 || !list[0].Masked || list[0].IDNumber == idZhang || list[0].State != proxy.HandedOver {
		t.Fatalf("inbound %+v %v, want one masked case handed over", list, err)
	}
	id := list[0].ID

	tests := []struct {
		name string
		by   func() error
		code string
	}{
		{"an assistant may not see them", func() error { _, err := f.svc.InboundList(ctx, f.assistant); return err }, apperr.Forbidden},
		{"the duty officer may not read one", func() error { _, err := f.svc.InboundGet(ctx, f.duty, id); return err }, apperr.Forbidden},
		{"an assistant may not accept", func() error {
			_, err := f.svc.MoveInbound(ctx, f.assistant, id, proxy.Move{To: proxy.Accepted, Where: "窗口", WindowCaseID: "x"})
			return err
		}, apperr.Forbidden},
		{"returning is the village room's", func() error {
			_, err := f.svc.MoveInbound(ctx, f.clerk, id, proxy.Move{To: proxy.Returned, Where: "窗口", ReturnMethod: proxy.ReturnPost})
			return err
		}, apperr.Conflict},
		{"result ready before accepted", func() error {
			_, err := f.svc.MoveInbound(ctx, f.clerk, id, proxy.Move{To: proxy.ResultReady, Where: "窗口"})
			return err
		}, apperr.Conflict},
		{"accepting needs a window case", func() error {
			_, err := f.svc.MoveInbound(ctx, f.clerk, id, proxy.Move{To: proxy.Accepted, Where: "窗口"})
			return err
		}, apperr.Invalid},
		{"accepting into an unknown window case", func() error {
			_, err := f.svc.MoveInbound(ctx, f.clerk, id, proxy.Move{To: proxy.Accepted, Where: "窗口", WindowCaseID: "nope"})
			return err
		}, apperr.NotFound},
	}
	for _, tc := range tests {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			if err := tc.by(); apperr.Code(err) != tc.code {
				t.Fatalf("%v, want %s", err, tc.code)
			}
			if n := f.count(t, `SELECT count(*) FROM relay_out`); n != 0 {
				t.Fatalf("%d status messages after a refusal", n)
			}
		})
	}

	t.Run("accepted and result ready each send one status back to the village room", func(t *testing.T) {
		full, err := f.svc.InboundGet(ctx, f.clerk, id)
		if err != nil || full.IDNumber != idZhang || full.Masked {
			t.Fatalf("in full: %+v %v", full, err)
		}
		wc, err := f.site.Core.Cases.Open(ctx, f.clerk, cases.OpenRequest{ItemCode: "MZ-005", Name: full.CitizenName, IDNumber: full.IDNumber, Phone: full.Phone})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.MoveInbound(ctx, f.clerk, id, proxy.Move{To: proxy.Accepted, Where: "综合窗口1", WindowCaseID: wc.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.MoveInbound(ctx, f.clerk, id, proxy.Move{To: proxy.ResultReady, Where: "综合窗口1"}); err != nil {
			t.Fatal(err)
		}
		rows, err := f.site.Core.DB.Read().Query(`SELECT to_site, case_id, body FROM relay_out WHERE kind = 'status' ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var states []string
		for rows.Next() {
			var to, caseID, b string
			if err := rows.Scan(&to, &caseID, &b); err != nil {
				t.Fatal(err)
			}
			var st struct {
				State            string `json:"state"`
				WindowCaseNumber string `json:"window_case_number"`
			}
			_ = json.Unmarshal([]byte(b), &st)
			if to != "village-1" || caseID != "case-7" || st.WindowCaseNumber != wc.Number || strings.Contains(b, idZhang) {
				t.Fatalf("status to %s for %s: %s (window case %s)", to, caseID, b, wc.Number)
			}
			states = append(states, st.State)
		}
		if strings.Join(states, ",") != "accepted,result_ready" {
			t.Fatalf("statuses %v", states)
		}
	})
}

func TestRelay_CentreResultFollowsTheWindowCase(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	body, _ := json.Marshal(map[string]any{"number": "DB-20261125-008", "origin": "石桥村便民服务室", "owner_name": "赵代办",
		"name": "张小三", "id_number": idZhang, "phone": phoneZhang, "item_code": "MZ-005", "item_name": "老年人优待证",
		"department": "民政", "limit_days": 5, "channel": "phone"})
	if err := f.apply("village-1", "case", "case-8", body); err != nil {
		t.Fatal(err)
	}
	list, _ := f.svc.InboundList(ctx, f.clerk)
	id := list[0].ID
	wc, err := f.site.Core.Cases.Open(ctx, f.clerk, cases.OpenRequest{ItemCode: "MZ-005", Name: "张小三", IDNumber: idZhang, Phone: phoneZhang})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.MoveInbound(ctx, f.clerk, id, proxy.Move{To: proxy.Accepted, Where: "综合窗口1", WindowCaseID: wc.ID}); err != nil {
		t.Fatal(err)
	}
	statuses := func() int { return f.count(t, `SELECT count(*) FROM relay_out WHERE kind = 'status'`) }

	if err := f.svc.InboundResults(ctx, time.Time{}); err != nil || statuses() != 1 {
		t.Fatalf("window case still open: %v, %d statuses, want only accepted", err, statuses())
	}
	received := make([]int, len(wc.Materials))
	for i := range received {
		received[i] = i
	}
	for _, a := range []cases.Action{{Action: cases.ActAccept, Received: received}, {Action: cases.ActComplete, Result: "已发放老年人优待证"}} {
		if _, err := f.site.Core.Cases.Act(ctx, f.clerk, wc.ID, a); err != nil {
			t.Fatalf("%s: %v", a.Action, err)
		}
	}
	for range 2 {
		if err := f.svc.InboundResults(ctx, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.svc.InboundGet(ctx, f.clerk, id)
	if err != nil || got.State != proxy.ResultReady || statuses() != 2 {
		t.Fatalf("after the window case completed: %s %v, %d statuses, want result_ready and 2", got.State, err, statuses())
	}
}
