package hall

import (
	"net/http"

	"budayang/backend/account"
)

func (s *Server) reportRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/reports/dashboard", s.staff(s.dashboard))
	m.HandleFunc("GET /api/v1/reports/compliance", s.admin(s.reportCompliance))
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, p account.Principal) {
	d, err := s.core.Reports.Dashboard(r.Context(), p)
	s.respond(w, http.StatusOK, d, err)
}

func (s *Server) reportCompliance(w http.ResponseWriter, r *http.Request, p account.Principal) {
	c, err := s.core.Reports.Compliance(r.Context(), p)
	s.respond(w, http.StatusOK, c, err)
}
