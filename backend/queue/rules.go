// Package queue is the hall's queue: service lines with ticket prefixes,
// windows that serve all lines or a chosen set, and tickets from issue to
// completion. Every window is a comprehensive window (plan task 2): any clerk
// may call any citizen, restricted only by the lines a window serves.
package queue

import (
	"fmt"
	"sort"
	"time"
)

// Ticket states.
const (
	Waiting   = "waiting"
	Called    = "called"
	Held      = "held"      // 挂起: the citizen fetches a missing paper
	Skipped   = "skipped"   // 过号: re-queued after Settings.SkipRequeueMinutes
	Completed = "completed" // 办结
	NoShow    = "no_show"   // skipped Settings.MaxSkips times
	Unserved  = "unserved"  // still open when the day closed
)

// PriorityPrefix numbers green-channel tickets (V001 …) whatever their line.
const PriorityPrefix = "V"

// Ticket is one citizen's place in the queue.
type Ticket struct {
	ID            string     `json:"id"`
	Number        string     `json:"number"`
	Line          string     `json:"line"`
	Status        string     `json:"status"`
	Priority      bool       `json:"priority"`
	PriorityKind  string     `json:"priority_kind,omitempty"`
	AppointmentID string     `json:"appointment_id,omitempty"`
	DueAt         *time.Time `json:"due_at,omitempty"`
	Phone         string     `json:"phone,omitempty"`
	Source        string     `json:"source"`
	Window        *int       `json:"window"`
	TargetWindow  *int       `json:"target_window,omitempty"`
	IssuedAt      time.Time  `json:"issued_at"`
	QueuedAt      time.Time  `json:"queued_at"`
	CalledAt      *time.Time `json:"called_at,omitempty"`
	CompletedAt   *time.Time `json:"completed_at,omitempty"`
	Recalls       int        `json:"recalls"`
	Skips         int        `json:"skips"`
	ServedBy      string     `json:"served_by,omitempty"`
	// ServedByName is the clerk's name, filled in for the clerk's panel.
	ServedByName string `json:"served_by_name,omitempty"`
	Transferred  bool   `json:"transferred,omitempty"`
	Ahead        int    `json:"ahead"`
	Day          string `json:"day"`

	// phoneSealed is the phone as stored; Phone is empty until the service
	// opens it for a reader who may see it (see reveal).
	phoneSealed string
}

// Line is a service line (业务线).
type Line struct {
	ID              string `json:"id"`
	Prefix          string `json:"prefix"`
	Name            string `json:"name"`
	Opens           string `json:"opens"`
	Closes          string `json:"closes"`
	DailyCap        int    `json:"daily_cap"`
	WarnWaitMinutes int    `json:"warn_wait_minutes"`
	Active          bool   `json:"active"`
}

// Window is a counter (N号窗口).
type Window struct {
	ID          string   `json:"id"`
	Number      int      `json:"number"`
	Name        string   `json:"name"`
	Lines       []string `json:"lines"` // empty: every line
	Paused      bool     `json:"paused"`
	PauseReason string   `json:"pause_reason"`
	StaffID     string   `json:"staff_id,omitempty"`
	StaffName   string   `json:"staff_name,omitempty"`
}

// Serves reports whether the window takes tickets of line.
func (w Window) Serves(line string) bool {
	if len(w.Lines) == 0 {
		return true
	}
	for _, l := range w.Lines {
		if l == line {
			return true
		}
	}
	return false
}

// Callable reports whether t may be called at w at now: waiting, or skipped
// and past its re-queue time; of a line w serves; not transferred to another
// window.
func Callable(t Ticket, w Window, now time.Time) bool {
	switch t.Status {
	case Waiting:
	case Skipped:
		if now.Before(t.QueuedAt) {
			return false
		}
	default:
		return false
	}
	if t.TargetWindow != nil {
		return *t.TargetWindow == w.Number
	}
	return w.Serves(t.Line)
}

// rank orders callable tickets: green channel first, then appointments that
// are due, then first come by queue time (the original issue time, kept
// across transfers; the re-queue time for a skipped ticket).
// lastRank is the rank of a first-come ticket, the lowest in calling order.
const lastRank = 2

func rank(t Ticket, now time.Time) int {
	switch {
	case t.Priority:
		return 0
	case t.AppointmentID != "" && t.DueAt != nil && !now.Before(*t.DueAt):
		return 1
	}
	return lastRank
}

// Order sorts tickets into calling order for now.
func Order(ts []Ticket, now time.Time) {
	sort.SliceStable(ts, func(i, j int) bool {
		ri, rj := rank(ts[i], now), rank(ts[j], now)
		if ri != rj {
			return ri < rj
		}
		if !ts[i].QueuedAt.Equal(ts[j].QueuedAt) {
			return ts[i].QueuedAt.Before(ts[j].QueuedAt)
		}
		return ts[i].Number < ts[j].Number
	})
}

// Next picks the ticket w should call at now from candidates, or false.
func Next(candidates []Ticket, w Window, now time.Time) (Ticket, bool) {
	var ok []Ticket
	for _, t := range candidates {
		if Callable(t, w, now) {
			ok = append(ok, t)
		}
	}
	if len(ok) == 0 {
		return Ticket{}, false
	}
	Order(ok, now)
	return ok[0], true
}

// FormatNumber gives the display number: A001 … A999, then A1000.
func FormatNumber(prefix string, n int) string { return fmt.Sprintf("%s%03d", prefix, n) }

// Settings are the queue's tunable rules.
type Settings struct {
	// SkipRequeueMinutes is how long a skipped ticket waits before it can be
	// called again.
	SkipRequeueMinutes int `json:"skip_requeue_minutes"`
	// MaxSkips is the skip that makes a ticket a no-show.
	MaxSkips int `json:"max_skips"`
	// PriorityKinds are the green-channel groups the kiosk offers.
	PriorityKinds []string `json:"priority_kinds"`
	// RectificationDays is the working-day limit for fixing a bad rating.
	RectificationDays int `json:"rectification_days"`
	// RatingMinutes is how long after completion the rating pad offers a
	// service for rating.
	RatingMinutes int `json:"rating_minutes"`
}

// DefaultSettings are the rules of a fresh site.
func DefaultSettings() Settings {
	return Settings{
		SkipRequeueMinutes: 10,
		MaxSkips:           2,
		PriorityKinds:      []string{"70岁以上老人", "残疾人", "退役军人及军属", "孕妇"},
		RectificationDays:  15,
		RatingMinutes:      10,
	}
}
