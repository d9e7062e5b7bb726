// Package cases is the window's case register (办件, plan tasks 2 and 9):
// a case opens for one item and one citizen, directly or from a called
// ticket; it carries the item's materials as a checklist and moves through
// consultation, acceptance, supplements, approval, certificate and
// completion (or rejection, or transfer to a department) by the table in
// this file. The first clerk stays responsible (首问负责); the deadline is
// the acceptance date plus the item's limit in working days, paused while
// supplements are awaited (限时办结); a missing material produces the
// one-time notice (一次性告知). The citizen's name, ID number and phone are
// sealed at rest and masked for everyone but the clerk holding the case.
package cases

import (
	"budayang/backend/apperr"
)

// Case states.
const (
	Consultation        = "consultation"         // 咨询
	Accepted            = "accepted"             // 受理
	AwaitingSupplements = "awaiting_supplements" // 补齐补正
	Approved            = "approved"             // 审批通过
	CertificateIssued   = "certificate_issued"   // 证照颁发
	Completed           = "completed"            // 办结
	Rejected            = "rejected"             // 不予受理/不予批准
	Transferred         = "transferred"          // 转部门办理
)

// States lists every state in workflow order.
var States = []string{Consultation, AwaitingSupplements, Accepted, Transferred, Approved, CertificateIssued, Completed, Rejected}

// StatusName is the Chinese name of a state.
func StatusName(s string) string {
	switch s {
	case Consultation:
		return "咨询"
	case Accepted:
		return "已受理"
	case AwaitingSupplements:
		return "补齐补正"
	case Approved:
		return "审批通过"
	case CertificateIssued:
		return "证照已颁发"
	case Completed:
		return "已办结"
	case Rejected:
		return "不予受理"
	case Transferred:
		return "已转部门"
	}
	return s
}

// Actions that move a case.
const (
	ActAccept             = "accept"
	ActRequestSupplements = "request_supplements"
	ActSupply             = "supply"
	ActApprove            = "approve"
	ActIssueCertificate   = "issue_certificate"
	ActComplete           = "complete"
	ActReject             = "reject"
	ActTransfer           = "transfer"
)

// Actions lists every action.
var Actions = []string{ActAccept, ActRequestSupplements, ActSupply, ActApprove, ActIssueCertificate, ActComplete, ActReject, ActTransfer}

// ActionName is the Chinese name of an action.
func ActionName(a string) string {
	switch a {
	case ActAccept:
		return "受理"
	case ActRequestSupplements:
		return "要求补齐补正"
	case ActSupply:
		return "补正材料已收齐"
	case ActApprove:
		return "审批通过"
	case ActIssueCertificate:
		return "颁发证照"
	case ActComplete:
		return "办结"
	case ActReject:
		return "不予受理"
	case ActTransfer:
		return "转部门办理"
	}
	return a
}

// transitions is the whole state machine: from a state, which action leads
// where. An action missing here is refused.
var transitions = map[string]map[string]string{
	Consultation:        {ActAccept: Accepted, ActRequestSupplements: AwaitingSupplements, ActReject: Rejected},
	AwaitingSupplements: {ActSupply: Accepted, ActReject: Rejected},
	Accepted:            {ActRequestSupplements: AwaitingSupplements, ActApprove: Approved, ActComplete: Completed, ActReject: Rejected, ActTransfer: Transferred},
	Transferred:         {ActApprove: Approved, ActComplete: Completed, ActReject: Rejected},
	Approved:            {ActIssueCertificate: CertificateIssued, ActComplete: Completed},
	CertificateIssued:   {ActComplete: Completed},
	Completed:           {},
	Rejected:            {},
}

// Next returns the state action leads to from state. Errors: invalid for an
// unknown action, conflict for an action the state does not allow, with a
// sentence naming both.
func Next(state, action string) (string, error) {
	if ActionName(action) == action {
		return "", apperr.Errorf(apperr.Invalid, "未知的办件操作“%s”。", action)
	}
	to, ok := transitions[state][action]
	if !ok {
		if Closed(state) {
			return "", apperr.Errorf(apperr.Conflict, "办件已%s，不能再%s。", StatusName(state), ActionName(action))
		}
		return "", apperr.Errorf(apperr.Conflict, "办件当前为“%s”，不能%s。", StatusName(state), ActionName(action))
	}
	return to, nil
}

// Allowed returns the actions state allows, in the order of Actions.
func Allowed(state string) []string {
	out := []string{}
	for _, a := range Actions {
		if _, ok := transitions[state][a]; ok {
			out = append(out, a)
		}
	}
	return out
}

// Closed reports whether a state is final.
func Closed(state string) bool { return state == Completed || state == Rejected }

// Running reports whether the deadline clock runs in a state: from
// acceptance until a decision, except while supplements are awaited.
func Running(state string) bool { return state == Accepted || state == Transferred }

// Editable reports whether the checklist and the citizen's details may
// still change.
func Editable(state string) bool {
	return state == Consultation || state == AwaitingSupplements || state == Accepted
}
