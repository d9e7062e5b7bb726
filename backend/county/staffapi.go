package county

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/clock"
)

// maxDatasetBody bounds a dataset preview or publication: a catalog of a
// few thousand items with their guides.
const maxDatasetBody = 16 << 20

// Staff is the county staff member behind a request, as the audit log names
// them.
type Staff struct {
	Login  string
	Remote string
}

type staffKey struct{}

func withStaff(ctx context.Context, login string) context.Context {
	return context.WithValue(ctx, staffKey{}, login)
}

func staffOf(r *http.Request) Staff {
	login, _ := r.Context().Value(staffKey{}).(string)
	return Staff{Login: login, Remote: remote(r)}
}

// staffRoutes adds the county pages' routes beyond reading the registry:
// the host status the shared UI asks first, registering sites and
// publishing datasets.
func (s *Service) staffRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /api/v1/status", s.status)
	m.HandleFunc("POST /api/v1/county/sites", s.staff(s.createSite))
	m.HandleFunc("GET /api/v1/county/datasets", s.staff(s.staffDatasets))
	m.HandleFunc("POST /api/v1/county/datasets/preview", s.staff(s.previewDataset))
	m.HandleFunc("POST /api/v1/county/datasets", s.staff(s.publishDataset))
	m.HandleFunc("GET /api/v1/county/datasets/{kind}/{version}", s.staff(s.datasetVersion))
}

func decodeJSON(r *http.Request, limit int64, v any) error {
	if err := json.NewDecoder(io.LimitReader(r.Body, limit)).Decode(v); err != nil {
		return apperr.Errorf(apperr.Invalid, "请求格式不正确（应为 JSON）。")
	}
	return nil
}

// status tells the shared UI that this host is the county, so it opens the
// county pages instead of a site's setup or login.
func (s *Service) status(w http.ResponseWriter, _ *http.Request) {
	now := s.Clock.Now()
	writeJSON(w, http.StatusOK, map[string]any{"role": "county", "setup_needed": false,
		"now": now.UTC().Format(time.RFC3339), "today": now.In(clock.Shanghai).Format("2006-01-02")})
}

// SkewWarn is the clock skew over which the county pages flag a site: well
// inside MaxSkew, so staff see a drifting clock before the county refuses it.
const SkewWarn = 60 * time.Second

// Sites lists the registry with each site's skew flagged against SkewWarn.
func (s *Service) Sites(ctx context.Context) ([]Site, error) {
	list, err := s.Store.Sites(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].SkewFlagged = math.Abs(float64(list[i].SkewSeconds)) > SkewWarn.Seconds()
	}
	return list, nil
}

// NewSiteReply is a registered site with its one-time enrolment code.
type NewSiteReply struct {
	Site      Site      `json:"site"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
	// CountyURL is the county address the code names: where the site
	// will connect.
	CountyURL string `json:"county_url"`
}

// CreateSite registers a site for staff as RegisterSite does, naming the
// county at addr, and writes it to the audit log. Errors: invalid.
func (s *Service) CreateSite(ctx context.Context, by Staff, name, kind, addr string) (NewSiteReply, error) {
	st, code, err := s.RegisterSite(ctx, name, kind, addr)
	if err != nil {
		return NewSiteReply{}, err
	}
	if err := s.Store.Audit(ctx, AuditEvent{At: s.Clock.Now(), SiteID: st.ID, Event: "site_created", Detail: st.Name + "（" + by.Login + "）", Remote: by.Remote}); err != nil {
		return NewSiteReply{}, err
	}
	return NewSiteReply{Site: st, Code: code.String(), ExpiresAt: code.Expires, CountyURL: code.URL()}, nil
}

func (s *Service) createSite(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
		Addr string `json:"addr"`
	}
	if err := decodeJSON(r, 4096, &req); err != nil {
		s.fail(w, err)
		return
	}
	// Without an address the code names the county as staff reached it;
	// a Host without a port was reached on HTTPS's own.
	if req.Addr == "" {
		req.Addr = r.Host
		if _, _, err := net.SplitHostPort(r.Host); err != nil {
			req.Addr = net.JoinHostPort(r.Host, "443")
		}
	}
	reply, err := s.CreateSite(r.Context(), staffOf(r), req.Name, req.Kind, req.Addr)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, reply)
}

func (s *Service) staffDatasets(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.LatestDatasets(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

type datasetRequest struct {
	Kind    string          `json:"kind"`
	Payload json.RawMessage `json:"payload"`
	Note    string          `json:"note"`
}

func (s *Service) previewDataset(w http.ResponseWriter, r *http.Request) {
	var req datasetRequest
	if err := decodeJSON(r, maxDatasetBody, &req); err != nil {
		s.fail(w, err)
		return
	}
	p, err := s.PreviewDataset(r.Context(), req.Kind, req.Payload)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Service) publishDataset(w http.ResponseWriter, r *http.Request) {
	var req datasetRequest
	if err := decodeJSON(r, maxDatasetBody, &req); err != nil {
		s.fail(w, err)
		return
	}
	d, err := s.PublishDataset(r.Context(), staffOf(r), req.Kind, req.Note, req.Payload)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, d)
}

func (s *Service) datasetVersion(w http.ResponseWriter, r *http.Request) {
	v, err := strconv.ParseInt(r.PathValue("version"), 10, 64)
	if err != nil || v < 1 {
		s.fail(w, apperr.Errorf(apperr.Invalid, "版本号应为正整数。"))
		return
	}
	d, err := s.Store.Dataset(r.Context(), r.PathValue("kind"), v)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}
