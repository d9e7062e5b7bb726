package hall

import (
	"net/http"

	"budayang/backend/account"
)

// rosterSwapRoutes are a person's own duties, duty swaps (换班) and
// handover notes (交接班). Who may act on a swap or a handover (the person on
// the duty, the colleague, the next duty's people, the head) is the
// service's check, past the staff guard.
func (s *Server) rosterSwapRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/roster/my-duties", s.staff(s.myDuties))
	m.HandleFunc("GET /api/v1/roster/swaps", s.staff(s.rosterSwaps))
	m.HandleFunc("POST /api/v1/roster/swaps", s.staff(s.proposeSwap))
	m.HandleFunc("POST /api/v1/roster/swaps/{id}/accept", s.staff(s.acceptSwap))
	m.HandleFunc("POST /api/v1/roster/swaps/{id}/approve", s.admin(s.approveSwap))
	m.HandleFunc("POST /api/v1/roster/swaps/{id}/decline", s.staff(s.declineSwap))
	m.HandleFunc("POST /api/v1/roster/swaps/{id}/cancel", s.staff(s.cancelSwap))
	m.HandleFunc("GET /api/v1/roster/handovers", s.staff(s.rosterHandovers))
	m.HandleFunc("POST /api/v1/roster/handovers", s.staff(s.addHandover))
	m.HandleFunc("POST /api/v1/roster/handovers/{id}/ack", s.staff(s.ackHandover))
}

func (s *Server) myDuties(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Roster.MyDuties(r.Context(), p)
	s.respond(w, http.StatusOK, map[string]any{"duties": list}, err)
}

func (s *Server) rosterSwaps(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Roster.Swaps(r.Context(), p, r.URL.Query().Get("open") == "1")
	s.respond(w, http.StatusOK, map[string]any{"swaps": list}, err)
}

func (s *Server) proposeSwap(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		AssignmentID string `json:"assignment_id"`
		WithStaffID  string `json:"with_staff_id"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	sw, err := s.core.Roster.ProposeSwap(r.Context(), p, in.AssignmentID, in.WithStaffID)
	s.respond(w, http.StatusCreated, sw, err)
}

func (s *Server) acceptSwap(w http.ResponseWriter, r *http.Request, p account.Principal) {
	sw, err := s.core.Roster.AcceptSwap(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, sw, err)
}

func (s *Server) approveSwap(w http.ResponseWriter, r *http.Request, p account.Principal) {
	sw, err := s.core.Roster.ApproveSwap(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, sw, err)
}

func (s *Server) declineSwap(w http.ResponseWriter, r *http.Request, p account.Principal) {
	sw, err := s.core.Roster.DeclineSwap(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, sw, err)
}

func (s *Server) cancelSwap(w http.ResponseWriter, r *http.Request, p account.Principal) {
	sw, err := s.core.Roster.CancelSwap(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, sw, err)
}

func (s *Server) rosterHandovers(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Roster.Handovers(r.Context(), p, r.URL.Query().Get("pending") == "1")
	s.respond(w, http.StatusOK, map[string]any{"handovers": list}, err)
}

func (s *Server) addHandover(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		AssignmentID string `json:"assignment_id"`
		Note         string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	h, err := s.core.Roster.AddHandover(r.Context(), p, in.AssignmentID, in.Note)
	s.respond(w, http.StatusCreated, h, err)
}

func (s *Server) ackHandover(w http.ResponseWriter, r *http.Request, p account.Principal) {
	h, err := s.core.Roster.AckHandover(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, h, err)
}
