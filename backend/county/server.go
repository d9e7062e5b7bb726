package county

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/apperr"
	"budayang/backend/clock"
	"budayang/backend/site"
	"budayang/backend/store"
	"budayang/backend/throttle"
)

// AdminLogin is the county administrator's login.
const AdminLogin = "admin"

// SessionTTL is how long a county staff session lasts.
const SessionTTL = 12 * time.Hour

// maxBody bounds a request body: a batch of 500 entries of up to 64 KB.
const maxBody = 40 << 20

// Service is the county server: its store, clock and certificate.
type Service struct {
	Store Store
	Clock clock.Clock
	Log   *slog.Logger
	// Fingerprint is the SHA-256 of the county's TLS certificate, which
	// enrolment codes carry the first PinBytes of.
	Fingerprint []byte

	loginsOnce sync.Once
	logins     *throttle.Throttle
}

// Guessing the county admin's password from one address: five free tries,
// then a lock of 30 s doubling to 10 min, as the hall host does for codes.
const (
	loginFree = 5
	loginBase = 30 * time.Second
	loginMax  = 10 * time.Minute
)

func (s *Service) loginThrottle() *throttle.Throttle {
	s.loginsOnce.Do(func() { s.logins = throttle.New(s.Clock, loginFree, loginBase, loginMax) })
	return s.logins
}

// SetAdminPassword sets the county admin's password.
func (s *Service) SetAdminPassword(ctx context.Context, password string) error {
	if len(password) < 8 {
		return apperr.Errorf(apperr.Invalid, "县平台管理员密码至少 8 位。")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	return s.Store.SetAdmin(ctx, AdminLogin, string(h))
}

// NewSite registers a site and returns its one-time enrolment code, valid
// CodeTTL, naming the county at addr (host:port or https URL).
func (s *Service) NewSite(ctx context.Context, name, kind, addr string) (Code, error) {
	_, c, err := s.RegisterSite(ctx, name, kind, addr)
	return c, err
}

// RegisterSite is NewSite that also returns the registered site. The kind
// is one of the site kinds (site.ValidKind); errors: invalid.
func (s *Service) RegisterSite(ctx context.Context, name, kind, addr string) (Site, Code, error) {
	name, kind = strings.TrimSpace(name), strings.TrimSpace(kind)
	if name == "" || kind == "" {
		return Site{}, Code{}, apperr.Errorf(apperr.Invalid, "请填写站点名称和类型。")
	}
	if !site.ValidKind(kind) {
		return Site{}, Code{}, apperr.Errorf(apperr.Invalid, "站点类型“%s”未知，应为 area、town、street、township 或 village。", kind)
	}
	host, port, err := hostPort(addr)
	if err != nil {
		return Site{}, Code{}, err
	}
	secret := make([]byte, secretBytes)
	if _, err := rand.Read(secret); err != nil {
		return Site{}, Code{}, err
	}
	now := s.Clock.Now()
	c := Code{Host: host, Port: port, Pin: s.Fingerprint[:PinBytes], Secret: secret, Expires: now.Add(CodeTTL).Truncate(time.Second)}
	st := Site{ID: store.NewID(), Name: name, Kind: kind}
	if err := s.Store.CreateSite(ctx, st.ID, name, kind, SecretHash(secret), now, c.Expires); err != nil {
		return Site{}, Code{}, err
	}
	return st, c, nil
}

// Handler serves the site protocol (/county/v1/…) and the county staff API
// (/api/v1/county/…).
func (s *Service) Handler() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("POST /county/v1/enroll", s.versioned(s.enroll))
	m.HandleFunc("POST /county/v1/push", s.versioned(s.signed(s.push)))
	m.HandleFunc("GET /county/v1/datasets", s.versioned(s.signed(s.siteDatasets)))
	m.HandleFunc("GET /county/v1/datasets/{kind}/{version}", s.versioned(s.signed(s.siteDataset)))
	m.HandleFunc("POST /county/v1/missing", s.versioned(s.signed(s.missing)))
	m.HandleFunc("POST /api/v1/county/login", s.login)
	m.HandleFunc("GET /api/v1/county/sites", s.staff(s.sites))
	m.HandleFunc("GET /api/v1/county/sites/{id}/records", s.staff(s.records))
	m.HandleFunc("POST /api/v1/county/sites/{id}/revoke", s.staff(s.revoke))
	m.HandleFunc("GET /api/v1/county/audit", s.staff(s.audit))
	s.staffRoutes(m)
	s.relayRoutes(m)
	s.inspectionRoutes(m)
	return m
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Service) fail(w http.ResponseWriter, err error) {
	code := apperr.Code(err)
	if code == apperr.Internal && s.Log != nil {
		s.Log.Error("county request failed", "err", err)
	}
	writeJSON(w, apperr.Status(code), map[string]string{"error": apperr.Message(err), "code": code})
}

func remote(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// refuse answers a refused site request and writes it to the audit log.
func (s *Service) refuse(w http.ResponseWriter, r *http.Request, status int, siteID, event, sentence string) {
	if err := s.Store.Audit(r.Context(), AuditEvent{At: s.Clock.Now(), SiteID: siteID, Event: event, Detail: sentence, Remote: remote(r)}); err != nil && s.Log != nil {
		s.Log.Error("county audit", "err", err)
	}
	writeJSON(w, status, map[string]string{"error": sentence, "code": event})
}

// versioned answers 426 to a site whose protocol version the county does
// not speak, naming the side to upgrade.
func (s *Service) versioned(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(HeaderCountyTime, strconv.FormatInt(s.Clock.Now().Unix(), 10))
		v, err := strconv.Atoi(r.Header.Get(HeaderProtocol))
		switch {
		case err != nil || v < MinProtocol:
			writeJSON(w, http.StatusUpgradeRequired, map[string]any{"error": fmt.Sprintf(
				"站点的同步协议版本（%s）低于县平台要求的第 %d–%d 版：请升级站点的不打烊软件。", r.Header.Get(HeaderProtocol), MinProtocol, Protocol),
				"code": "upgrade_site", "protocol": Protocol, "min_protocol": MinProtocol})
		case v > Protocol:
			writeJSON(w, http.StatusUpgradeRequired, map[string]any{"error": fmt.Sprintf(
				"站点使用第 %d 版同步协议，县平台只支持到第 %d 版：请升级县平台。", v, Protocol),
				"code": "upgrade_county", "protocol": Protocol, "min_protocol": MinProtocol})
		default:
			next(w, r)
		}
	}
}

type siteHandler func(w http.ResponseWriter, r *http.Request, siteID string, body []byte)

// signed checks a site request's signature, credential, time and nonce;
// every refusal is audited.
func (s *Service) signed(next siteHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			s.refuse(w, r, http.StatusUnauthorized, r.Header.Get(HeaderSite), "unreadable", "请求无法读取或过大。")
			return
		}
		siteID, ts, nonce, sig := r.Header.Get(HeaderSite), r.Header.Get(HeaderTime), r.Header.Get(HeaderNonce), r.Header.Get(HeaderSignature)
		unix, terr := strconv.ParseInt(ts, 10, 64)
		if siteID == "" || nonce == "" || sig == "" || terr != nil || len(nonce) > 64 {
			s.refuse(w, r, http.StatusUnauthorized, siteID, "unsigned", "请求没有站点签名，县平台拒收。")
			return
		}
		ctx := r.Context()
		cred, revoked, err := s.Store.Credential(ctx, siteID)
		if apperr.Code(err) == apperr.NotFound {
			s.refuse(w, r, http.StatusUnauthorized, siteID, "unknown_site", "县平台没有登记这个站点，请重新登记。")
			return
		}
		if err != nil {
			s.fail(w, err)
			return
		}
		if revoked {
			s.refuse(w, r, http.StatusForbidden, siteID, "revoked", "本站点已被县平台停用，请联系县平台管理员。")
			return
		}
		want := Sign(cred, r.Method, r.URL.Path, body, unix, nonce)
		if !hmac.Equal([]byte(want), []byte(sig)) {
			s.refuse(w, r, http.StatusUnauthorized, siteID, "bad_signature", "请求签名不符（内容被改动或凭据不对），县平台拒收。")
			return
		}
		now := s.Clock.Now()
		skew := unix - now.Unix()
		recorded := skew
		if local, err := strconv.ParseInt(r.Header.Get(HeaderLocalTime), 10, 64); err == nil {
			recorded = local - now.Unix()
		}
		if err := s.Store.NoteSkew(ctx, siteID, int(recorded)); err != nil {
			s.fail(w, err)
			return
		}
		if math.Abs(float64(skew)) > MaxSkew.Seconds() {
			s.refuse(w, r, http.StatusUnauthorized, siteID, "clock_skew", fmt.Sprintf(
				"站点时钟与县平台相差 %d 秒，超过 %d 秒：请校准站点电脑的时间。", skew, int(MaxSkew.Seconds())))
			return
		}
		fresh, err := s.Store.SeeNonce(ctx, siteID, nonce, now, now.Add(-2*MaxSkew))
		if err != nil {
			s.fail(w, err)
			return
		}
		if !fresh {
			s.refuse(w, r, http.StatusUnauthorized, siteID, "replay", "重复的请求（重放），县平台拒收。")
			return
		}
		next(w, r, siteID, body)
	}
}

func (s *Service) enroll(w http.ResponseWriter, r *http.Request) {
	var req EnrollRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
		s.fail(w, apperr.Errorf(apperr.Invalid, "请求格式不正确。"))
		return
	}
	now := s.Clock.Now()
	c, err := ParseCode(req.Code, now)
	if err != nil {
		s.refuse(w, r, http.StatusUnauthorized, "", "enroll_refused", apperr.Message(err))
		return
	}
	cred := make([]byte, CredentialSize)
	if _, err := rand.Read(cred); err != nil {
		s.fail(w, err)
		return
	}
	site, err := s.Store.Enroll(r.Context(), SecretHash(c.Secret), cred, now)
	if apperr.Code(err) == apperr.Invalid {
		s.refuse(w, r, http.StatusUnauthorized, "", "enroll_refused", apperr.Message(err))
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	_ = s.Store.Audit(r.Context(), AuditEvent{At: now, SiteID: site.ID, Event: "enrolled", Detail: site.Name, Remote: remote(r)})
	writeJSON(w, http.StatusOK, EnrollReply{SiteID: site.ID, Name: site.Name, Kind: site.Kind, Credential: cred})
}

func (s *Service) push(w http.ResponseWriter, r *http.Request, siteID string, body []byte) {
	var req PushRequest
	if err := json.Unmarshal(body, &req); err != nil {
		s.fail(w, apperr.Errorf(apperr.Invalid, "推送内容不是正确的 JSON。"))
		return
	}
	reply, err := s.Store.Apply(r.Context(), siteID, req, s.Clock.Now())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

func (s *Service) missing(w http.ResponseWriter, r *http.Request, siteID string, body []byte) {
	var req MissingRequest
	if err := json.Unmarshal(body, &req); err != nil || len(req.IDs) > MaxMissingIDs {
		s.fail(w, apperr.Errorf(apperr.Invalid, "查询内容应为至多 %d 个记录编号。", MaxMissingIDs))
		return
	}
	missing, err := s.Store.Missing(r.Context(), siteID, req.IDs)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, MissingReply{Missing: missing})
}

// Login checks the county admin's password and returns a bearer token
// valid SessionTTL.
func (s *Service) Login(ctx context.Context, login, password string) (string, time.Time, error) {
	hash, err := s.Store.AdminHash(ctx, login)
	if err != nil {
		return "", time.Time{}, err
	}
	if hash == "" || bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return "", time.Time{}, apperr.Errorf(apperr.Unauthorized, "账号或密码不正确。")
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", time.Time{}, err
	}
	token := hex.EncodeToString(raw)
	exp := s.Clock.Now().Add(SessionTTL)
	if err := s.Store.AddSession(ctx, tokenHash(token), login, exp); err != nil {
		return "", time.Time{}, err
	}
	return token, exp, nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Service) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
		s.fail(w, apperr.Errorf(apperr.Invalid, "请求格式不正确。"))
		return
	}
	if req.Login == "" {
		req.Login = AdminLogin
	}
	addr := remote(r)
	if wait := s.loginThrottle().Wait(addr); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		s.fail(w, apperr.Errorf(apperr.Locked, "登录失败次数过多，请%d秒后再试。", int((wait+time.Second-1)/time.Second)))
		return
	}
	token, exp, err := s.Login(r.Context(), req.Login, req.Password)
	if err != nil {
		if apperr.Code(err) == apperr.Unauthorized {
			s.loginThrottle().Fail(addr)
			_ = s.Store.Audit(r.Context(), AuditEvent{At: s.Clock.Now(), Event: "login_failed", Detail: req.Login, Remote: addr})
		}
		s.fail(w, err)
		return
	}
	s.loginThrottle().Succeed(addr)
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "expires_at": exp})
}

func (s *Service) staff(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		login := ""
		if ok && token != "" {
			var err error
			if login, err = s.Store.Session(r.Context(), tokenHash(token), s.Clock.Now()); err != nil {
				s.fail(w, err)
				return
			}
		}
		if login == "" {
			s.fail(w, apperr.Errorf(apperr.Unauthorized, "请先登录县平台。"))
			return
		}
		next(w, r.WithContext(withStaff(r.Context(), login)))
	}
}

func (s *Service) sites(w http.ResponseWriter, r *http.Request) {
	list, err := s.Sites(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Service) records(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 500
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5000 {
			s.fail(w, apperr.Errorf(apperr.Invalid, "limit 应为 1 到 5000 之间的整数。"))
			return
		}
		limit = n
	}
	recs, next, err := s.Store.Records(r.Context(), r.PathValue("id"), q.Get("kind"), q.Get("after"), limit)
	if err != nil {
		s.fail(w, err)
		return
	}
	var nextV any
	if next != "" {
		nextV = next
	}
	writeJSON(w, http.StatusOK, map[string]any{"records": recs, "next": nextV})
}

func (s *Service) revoke(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.Store.Revoke(r.Context(), id, s.Clock.Now()); err != nil {
		s.fail(w, err)
		return
	}
	_ = s.Store.Audit(r.Context(), AuditEvent{At: s.Clock.Now(), SiteID: id, Event: "revoked", Remote: remote(r)})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Service) audit(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.AuditLog(r.Context(), 200)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

// ErrPlainNotLoopback refuses plain HTTP anywhere but a loopback address.
var ErrPlainNotLoopback = errors.New("plain HTTP is allowed only on a loopback address")

// CheckInsecureAddr allows plain HTTP (for tests) only on a loopback host.
func CheckInsecureAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	return ErrPlainNotLoopback
}
