package hall

import (
	"net/http"

	"budayang/backend/citizen"
)

// rules serves the citizen-field rules (phone pattern, ID number limits) to
// every screen, the public kiosk and rating pad included: they are the same
// for everyone and carry nothing personal.
func (s *Server) rules(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, citizen.PublicRules())
}
