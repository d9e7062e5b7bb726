// Package events is the one event bus of the process: services publish typed
// noun:verb events after their writes commit; the window forwards them as
// Wails runtime events and the hall server as Server-Sent Events.
package events

import (
	"encoding/json"
	"sync"
)

// Event types published by the foundation services.
const (
	StaffChanged  = "staff:changed"
	SiteChanged   = "site:changed"
	JobRan        = "job:ran"
	BackupCreated = "backup:created"
)

// Event is one published event. Publish marshals Data once into JSON, so
// fifty displays on the stream do not marshal it fifty times.
type Event struct {
	Type string          `json:"type"`
	Data any             `json:"data"`
	JSON json.RawMessage `json:"-"`
}

// Publisher is what services need of the bus.
type Publisher interface {
	Publish(Event)
}

// Bus fans events out to subscribers. A subscriber that falls behind by more
// than its buffer loses the oldest undelivered events rather than blocking the
// publisher: a slow hall display must never stall a window's call.
type Bus struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// NewBus returns an empty bus.
func NewBus() *Bus { return &Bus{subs: map[*Subscription]struct{}{}} }

// Subscription receives events on C until Close.
type Subscription struct {
	C   chan Event
	bus *Bus
}

// Subscribe returns a subscription with a buffer of n events.
func (b *Bus) Subscribe(n int) *Subscription {
	s := &Subscription{C: make(chan Event, n), bus: b}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

// Close stops delivery and closes C.
func (s *Subscription) Close() {
	s.bus.mu.Lock()
	if _, ok := s.bus.subs[s]; ok {
		delete(s.bus.subs, s)
		close(s.C)
	}
	s.bus.mu.Unlock()
}

// Publish delivers e to every subscriber without blocking.
func (b *Bus) Publish(e Event) {
	if e.JSON == nil {
		raw, err := json.Marshal(e.Data)
		if err != nil {
			raw = []byte("null")
		}
		e.JSON = raw
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		select {
		case s.C <- e:
		default:
			select {
			case <-s.C:
			default:
			}
			select {
			case s.C <- e:
			default:
			}
		}
	}
}
