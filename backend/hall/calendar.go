package hall

import (
	"net/http"
	"strconv"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/calendar"
)

func (s *Server) calendarRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/calendar", s.calendarRange)
	m.HandleFunc("GET /api/v1/calendar/working-days", s.workingDays)
	m.HandleFunc("GET /api/v1/calendar/settings", s.staff(s.calendarSettings))
	m.HandleFunc("PUT /api/v1/calendar/office-hours", s.admin(s.setOfficeHours))
	m.HandleFunc("PUT /api/v1/calendar/market", s.admin(s.setMarketRule))
	m.HandleFunc("POST /api/v1/calendar/extended", s.admin(s.addExtendedWindow))
	m.HandleFunc("DELETE /api/v1/calendar/extended/{id}", s.admin(s.removeExtendedWindow))
	m.HandleFunc("PUT /api/v1/calendar/overrides/{date}", s.admin(s.setOverride))
	m.HandleFunc("DELETE /api/v1/calendar/overrides/{date}", s.admin(s.removeOverride))
	m.HandleFunc("GET /api/v1/calendar/arrangements/{year}", s.staff(s.getArrangement))
	m.HandleFunc("PUT /api/v1/calendar/arrangements/{year}", s.admin(s.importArrangement))
	m.HandleFunc("POST /api/v1/calendar/arrangements/{year}/preview", s.admin(s.previewArrangement))
	m.HandleFunc("DELETE /api/v1/calendar/arrangements/{year}", s.admin(s.removeArrangement))
}

func queryDate(r *http.Request, name string) (string, error) {
	v := r.URL.Query().Get(name)
	d, err := calendar.ParseDate(v)
	if err != nil {
		return "", apperr.Errorf(apperr.Invalid, "参数%s应为YYYY-MM-DD格式的日期，收到“%s”。", name, v)
	}
	return calendar.FormatDate(d), nil
}

func (s *Server) calendarRange(w http.ResponseWriter, r *http.Request) {
	from, err := queryDate(r, "from")
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	to, err := queryDate(r, "to")
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	f, _ := calendar.ParseDate(from)
	t, _ := calendar.ParseDate(to)
	days, warnings, err := s.core.Calendar.Range(r.Context(), f, t)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": from, "to": to, "days": days, "warnings": warnings})
}

func (s *Server) workingDays(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	out, err := s.core.Calendar.WorkingDays(r.Context(), calendar.WorkingDaysQuery{From: q.Get("from"), Add: q.Get("add"), To: q.Get("to")})
	s.respond(w, http.StatusOK, out, err)
}

func (s *Server) calendarSettings(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	st, err := s.core.Calendar.Settings(r.Context())
	s.respond(w, http.StatusOK, st, err)
}

func (s *Server) setOfficeHours(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Hours calendar.OfficeHours `json:"hours"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	h, err := s.core.Calendar.SetOfficeHours(r.Context(), p, in.Hours)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"hours": h})
}

func (s *Server) setMarketRule(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in calendar.MarketRule
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	m, err := s.core.Calendar.SetMarketRule(r.Context(), p, in)
	s.respond(w, http.StatusOK, m, err)
}

func (s *Server) addExtendedWindow(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in calendar.ExtendedWindow
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	if in.ID != "" {
		writeError(w, s.log, apperr.Errorf(apperr.Invalid, "新增延时时段时不要填写id。"))
		return
	}
	ew, err := s.core.Calendar.AddExtendedWindow(r.Context(), p, in)
	s.respond(w, http.StatusCreated, ew, err)
}

func (s *Server) removeExtendedWindow(w http.ResponseWriter, r *http.Request, p account.Principal) {
	if err := s.core.Calendar.RemoveExtendedWindow(r.Context(), p, r.PathValue("id")); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) setOverride(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Kind    string `json:"kind"`
		Reason  string `json:"reason"`
		Confirm bool   `json:"confirm"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	o, err := s.core.Calendar.SetOverride(r.Context(), p, calendar.Override{Date: r.PathValue("date"), Kind: in.Kind, Reason: in.Reason}, in.Confirm)
	s.respond(w, http.StatusOK, o, err)
}

func (s *Server) removeOverride(w http.ResponseWriter, r *http.Request, p account.Principal) {
	if err := s.core.Calendar.RemoveOverride(r.Context(), p, r.PathValue("date")); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return 0, apperr.Errorf(apperr.Invalid, "年份“%s”不正确。", r.PathValue("year"))
	}
	return y, nil
}

func (s *Server) getArrangement(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	y, err := pathYear(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	a, err := s.core.Calendar.Arrangement(r.Context(), y)
	s.respond(w, http.StatusOK, a, err)
}

// arrangementBody decodes an arrangement whose year must be the one in the path.
func arrangementBody(r *http.Request) (calendar.Arrangement, error) {
	y, err := pathYear(r)
	if err != nil {
		return calendar.Arrangement{}, err
	}
	var in calendar.Arrangement
	if err := decode(r, &in); err != nil {
		return calendar.Arrangement{}, err
	}
	if in.Year != y {
		return calendar.Arrangement{}, apperr.Errorf(apperr.Invalid, "地址中的年份%d与内容中的年份%d不一致。", y, in.Year)
	}
	return in, nil
}

func (s *Server) importArrangement(w http.ResponseWriter, r *http.Request, p account.Principal) {
	in, err := arrangementBody(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	a, err := s.core.Calendar.ImportArrangement(r.Context(), p, in)
	s.respond(w, http.StatusOK, a, err)
}

func (s *Server) previewArrangement(w http.ResponseWriter, r *http.Request, p account.Principal) {
	in, err := arrangementBody(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	pv, err := s.core.Calendar.PreviewArrangement(r.Context(), p, in)
	s.respond(w, http.StatusOK, pv, err)
}

func (s *Server) removeArrangement(w http.ResponseWriter, r *http.Request, p account.Principal) {
	y, err := pathYear(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	if err := s.core.Calendar.RemoveArrangement(r.Context(), p, y); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
