package hall

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"

	"budayang/backend/account"
	"budayang/backend/booking"
	"budayang/backend/roster"
)

// rosterViewRoutes are the roster's views and exports (the month sheet, the
// workbook, a person's own duties) and the market-day rota.
func (s *Server) rosterViewRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/roster/plans/{id}/export.xlsx", s.linked(s.exportRoster))
	m.HandleFunc("GET /api/v1/roster/plans/{id}/print.pdf", s.linked(s.printRoster))
	m.HandleFunc("GET /api/v1/staff/{id}/duties", s.staff(s.staffDuties))
	m.HandleFunc("GET /api/v1/roster/shift-names", s.staff(s.shiftNames))
	m.HandleFunc("PUT /api/v1/staff/{id}/village", s.admin(s.setVillage))
	m.HandleFunc("GET /api/v1/roster/market/villages", s.admin(s.villageMembers))
	m.HandleFunc("POST /api/v1/roster/market/plans", s.admin(s.planMarket))
	m.HandleFunc("GET /api/v1/roster/market/today", s.staff(s.marketToday))
}

// xlsxType is the media type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) exportRoster(w http.ResponseWriter, r *http.Request, p account.Principal) {
	body, name, err := s.core.Roster.ExportXLSX(r.Context(), p, r.PathValue("id"))
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

func (s *Server) printRoster(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	c, err := s.centre(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	pdf, name, err := s.core.Roster.PrintMonth(r.Context(), r.PathValue("id"), r.URL.Query().Get("month"), c)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writePDF(w, r, name, pdf)
}

func (s *Server) staffDuties(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Roster.StaffDuties(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, map[string]any{"duties": list}, err)
}

// shiftNames gives every staff member the shifts' names and hours, which
// the month calendar shows; the rest of the setup stays the head's.
func (s *Server) shiftNames(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	st, err := s.core.Roster.Setup(r.Context())
	type named struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Start string `json:"start"`
		End   string `json:"end"`
	}
	out := make([]named, len(st.Shifts))
	for i, sh := range st.Shifts {
		out[i] = named{sh.ID, sh.Name, sh.Start, sh.End}
	}
	s.respond(w, http.StatusOK, map[string]any{"shifts": out}, err)
}

func (s *Server) setVillage(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Village string `json:"village"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	err := s.core.Roster.SetVillage(r.Context(), p, r.PathValue("id"), in.Village)
	s.respond(w, http.StatusOK, map[string]string{"village": in.Village}, err)
}

func (s *Server) villageMembers(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Roster.VillageMembers(r.Context(), p)
	s.respond(w, http.StatusOK, map[string]any{"staff": list}, err)
}

func (s *Server) planMarket(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		From       string `json:"from"`
		To         string `json:"to"`
		PerVillage int    `json:"per_village"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	plan, err := s.core.Roster.PlanMarket(r.Context(), p, in.From, in.To, in.PerVillage)
	s.respond(w, http.StatusCreated, plan, err)
}

func (s *Server) marketToday(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	t, err := s.core.Roster.MarketToday(r.Context())
	s.respond(w, http.StatusOK, t, err)
}

// dutyEvents are a person's duties as calendar events.
func dutyEvents(duties []roster.StaffDuty) []booking.ICSEvent {
	out := make([]booking.ICSEvent, len(duties))
	for i, d := range duties {
		out[i] = booking.ICSEvent{UID: "duty-" + d.ID + "@budayang", Start: d.Start, End: d.End,
			Summary: "值班：" + d.Shift, Description: fmt.Sprintf("%s %s–%s", d.Date, d.Start.Format("15:04"), d.End.Format("15:04"))}
	}
	return out
}
