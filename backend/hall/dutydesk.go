package hall

import (
	"net/http"

	"budayang/backend/account"
	"budayang/backend/calllog"
	"budayang/backend/whereabouts"
)

// dutyDeskRoutes are the call log (duty officer, clerks, administrator) and
// the whereabouts messages, whose current list the hall's display and kiosk
// read without a credential, as they read who is on duty.
func (s *Server) dutyDeskRoutes() {
	m := s.mux
	m.HandleFunc("POST /api/v1/duty/calls", s.staff(s.logCall))
	m.HandleFunc("GET /api/v1/duty/calls", s.staff(s.listCalls))
	m.HandleFunc("GET /api/v1/duty/calls/{id}", s.staff(s.getCall))
	m.HandleFunc("PUT /api/v1/duty/calls/{id}", s.staff(s.updateCall))
	m.HandleFunc("POST /api/v1/duty/calls/{id}/booking", s.staff(s.bookCall))
	m.HandleFunc("POST /api/v1/duty/calls/{id}/case", s.staff(s.caseFromCall))
	m.HandleFunc("GET /api/v1/whereabouts", s.currentWhereabouts)
	m.HandleFunc("POST /api/v1/whereabouts", s.staff(s.leaveWhereabouts))
	m.HandleFunc("DELETE /api/v1/whereabouts/{id}", s.staff(s.returnWhereabouts))
}

func (s *Server) logCall(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in calllog.Request
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.CallLog.Log(r.Context(), p, in)
	s.respond(w, http.StatusCreated, c, err)
}

func (s *Server) listCalls(w http.ResponseWriter, r *http.Request, p account.Principal) {
	q := r.URL.Query()
	list, err := s.core.CallLog.List(r.Context(), p, q.Get("from"), q.Get("to"))
	s.respond(w, http.StatusOK, map[string]any{"calls": list}, err)
}

func (s *Server) getCall(w http.ResponseWriter, r *http.Request, p account.Principal) {
	c, err := s.core.CallLog.Get(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, c, err)
}

func (s *Server) updateCall(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in calllog.Update
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.CallLog.Update(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusOK, c, err)
}

func (s *Server) bookCall(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in calllog.BookingRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	out, err := s.core.CallLog.Book(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusCreated, out, err)
}

func (s *Server) caseFromCall(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in calllog.CaseRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	out, err := s.core.CallLog.OpenCase(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusCreated, out, err)
}

// currentWhereabouts answers staff with the messages whole (ids to clear
// them by) and everyone else — the display, the kiosk, a phone on the Wi-Fi —
// with the public board: names, windows and times.
func (s *Server) currentWhereabouts(w http.ResponseWriter, r *http.Request) {
	list, err := s.core.Whereabouts.Current(r.Context())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	if s.signedIn(r) {
		writeJSON(w, http.StatusOK, map[string]any{"messages": list})
		return
	}
	s.respondPublic(w, r, whereabouts.Public(list), nil)
}

func (s *Server) leaveWhereabouts(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in whereabouts.Request
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	m, err := s.core.Whereabouts.Leave(r.Context(), p, in)
	s.respond(w, http.StatusCreated, m, err)
}

func (s *Server) returnWhereabouts(w http.ResponseWriter, r *http.Request, p account.Principal) {
	if err := s.core.Whereabouts.Return(r.Context(), p, r.PathValue("id")); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
