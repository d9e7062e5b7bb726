package countysync

import (
	"context"
	"time"

	"budayang/backend/events"
)

// StallAfter is how long the queue may make no progress while the county
// answers before the stall alarm is raised.
const StallAfter = 10 * time.Minute

// EventStalled is published when the stall alarm is raised or cleared; its
// data is StallEvent.
const EventStalled = "sync:stalled"

// StallEvent is EventStalled's data.
type StallEvent struct {
	Stalled bool       `json:"stalled"`
	Since   *time.Time `json:"since"`
}

// stallWatch follows the queue between contacts with the county.
type stallWatch struct {
	since   time.Time // when the queue last moved, or the county began answering
	pending int       // the pending count at the last contact
	seen    bool      // pending and since hold a contact
	stalled bool
}

// watch judges the queue after a contact: progress is a delivered row or a
// pending count lower than at the last contact; an empty queue is never
// stalled; a county that did not answer at all is offline, not stalled,
// and the stall is timed from when it answers again.
func (s *Syncer) watch(ctx context.Context, delivered bool) {
	pending, _, err := s.counts(ctx)
	if err != nil {
		return
	}
	now := s.clock.Now().UTC()
	s.mu.Lock()
	w := &s.stall
	was := w.stalled
	switch {
	case !s.answered || pending == 0 || delivered || !w.seen || pending < w.pending:
		w.since, w.stalled = now, false
	case now.Sub(w.since) >= StallAfter:
		w.stalled = true
	}
	w.pending, w.seen = pending, true
	ev := StallEvent{Stalled: w.stalled}
	if w.stalled {
		since := w.since
		ev.Since = &since
	}
	s.mu.Unlock()
	if ev.Stalled != was {
		if ev.Stalled {
			s.log.Warn("county sync stalled", "since", ev.Since, "pending", pending)
		}
		if s.Events != nil {
			s.Events.Publish(events.Event{Type: EventStalled, Data: ev})
		}
	}
}

// Stall reports whether the stall alarm is up, and since when the queue
// has not moved.
func (s *Syncer) Stall() (bool, *time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stall.stalled {
		return false, nil
	}
	since := s.stall.since
	return true, &since
}
