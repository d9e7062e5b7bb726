package county_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"budayang/backend/county"
)

// login returns a county staff token.
func (c *countyAPI) login() string {
	c.t.Helper()
	_, body := c.do("POST", "/api/v1/county/login", "", `{"password":"county-pass-1"}`)
	var l struct{ Token string }
	if err := json.Unmarshal([]byte(body), &l); err != nil || l.Token == "" {
		c.t.Fatalf("login: %s", body)
	}
	return l.Token
}

// arrangement2027 is a year's holidays as the page sends it.
const arrangement2027 = `{"year":2027,"notice":"国务院办公厅关于2027年部分节假日安排的通知",
	"holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-03"},{"name":"春节","from":"2027-02-06","to":"2027-02-12"}],
	"workdays":[{"date":"2027-02-20","name":"春节"}]}`

func TestCountyAPI_CreateSite(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		c := newCounty(t, st)
		token := c.login()
		for _, tc := range []struct {
			name, token, body string
			status            int
			want              string
		}{
			{"a site and its code", token, `{"name":"青山镇便民服务中心","kind":"town","addr":"10.0.0.5:8480"}`, http.StatusCreated, `"county_url":"https://10.0.0.5:8480"`},
			{"the address defaults to the one staff reached", token, `{"name":"石桥村便民服务室","kind":"village"}`, http.StatusCreated, `"county_url":"https://example.com:443"`},
			{"an unknown kind", token, `{"name":"某市","kind":"city","addr":"10.0.0.5:8480"}`, http.StatusBadRequest, "站点类型"},
			{"no name", token, `{"name":" ","kind":"town","addr":"10.0.0.5:8480"}`, http.StatusBadRequest, "站点名称"},
			{"a bad address", token, `{"name":"青山镇","kind":"town","addr":"nowhere"}`, http.StatusBadRequest, "县平台地址"},
			{"malformed JSON", token, `{"name":`, http.StatusBadRequest, "请求格式不正确"},
			{"no session", "", `{"name":"青山镇","kind":"town"}`, http.StatusUnauthorized, "请先登录"},
			{"an unknown token", "feedface", `{"name":"青山镇","kind":"town"}`, http.StatusUnauthorized, "请先登录"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, body := c.do("POST", "/api/v1/county/sites", tc.token, tc.body)
				if code != tc.status || !strings.Contains(body, tc.want) {
					t.Fatalf("got %d %s, want %d with %q", code, body, tc.status, tc.want)
				}
			})
		}
		t.Run("the code enrols the site it names, and its creation is audited", func(t *testing.T) {
			_, body := c.do("POST", "/api/v1/county/sites", token, `{"name":"白鹤乡便民服务中心","kind":"township","addr":"county.example.cn:8480"}`)
			var reply county.NewSiteReply
			if err := json.Unmarshal([]byte(body), &reply); err != nil {
				t.Fatal(err)
			}
			if !reply.ExpiresAt.Equal(c.svc.Clock.Now().Add(county.CodeTTL)) {
				t.Fatalf("expires %v, want 72 h on", reply.ExpiresAt)
			}
			parsed, err := county.ParseCode(reply.Code, c.svc.Clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			site, err := c.st.Enroll(context.Background(), county.SecretHash(parsed.Secret), make([]byte, 32), c.svc.Clock.Now())
			if err != nil || site.ID != reply.Site.ID || site.Kind != "township" {
				t.Fatalf("enrolled %+v %v, want %+v", site, err, reply.Site)
			}
			_, audit := c.do("GET", "/api/v1/county/audit", token, "")
			if !strings.Contains(audit, `"event":"site_created"`) || !strings.Contains(audit, "白鹤乡便民服务中心（admin）") {
				t.Fatalf("audit: %s", audit)
			}
		})
	})
}

func TestCountyAPI_Datasets(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		c := newCounty(t, st)
		token := c.login()
		publish := func(t *testing.T, kind, payload, note string) (int, string) {
			t.Helper()
			b, _ := json.Marshal(map[string]any{"kind": kind, "payload": json.RawMessage(payload), "note": note})
			return c.do("POST", "/api/v1/county/datasets", token, string(b))
		}
		preview := func(t *testing.T, kind, payload string) county.DatasetPreview {
			t.Helper()
			b, _ := json.Marshal(map[string]any{"kind": kind, "payload": json.RawMessage(payload)})
			code, body := c.do("POST", "/api/v1/county/datasets/preview", token, string(b))
			var p county.DatasetPreview
			if err := json.Unmarshal([]byte(body), &p); err != nil || code != http.StatusOK {
				t.Fatalf("preview: %d %s", code, body)
			}
			return p
		}

		t.Run("a first holidays version previews every changed day, then publishes as version 1", func(t *testing.T) {
			p := preview(t, "holidays", "["+arrangement2027+"]")
			if p.Base != 0 || p.Same || len(p.Holidays) != 1 || p.Holidays[0].Change != "added" || p.Holidays[0].Summary.Holidays != 10 {
				t.Fatalf("preview %+v", p)
			}
			// 10 holiday dates of which 4 fall on a weekend (renamed only), and
			// one adjusted Saturday: every one is a change from weekends only.
			if got := len(p.Holidays[0].Days); got != 11 {
				t.Fatalf("%d days change, want 11: %+v", got, p.Holidays[0].Days)
			}
			code, body := publish(t, "holidays", "["+arrangement2027+"]", "2027年安排")
			var d county.Dataset
			_ = json.Unmarshal([]byte(body), &d)
			if code != http.StatusCreated || d.Version != 1 || d.Schema != county.DatasetSchema || d.PublishedBy != "admin" || d.Checksum == "" || d.Payload != nil {
				t.Fatalf("publish: %d %s", code, body)
			}
		})
		t.Run("replacing a year lists only the days that move", func(t *testing.T) {
			moved := strings.Replace(arrangement2027, `"to":"2027-02-12"`, `"to":"2027-02-13"`, 1)
			p := preview(t, "holidays", "["+moved+"]")
			if p.Base != 1 || len(p.Holidays) != 1 || p.Holidays[0].Change != "replaced" || len(p.Holidays[0].Days) != 1 || p.Holidays[0].Days[0].Date != "2027-02-13" {
				t.Fatalf("preview %+v", p)
			}
		})
		t.Run("the same arrangement again is the same, and publishing it is refused", func(t *testing.T) {
			p := preview(t, "holidays", "["+arrangement2027+"]")
			if !p.Same || p.Holidays[0].Change != "unchanged" || len(p.Holidays[0].Days) != 0 {
				t.Fatalf("preview %+v", p)
			}
			if code, body := publish(t, "holidays", "["+arrangement2027+"]", ""); code != http.StatusConflict {
				t.Fatalf("publish again: %d %s", code, body)
			}
		})
		t.Run("a catalog previews items added, removed and changed", func(t *testing.T) {
			item := func(code, name string, days int) string {
				return `{"code":"` + code + `","name":"` + name + `","department":"民政","levels":["town"],"steps":["受理"],"limit_days":` + string(rune('0'+days)) + `}`
			}
			v1 := `{"version":"2027.1","published":"2027-01-01","items":[` + item("A-1", "低保申请", 5) + `,` + item("A-2", "临时救助", 3) + `]}`
			if code, body := publish(t, "catalog", v1, "首版"); code != http.StatusCreated {
				t.Fatalf("publish catalog: %d %s", code, body)
			}
			v2 := `{"version":"2027.2","published":"2027-02-01","items":[` + item("A-1", "低保申请", 7) + `,` + item("B-1", "残疾人两项补贴", 5) + `]}`
			p := preview(t, "catalog", v2)
			cc := p.Catalog
			if cc == nil || p.Base != 1 || cc.Items != 2 || len(cc.Added) != 1 || cc.Added[0].Code != "B-1" || len(cc.Removed) != 1 || cc.Removed[0].Code != "A-2" || len(cc.Changed) != 1 || cc.Changed[0].Code != "A-1" {
				t.Fatalf("preview %+v", cc)
			}
		})
		t.Run("lists count entries added and removed whatever the key order", func(t *testing.T) {
			if code, body := publish(t, "departments", `[{"name":"民政局","phone":"1"},{"name":"人社局","phone":"2"}]`, ""); code != http.StatusCreated {
				t.Fatalf("publish departments: %d %s", code, body)
			}
			p := preview(t, "departments", `[{"phone":"1","name":"民政局"},{"name":"医保局","phone":"3"}]`)
			if p.List == nil || p.List.Entries != 2 || p.List.Added != 1 || p.List.Removed != 1 {
				t.Fatalf("preview %+v", p.List)
			}
		})
		t.Run("the latest versions list one per kind, and publishing is audited", func(t *testing.T) {
			code, body := c.do("GET", "/api/v1/county/datasets", token, "")
			var list []county.Dataset
			_ = json.Unmarshal([]byte(body), &list)
			if code != 200 || len(list) != 3 {
				t.Fatalf("datasets: %d %s", code, body)
			}
			_, audit := c.do("GET", "/api/v1/county/audit", token, "")
			if strings.Count(audit, `"event":"dataset_published"`) != 3 {
				t.Fatalf("audit: %s", audit)
			}
		})

		for _, tc := range []struct {
			name, token, path, body string
			status                  int
			want                    string
		}{
			{"an unknown kind", token, "/api/v1/county/datasets/preview", `{"kind":"weather","payload":[]}`, 400, "数据集类型"},
			{"an invalid arrangement", token, "/api/v1/county/datasets", `{"kind":"holidays","payload":[{"year":2027,"holidays":[{"name":"春节","from":"2027-02-12","to":"2027-02-06"}]}]}`, 400, "春节的放假日期"},
			{"an adjusted workday on a weekday", token, "/api/v1/county/datasets/preview", `{"kind":"holidays","payload":[{"year":2027,"holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-01"}],"workdays":[{"date":"2027-01-04","name":"元旦"}]}]}`, 400, "不是周末"},
			{"a year twice", token, "/api/v1/county/datasets", `{"kind":"holidays","payload":[` + arrangement2027 + `,` + arrangement2027 + `]}`, 400, "出现了两次"},
			{"holidays not an array", token, "/api/v1/county/datasets", `{"kind":"holidays","payload":` + arrangement2027 + `}`, 400, "JSON 数组"},
			{"no payload", token, "/api/v1/county/datasets", `{"kind":"catalog"}`, 400, "内容是空的"},
			{"an invalid catalog", token, "/api/v1/county/datasets/preview", `{"kind":"catalog","payload":{"version":"x","items":[{"code":"A-1","name":"低保"}]}}`, 400, "缺少业务部门"},
			{"a list entry not an object", token, "/api/v1/county/datasets", `{"kind":"announcements","payload":["停电通知"]}`, 400, "不是 JSON 对象"},
			{"a department without a name", token, "/api/v1/county/datasets", `{"kind":"departments","payload":[{"phone":"0851-1234567"}]}`, 400, "缺少部门名称"},
			{"an announcement without its time", token, "/api/v1/county/datasets", `{"kind":"announcements","payload":[{"title":"停电通知","body":"周六停电"}]}`, 400, "发布时间"},
			{"an announcement time not RFC 3339", token, "/api/v1/county/datasets/preview", `{"kind":"announcements","payload":[{"title":"停电通知","published_at":"下周六"}]}`, 400, "RFC 3339"},
			{"malformed JSON", token, "/api/v1/county/datasets", `{"kind":"holidays","payload":[`, 400, "请求格式不正确"},
			{"a note too long", token, "/api/v1/county/datasets", `{"kind":"departments","payload":[],"note":"` + strings.Repeat("长", county.MaxNote+1) + `"}`, 400, "发布说明"},
			{"no session lists nothing", "", "/api/v1/county/datasets", "", 401, "请先登录"},
			{"no session previews nothing", "", "/api/v1/county/datasets/preview", `{"kind":"departments","payload":[]}`, 401, "请先登录"},
			{"no session publishes nothing", "", "/api/v1/county/datasets", `{"kind":"departments","payload":[]}`, 401, "请先登录"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				method := "POST"
				if tc.body == "" {
					method = "GET"
				}
				code, body := c.do(method, tc.path, tc.token, tc.body)
				if code != tc.status || !strings.Contains(body, tc.want) {
					t.Fatalf("got %d %s, want %d with %q", code, body, tc.status, tc.want)
				}
			})
		}
	})
}

func TestCountyAPI_StatusNamesTheCounty(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		c := newCounty(t, st)
		code, body := c.do("GET", "/api/v1/status", "", "")
		if code != 200 || !strings.Contains(body, `"role":"county"`) || !strings.Contains(body, `"setup_needed":false`) {
			t.Fatalf("status: %d %s", code, body)
		}
	})
}

func TestCountyAPI_SitesFlagSkewOverAMinute(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		c := newCounty(t, st)
		ctx := context.Background()
		for _, tc := range []struct {
			name string
			skew int
		}{{"exact", 0}, {"a minute ahead", 60}, {"late", -61}, {"far ahead", 3600}} {
			code, err := c.svc.NewSite(ctx, tc.name, "village", "10.0.0.5:8480")
			if err != nil {
				t.Fatal(err)
			}
			site, err := c.st.Enroll(ctx, county.SecretHash(code.Secret), make([]byte, 32), c.svc.Clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			if err := c.st.NoteSkew(ctx, site.ID, tc.skew); err != nil {
				t.Fatal(err)
			}
		}
		_, body := c.do("GET", "/api/v1/county/sites", c.login(), "")
		var sites []county.Site
		if err := json.Unmarshal([]byte(body), &sites); err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"exact": false, "a minute ahead": false, "late": true, "far ahead": true}
		for _, s := range sites {
			if s.SkewFlagged != want[s.Name] {
				t.Errorf("%s (skew %d): flagged %v, want %v", s.Name, s.SkewSeconds, s.SkewFlagged, want[s.Name])
			}
		}
	})
}

func TestCountyAPI_DatasetVersionCarriesItsPayload(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		c := newCounty(t, st)
		token := c.login()
		if code, body := c.do("POST", "/api/v1/county/datasets", token, `{"kind":"holidays","payload":[`+arrangement2027+`]}`); code != http.StatusCreated {
			t.Fatalf("publish: %d %s", code, body)
		}
		for _, tc := range []struct {
			name, token, path string
			status            int
			want              string
		}{
			{"the version with its payload", token, "/api/v1/county/datasets/holidays/1", 200, `"payload":[{"year":2027`},
			{"a version not published", token, "/api/v1/county/datasets/holidays/2", 404, "第 2 版"},
			{"a version not a number", token, "/api/v1/county/datasets/holidays/latest", 400, "版本号"},
			{"no session", "", "/api/v1/county/datasets/holidays/1", 401, "请先登录"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, body := c.do("GET", tc.path, tc.token, "")
				if code != tc.status || !strings.Contains(body, tc.want) {
					t.Fatalf("got %d %s, want %d with %q", code, body, tc.status, tc.want)
				}
			})
		}
	})
}
