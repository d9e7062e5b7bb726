package proxy_test

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/proxy"
)

var (
	roles   = []string{account.RoleAdmin, account.RoleClerk, account.RoleDuty, account.RoleAssistant}
	methods = []string{"", proxy.ReturnInPerson, proxy.ReturnDelivery, proxy.ReturnPost, "courier"}
	targets = append(slices.Clone(proxy.States), "", "cancelled")
)

func genMove(t *rapid.T) (proxy.Mover, proxy.Move) {
	m := proxy.Mover{Role: rapid.SampledFrom(roles).Draw(t, "role"), Owner: rapid.Bool().Draw(t, "owner")}
	mv := proxy.Move{
		To:           rapid.SampledFrom(targets).Draw(t, "to"),
		Where:        rapid.SampledFrom([]string{"", " ", "石桥村便民服务室"}).Draw(t, "where"),
		ReturnMethod: rapid.SampledFrom(methods).Draw(t, "method"),
		WindowCaseID: rapid.SampledFrom([]string{"", "wc-1"}).Draw(t, "window"),
	}
	return m, mv
}

// A case driven by any sequence of moves, by anyone, with materials ticked
// and unticked between them, only ever goes one state forward at a time,
// stops at returned, and every accepted move met its preconditions.
func TestCheck_Properties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		state := proxy.Requested
		visited := []string{state}
		for range rapid.IntRange(1, 40).Draw(t, "steps") {
			missing := rapid.SliceOfN(rapid.SampledFrom([]string{"身份证", "户口簿"}), 0, 2).Draw(t, "missing")
			m, mv := genMove(t)
			err := proxy.Check(proxy.Facts{State: state, MissingRequired: missing}, m, mv)
			if err != nil {
				if code := apperr.Code(err); code == apperr.Internal || apperr.Message(err) == "" {
					t.Fatalf("refusal without a reason: %v", err)
				}
				continue
			}
			if proxy.Terminal(state) {
				t.Fatalf("moved on from returned to %s", mv.To)
			}
			if mv.To != proxy.Next(state) {
				t.Fatalf("moved %s → %s, skipping or going back (next is %s)", state, mv.To, proxy.Next(state))
			}
			if mv.Where == "" || mv.Where == " " {
				t.Fatalf("moved to %s without a place", mv.To)
			}
			switch mv.To {
			case proxy.MaterialsCollected, proxy.HandedOver:
				if len(missing) > 0 {
					t.Fatalf("moved to %s with %v missing", mv.To, missing)
				}
				if !m.Owner || m.Role != account.RoleAssistant {
					t.Fatalf("%+v moved to %s, which is the owner's step", m, mv.To)
				}
			case proxy.Accepted:
				if mv.WindowCaseID == "" || (m.Role != account.RoleClerk && m.Role != account.RoleAdmin) {
					t.Fatalf("accepted by %+v with window case %q", m, mv.WindowCaseID)
				}
			case proxy.ResultReady:
				if m.Role == account.RoleDuty || (m.Role == account.RoleAssistant && !m.Owner) {
					t.Fatalf("result ready recorded by %+v", m)
				}
			case proxy.Returned:
				if proxy.ReturnMethodName(mv.ReturnMethod) == "" {
					t.Fatalf("returned with method %q", mv.ReturnMethod)
				}
				if !m.Owner || m.Role != account.RoleAssistant {
					t.Fatalf("returned by %+v", m)
				}
			}
			state = mv.To
			visited = append(visited, state)
		}
		if !slices.Equal(visited, proxy.States[:len(visited)]) {
			t.Fatalf("visited %v, want a prefix of %v", visited, proxy.States)
		}
	})
}

// Every state but returned can be left, by the right mover with the right
// facts: no case is stuck.
func TestCheck_EveryStateHasAWayOn(t *testing.T) {
	owner := proxy.Mover{Role: account.RoleAssistant, Owner: true}
	clerk := proxy.Mover{Role: account.RoleClerk}
	for _, st := range proxy.States[:len(proxy.States)-1] {
		t.Run(st, func(t *testing.T) {
			mover := owner
			if proxy.Next(st) == proxy.Accepted {
				mover = clerk
			}
			mv := proxy.Move{To: proxy.Next(st), Where: "镇便民服务中心", WindowCaseID: "wc-1", ReturnMethod: proxy.ReturnPost}
			if err := proxy.Check(proxy.Facts{State: st}, mover, mv); err != nil {
				t.Errorf("got %v, want the move to %s allowed", err, mv.To)
			}
		})
	}
}

func TestCheck_RefusesWithReason(t *testing.T) {
	owner := proxy.Mover{Role: account.RoleAssistant, Owner: true}
	tests := []struct {
		name  string
		facts proxy.Facts
		mover proxy.Mover
		move  proxy.Move
		code  string
		says  string
	}{
		{"HandoverWithoutRequiredMaterials", proxy.Facts{State: proxy.MaterialsCollected, MissingRequired: []string{"户口簿"}}, owner,
			proxy.Move{To: proxy.HandedOver, Where: "镇中心"}, apperr.Invalid, "还缺少必需材料：户口簿"},
		{"ReturnBeforeResultReady", proxy.Facts{State: proxy.Accepted}, owner,
			proxy.Move{To: proxy.Returned, Where: "村", ReturnMethod: proxy.ReturnInPerson}, apperr.Conflict, "下一步应为“结果已出”"},
		{"SkipAState", proxy.Facts{State: proxy.Requested}, owner,
			proxy.Move{To: proxy.HandedOver, Where: "镇中心"}, apperr.Conflict, "不能改为“已交中心”"},
		{"AfterReturned", proxy.Facts{State: proxy.Returned}, owner,
			proxy.Move{To: proxy.ResultReady, Where: "村"}, apperr.Conflict, "已送达群众"},
		{"AssistantAccepts", proxy.Facts{State: proxy.HandedOver}, owner,
			proxy.Move{To: proxy.Accepted, Where: "镇中心", WindowCaseID: "wc"}, apperr.Forbidden, "综合窗口"},
		{"AnotherAssistant", proxy.Facts{State: proxy.Requested}, proxy.Mover{Role: account.RoleAssistant},
			proxy.Move{To: proxy.MaterialsCollected, Where: "村"}, apperr.Forbidden, "本代办件的代办员"},
		{"AcceptWithoutWindowCase", proxy.Facts{State: proxy.HandedOver}, proxy.Mover{Role: account.RoleClerk},
			proxy.Move{To: proxy.Accepted, Where: "镇中心"}, apperr.Invalid, "关联中心的办件"},
		{"ReturnWithoutMethod", proxy.Facts{State: proxy.ResultReady}, owner,
			proxy.Move{To: proxy.Returned, Where: "村"}, apperr.Invalid, "送达方式"},
		{"NoPlace", proxy.Facts{State: proxy.Requested}, owner,
			proxy.Move{To: proxy.MaterialsCollected}, apperr.Invalid, "办理地点"},
		{"UnknownState", proxy.Facts{State: proxy.Requested}, owner,
			proxy.Move{To: "cancelled", Where: "村"}, apperr.Invalid, "未知的代办状态"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := proxy.Check(tt.facts, tt.mover, tt.move)
			if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.says) {
				t.Errorf("got %v (%s), want %s saying %q", err, apperr.Code(err), tt.code, tt.says)
			}
		})
	}
}
