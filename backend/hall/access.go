package hall

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"regexp"

	"budayang/backend/account"
	"budayang/backend/apperr"
)

func (s *Server) accessRoutes() {
	m := s.mux
	m.HandleFunc("POST /api/v1/url-tokens", s.staff(s.issueLink))
	m.HandleFunc("DELETE /api/v1/url-tokens/calendar", s.staff(s.revokeSubscription))
	m.HandleFunc("POST /api/v1/local/reset-password", s.localResetPassword)
}

// LinkParam is the query parameter a URL token rides in.
const LinkParam = "t"

// linkable are the paths a short link may open: the event stream and the
// printable documents, which a browser opens without a way to add a header.
var linkable = []*regexp.Regexp{
	regexp.MustCompile(`^/api/v1/events$`),
	regexp.MustCompile(`^/api/v1/cases/[^/]+/(notice|receipt|completion)\.pdf$`),
	regexp.MustCompile(`^/api/v1/catalog/items/[^/]+/guide\.pdf$`),
	regexp.MustCompile(`^/api/v1/catalog/lists/[^/]+/list\.pdf$`),
	regexp.MustCompile(`^/api/v1/roster/plans/[^/]+/(print\.pdf|export\.xlsx)$`),
	regexp.MustCompile(`^/api/v1/proxy/handovers/[^/]+/print\.pdf$`),
	regexp.MustCompile(`^/api/v1/reports/(period|ranking|dashboard)\.xlsx$`),
}

// calendarPath is the one path a subscription link opens: a person's own
// booking calendar.
var calendarPath = regexp.MustCompile(`^/api/v1/staff/([^/]+)/calendar\.ics$`)

// principal is the person behind r: a session in the Authorization header,
// or else, for a reading request, a URL token made for exactly r's path.
func (s *Server) principal(r *http.Request) (account.Principal, error) {
	if t := r.URL.Query().Get(LinkParam); t != "" && bearer(r) == "" {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return account.Principal{}, apperr.Errorf(apperr.Unauthorized, "链接只能用于查看，请先登录。")
		}
		return s.core.Accounts.AuthenticateLink(r.Context(), t, r.URL.Path)
	}
	return s.core.Accounts.Authenticate(r.Context(), bearer(r))
}

// linked is staff for the reading routes a link may open (documents, the
// calendar): the session in the header, or a URL token for this path.
func (s *Server) linked(h staffHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.principal(r)
		if err != nil {
			writeError(w, s.log, err)
			return
		}
		h(w, r, p)
	}
}

func (s *Server) issueLink(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Path string `json:"path"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	link, err := s.link(r.Context(), p, in.Path)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	u := url.URL{Path: link.Path, RawQuery: url.Values{LinkParam: {link.Token}}.Encode()}
	writeJSON(w, http.StatusCreated, map[string]any{"url": u.String(), "expires_at": link.ExpiresAt})
}

// link makes the link for path that p may have: a subscription for p's own
// calendar, a short link for a stream or document, nothing else.
func (s *Server) link(ctx context.Context, p account.Principal, path string) (account.Link, error) {
	if m := calendarPath.FindStringSubmatch(path); m != nil {
		if m[1] != p.ID {
			return account.Link{}, apperr.Errorf(apperr.Forbidden, "只能订阅自己的预约日历。")
		}
		return s.core.Accounts.IssueSubscription(ctx, p, path)
	}
	for _, re := range linkable {
		if re.MatchString(path) {
			return s.core.Accounts.IssueLink(ctx, p, path)
		}
	}
	return account.Link{}, apperr.Errorf(apperr.Invalid, "这个地址不能生成链接。")
}

func (s *Server) revokeSubscription(w http.ResponseWriter, r *http.Request, p account.Principal) {
	if err := s.core.Accounts.RevokeSubscriptions(r.Context(), p); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// LocalKeyHeader carries the local control key of the data directory.
const LocalKeyHeader = "X-Budayang-Local-Key"

// AllowLocal opens the local door (/api/v1/local/) to callers on this machine
// that present key: the secret the running program wrote into its data
// directory, so only someone who can read that directory — the host's
// operator — gets in. Call it before serving; without it the door is shut.
func (s *Server) AllowLocal(key string) { s.localKey = key }

// localResetPassword is `budayang admin reset-password` reaching the running
// program, which holds the data directory: it gets a sole administrator
// back in. See account.ResetPasswordAs.
func (s *Server) localResetPassword(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get(LocalKeyHeader)
	if !onHost(r) || s.localKey == "" || subtle.ConstantTimeCompare([]byte(key), []byte(s.localKey)) != 1 {
		writeError(w, s.log, apperr.Errorf(apperr.Forbidden, "只能在主机上通过 budayang admin reset-password 使用。"))
		return
	}
	var in struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	err := s.core.Accounts.ResetPasswordAs(r.Context(), account.HostOperator, in.Login, in.Password)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
