package hall

import (
	"net/http"
	"strconv"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/cases"
)

func (s *Server) caseRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/cases", s.staff(s.listCases))
	m.HandleFunc("POST /api/v1/cases", s.staff(s.openCase))
	m.HandleFunc("GET /api/v1/cases/due", s.staff(s.dueCases))
	m.HandleFunc("POST /api/v1/cases/deadline-moves/ack", s.staff(s.ackDeadlineMoves))
	m.HandleFunc("GET /api/v1/cases/centre", s.staff(s.getCentre))
	m.HandleFunc("PUT /api/v1/cases/centre", s.admin(s.setCentre))
	m.HandleFunc("GET /api/v1/cases/{id}", s.staff(s.getCase))
	m.HandleFunc("POST /api/v1/cases/{id}/actions", s.staff(s.actOnCase))
	m.HandleFunc("PUT /api/v1/cases/{id}/materials", s.staff(s.setMaterials))
	m.HandleFunc("PUT /api/v1/cases/{id}/citizen", s.staff(s.updateCitizen))
	m.HandleFunc("POST /api/v1/cases/{id}/take", s.staff(s.takeCase))
	m.HandleFunc("GET /api/v1/cases/{id}/notice.pdf", s.linked(s.caseDocument(cases.DocNotice)))
	m.HandleFunc("GET /api/v1/cases/{id}/receipt.pdf", s.linked(s.caseDocument(cases.DocReceipt)))
	m.HandleFunc("GET /api/v1/cases/{id}/completion.pdf", s.linked(s.caseDocument(cases.DocCompletion)))
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request, p account.Principal) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	list, err := s.core.Cases.List(r.Context(), p, cases.Filter{
		Status: q.Get("status"), Mine: q.Get("mine") == "1" || q.Get("mine") == "true", Open: q.Get("open") == "1" || q.Get("open") == "true",
		ItemCode: q.Get("item"), IDNumber: q.Get("id_number"), Name: q.Get("name"), Limit: limit,
		Unheld: q.Get("unheld") == "1" || q.Get("unheld") == "true",
	})
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) openCase(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in cases.OpenRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Cases.Open(r.Context(), p, in)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) dueCases(w http.ResponseWriter, r *http.Request, p account.Principal) {
	scope := r.URL.Query().Get("scope")
	if scope != "" && scope != "mine" && scope != "all" {
		writeError(w, s.log, apperr.Errorf(apperr.Invalid, "scope应为mine或all，收到“%s”。", scope))
		return
	}
	d, err := s.core.Cases.Due(r.Context(), p, scope != "all")
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) ackDeadlineMoves(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		IDs []string `json:"ids"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	if err := s.core.Cases.AcknowledgeMoves(r.Context(), p, in.IDs); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getCentre(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	c, err := s.core.Cases.Centre(r.Context())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) setCentre(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in cases.Centre
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Cases.SetCentre(r.Context(), p, in)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request, p account.Principal) {
	c, err := s.core.Cases.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) actOnCase(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in cases.Action
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Cases.Act(r.Context(), p, r.PathValue("id"), in)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) setMaterials(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Received *[]int `json:"received"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	if in.Received == nil {
		writeError(w, s.log, apperr.Errorf(apperr.Invalid, "缺少字段“received”（已收材料的序号列表）。"))
		return
	}
	c, err := s.core.Cases.SetMaterials(r.Context(), p, r.PathValue("id"), *in.Received)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) updateCitizen(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in cases.CitizenUpdate
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Cases.UpdateCitizen(r.Context(), p, r.PathValue("id"), in)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) takeCase(w http.ResponseWriter, r *http.Request, p account.Principal) {
	c, err := s.core.Cases.Take(r.Context(), p, r.PathValue("id"))
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) caseDocument(kind string) staffHandler {
	return func(w http.ResponseWriter, r *http.Request, p account.Principal) {
		pdf, name, err := s.core.Cases.Document(r.Context(), p, r.PathValue("id"), kind)
		if err != nil {
			writeError(w, s.log, err)
			return
		}
		writePDF(w, r, name, pdf)
	}
}
