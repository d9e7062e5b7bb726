package hall

import (
	"net/http"
	"strconv"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/site"
	"budayang/backend/store"
)

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	needed, err := s.core.Site.SetupNeeded(r.Context())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	if reason := diskReason(s.core); reason != "" {
		s.log.Warn("health degraded", "reason", reason)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "degraded", "reason": reason, "version": core.Version, "site_ready": !needed})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "version": core.Version, "site_ready": !needed})
}

// diskReason says why the site cannot save, when its data directory does
// not take a small write or its last database write failed on the disk.
func diskReason(c *core.Core) string {
	if err := store.ProbeDir(c.DataDir); err != nil {
		return "数据目录无法写入（磁盘已满或只读），新的办理记录无法保存：" + err.Error()
	}
	if err := c.DB.DiskTrouble(); err != nil {
		return "最近一次保存因磁盘已满或无法写入而失败：" + err.Error()
	}
	return ""
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	needed, err := s.core.Site.SetupNeeded(r.Context())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	name := ""
	if !needed {
		if p, err := s.core.Site.Get(r.Context()); err == nil {
			name = p.Name
		}
	}
	state, lastSync := s.core.Sync.State()
	stalled, stalledSince := s.core.Sync.Stall()
	now := s.core.Clock.Now()
	writeJSON(w, http.StatusOK, map[string]any{
		"version": core.Version, "site_name": name, "setup_needed": needed,
		"now": now.UTC(), "today": now.In(clock.Shanghai).Format("2006-01-02"),
		"county":     map[string]any{"state": state, "last_sync": lastSync, "stalled": stalled, "stalled_since": stalledSince},
		"test_clock": clock.IsTest(s.core.Clock),
	})
}

func (s *Server) setupNeeded(w http.ResponseWriter, r *http.Request) {
	needed, err := s.core.Site.SetupNeeded(r.Context())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"needed": needed, "join_hall": needed && s.joinHallAllowed(r) == ""})
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	var in struct {
		SiteName      string `json:"site_name"`
		Kind          string `json:"kind"`
		Population    int    `json:"population"`
		FloorAreaM2   int    `json:"floor_area_m2"`
		AdminPassword string `json:"admin_password"`
		Windows       int    `json:"windows"`
		SetupCode     string `json:"setup_code"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	if !hostOrCode(w, r, s.code, in.SetupCode) {
		return
	}
	p, err := s.core.Setup(r.Context(), site.Profile{Name: in.SiteName, Kind: in.Kind, Population: in.Population, FloorAreaM2: in.FloorAreaM2}, in.AdminPassword, in.Windows)
	s.respond(w, http.StatusCreated, p, err)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User        string `json:"user"`
		Password    string `json:"password"`
		Workstation string `json:"workstation"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	ws := clientAddr(r)
	if in.Workstation != "" {
		ws = in.Workstation + "@" + ws
	}
	sess, err := s.core.Accounts.LoginAt(r.Context(), account.Attempt{Login: in.User, Password: in.Password,
		Workstation: ws, Addr: clientAddr(r), FromWindow: fromWindow(r)})
	s.respond(w, http.StatusOK, sess, err)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.core.Accounts.Logout(r.Context(), bearer(r)); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, p account.Principal) {
	writeJSON(w, http.StatusOK, p.Staff)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Old string `json:"old"`
		New string `json:"new"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	if err := s.core.Accounts.ChangePassword(r.Context(), p, in.Old, in.New); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) preferences(w http.ResponseWriter, r *http.Request, p account.Principal) {
	prefs, err := s.core.Accounts.Preferences(r.Context(), p)
	s.respond(w, http.StatusOK, prefs, err)
}

func (s *Server) setPreferences(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in account.Preferences
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	prefs, err := s.core.Accounts.SetPreferences(r.Context(), p, in)
	s.respond(w, http.StatusOK, prefs, err)
}

func (s *Server) listStaff(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Accounts.List(r.Context(), p)
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) directory(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	list, err := s.core.Accounts.Directory(r.Context())
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) createStaff(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in account.NewStaff
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	st, err := s.core.Accounts.Create(r.Context(), p, in)
	s.respond(w, http.StatusCreated, st, err)
}

func (s *Server) updateStaff(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Name   string `json:"name"`
		Role   string `json:"role"`
		Active *bool  `json:"active"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	if in.Active == nil {
		writeError(w, s.log, apperr.Errorf(apperr.Invalid, "缺少字段“active”。"))
		return
	}
	st, err := s.core.Accounts.Update(r.Context(), p, r.PathValue("id"), in.Name, in.Role, *in.Active)
	s.respond(w, http.StatusOK, st, err)
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	if err := s.core.Accounts.ResetPassword(r.Context(), p, r.PathValue("id"), in.Password); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getSite(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	p, err := s.core.Site.Get(r.Context())
	s.respond(w, http.StatusOK, p, err)
}

func (s *Server) updateSite(w http.ResponseWriter, r *http.Request, by account.Principal) {
	var in site.Profile
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	p, err := s.core.Site.Update(r.Context(), by, in)
	s.respond(w, http.StatusOK, p, err)
}

func (s *Server) compliance(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	c, err := s.core.Site.Compliance(r.Context())
	s.respond(w, http.StatusOK, c, err)
}

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	entries, err := s.core.AuditPage(r.Context(), before, limit)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	st, err := s.core.Audit.Verify(r.Context(), q.Get("verify") == "full")
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries, "chain_ok": st.OK, "broken_at": st.BrokenAt,
		"cut": st.Cut, "verify": st})
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	list, err := s.core.Jobs.List(r.Context())
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) runJob(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	st, err := s.core.Jobs.RunNow(r.Context(), r.PathValue("name"))
	s.respond(w, http.StatusOK, st, err)
}

func (s *Server) listBackups(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	list, err := s.core.Backups.List()
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) createBackup(w http.ResponseWriter, r *http.Request, p account.Principal) {
	b, err := s.core.Backups.Create(r.Context(), p.Actor())
	s.respond(w, http.StatusCreated, b, err)
}
