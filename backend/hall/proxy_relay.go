package hall

import (
	"net/http"
	"strings"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/proxy"
)

// proxyRelayRoutes serve proxy cases across sites: a village room's choice
// of centre, and on a centre the cases village rooms handed to it.
func (s *Server) proxyRelayRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/proxy/centre", s.admin(s.getProxyCentre))
	m.HandleFunc("GET /api/v1/proxy/centres", s.admin(s.listProxyCentres))
	m.HandleFunc("PUT /api/v1/proxy/centre", s.admin(s.setProxyCentre))
	m.HandleFunc("GET /api/v1/proxy/inbound", s.staff(s.listInbound))
	m.HandleFunc("GET /api/v1/proxy/inbound/{id}", s.staff(s.getInbound))
	m.HandleFunc("POST /api/v1/proxy/inbound/{id}/transition", s.staff(s.moveInbound))
}

func (s *Server) getProxyCentre(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	c, err := s.core.Proxy.Centre(r.Context())
	s.respond(w, http.StatusOK, map[string]any{"centre": c}, err)
}

// centreChoice is a centre as the village room's administrator picks it.
type centreChoice struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

func (s *Server) listProxyCentres(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	list, err := s.core.Sync.Centres(r.Context())
	out := make([]centreChoice, 0, len(list))
	for _, c := range list {
		out = append(out, centreChoice{ID: c.ID, Name: c.Name, Kind: c.Kind})
	}
	s.respond(w, http.StatusOK, out, err)
}

// setProxyCentre takes the centre's name and relay key from the county's
// list itself, so an administrator names only which centre.
func (s *Server) setProxyCentre(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		SiteID string `json:"site_id"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	list, err := s.core.Sync.Centres(r.Context())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	for _, c := range list {
		if c.ID == strings.TrimSpace(in.SiteID) {
			got, err := s.core.Proxy.SetCentre(r.Context(), p, c.ID, c.Name, c.PublicKey)
			s.respond(w, http.StatusOK, got, err)
			return
		}
	}
	writeError(w, s.log, apperr.Errorf(apperr.NotFound, "县平台的中心列表中没有这个中心。"))
}

func (s *Server) listInbound(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Proxy.InboundList(r.Context(), p)
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) getInbound(w http.ResponseWriter, r *http.Request, p account.Principal) {
	c, err := s.core.Proxy.InboundGet(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, c, err)
}

func (s *Server) moveInbound(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in proxy.Move
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.core.Proxy.MoveInbound(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusOK, c, err)
}
