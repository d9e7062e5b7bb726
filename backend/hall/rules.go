package hall

import (
	"net/http"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/citizen"
)

// rules serves the citizen-field rules (phone pattern, ID number limits) to
// every screen, the public kiosk and rating pad included: they are the same
// for everyone and carry nothing personal.
func (s *Server) rules(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, citizen.PublicRules())
}

// checkID answers whether the host takes an ID number — check character,
// a birth date that exists and is not in the future — so a form can say so
// as the clerk types the last character, not only on submit. Nothing is
// stored or logged; staff only, since the number is personal data.
func (s *Server) checkID(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	var in struct {
		IDNumber string `json:"id_number"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	out := map[string]any{"ok": true}
	if _, err := citizen.ValidateID(in.IDNumber, s.core.Clock.Now()); err != nil {
		out = map[string]any{"ok": false, "error": apperr.Message(err)}
	}
	writeJSON(w, http.StatusOK, out)
}
