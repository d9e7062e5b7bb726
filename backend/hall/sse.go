package hall

import (
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"budayang/backend/events"
)

// Coalesce is the shortest time between two writes to the streams. The first
// event after a quiet spell goes out at once; what follows within Coalesce is
// gathered and written together, so in a busy hall fifty displays wake and
// write once for several events instead of once each, and in a quiet one a
// call reaches the display with no added delay.
const Coalesce = 5 * time.Millisecond

// streamBacklog is how many gathered writes a stream may have waiting. One
// that falls further behind is ended: its page reconnects and reloads, which
// is better than a display that silently missed a call.
const streamBacklog = 64

// PingInterval keeps idle SSE connections alive through proxies and lets a
// display notice a dead host.
const PingInterval = 15 * time.Second

// publicEvents are what the LAN pages (display, kiosk, rating pad) may hear
// without a session: ticket numbers, windows and counts, no citizen data.
var publicEvents = []string{"ticket:", "window:", "queue:", "day:", "rating:submitted", "host:", "whereabouts:changed"}

// Public reports whether an event may go to a stream without a session.
func Public(typ string) bool {
	for _, p := range publicEvents {
		if typ == p || strings.HasSuffix(p, ":") && strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

// events streams the hall's events as Server-Sent Events until the client
// goes away: every event to a staff session (the Authorization header, or a
// link made for /api/v1/events), the public ones to a caller with no
// credential. A credential that does not hold is refused, so a browser whose
// link ran out reopens with a new one instead of hearing only public events.
// A staff stream ends when its session does (logout, deactivation, a
// password reset or change elsewhere).
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	var ended <-chan struct{} // nil, never ready, for a public stream
	staff := bearer(r) != "" || r.URL.Query().Get(LinkParam) != ""
	if staff {
		p, err := s.principal(r)
		if err != nil {
			writeError(w, s.log, err)
			return
		}
		var stop func()
		ended, stop = s.core.Accounts.WatchSession(p)
		defer stop()
		// A session that ended between the check and the watch is seen here.
		if _, err := s.principal(r); err != nil {
			writeError(w, s.log, err)
			return
		}
	}
	st := s.fan.join(staff)
	defer s.fan.leave(st)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "retry: 2000\n: connected\n\n")
	fl.Flush()
	ping := time.NewTicker(PingInterval)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ended:
			return
		case <-ping.C:
			_, _ = io.WriteString(w, ": ping\n\n")
		case frames, ok := <-st.frames:
			if !ok {
				return
			}
			_, _ = w.Write(frames)
		}
		fl.Flush()
	}
}

// fanout turns the bus's events into SSE frames once and hands the same bytes
// to every stream, a batch per Coalesce at most: fifty displays cost the
// publisher one channel send, not fifty, and each display one write per
// batch, not one per event.
type fanout struct {
	bus     *events.Bus
	mu      sync.Mutex
	streams map[*stream]struct{}
	sub     *events.Subscription // while any stream is open
}

type stream struct {
	staff  bool
	frames chan []byte // closed when the stream fell too far behind
}

func newFanout(bus *events.Bus) *fanout {
	return &fanout{bus: bus, streams: map[*stream]struct{}{}}
}

func (f *fanout) join(staff bool) *stream {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := &stream{staff: staff, frames: make(chan []byte, streamBacklog)}
	f.streams[st] = struct{}{}
	if f.sub == nil {
		f.sub = f.bus.Subscribe(4096)
		go f.run(f.sub)
	}
	return st
}

func (f *fanout) leave(st *stream) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.streams, st)
	if len(f.streams) == 0 && f.sub != nil {
		f.sub.Close()
		f.sub = nil
	}
}

// run gathers events from sub into one batch for the public streams and one
// for the staff streams, and sends them at once after a quiet spell or at the
// end of the Coalesce window.
func (f *fanout) run(sub *events.Subscription) {
	gather := time.NewTimer(time.Hour)
	gather.Stop()
	defer gather.Stop()
	var (
		public, staff []byte
		last          time.Time
		due           <-chan time.Time // set while a batch is gathering
	)
	add := func(e events.Event) {
		staff = appendFrame(staff, e)
		if Public(e.Type) {
			// The same event without the ids a write would accept.
			e.JSON = publicJSON(e.JSON)
			public = appendFrame(public, e)
		}
	}
	for {
		select {
		case e, ok := <-sub.C:
			if !ok {
				return
			}
			add(e)
			if due != nil {
				continue
			}
			if wait := Coalesce - time.Since(last); wait > 0 {
				gather.Reset(wait)
				due = gather.C
				continue
			}
			// Sending at once: take what is already queued along, since a
			// group commit publishes its events in a burst.
			for queued := len(sub.C); queued > 0; queued-- {
				add(<-sub.C)
			}
		case <-due:
		}
		f.send(public, staff)
		public, staff, due, last = nil, nil, nil, time.Now()
	}
}

func (f *fanout) send(public, staff []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for st := range f.streams {
		b := public
		if st.staff {
			b = staff
		}
		if len(b) == 0 {
			continue
		}
		select {
		case st.frames <- b:
		default:
			delete(f.streams, st)
			close(st.frames)
		}
	}
}

func appendFrame(b []byte, e events.Event) []byte {
	b = append(b, "event: "...)
	b = append(b, e.Type...)
	b = append(b, "\ndata: "...)
	b = append(b, e.JSON...)
	return append(b, "\n\n"...)
}

// spa serves the built frontend; any path that is not a file gets index.html
// so the router can take it (/display, /kiosk, /rate/3 …).
func spa(ui fs.FS) http.Handler {
	files := http.FileServerFS(ui)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p != "" {
			if st, err := fs.Stat(ui, p); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(w, r)
				return
			}
		}
		index, err := fs.ReadFile(ui, "index.html")
		if err != nil {
			http.Error(w, "前端尚未构建：请先运行 make build。", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(index)
	})
}
