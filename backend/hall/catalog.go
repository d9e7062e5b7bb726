package hall

import (
	"encoding/base64"
	"net/http"
	"net/url"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/catalog"
	"budayang/backend/notice"
)

func (s *Server) catalogRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/catalog", s.staff(s.catalogInfo))
	m.HandleFunc("PUT /api/v1/catalog", s.admin(s.importCatalog))
	m.HandleFunc("GET /api/v1/catalog/items", s.staff(s.searchItems))
	m.HandleFunc("GET /api/v1/catalog/items/{code}", s.staff(s.getGuide))
	m.HandleFunc("PUT /api/v1/catalog/items/{code}/note", s.staff(s.setNote))
	m.HandleFunc("GET /api/v1/catalog/items/{code}/guide.pdf", s.linked(s.guidePDF))
	m.HandleFunc("GET /api/v1/catalog/lists", s.staff(s.catalogLists))
	m.HandleFunc("GET /api/v1/catalog/lists/{tag}", s.staff(s.catalogList))
	m.HandleFunc("GET /api/v1/catalog/lists/{tag}/list.pdf", s.linked(s.catalogListPDF))
	m.HandleFunc("GET /api/v1/catalog/map", s.staff(s.catalogMap))
}

// writePDF sends a document inline, or with ?as=base64 as JSON
// {"name","content_type","data"} for the desktop window, whose Invoke
// bridge carries text only.
func writePDF(w http.ResponseWriter, r *http.Request, name string, pdf []byte) {
	if r.URL.Query().Get("as") == "base64" {
		writeJSON(w, http.StatusOK, map[string]string{"name": name, "content_type": "application/pdf", "data": base64.StdEncoding.EncodeToString(pdf)})
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf)
}

// centre is the site as printed on documents.
func (s *Server) centre(r *http.Request) (notice.Centre, error) {
	st, err := s.core.Site.Get(r.Context())
	if err != nil {
		return notice.Centre{}, err
	}
	c, err := s.core.Cases.Centre(r.Context())
	if err != nil {
		return notice.Centre{}, err
	}
	return notice.Centre{Name: st.Name, Phone: c.Phone, Address: c.Address}, nil
}

func summaries(items []catalog.Item) []catalog.Summary {
	out := make([]catalog.Summary, len(items))
	for i, it := range items {
		out[i] = it.Summary()
	}
	return out
}

func (s *Server) catalogInfo(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	tags := make([]map[string]string, len(catalog.Tags))
	for i, t := range catalog.Tags {
		tags[i] = map[string]string{"tag": t, "name": catalog.TagName(t)}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"meta": s.core.Catalog.Meta(), "departments": s.core.Catalog.Departments(), "tags": tags,
		"levels": []map[string]string{
			{"level": catalog.LevelVillage, "name": catalog.LevelName(catalog.LevelVillage)},
			{"level": catalog.LevelTown, "name": catalog.LevelName(catalog.LevelTown)},
			{"level": catalog.LevelCounty, "name": catalog.LevelName(catalog.LevelCounty)},
		},
	})
}

func (s *Server) importCatalog(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in catalog.Catalog
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	m, err := s.core.Catalog.Import(r.Context(), p, in)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) searchItems(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	q := r.URL.Query()
	writeJSON(w, http.StatusOK, summaries(s.core.Catalog.Search(catalog.Query{
		Text: q.Get("q"), Department: q.Get("department"), Tag: q.Get("tag"), Level: q.Get("level"),
	})))
}

func (s *Server) getGuide(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	g, err := s.core.Catalog.Guide(r.Context(), r.PathValue("code"))
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

func (s *Server) setNote(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Note string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	g, err := s.core.Catalog.SetNote(r.Context(), p, r.PathValue("code"), in.Note)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

func (s *Server) guidePDF(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	g, err := s.core.Catalog.Guide(r.Context(), r.PathValue("code"))
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	c, err := s.centre(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	pdf, err := notice.GuidePDF(g, c, s.core.Catalog.Meta().Version, s.core.Clock.Now())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writePDF(w, r, g.Code+"-"+g.Name+"-办事指南.pdf", pdf)
}

func (s *Server) catalogLists(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	writeJSON(w, http.StatusOK, s.core.Catalog.Lists())
}

func (s *Server) catalogList(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	tag := r.PathValue("tag")
	items, err := s.core.Catalog.List(tag)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tag": tag, "name": catalog.TagName(tag), "items": summaries(items)})
}

func (s *Server) catalogListPDF(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	tag := r.PathValue("tag")
	items, err := s.core.Catalog.List(tag)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	if len(items) == 0 {
		writeError(w, s.log, apperr.Errorf(apperr.Conflict, "“%s”清单中暂无事项。", catalog.TagName(tag)))
		return
	}
	c, err := s.centre(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	title := catalog.TagName(tag) + "事项清单"
	if tag == catalog.TagHighFrequency {
		title = "高频事项清单"
	}
	pdf, err := notice.ListPDF(title, items, c, s.core.Catalog.Meta().Version, s.core.Clock.Now())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writePDF(w, r, title+".pdf", pdf)
}

func (s *Server) catalogMap(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	writeJSON(w, http.StatusOK, s.core.Catalog.Map())
}
