package county_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"budayang/backend/county"
)

// Who may call each county route. The county server faces every site's
// link, so each route is either for an enrolled site (signed with its
// credential), for the holder of a one-time enrolment code, for county
// staff (a bearer token from login) or for anyone (login itself, and the
// status the pages start from).
const (
	siteSigned  = "site"
	codeHolder  = "code"
	countyStaff = "staff"
	anyone      = "anyone"
)

var countyAccess = map[string]string{
	"POST /county/v1/enroll":                       codeHolder,
	"POST /county/v1/push":                         siteSigned,
	"POST /county/v1/missing":                      siteSigned,
	"GET /county/v1/datasets":                      siteSigned,
	"GET /county/v1/datasets/{kind}/{version}":     siteSigned,
	"POST /county/v1/relay":                        siteSigned,
	"GET /county/v1/relay":                         siteSigned,
	"GET /county/v1/centres":                       siteSigned,
	"POST /api/v1/county/login":                    anyone,
	"GET /api/v1/status":                           anyone,
	"GET /api/v1/county/sites":                     countyStaff,
	"POST /api/v1/county/sites":                    countyStaff,
	"GET /api/v1/county/sites/{id}/records":        countyStaff,
	"POST /api/v1/county/sites/{id}/revoke":        countyStaff,
	"GET /api/v1/county/audit":                     countyStaff,
	"GET /api/v1/county/datasets":                  countyStaff,
	"POST /api/v1/county/datasets":                 countyStaff,
	"POST /api/v1/county/datasets/preview":         countyStaff,
	"GET /api/v1/county/datasets/{kind}/{version}": countyStaff,
	"GET /api/v1/county/inspection":                countyStaff,
	"GET /api/v1/county/ranking":                   countyStaff,
}

var handleFunc = regexp.MustCompile(`HandleFunc\("([A-Z]+ [^"]+)"`)

// Every route the county registers is in countyAccess, and nothing without
// a credential gets past its guard: a site route unsigned is 401 (and
// audited), a staff route without a token 401, enrolment with a code never
// issued 401, login with a wrong password 401.
func TestCountyRoutes_EachHasItsGuard(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range handleFunc.FindAllStringSubmatch(string(src), -1) {
			seen[m[1]] = true
			if _, ok := countyAccess[m[1]]; !ok {
				t.Errorf("%s: route %q is not in countyAccess", f, m[1])
			}
		}
	}
	for route := range countyAccess {
		if !seen[route] {
			t.Errorf("countyAccess lists %q, which no file registers", route)
		}
	}

	st, _ := storeKinds[0].open(t)
	c := newCounty(t, st)
	for route, access := range countyAccess {
		method, path, _ := strings.Cut(route, " ")
		path = strings.NewReplacer("{kind}", "catalog", "{version}", "1", "{id}", "nope").Replace(path)
		t.Run(route, func(t *testing.T) {
			body := "{}"
			switch route {
			case "POST /api/v1/county/login":
				body = `{"password":"not-the-password"}`
			case "POST /county/v1/enroll":
				body = `{"code":"BDY1-NEVER-ISSUED"}`
			}
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(county.HeaderProtocol, strconv.Itoa(county.Protocol))
			w := httptest.NewRecorder()
			c.svc.Handler().ServeHTTP(w, req)
			want := map[string]int{siteSigned: http.StatusUnauthorized, countyStaff: http.StatusUnauthorized,
				codeHolder: http.StatusUnauthorized, anyone: http.StatusUnauthorized}[access]
			if route == "GET /api/v1/status" {
				want = http.StatusOK
			}
			if w.Code != want {
				t.Errorf("without a credential: %d %s, want %d", w.Code, w.Body, want)
			}
		})
	}
}

// Guessing the admin's password from one address is slowed: after five
// wrong tries even the right one waits.
func TestCountyLogin_GuessesAreSlowed(t *testing.T) {
	st, _ := storeKinds[0].open(t)
	c := newCounty(t, st)
	for i := 0; i < 5; i++ {
		if code, _ := c.do("POST", "/api/v1/county/login", "", `{"password":"guess-`+strconv.Itoa(i)+`"}`); code != http.StatusUnauthorized {
			t.Fatalf("try %d: %d, want 401", i, code)
		}
	}
	c.do("POST", "/api/v1/county/login", "", `{"password":"guess-5"}`)
	code, body := c.do("POST", "/api/v1/county/login", "", `{"password":"county-pass-1"}`)
	if code != http.StatusLocked || !strings.Contains(body, "请") {
		t.Fatalf("after six wrong tries: %d %s, want 423 with a sentence", code, body)
	}
}
