package hall

import (
	"net/http"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/device"
	"budayang/backend/rating"
)

func (s *Server) ratingRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/rate/{n}", s.boundPad(s.pendingRating))
	m.HandleFunc("POST /api/v1/ratings", s.boundPad(s.submitRating))
	m.HandleFunc("GET /api/v1/ratings", s.staff(s.listRatings))
	m.HandleFunc("POST /api/v1/ratings/{id}/return-calls", s.staff(s.addReturnCall))
	m.HandleFunc("POST /api/v1/ratings/{id}/rectification", s.staff(s.closeRectification))
	m.HandleFunc("POST /api/v1/ratings/{id}/appeal", s.staff(s.fileAppeal))
	m.HandleFunc("POST /api/v1/ratings/{id}/appeal/decision", s.staff(s.decideAppeal))
}

// pendingRating answers only the pad bound to window n: the pending service
// is what a rating is given for.
func (s *Server) pendingRating(w http.ResponseWriter, r *http.Request, _ device.Device, bound int) {
	n, err := windowNumber(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	if n != bound {
		writeError(w, s.log, apperr.Errorf(apperr.Forbidden, "这台评价器绑定的是%d号窗口，不能评价%d号窗口。", bound, n))
		return
	}
	p, err := s.core.Ratings.Pending(r.Context(), n)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"pending": p, "levels": rating.Levels})
}

// submitRating rates the service pending at the pad's own window.
func (s *Server) submitRating(w http.ResponseWriter, r *http.Request, d device.Device, n int) {
	var in rating.Submission
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	rt, err := s.core.Ratings.Submit(r.Context(), caller{device: &d, addr: clientAddr(r)}.actor(), n, in)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	// The pad is public: it gets back the rating without the citizen's data.
	rt.CitizenName, rt.Phone = "", ""
	writeJSON(w, http.StatusCreated, rt)
}

func (s *Server) listRatings(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Ratings.List(r.Context(), p, r.URL.Query().Get("bad") == "1")
	s.respond(w, http.StatusOK, list, err)
}

type followUp struct {
	Outcome  string `json:"outcome"`
	Note     string `json:"note"`
	Reason   string `json:"reason"`
	Upheld   bool   `json:"upheld"`
	Decision string `json:"decision"`
}

func (s *Server) followUp(w http.ResponseWriter, r *http.Request, apply func(in followUp) (rating.Rating, error)) {
	var in followUp
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	rt, err := apply(in)
	s.respond(w, http.StatusOK, rt, err)
}

func (s *Server) addReturnCall(w http.ResponseWriter, r *http.Request, p account.Principal) {
	s.followUp(w, r, func(in followUp) (rating.Rating, error) {
		return s.core.Ratings.AddReturnCall(r.Context(), p, r.PathValue("id"), in.Outcome, in.Note)
	})
}

func (s *Server) closeRectification(w http.ResponseWriter, r *http.Request, p account.Principal) {
	s.followUp(w, r, func(in followUp) (rating.Rating, error) {
		return s.core.Ratings.CloseRectification(r.Context(), p, r.PathValue("id"), in.Note)
	})
}

func (s *Server) fileAppeal(w http.ResponseWriter, r *http.Request, p account.Principal) {
	s.followUp(w, r, func(in followUp) (rating.Rating, error) {
		return s.core.Ratings.FileAppeal(r.Context(), p, r.PathValue("id"), in.Reason)
	})
}

func (s *Server) decideAppeal(w http.ResponseWriter, r *http.Request, p account.Principal) {
	s.followUp(w, r, func(in followUp) (rating.Rating, error) {
		return s.core.Ratings.DecideAppeal(r.Context(), p, r.PathValue("id"), in.Upheld, in.Decision)
	})
}
