package hall

import (
	"net/http"

	"budayang/backend/account"
)

// syncReport answers GET /api/v1/sync: the county link and its dead letters.
func (s *Server) syncReport(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	rep, err := s.core.Sync.Report(r.Context())
	s.respond(w, http.StatusOK, rep, err)
}

// syncNow answers POST /api/v1/sync/now ("立即同步").
func (s *Server) syncNow(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	rep, err := s.core.Sync.SyncNow(r.Context())
	s.respond(w, http.StatusOK, rep, err)
}

// syncEnroll answers POST /api/v1/sync/enroll {"county","code"}.
func (s *Server) syncEnroll(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	var req struct {
		County string `json:"county"`
		Code   string `json:"code"`
	}
	if err := decode(r, &req); err != nil {
		writeError(w, s.log, err)
		return
	}
	rep, err := s.core.Sync.EnrollAndReport(r.Context(), req.County, req.Code)
	s.respond(w, http.StatusOK, rep, err)
}
