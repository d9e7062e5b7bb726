// Package proxy is the village proxy service (帮办代办, plan task 12): an
// assistant (代办员) takes a villager's request by phone, WeChat, at the
// village room or on a home visit, collects the materials against the
// item's checklist, hands the case to the town centre, which accepts it into
// a window case; the result comes back to the assistant and goes back to the
// villager. The villager's name, ID number and phone are sealed at rest and
// masked for everyone but the assistant who owns the case.
//
// This file is the state machine, a pure function over plain values: the
// service, a later market-day batch and a relay through the county all move
// a case by Check.
package proxy

import (
	"strings"

	"budayang/backend/account"
	"budayang/backend/apperr"
)

// Proxy case states, in the only order a case goes through them.
const (
	Requested          = "requested"           // 已登记
	MaterialsCollected = "materials_collected" // 材料已收齐
	HandedOver         = "handed_over"         // 已交中心
	Accepted           = "accepted"            // 中心已受理
	ResultReady        = "result_ready"        // 结果已出
	Returned           = "returned"            // 已送达群众
)

// States lists every state in order; each moves only to the one after it.
var States = []string{Requested, MaterialsCollected, HandedOver, Accepted, ResultReady, Returned}

// StateName is the Chinese name of a state.
func StateName(s string) string {
	switch s {
	case Requested:
		return "已登记"
	case MaterialsCollected:
		return "材料已收齐"
	case HandedOver:
		return "已交中心"
	case Accepted:
		return "中心已受理"
	case ResultReady:
		return "结果已出"
	case Returned:
		return "已送达群众"
	}
	return s
}

// Ways a result goes back to the villager.
const (
	ReturnInPerson = "in_person" // 当面交付
	ReturnDelivery = "delivery"  // 送达上门
	ReturnPost     = "post"      // 邮寄
)

// ReturnMethodName is the Chinese name of a return method, "" for an
// unknown one.
func ReturnMethodName(m string) string {
	switch m {
	case ReturnInPerson:
		return "当面交付"
	case ReturnDelivery:
		return "送达上门"
	case ReturnPost:
		return "邮寄"
	}
	return ""
}

// Next is the state after s, "" for the last state or an unknown one.
func Next(s string) string {
	for i, st := range States {
		if st == s && i+1 < len(States) {
			return States[i+1]
		}
	}
	return ""
}

// Terminal reports whether nothing follows s.
func Terminal(s string) bool { return s == Returned }

func known(s string) bool {
	for _, st := range States {
		if st == s {
			return true
		}
	}
	return false
}

// Mover is who asks for a move: their role, and whether they own the case.
type Mover struct {
	Role  string
	Owner bool
}

// centre reports whether m works at the centre's windows.
func (m Mover) centre() bool { return m.Role == account.RoleClerk || m.Role == account.RoleAdmin }

// Facts are what a move's preconditions look at.
type Facts struct {
	State string
	// MissingRequired names the required checklist lines not yet ticked.
	MissingRequired []string
}

// Move is a request to go to state To.
type Move struct {
	To    string `json:"to"`
	Note  string `json:"note"`
	Where string `json:"where"`
	// ReturnMethod is required to return (in_person, delivery, post).
	ReturnMethod string `json:"return_method,omitempty"`
	// WindowCaseID is required to accept: the centre's window case.
	WindowCaseID string `json:"window_case_id,omitempty"`
}

// MayMove reports whether m may ask for To at all: the owner moves the
// assistant's steps, the centre (a clerk or the administrator) accepts, and
// the result being ready may be recorded by either.
func MayMove(m Mover, to string) bool {
	switch to {
	case Accepted:
		return m.centre()
	case ResultReady:
		return m.centre() || (m.Owner && m.Role == account.RoleAssistant)
	}
	return m.Owner && m.Role == account.RoleAssistant
}

// Check decides a move: nil when f's case may go to mv.To by m. Errors, each
// with the reason in Chinese: invalid for an unknown state, a missing place,
// a missing window case or return method, required materials missing;
// forbidden for a mover the step is not theirs; conflict for a step that is
// not the next one (none is skipped, none goes back, nothing follows
// returned).
func Check(f Facts, m Mover, mv Move) error {
	if !known(mv.To) {
		return apperr.Errorf(apperr.Invalid, "未知的代办状态“%s”。", mv.To)
	}
	if !MayMove(m, mv.To) {
		if mv.To == Accepted {
			return apperr.Errorf(apperr.Forbidden, "只有中心的综合窗口工作人员或管理员可以受理代办件。")
		}
		return apperr.Errorf(apperr.Forbidden, "这一步只能由本代办件的代办员办理。")
	}
	if Terminal(f.State) {
		return apperr.Errorf(apperr.Conflict, "代办件已送达群众，不能再变更。")
	}
	if Next(f.State) != mv.To {
		return apperr.Errorf(apperr.Conflict, "代办件当前为“%s”，下一步应为“%s”，不能改为“%s”。", StateName(f.State), StateName(Next(f.State)), StateName(mv.To))
	}
	if strings.TrimSpace(mv.Where) == "" {
		return apperr.Errorf(apperr.Invalid, "请填写办理地点。")
	}
	switch mv.To {
	case MaterialsCollected, HandedOver:
		if len(f.MissingRequired) > 0 {
			return apperr.Errorf(apperr.Invalid, "还缺少必需材料：%s。材料收齐后才能%s。", strings.Join(f.MissingRequired, "、"), verb(mv.To))
		}
	case Accepted:
		if strings.TrimSpace(mv.WindowCaseID) == "" {
			return apperr.Errorf(apperr.Invalid, "受理代办件须关联中心的办件。")
		}
	case Returned:
		if ReturnMethodName(mv.ReturnMethod) == "" {
			return apperr.Errorf(apperr.Invalid, "请选择送达方式：当面交付、送达上门或邮寄。")
		}
	}
	return nil
}

func verb(to string) string {
	if to == HandedOver {
		return "交中心"
	}
	return "标记材料已收齐"
}

// Per-state limits: how many working days a case may wait in a state before
// it shows as stalled to its assistant and the centre head. Accepted has no
// fixed limit: there the case waits for the item's own deadline.
var waitLimits = map[string]int{
	Requested:          3, // collecting the materials
	MaterialsCollected: 5, // until the next market day or trip to the centre
	HandedOver:         2, // the centre accepts
	ResultReady:        3, // back into the villager's hands
}

// WaitLimit is the working days a case may stay in state, and false when the
// state has no own limit (accepted: the item's deadline; returned: done).
func WaitLimit(state string) (int, bool) {
	n, ok := waitLimits[state]
	return n, ok
}

// Allowance is the working days the proxy path adds before the centre's
// clock starts: collecting and handing over. The promised date before
// acceptance is the request's date plus Allowance plus the item's limit; on
// acceptance it becomes the acceptance date plus the item's limit.
const Allowance = 5
