package account

import "sync"

// endWatchers tell the holders of a session — an open event stream — that it
// ended: at logout, deactivation, a password reset, or another session's
// password change. Each watch is a channel closed once.
type endWatchers struct {
	mu sync.Mutex
	m  map[*endWatch]struct{}
}

type endWatch struct {
	staffID string
	session string
	ch      chan struct{}
}

// WatchSession returns a channel closed when p's session ends, and the
// function that stops watching (call it when the holder goes away).
func (s *Service) WatchSession(p Principal) (ended <-chan struct{}, stop func()) {
	w := &endWatch{staffID: p.ID, session: p.Session, ch: make(chan struct{})}
	s.ended.mu.Lock()
	if s.ended.m == nil {
		s.ended.m = map[*endWatch]struct{}{}
	}
	s.ended.m[w] = struct{}{}
	s.ended.mu.Unlock()
	return w.ch, func() {
		s.ended.mu.Lock()
		delete(s.ended.m, w)
		s.ended.mu.Unlock()
	}
}

func (e *endWatchers) end(match func(*endWatch) bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for w := range e.m {
		if match(w) {
			delete(e.m, w)
			close(w.ch)
		}
	}
}

// session ends the watches of one session (a token hash).
func (e *endWatchers) session(hash string) {
	e.end(func(w *endWatch) bool { return w.session == hash })
}

// staff ends every watch of staffID except those of the session keep.
func (e *endWatchers) staff(staffID, keep string) {
	e.end(func(w *endWatch) bool { return w.staffID == staffID && (keep == "" || w.session != keep) })
}
