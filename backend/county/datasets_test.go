package county_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"budayang/backend/county"
	"budayang/backend/store/storetest"
)

// signedGet is a site's GET as countysync signs it.
func (c *countyAPI) signedGet(siteID string, cred []byte, path, nonce string) *httptest.ResponseRecorder {
	c.t.Helper()
	unix := storetest.Epoch.Unix()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set(county.HeaderProtocol, strconv.Itoa(county.Protocol))
	req.Header.Set(county.HeaderSite, siteID)
	req.Header.Set(county.HeaderTime, strconv.FormatInt(unix, 10))
	req.Header.Set(county.HeaderNonce, nonce)
	req.Header.Set(county.HeaderSignature, county.Sign(cred, "GET", path, nil, unix, nonce))
	w := httptest.NewRecorder()
	c.svc.Handler().ServeHTTP(w, req)
	return w
}

func TestDatasetRoutes_SignedSitesReadTheNewestVersions(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		c := newCounty(t, st)
		ctx := context.Background()
		code, err := c.svc.NewSite(ctx, "青山镇", "town", "10.0.0.5:8480")
		if err != nil {
			t.Fatal(err)
		}
		cred := []byte("site credential of 32 bytes, ok!")
		site, err := c.st.Enroll(ctx, county.SecretHash(code.Secret), cred, storetest.Epoch)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{`[{"name":"县民政局","phone":"0000-1"}]`, `[{"name":"县民政局","phone":"0000-2"}]`} {
			if _, err := c.st.PublishDataset(ctx, county.Dataset{Kind: county.DatasetDepartments, Schema: 1, Payload: json.RawMessage(p)}, storetest.Epoch); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("the list gives each kind's newest version without its payload", func(t *testing.T) {
			w := c.signedGet(site.ID, cred, "/county/v1/datasets", "n-1")
			var list county.DatasetList
			if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || w.Code != 200 {
				t.Fatalf("list: %d %s", w.Code, w.Body)
			}
			if list.Schema != county.DatasetSchema || len(list.Datasets) != 1 || list.Datasets[0].Version != 2 || list.Datasets[0].Payload != nil ||
				list.Datasets[0].Checksum != county.Checksum([]byte(`[{"name":"县民政局","phone":"0000-2"}]`)) {
				t.Fatalf("list %+v", list)
			}
		})
		t.Run("a version downloads as its exact bytes with checksum and schema headers", func(t *testing.T) {
			w := c.signedGet(site.ID, cred, "/county/v1/datasets/departments/1", "n-2")
			want := `[{"name":"县民政局","phone":"0000-1"}]`
			if w.Code != 200 || w.Body.String() != want || w.Header().Get(county.HeaderChecksum) != county.Checksum([]byte(want)) ||
				w.Header().Get(county.HeaderDatasetSchema) != "1" || w.Header().Get(county.HeaderDatasetVersion) != "1" {
				t.Fatalf("download: %d %v %s", w.Code, w.Header(), w.Body)
			}
		})
		for _, tc := range []struct{ name, path string }{
			{"an unknown kind", "/county/v1/datasets/secrets/1"},
			{"a version never published", "/county/v1/datasets/departments/3"},
		} {
			t.Run(tc.name+" is not found", func(t *testing.T) {
				if w := c.signedGet(site.ID, cred, tc.path, "n-"+tc.name); w.Code != http.StatusNotFound {
					t.Fatalf("%s: %d %s", tc.path, w.Code, w.Body)
				}
			})
		}
		t.Run("an unsigned or wrongly signed request is refused", func(t *testing.T) {
			if code, _ := c.do("GET", "/county/v1/datasets/departments/1", "", ""); code != http.StatusUpgradeRequired {
				t.Fatalf("no protocol header: %d", code)
			}
			if w := c.signedGet(site.ID, []byte("another credential of 32 bytes!!"), "/county/v1/datasets/departments/1", "n-3"); w.Code != http.StatusUnauthorized {
				t.Fatalf("wrong credential: %d %s", w.Code, w.Body)
			}
		})
		t.Run("a revoked site is refused", func(t *testing.T) {
			if err := c.st.Revoke(ctx, site.ID, storetest.Epoch); err != nil {
				t.Fatal(err)
			}
			for i, path := range []string{"/county/v1/datasets", "/county/v1/datasets/departments/2"} {
				if w := c.signedGet(site.ID, cred, path, "r-"+strconv.Itoa(i)); w.Code != http.StatusForbidden {
					t.Fatalf("%s after revoke: %d %s", path, w.Code, w.Body)
				}
			}
		})
	})
}
