package hall_test

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"budayang/backend/clock"
	"budayang/backend/county"
	"budayang/backend/hall"
	"budayang/backend/store/storetest"
)

// startCountyServer runs a real county server over loopback TLS and
// returns its URL and a fresh enrolment code for it.
func startCountyServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	srv, code, _ := startCountyServerIn(t, t.TempDir())
	return srv, code
}

// startCountyServerIn is startCountyServer keeping the county's files in
// dir; it also returns the county's store, for a test to publish through.
func startCountyServerIn(t *testing.T, dir string) (*httptest.Server, string, county.Store) {
	t.Helper()
	st, err := county.OpenSQLite(context.Background(), filepath.Join(dir, county.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	id, err := hall.LoadIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := &county.Service{Store: st, Clock: clock.NewFixed(storetest.Epoch), Fingerprint: id.Fingerprint}
	srv := httptest.NewUnstartedServer(svc.Handler())
	srv.TLS = id.TLSConfig()
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	code, err := svc.NewSite(context.Background(), "测试镇便民服务中心", "town", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return srv, code.String(), st
}

func TestAPI_CountySyncStatus(t *testing.T) {
	h := start(t)
	token := h.setupAndLogin()
	countyState := func() map[string]any {
		_, body := h.do("GET", "/api/v1/status", "", "")
		return body["county"].(map[string]any)
	}

	t.Run("an unenrolled site is unconfigured", func(t *testing.T) {
		if st := countyState(); st["state"] != "unconfigured" || st["last_sync"] != nil || st["stalled"] != false || st["stalled_since"] != nil {
			t.Fatalf("county %v", st)
		}
		code, body := h.do("GET", "/api/v1/sync", token, "")
		if code != 200 || body["enrolled"] != false || body["protocol"] != float64(county.Protocol) || body["stalled"] != false || body["unrecoverable"] != float64(0) {
			t.Fatalf("sync: %d %v", code, body)
		}
	})

	srv, code := startCountyServer(t)
	t.Run("enrolling pushes what waits and the site is online", func(t *testing.T) {
		req, _ := json.Marshal(map[string]string{"county": srv.URL, "code": code})
		status, body := h.do("POST", "/api/v1/sync/enroll", token, string(req))
		if status != 200 || body["enrolled"] != true || body["online"] != true || body["pending"] != float64(0) || body["county"] != srv.URL {
			t.Fatalf("enroll: %d %v", status, body)
		}
		if st := countyState(); st["state"] != "online" || st["last_sync"] == nil {
			t.Fatalf("county %v", st)
		}
	})
	t.Run("a county that cannot be reached makes the site offline", func(t *testing.T) {
		srv.Close()
		status, body := h.do("POST", "/api/v1/sync/now", token, "")
		if status != 200 || body["online"] != false || body["last_error"] == "" || body["last_success_at"] == nil {
			t.Fatalf("sync now: %d %v", status, body)
		}
		if st := countyState(); st["state"] != "offline" || st["last_sync"] == nil {
			t.Fatalf("county %v", st)
		}
	})
}
