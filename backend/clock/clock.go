// Package clock lets services read the time through an interface, so tests
// can set the date (a Sunday, a holiday, a market day) without waiting.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// System is the wall clock.
type System struct{}

// Now returns time.Now().
func (System) Now() time.Time { return time.Now() }

// Fixed is a clock that only moves when told to. It is safe for concurrent use.
type Fixed struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixed returns a clock stopped at t.
func NewFixed(t time.Time) *Fixed { return &Fixed{t: t} }

// Now returns the stopped time.
func (f *Fixed) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the clock to t.
func (f *Fixed) Set(t time.Time) {
	f.mu.Lock()
	f.t = t
	f.mu.Unlock()
}

// Advance moves the clock forward by d.
func (f *Fixed) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

// Shanghai is the business time zone of every site. It falls back to a fixed
// UTC+8 zone where the system has no zoneinfo (a bare Windows install).
var Shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// Offset is the wall clock shifted by a fixed amount: it starts at a chosen
// moment and then runs in real time. End-to-end tests use it (through
// BUDAYANG_CLOCK) to run the real server inside office hours.
type Offset struct{ d time.Duration }

// StartingAt returns a clock that reads start now and runs on from there.
func StartingAt(start time.Time) Offset { return Offset{d: time.Until(start)} }

// Now returns the shifted time.
func (o Offset) Now() time.Time { return time.Now().Add(o.d) }

// IsTest reports whether c is a clock set for tests (a Fixed clock, or the
// Offset that BUDAYANG_CLOCK starts) rather than the wall clock: the status
// says so, so that nobody runs a centre on it by mistake.
func IsTest(c Clock) bool {
	switch c.(type) {
	case Offset, *Fixed:
		return true
	}
	return false
}
