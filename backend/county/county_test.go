package county_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"budayang/backend/clock"
	"budayang/backend/county"
	"budayang/backend/store/storetest"
)

func TestCode_RoundTripAndRefusals(t *testing.T) {
	now := storetest.Epoch
	c := county.Code{Host: "county.example.cn", Port: 8480, Pin: make([]byte, 32), Secret: []byte("0123456789"), Expires: now.Add(county.CodeTTL).Truncate(time.Second)}
	c.Pin[0] = 0xAB
	s := c.String()

	t.Run("a code reads back whole, dashes and case aside", func(t *testing.T) {
		got, err := county.ParseCode(strings.ToLower(strings.ReplaceAll(s, "-", " ")), now)
		if err != nil {
			t.Fatal(err)
		}
		if got.URL() != "https://county.example.cn:8480" || got.Pin[0] != 0xAB || len(got.Pin) != county.PinBytes || string(got.Secret) != "0123456789" || !got.Expires.Equal(c.Expires) {
			t.Fatalf("read back %+v", got)
		}
	})
	for _, tc := range []struct {
		name, code string
		at         time.Time
		want       string
	}{
		{"one character mistyped", s[:5] + flip(s[5]) + s[6:], now, "不正确"},
		{"cut short", s[:20], now, "不正确"},
		{"after 72 hours", s, now.Add(county.CodeTTL + time.Minute), "过期"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := county.ParseCode(tc.code, tc.at); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseCode: %v, want %q", err, tc.want)
			}
		})
	}
}

func flip(b byte) string {
	if b == 'A' {
		return "B"
	}
	return "A"
}

type countyAPI struct {
	t   *testing.T
	svc *county.Service
	st  county.Store
}

func newCounty(t *testing.T, st county.Store) *countyAPI {
	t.Helper()
	svc := &county.Service{Store: st, Clock: clock.NewFixed(storetest.Epoch), Fingerprint: make([]byte, 32)}
	if err := svc.SetAdminPassword(context.Background(), "county-pass-1"); err != nil {
		t.Fatal(err)
	}
	return &countyAPI{t: t, svc: svc, st: st}
}

func (c *countyAPI) do(method, path, token, body string) (int, string) {
	c.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	c.svc.Handler().ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

func TestCountyAPI_StaffReadsSitesAndRecords(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) { testStaffReadsSitesAndRecords(t, newCounty(t, st)) })
}

func testStaffReadsSitesAndRecords(t *testing.T, c *countyAPI) {
	ctx := context.Background()
	code, err := c.svc.NewSite(ctx, "青山镇", "town", "10.0.0.5:8480")
	if err != nil {
		t.Fatal(err)
	}
	site, err := c.st.Enroll(ctx, county.SecretHash(code.Secret), make([]byte, 32), storetest.Epoch)
	if err != nil {
		t.Fatal(err)
	}
	var entries []county.Entry
	for i, id := range []string{"c-1", "t-2", "t-1", "t-1", "t-3"} {
		kind := "ticket.issue"
		if id[0] == 'c' {
			kind = "case.accept"
		}
		entries = append(entries, county.Entry{Seq: int64(i + 1), ID: "e" + string(rune('a'+i)), Kind: kind, EntityID: id, Payload: `{"i":` + string(rune('0'+i)) + `}`, CreatedAt: "2026-11-25T01:00:00.000Z"})
	}
	if _, err := c.st.Apply(ctx, site.ID, county.PushRequest{Pending: 3, Entries: entries}, storetest.Epoch); err != nil {
		t.Fatal(err)
	}

	t.Run("without a session nothing is read", func(t *testing.T) {
		if code, _ := c.do("GET", "/api/v1/county/sites", "", ""); code != http.StatusUnauthorized {
			t.Fatalf("answer %d", code)
		}
		if code, _ := c.do("POST", "/api/v1/county/login", "", `{"password":"wrong-pass"}`); code != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", code)
		}
	})
	_, body := c.do("POST", "/api/v1/county/login", "", `{"password":"county-pass-1"}`)
	var login struct{ Token string }
	_ = json.Unmarshal([]byte(body), &login)
	if login.Token == "" {
		t.Fatalf("login: %s", body)
	}

	t.Run("sites list each site with its counts", func(t *testing.T) {
		code, body := c.do("GET", "/api/v1/county/sites", login.Token, "")
		var sites []county.Site
		_ = json.Unmarshal([]byte(body), &sites)
		if code != 200 || len(sites) != 1 || sites[0].Records != 4 || sites[0].Pending != 3 || sites[0].LastSyncAt == nil || sites[0].EnrolledAt == nil || sites[0].Revoked {
			t.Fatalf("sites: %d %s", code, body)
		}
	})
	t.Run("records come once each at their latest version, page by page", func(t *testing.T) {
		type page struct {
			Records []county.Record `json:"records"`
			Next    *string         `json:"next"`
		}
		var all []county.Record
		after := ""
		for i := 0; i < 5; i++ {
			code, body := c.do("GET", "/api/v1/county/sites/"+site.ID+"/records?kind=ticket&limit=2&after="+after, login.Token, "")
			var p page
			if err := json.Unmarshal([]byte(body), &p); err != nil || code != 200 {
				t.Fatalf("records: %d %s", code, body)
			}
			all = append(all, p.Records...)
			if p.Next == nil {
				break
			}
			after = *p.Next
		}
		if len(all) != 3 || all[0].ID != "t-1" || all[0].Version != 2 || all[1].ID != "t-2" || all[2].ID != "t-3" {
			t.Fatalf("records %+v", all)
		}
		b, _ := json.Marshal(all[0].Data)
		if string(b) != `{"i":3}` {
			t.Fatalf("t-1 at %s, want its last change", b)
		}
	})
	t.Run("revoke marks the site revoked and is audited", func(t *testing.T) {
		if code, body := c.do("POST", "/api/v1/county/sites/"+site.ID+"/revoke", login.Token, ""); code != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", code, body)
		}
		if code, _ := c.do("POST", "/api/v1/county/sites/nope/revoke", login.Token, ""); code != http.StatusNotFound {
			t.Fatalf("revoke unknown: %d", code)
		}
		_, body := c.do("GET", "/api/v1/county/sites", login.Token, "")
		if !strings.Contains(body, `"revoked":true`) {
			t.Fatalf("sites after revoke: %s", body)
		}
		_, body = c.do("GET", "/api/v1/county/audit", login.Token, "")
		if !strings.Contains(body, `"event":"revoked"`) || !strings.Contains(body, `"event":"login_failed"`) {
			t.Fatalf("audit: %s", body)
		}
	})
}
