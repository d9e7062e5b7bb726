package hall

import (
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"budayang/backend/events"
)

// Coalesce is how long a stream gathers events before it writes them.
const Coalesce = 2 * time.Millisecond

// PingInterval keeps idle SSE connections alive through proxies and lets a
// display notice a dead host.
const PingInterval = 15 * time.Second

// publicEvents are what the LAN pages (display, kiosk, rating pad) may hear
// without a session: ticket numbers, windows and counts, no citizen data.
var publicEvents = []string{"ticket:", "window:", "queue:", "day:", "rating:submitted", "status:", "host:"}

// Public reports whether an event may go to a stream without a session.
func Public(typ string) bool {
	for _, p := range publicEvents {
		if typ == p || strings.HasSuffix(p, ":") && strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

// events streams the bus as Server-Sent Events until the client goes away:
// every event to a staff session (?token=), the public ones to anyone else.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	_, authErr := s.core.Accounts.Authenticate(r.Context(), bearer(r))
	staff := authErr == nil
	sub := s.core.Bus.Subscribe(256)
	defer sub.Close()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n: connected\n\n")
	fl.Flush()
	ping := time.NewTicker(PingInterval)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
			fl.Flush()
		case e, ok := <-sub.C:
			if !ok {
				return
			}
			writeEvent(w, e, staff)
			// Gather what else arrives within Coalesce before one flush: in
			// a busy hall fifty displays then wake and write once for several
			// events instead of once each, for a delay no one can see.
			gather := time.NewTimer(Coalesce)
			for more := true; more; {
				select {
				case e, ok := <-sub.C:
					if !ok {
						gather.Stop()
						return
					}
					writeEvent(w, e, staff)
				case <-gather.C:
					more = false
				}
			}
			fl.Flush()
		}
	}
}

func writeEvent(w http.ResponseWriter, e events.Event, staff bool) {
	if staff || Public(e.Type) {
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, e.JSON)
	}
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
