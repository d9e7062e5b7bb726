package hall

import (
	"net/http"

	"budayang/backend/account"
)

// countyDataRoutes serve what the site pulled from the county: its
// department directory and its announcements, to any staff.
func (s *Server) countyDataRoutes() {
	s.mux.HandleFunc("GET /api/v1/county-data/departments", s.staff(s.countyDepartments))
	s.mux.HandleFunc("GET /api/v1/county-data/announcements", s.staff(s.countyAnnouncements))
}

func (s *Server) countyDepartments(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	list, err := s.core.Sync.Departments(r.Context())
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) countyAnnouncements(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	list, err := s.core.Sync.Announcements(r.Context())
	s.respond(w, http.StatusOK, list, err)
}
