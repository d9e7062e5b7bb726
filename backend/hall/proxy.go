package hall

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/proxy"
)

func (s *Server) proxyRoutes() {
	m := s.mux
	m.HandleFunc("POST /api/v1/proxy/cases", s.staff(s.openProxyCase))
	m.HandleFunc("GET /api/v1/proxy/cases", s.staff(s.listProxyCases))
	m.HandleFunc("GET /api/v1/proxy/cases/{id}", s.staff(s.getProxyCase))
	m.HandleFunc("POST /api/v1/proxy/cases/{id}/materials", s.staff(s.tickProxyMaterial))
	m.HandleFunc("POST /api/v1/proxy/cases/{id}/transition", s.staff(s.moveProxyCase))
	m.HandleFunc("POST /api/v1/proxy/cases/{id}/materials/{index}/photos", s.staff(s.addProxyPhoto))
	m.HandleFunc("GET /api/v1/proxy/cases/{id}/photos/{photo}", s.staff(s.proxyPhoto))
	m.HandleFunc("GET /api/v1/villages", s.staff(s.listVillages))
	m.HandleFunc("POST /api/v1/villages", s.admin(s.addVillage))
	m.HandleFunc("GET /api/v1/assistants/cards", s.assistantCards)
	m.HandleFunc("GET /api/v1/assistants/cards.pdf", s.assistantCardsPDF)
	m.HandleFunc("GET /api/v1/staff/{id}/assistant-card", s.staff(s.getAssistantCard))
	m.HandleFunc("PUT /api/v1/staff/{id}/assistant-card", s.staff(s.setAssistantCard))
	s.proxyVisitRoutes()
}

func (s *Server) openProxyCase(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.OpenRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Proxy.Open(r.Context(), p, in)
	s.respond(w, http.StatusCreated, c, err)
}

func (s *Server) listProxyCases(w http.ResponseWriter, r *http.Request, p account.Principal) {
	q := r.URL.Query()
	late := q.Get("overdue")
	if late != "" && late != "1" && late != "0" {
		writeError(w, s.log, apperr.Errorf(apperr.Invalid, "overdue应为1或0，收到“%s”。", late))
		return
	}
	list, err := s.core.Proxy.List(r.Context(), p, proxy.Filter{State: q.Get("state"), Late: late == "1"})
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) getProxyCase(w http.ResponseWriter, r *http.Request, p account.Principal) {
	c, err := s.core.Proxy.Get(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, c, err)
}

func (s *Server) tickProxyMaterial(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.Tick
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Proxy.SetMaterial(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusOK, c, err)
}

func (s *Server) moveProxyCase(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.Move
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Proxy.Transition(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusOK, c, err)
}

func (s *Server) listVillages(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	list, err := s.core.Proxy.Villages(r.Context())
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) addVillage(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.Village
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	v, err := s.core.Proxy.AddVillage(r.Context(), p, in)
	s.respond(w, http.StatusCreated, v, err)
}

// assistantCards is public like the duty roster: names, rooms and work
// numbers only, which task 13 has the centre post on its wall.
func (s *Server) assistantCards(w http.ResponseWriter, r *http.Request) {
	list, err := s.core.Proxy.PublicCards(r.Context())
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) assistantCardsPDF(w http.ResponseWriter, r *http.Request) {
	pdf, err := s.core.Proxy.CardsPDF(r.Context())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writePDF(w, r, "代办员联系卡.pdf", pdf)
}

func (s *Server) getAssistantCard(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	c, err := s.core.Proxy.Card(r.Context(), r.PathValue("id"))
	s.respond(w, http.StatusOK, c, err)
}

func (s *Server) setAssistantCard(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.CardInput
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Proxy.SetCard(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusOK, c, err)
}

func (s *Server) addProxyPhoto(w http.ResponseWriter, r *http.Request, p account.Principal) {
	index, err := strconv.Atoi(r.PathValue("index"))
	if err != nil {
		writeError(w, s.log, apperr.Errorf(apperr.Invalid, "材料序号应为数字，收到“%s”。", r.PathValue("index")))
		return
	}
	var in proxy.PhotoInput
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	ph, err := s.core.Proxy.AddPhoto(r.Context(), p, r.PathValue("id"), index, in)
	s.respond(w, http.StatusCreated, ph, err)
}

// proxyPhoto answers the image as base64 in JSON, never cached: the
// desktop window's in-process door carries text, and the image is a
// villager's document.
func (s *Server) proxyPhoto(w http.ResponseWriter, r *http.Request, p account.Principal) {
	img, contentType, err := s.core.Proxy.PhotoData(r.Context(), p, r.PathValue("id"), r.PathValue("photo"))
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]string{"content_type": contentType, "data": base64.StdEncoding.EncodeToString(img)})
}
