package hall

import (
	"net/http"

	"budayang/backend/account"
	"budayang/backend/roster"
)

func (s *Server) rosterRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/roster/shifts", s.admin(s.rosterSetup))
	m.HandleFunc("PUT /api/v1/roster/shifts", s.admin(s.setRosterSetup))
	m.HandleFunc("GET /api/v1/staff/{id}/unavailable", s.staff(s.listUnavailable))
	m.HandleFunc("POST /api/v1/staff/{id}/unavailable", s.staff(s.addUnavailable))
	m.HandleFunc("POST /api/v1/roster/plans", s.admin(s.generateRoster))
	m.HandleFunc("GET /api/v1/roster/plans", s.staff(s.rosterPlans))
	m.HandleFunc("GET /api/v1/roster/plans/{id}", s.staff(s.rosterPlan))
	m.HandleFunc("PUT /api/v1/roster/plans/{id}/assignments/{aid}", s.admin(s.assignDuty))
	m.HandleFunc("POST /api/v1/roster/plans/{id}/publish", s.admin(s.publishRoster))
	m.HandleFunc("GET /api/v1/roster/now", s.rosterNow)
	s.rosterSwapRoutes()
}

func (s *Server) rosterSetup(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	st, err := s.core.Roster.Setup(r.Context())
	s.respond(w, http.StatusOK, st, err)
}

func (s *Server) setRosterSetup(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in roster.Setup
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	st, err := s.core.Roster.SetSetup(r.Context(), p, in)
	s.respond(w, http.StatusOK, st, err)
}

func (s *Server) listUnavailable(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Roster.Unavailable(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, map[string]any{"unavailable": list}, err)
}

func (s *Server) addUnavailable(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		From   string `json:"from"`
		To     string `json:"to"`
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	u, err := s.core.Roster.AddUnavailable(r.Context(), p, r.PathValue("id"), roster.Unavailability{From: in.From, To: in.To, Reason: in.Reason})
	s.respond(w, http.StatusCreated, u, err)
}

func (s *Server) generateRoster(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		From string `json:"from"`
		To   string `json:"to"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	plan, err := s.core.Roster.Generate(r.Context(), p, in.From, in.To)
	s.respond(w, http.StatusCreated, plan, err)
}

func (s *Server) rosterPlans(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	plans, err := s.core.Roster.Plans(r.Context())
	s.respond(w, http.StatusOK, map[string]any{"plans": plans}, err)
}

func (s *Server) rosterPlan(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	plan, err := s.core.Roster.Plan(r.Context(), r.PathValue("id"))
	s.respond(w, http.StatusOK, plan, err)
}

func (s *Server) assignDuty(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		StaffID string `json:"staff_id"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	plan, err := s.core.Roster.Assign(r.Context(), p, r.PathValue("id"), r.PathValue("aid"), in.StaffID)
	s.respond(w, http.StatusOK, plan, err)
}

func (s *Server) publishRoster(w http.ResponseWriter, r *http.Request, p account.Principal) {
	plan, err := s.core.Roster.Publish(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, plan, err)
}

func (s *Server) rosterNow(w http.ResponseWriter, r *http.Request) {
	b, err := s.core.Roster.Now(r.Context())
	s.respond(w, http.StatusOK, b, err)
}
