// Package hall is the HTTP door onto a site's services: the JSON API under
// /api/v1, Server-Sent Events at /api/v1/events, and the Vue pages (the clerk
// UI, and on the LAN the hall display, kiosk and rating pad). The desktop
// window reaches the same handler through Invoke, so both doors share one
// contract.
package hall

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strings"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/core"
)

// MaxBody is the largest request body accepted.
const MaxBody = 1 << 20

// Server serves one site.
type Server struct {
	core *core.Core
	log  *slog.Logger
	mux  *http.ServeMux
	fan  *fanout
	// code lets a LAN computer run first-run setup; nil: only the host.
	code *SetupCode
	// localKey opens the local door; see AllowLocal.
	localKey string
	lan      *LAN
	// limits throttle pairing codes and kiosk check-ins (devices.go).
	limits *limits
	// joined reopens the program as a hall's window; see AllowJoinHall.
	joined func(Pin)
}

// SetSetupCode lets callers other than the host run first-run setup with
// code.
func (s *Server) SetSetupCode(code *SetupCode) { s.code = code }

// New returns the server for c; ui is the built frontend (frontend/dist), or
// nil to serve the API only.
func New(c *core.Core, ui fs.FS) *Server {
	s := &Server{core: c, log: c.Log, mux: http.NewServeMux(), fan: newFanout(c.Bus)}
	s.limits = newLimits(s)
	s.routes()
	if ui != nil {
		s.mux.Handle("/", spa(ui))
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/health", s.health)
	m.HandleFunc("GET /api/v1/status", s.status)
	m.HandleFunc("GET /api/v1/rules", s.rules)
	m.HandleFunc("POST /api/v1/rules/id-number", s.staff(s.checkID))
	m.HandleFunc("GET /api/v1/setup", s.setupNeeded)
	m.HandleFunc("POST /api/v1/setup", s.setup)
	m.HandleFunc("POST /api/v1/setup/join-hall", s.joinHall)
	m.HandleFunc("POST /api/v1/login", s.login)
	m.HandleFunc("POST /api/v1/logout", s.logout)
	m.HandleFunc("GET /api/v1/me", s.staff(s.me))
	m.HandleFunc("POST /api/v1/me/password", s.staff(s.changePassword))
	m.HandleFunc("GET /api/v1/me/preferences", s.staff(s.preferences))
	m.HandleFunc("PUT /api/v1/me/preferences", s.staff(s.setPreferences))
	m.HandleFunc("GET /api/v1/staff", s.staff(s.listStaff))
	m.HandleFunc("GET /api/v1/staff/directory", s.staff(s.directory))
	m.HandleFunc("POST /api/v1/staff", s.staff(s.createStaff))
	m.HandleFunc("PUT /api/v1/staff/{id}", s.staff(s.updateStaff))
	m.HandleFunc("POST /api/v1/staff/{id}/password", s.staff(s.resetPassword))
	m.HandleFunc("GET /api/v1/site", s.staff(s.getSite))
	m.HandleFunc("PUT /api/v1/site", s.staff(s.updateSite))
	m.HandleFunc("GET /api/v1/site/compliance", s.staff(s.compliance))
	m.HandleFunc("GET /api/v1/audit", s.admin(s.auditLog))
	m.HandleFunc("GET /api/v1/jobs", s.admin(s.listJobs))
	m.HandleFunc("POST /api/v1/jobs/{name}/run", s.admin(s.runJob))
	m.HandleFunc("GET /api/v1/backups", s.admin(s.listBackups))
	m.HandleFunc("POST /api/v1/backups", s.admin(s.createBackup))
	m.HandleFunc("GET /api/v1/sync", s.admin(s.syncReport))
	m.HandleFunc("POST /api/v1/sync/now", s.admin(s.syncNow))
	m.HandleFunc("POST /api/v1/sync/enroll", s.admin(s.syncEnroll))
	m.HandleFunc("GET /api/v1/events", s.events)
	s.accessRoutes()
	m.HandleFunc("GET /api/v1/hall/join-code", s.admin(s.joinCode))
	s.queueRoutes()
	s.ratingRoutes()
	s.calendarRoutes()
	s.rosterRoutes()
	s.rosterViewRoutes()
	s.bookingRoutes()
	s.catalogRoutes()
	s.caseRoutes()
	s.proxyRoutes()
	s.proxyRelayRoutes()
	s.deviceRoutes()
	s.countyDataRoutes()
	s.dutyDeskRoutes()
	s.reportRoutes()
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, s.log, apperr.Errorf(apperr.NotFound, "没有这个接口：%s %s", r.Method, r.URL.Path))
	})
}

type staffHandler func(w http.ResponseWriter, r *http.Request, p account.Principal)

// bearer is the session token of r's Authorization header. A token is never
// read from the URL: URLs end up in histories, logs and Referer headers, and
// a form on any web page can post to one. Links carry URL tokens instead
// (see linked).
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimPrefix(h, "Bearer ")
	}
	return ""
}

// staff requires a session.
func (s *Server) staff(h staffHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.core.Accounts.Authenticate(r.Context(), bearer(r))
		if err != nil {
			writeError(w, s.log, err)
			return
		}
		h(w, r, p)
	}
}

// admin requires an administrator's session.
func (s *Server) admin(h staffHandler) http.HandlerFunc {
	return s.staff(func(w http.ResponseWriter, r *http.Request, p account.Principal) {
		if p.Role != account.RoleAdmin {
			writeError(w, s.log, apperr.Errorf(apperr.Forbidden, "只有管理员可以进行此操作。"))
			return
		}
		h(w, r, p)
	})
}

// decode reads a JSON body strictly: unknown fields, trailing data and bodies
// over MaxBody are malformed, and a body of any other content type is refused
// with 415 — a web page can send text/plain across origins without asking,
// but not application/json.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" || r.ContentLength != 0 {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return apperr.Errorf(apperr.Unsupported, "请求内容须为JSON（Content-Type: application/json）。")
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		var big *http.MaxBytesError
		switch {
		case errors.As(err, &big):
			return apperr.Errorf(apperr.TooLarge, "请求内容过大（超过 %d KB），已拒绝。", MaxBody>>10)
		case errors.Is(err, io.EOF):
			return apperr.Errorf(apperr.Invalid, "请求内容为空。")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return apperr.Errorf(apperr.Invalid, "请求内容不是有效的JSON。")
		case errors.As(err, &typ):
			return apperr.Errorf(apperr.Invalid, "字段“%s”的类型不正确。", typ.Field)
		case errors.As(err, &syn):
			return apperr.Errorf(apperr.Invalid, "请求内容不是有效的JSON。")
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return apperr.Errorf(apperr.Invalid, "请求含有未知字段：%s。", strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return apperr.Errorf(apperr.Invalid, "请求内容格式不正确。")
		}
	}
	if dec.More() {
		return apperr.Errorf(apperr.Invalid, "请求内容不是单个JSON对象。")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// respond writes v with status, or err as the error body when it is set.
func (s *Server) respond(w http.ResponseWriter, status int, v any, err error) {
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, status, v)
}

func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	code := apperr.Code(err)
	if code == apperr.Internal {
		log.Error("request failed", "err", err)
	}
	writeJSON(w, apperr.Status(code), map[string]string{"error": apperr.Message(err), "code": code})
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Invoke runs one request through the handler in-process: the desktop
// window's Wails binding calls it, so the window and a browser share every
// route, check and error sentence.
func (s *Server) Invoke(ctx context.Context, method, path, body, token, workstation string) (int, string) {
	return invoke(ctx, s, method, path, body, token, workstation)
}

func invoke(ctx context.Context, h http.Handler, method, path, body, token, workstation string) (int, string) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r, err := http.NewRequestWithContext(withWindow(ctx), method, path, rd)
	if err != nil {
		return http.StatusBadRequest, `{"error":"请求格式不正确。","code":"invalid"}`
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", authorization(token))
	}
	r.RemoteAddr = workstation + ":0"
	w := &memWriter{header: http.Header{}, status: http.StatusOK}
	h.ServeHTTP(w, r)
	return w.status, w.buf.String()
}

type memWriter struct {
	header http.Header
	status int
	wrote  bool
	buf    bytes.Buffer
}

func (m *memWriter) Header() http.Header { return m.header }
func (m *memWriter) Write(b []byte) (int, error) {
	m.wrote = true
	return m.buf.Write(b)
}
func (m *memWriter) WriteHeader(status int) {
	if !m.wrote {
		m.status = status
		m.wrote = true
	}
}
