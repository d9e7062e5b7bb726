package hall

import (
	"encoding/base64"
	"net/http"
	"net/url"

	"budayang/backend/account"
	"budayang/backend/report"
)

func (s *Server) periodReportRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/reports/period", s.staff(s.periodReport))
	m.HandleFunc("GET /api/v1/reports/ranking", s.admin(s.ranking))
	m.HandleFunc("GET /api/v1/reports/evidence", s.staff(s.evidence))
	m.HandleFunc("GET /api/v1/reports/period.xlsx", s.linked(s.periodXLSX))
	m.HandleFunc("GET /api/v1/reports/ranking.xlsx", s.linked(s.rankingXLSX))
	m.HandleFunc("GET /api/v1/reports/dashboard.xlsx", s.linked(s.dashboardXLSX))
}

// periodQuery reads from and to, or period and date.
func periodQuery(r *http.Request) report.PeriodQuery {
	q := r.URL.Query()
	return report.PeriodQuery{From: q.Get("from"), To: q.Get("to"), Kind: q.Get("period"), Anchor: q.Get("date")}
}

func (s *Server) periodReport(w http.ResponseWriter, r *http.Request, p account.Principal) {
	rep, err := s.core.Reports.Period(r.Context(), p, periodQuery(r), r.URL.Query().Get("by"))
	s.respond(w, http.StatusOK, rep, err)
}

func (s *Server) ranking(w http.ResponseWriter, r *http.Request, p account.Principal) {
	rep, err := s.core.Reports.Ranking(r.Context(), p, periodQuery(r))
	s.respond(w, http.StatusOK, rep, err)
}

// evidence opens one number: by and key name the group, or staff_id a
// person (the same as by=staff&key=…).
func (s *Server) evidence(w http.ResponseWriter, r *http.Request, p account.Principal) {
	q := r.URL.Query()
	by, key := q.Get("by"), q.Get("key")
	if id := q.Get("staff_id"); id != "" {
		by, key = report.ByStaff, id
	}
	rep, err := s.core.Reports.Evidence(r.Context(), p, periodQuery(r), by, key, q.Get("measure"))
	s.respond(w, http.StatusOK, rep, err)
}

func (s *Server) periodXLSX(w http.ResponseWriter, r *http.Request, p account.Principal) {
	body, name, err := s.core.Reports.PeriodXLSX(r.Context(), p, periodQuery(r), r.URL.Query().Get("by"))
	s.sendXLSX(w, r, body, name, err)
}

func (s *Server) rankingXLSX(w http.ResponseWriter, r *http.Request, p account.Principal) {
	body, name, err := s.core.Reports.RankingXLSX(r.Context(), p, periodQuery(r))
	s.sendXLSX(w, r, body, name, err)
}

func (s *Server) dashboardXLSX(w http.ResponseWriter, r *http.Request, p account.Principal) {
	body, name, err := s.core.Reports.DashboardXLSX(r.Context(), p)
	s.sendXLSX(w, r, body, name, err)
}

// sendXLSX answers a workbook as the roster's export does: as a download,
// or as base64 in JSON for the desktop shell (?as=base64).
func (s *Server) sendXLSX(w http.ResponseWriter, r *http.Request, body []byte, name string, err error) {
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	if r.URL.Query().Get("as") == "base64" {
		writeJSON(w, http.StatusOK, map[string]string{"name": name, "content_type": xlsxType, "data": base64.StdEncoding.EncodeToString(body)})
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
