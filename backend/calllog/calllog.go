// Package calllog is the duty desk's call log (值班电话登记, plan tasks 11
// and 13): every phone call the duty officer takes, what the caller needed,
// how it was handled and where it was referred — the 12345 hotline, the
// centre's 办不成事 window, or a department from the catalog with its phone.
// A call can become an appointment (through the booking service, with the
// calendar form's checks) or a case for a window clerk to take (through the
// case service). The caller's name and phone are sealed at rest and masked
// on every list, event, outbox row and audit line; in full only to the duty
// officer and the administrator, each such read audited.
package calllog

import (
	"time"

	"budayang/backend/citizen"
)

// EventChanged is published after a call is logged or changed. Its data
// carries the call's id, status and category, never a name or a phone; it is
// a staff event, not one of the hall's public ones.
const EventChanged = "call:changed"

// Categories of a call's need: a short fixed list, so the log can be counted.
const (
	CategoryConsult   = "consult"   // 政策咨询
	CategoryBusiness  = "business"  // 办事（预约、办件）
	CategoryProxy     = "proxy"     // 帮办代办、上门服务
	CategoryComplaint = "complaint" // 投诉建议
	CategoryUrgent    = "urgent"    // 紧急求助
	CategoryOther     = "other"     // 其他
)

// Categories lists every category in the order the form offers them.
var Categories = []string{CategoryConsult, CategoryBusiness, CategoryProxy, CategoryComplaint, CategoryUrgent, CategoryOther}

// CategoryName is the Chinese name of a category.
func CategoryName(c string) string {
	switch c {
	case CategoryConsult:
		return "政策咨询"
	case CategoryBusiness:
		return "办事"
	case CategoryProxy:
		return "帮办代办"
	case CategoryComplaint:
		return "投诉建议"
	case CategoryUrgent:
		return "紧急求助"
	case CategoryOther:
		return "其他"
	}
	return c
}

// Referral kinds.
const (
	ReferNone          = "none"
	ReferHotline       = "hotline"        // 12345 政务服务便民热线
	ReferProblemWindow = "problem_window" // “办不成事”反映窗口
	ReferDepartment    = "department"     // a department of the catalog
)

// HotlinePhone is the 12345 government service hotline.
const HotlinePhone = "12345"

// Statuses of a call.
const (
	StatusOpen     = "open"     // 待处理
	StatusReferred = "referred" // 已转办
	StatusBooked   = "booked"   // 已转预约
	StatusCase     = "case"     // 已转办件
	StatusClosed   = "closed"   // 已办结
)

// StatusName is the Chinese name of a status.
func StatusName(st string) string {
	switch st {
	case StatusOpen:
		return "待处理"
	case StatusReferred:
		return "已转办"
	case StatusBooked:
		return "已转预约"
	case StatusCase:
		return "已转办件"
	case StatusClosed:
		return "已办结"
	}
	return st
}

// Referral says where a call was sent. Phone is filled by the service: 12345,
// the centre's phone for the 办不成事 window, the department's phone from the
// catalog as it was when the call was referred.
type Referral struct {
	Kind       string `json:"kind"`
	Department string `json:"department,omitempty"`
	Office     string `json:"office,omitempty"`
	Phone      string `json:"phone,omitempty"`
}

// Name words a referral for a sentence.
func (r Referral) Name() string {
	switch r.Kind {
	case ReferHotline:
		return "12345政务服务便民热线"
	case ReferProblemWindow:
		return "“办不成事”反映窗口"
	case ReferDepartment:
		return r.Department
	}
	return "无"
}

// Call is one call to the duty desk.
type Call struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	CallerName string    `json:"caller_name"`
	Phone      string    `json:"phone"`
	// Masked is true when the name and phone above are masked: on every
	// list, and for a reader who is not duty officer or administrator.
	Masked       bool      `json:"masked"`
	Village      string    `json:"village"`
	Need         string    `json:"need"`
	Category     string    `json:"category"`
	Handling     string    `json:"handling"`
	Referral     Referral  `json:"referral"`
	Status       string    `json:"status"`
	BookingID    string    `json:"booking_id,omitempty"`
	CaseID       string    `json:"case_id,omitempty"`
	TakenBy      string    `json:"taken_by"`
	TakenByName  string    `json:"taken_by_name"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	nameSealed   string
	phoneSealed  string
	phoneIndexed string
}

func (c *Call) mask() {
	c.CallerName = citizen.MaskName(c.CallerName)
	c.Phone = citizen.MaskPhone(c.Phone)
	c.Masked = true
}

// masked returns c as every list, event, outbox row and log line carries it.
func (c Call) masked() Call {
	c.mask()
	return c
}
