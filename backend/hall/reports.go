package hall

import (
	"net/http"

	"budayang/backend/account"
	"budayang/backend/apperr"
)

func (s *Server) reportRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/reports/dashboard", s.staff(s.dashboard))
	m.HandleFunc("GET /api/v1/reports/compliance", s.admin(s.reportCompliance))
	s.periodReportRoutes()
}

// dashboard takes no parameters: it is always today, and a caller asking
// for a day or a period is told so rather than answered with today.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, p account.Principal) {
	if r.URL.RawQuery != "" {
		writeError(w, s.log, apperr.Errorf(apperr.Invalid, "工作台只显示今天的实时数据，不接受日期或时段参数；按时段统计请使用统计报表。"))
		return
	}
	d, err := s.core.Reports.Dashboard(r.Context(), p)
	s.respond(w, http.StatusOK, d, err)
}

func (s *Server) reportCompliance(w http.ResponseWriter, r *http.Request, p account.Principal) {
	c, err := s.core.Reports.Compliance(r.Context(), p)
	s.respond(w, http.StatusOK, c, err)
}
