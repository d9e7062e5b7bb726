package hall

import (
	"net/http"
	"strconv"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/booking"
	"budayang/backend/citizen"
	"budayang/backend/device"
	"budayang/backend/queue"
)

func (s *Server) queueRoutes() {
	m := s.mux
	m.HandleFunc("POST /api/v1/tickets", s.deviceOrStaff(device.Kiosk, s.issueTicket))
	m.HandleFunc("GET /api/v1/tickets/{id}", s.deviceOrStaff(device.Kiosk, s.getTicket))
	m.HandleFunc("GET /api/v1/tickets", s.staff(s.todayTickets))
	m.HandleFunc("POST /api/v1/tickets/{id}/{action}", s.staff(s.ticketAction))
	m.HandleFunc("POST /api/v1/windows/{n}/call-next", s.staff(s.callNext))
	m.HandleFunc("POST /api/v1/windows/{n}/call", s.staff(s.callTicket))
	m.HandleFunc("POST /api/v1/windows/{n}/pause", s.staff(s.pauseWindow))
	m.HandleFunc("POST /api/v1/windows/{n}/resume", s.staff(s.resumeWindow))
	m.HandleFunc("GET /api/v1/hall", s.hall)
	m.HandleFunc("GET /api/v1/lines", s.lines)
	m.HandleFunc("PUT /api/v1/lines/{prefix}", s.admin(s.saveLine))
	m.HandleFunc("GET /api/v1/windows", s.windows)
	m.HandleFunc("PUT /api/v1/windows/{n}", s.admin(s.saveWindow))
	m.HandleFunc("GET /api/v1/queue/settings", s.queueSettings)
	m.HandleFunc("PUT /api/v1/queue/settings", s.admin(s.saveQueueSettings))
	m.HandleFunc("POST /api/v1/queue/close-day", s.admin(s.closeDay))
	m.HandleFunc("GET /api/v1/queue/unserved", s.staff(s.unserved))
}

func windowNumber(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return 0, apperr.Errorf(apperr.Invalid, "窗口编号“%s”不正确。", r.PathValue("n"))
	}
	return n, nil
}

// issueTicket issues at a paired kiosk or at the desk, the green channel
// included: a clerk issuing with a session is recorded as the desk.
func (s *Server) issueTicket(w http.ResponseWriter, r *http.Request, c caller) {
	var in queue.IssueRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	in.Source = "kiosk"
	if c.staff != nil {
		in.Source = "desk"
	}
	t, err := s.core.Queue.Issue(r.Context(), c.actor(), in)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, ticketOut(t))
}

// ticketOut is the issue contract's shape: the phone never leaves masked or
// not at all.
func ticketOut(t queue.Ticket) queue.Ticket {
	t.Phone = ""
	return t
}

func (s *Server) getTicket(w http.ResponseWriter, r *http.Request, _ caller) {
	t, err := s.core.Queue.Ticket(r.Context(), r.PathValue("id"))
	s.respond(w, http.StatusOK, t, err)
}

func (s *Server) todayTickets(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	list, err := s.core.Queue.Today(r.Context())
	for i := range list {
		list[i] = maskedTicket(list[i])
	}
	s.respond(w, http.StatusOK, list, err)
}

// maskedTicket is a ticket as every list shows it: the phone masked. The
// full number is used only inside the host, when a ticket becomes a booking.
func maskedTicket(t queue.Ticket) queue.Ticket {
	t.Phone = citizen.MaskPhone(t.Phone)
	return t
}

func (s *Server) callNext(w http.ResponseWriter, r *http.Request, p account.Principal) {
	n, err := windowNumber(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	t, ok, err := s.core.Queue.CallNext(r.Context(), p, n)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": t})
}

func (s *Server) callTicket(w http.ResponseWriter, r *http.Request, p account.Principal) {
	n, err := windowNumber(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	var in struct {
		Ticket string `json:"ticket"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	t, err := s.core.Queue.CallTicket(r.Context(), p, n, in.Ticket)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": t})
}

func (s *Server) ticketAction(w http.ResponseWriter, r *http.Request, p account.Principal) {
	id := r.PathValue("id")
	var t queue.Ticket
	var err error
	switch r.PathValue("action") {
	case "recall":
		t, err = s.core.Queue.Recall(r.Context(), p, id)
	case "hold":
		t, err = s.core.Queue.Hold(r.Context(), p, id)
	case "skip":
		t, err = s.core.Queue.Skip(r.Context(), p, id)
	case "complete":
		t, err = s.core.Queue.Complete(r.Context(), p, id)
	case "transfer":
		var in struct {
			Line   string `json:"line"`
			Window int    `json:"window"`
		}
		if err = decode(r, &in); err == nil {
			t, err = s.core.Queue.Transfer(r.Context(), p, id, in.Line, in.Window)
		}
	default:
		err = apperr.Errorf(apperr.NotFound, "号票不支持“%s”操作。", r.PathValue("action"))
	}
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": t})
}

func (s *Server) pauseWindow(w http.ResponseWriter, r *http.Request, p account.Principal) {
	n, err := windowNumber(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	win, err := s.core.Queue.Pause(r.Context(), p, n, in.Reason)
	s.respond(w, http.StatusOK, win, err)
}

func (s *Server) resumeWindow(w http.ResponseWriter, r *http.Request, p account.Principal) {
	n, err := windowNumber(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	win, err := s.core.Queue.Resume(r.Context(), p, n)
	s.respond(w, http.StatusOK, win, err)
}

func (s *Server) hall(w http.ResponseWriter, r *http.Request) {
	v, err := s.core.Queue.Hall(r.Context())
	s.respondPublic(w, r, v, err)
}

func (s *Server) lines(w http.ResponseWriter, r *http.Request) {
	list, err := s.core.Queue.Lines(r.Context())
	s.respondPublic(w, r, list, err)
}

func (s *Server) saveLine(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in queue.Line
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	in.Prefix = r.PathValue("prefix")
	l, err := s.core.Queue.SaveLine(r.Context(), p, in)
	s.respond(w, http.StatusOK, l, err)
}

func (s *Server) windows(w http.ResponseWriter, r *http.Request) {
	list, err := s.core.Queue.Windows(r.Context())
	s.respondPublic(w, r, list, err)
}

func (s *Server) saveWindow(w http.ResponseWriter, r *http.Request, p account.Principal) {
	n, err := windowNumber(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	var in struct {
		Name  string   `json:"name"`
		Lines []string `json:"lines"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	win, err := s.core.Queue.SaveWindow(r.Context(), p, queue.Window{Number: n, Name: in.Name, Lines: in.Lines})
	s.respond(w, http.StatusOK, win, err)
}

func (s *Server) queueSettings(w http.ResponseWriter, r *http.Request) {
	st, err := s.core.Queue.Settings(r.Context())
	s.respond(w, http.StatusOK, st, err)
}

func (s *Server) saveQueueSettings(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in queue.Settings
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	st, err := s.core.Queue.SaveSettings(r.Context(), p, in)
	s.respond(w, http.StatusOK, st, err)
}

func (s *Server) closeDay(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Queue.CloseDay(r.Context(), p.Actor(), queue.Day(s.core.Clock.Now()))
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"unserved": list})
}

func (s *Server) unserved(w http.ResponseWriter, r *http.Request, p account.Principal) {
	day := r.URL.Query().Get("day")
	if day == "" {
		day = queue.Day(s.core.Clock.Now())
	}
	list, err := s.core.Queue.Unserved(r.Context(), day)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	ids := make([]string, len(list))
	for i, t := range list {
		ids[i] = t.ID
	}
	made, err := s.core.Bookings.FromTickets(r.Context(), ids)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	// Each ticket with the appointment already made from it, so a list opened
	// again shows what was done instead of offering it twice.
	type unservedTicket struct {
		queue.Ticket
		Booking *booking.Booking `json:"booking,omitempty"`
	}
	out := make([]unservedTicket, len(list))
	for i, t := range list {
		out[i].Ticket = maskedTicket(t)
		if b, ok := made[t.ID]; ok {
			if !booking.SeesContacts(p.Role) {
				b = b.Public()
			}
			out[i].Booking = &b
		}
	}
	writeJSON(w, http.StatusOK, out)
}
