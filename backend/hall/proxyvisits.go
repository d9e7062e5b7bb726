package hall

import (
	"net/http"

	"budayang/backend/account"
	"budayang/backend/proxy"
)

// proxyVisitRoutes are the home visits with the day's route, and the
// market-day handover and acceptance of proxy cases (issue 13, points 3–4).
func (s *Server) proxyVisitRoutes() {
	m := s.mux
	m.HandleFunc("POST /api/v1/proxy/visits", s.staff(s.bookVisit))
	m.HandleFunc("GET /api/v1/proxy/visits", s.staff(s.listVisits))
	m.HandleFunc("GET /api/v1/proxy/route", s.staff(s.visitRoute))
	m.HandleFunc("POST /api/v1/proxy/visits/{id}/outcome", s.staff(s.visitOutcome))
	m.HandleFunc("POST /api/v1/proxy/visits/{id}/case", s.staff(s.visitCase))
	m.HandleFunc("GET /api/v1/proxy/market-day", s.staff(s.marketDayHome))
	m.HandleFunc("POST /api/v1/proxy/handovers", s.staff(s.handOver))
	m.HandleFunc("GET /api/v1/proxy/handovers/{id}", s.staff(s.getHandover))
	m.HandleFunc("GET /api/v1/proxy/handovers/{id}/print.pdf", s.linked(s.handoverPDF))
	m.HandleFunc("POST /api/v1/proxy/cases/{id}/accept", s.staff(s.acceptProxyCase))
	m.HandleFunc("PUT /api/v1/villages/{id}/position", s.admin(s.moveVillage))
}

func (s *Server) moveVillage(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Position int `json:"position"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	v, err := s.core.Proxy.SetVillagePosition(r.Context(), p, r.PathValue("id"), in.Position)
	s.respond(w, http.StatusOK, v, err)
}

func (s *Server) bookVisit(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.VisitRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	v, err := s.core.Proxy.BookVisit(r.Context(), p, in)
	s.respond(w, http.StatusCreated, v, err)
}

func (s *Server) listVisits(w http.ResponseWriter, r *http.Request, p account.Principal) {
	q := r.URL.Query()
	if q.Get("from") != "" || q.Get("to") != "" {
		list, err := s.core.Proxy.VisitsBetween(r.Context(), p, q.Get("from"), q.Get("to"))
		s.respond(w, http.StatusOK, list, err)
		return
	}
	list, err := s.core.Proxy.Visits(r.Context(), p, q.Get("date"))
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) visitRoute(w http.ResponseWriter, r *http.Request, p account.Principal) {
	route, err := s.core.Proxy.Route(r.Context(), p, r.URL.Query().Get("date"))
	s.respond(w, http.StatusOK, route, err)
}

func (s *Server) visitOutcome(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.OutcomeRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	v, err := s.core.Proxy.RecordOutcome(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusOK, v, err)
}

func (s *Server) visitCase(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.VisitCaseRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Proxy.OpenCaseFromVisit(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusCreated, c, err)
}

func (s *Server) marketDayHome(w http.ResponseWriter, r *http.Request, p account.Principal) {
	h, err := s.core.Proxy.MarketDay(r.Context(), p)
	s.respond(w, http.StatusOK, h, err)
}

func (s *Server) handOver(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.HandoverRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	h, err := s.core.Proxy.HandOver(r.Context(), p, in)
	s.respond(w, http.StatusCreated, h, err)
}

func (s *Server) getHandover(w http.ResponseWriter, r *http.Request, p account.Principal) {
	h, err := s.core.Proxy.Handover(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, h, err)
}

func (s *Server) handoverPDF(w http.ResponseWriter, r *http.Request, p account.Principal) {
	pdf, err := s.core.Proxy.HandoverPDF(r.Context(), p, r.PathValue("id"))
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writePDF(w, r, "代办件交接清单.pdf", pdf)
}

func (s *Server) acceptProxyCase(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.AcceptRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Proxy.Accept(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusOK, c, err)
}
