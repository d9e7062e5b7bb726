// Package throttle slows down guessing — passwords, pairing codes, booking
// codes — from one key (a client address, a device), for the hall host and
// the county server alike.
package throttle

import (
	"sync"
	"time"

	"budayang/backend/clock"
)

// Throttle slows down guessing from one key (a client address, a device):
// the first few failures are free, each one after that locks the key for
// twice as long as the one before, up to a ceiling. A quiet hour forgives.
type Throttle struct {
	clock clock.Clock
	free  int
	base  time.Duration
	max   time.Duration
	mu    sync.Mutex
	keys  map[string]*strikes
}

type strikes struct {
	n     int
	last  time.Time
	until time.Time
}

// throttleForgive is how long a key must stay quiet to start again.
const throttleForgive = time.Hour

// throttleKeys bounds the memory a flood of addresses can take; past it the
// settled keys are dropped.
const throttleKeys = 4096

// New returns a throttle that lets free failures pass, then locks a key for
// base, doubling to max.
func New(clk clock.Clock, free int, base, max time.Duration) *Throttle {
	return &Throttle{clock: clk, free: free, base: base, max: max, keys: map[string]*strikes{}}
}

// Wait returns how long key must still wait before its next try; zero when it
// may try now.
func (t *Throttle) Wait(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.keys[key]
	if !ok {
		return 0
	}
	return max(s.until.Sub(t.clock.Now()), 0)
}

// Fail counts a failed try of key.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	s, ok := t.keys[key]
	if !ok || now.Sub(s.last) > throttleForgive {
		if len(t.keys) >= throttleKeys {
			t.prune(now)
		}
		s = &strikes{}
		t.keys[key] = s
	}
	s.n++
	s.last = now
	if over := s.n - t.free; over > 0 {
		d := t.base
		for i := 1; i < over && d < t.max; i++ {
			d *= 2
		}
		s.until = now.Add(min(d, t.max))
	}
}

// Succeed forgets key's failures.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

func (t *Throttle) prune(now time.Time) {
	for k, s := range t.keys {
		if now.After(s.until) && now.Sub(s.last) > throttleForgive/4 {
			delete(t.keys, k)
		}
	}
	if len(t.keys) >= throttleKeys {
		t.keys = map[string]*strikes{}
	}
}
