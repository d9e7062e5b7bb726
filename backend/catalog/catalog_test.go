package catalog_test

import (
	"context"
	"strings"
	"testing"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/catalog"
	"budayang/backend/site"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

func mustOpen(tb testing.TB) (*catalog.Service, *store.DB) {
	tb.Helper()
	db, clk := storetest.MustOpen(tb)
	accounts := account.NewService(db, clk, nil)
	accounts.Cost = 4
	sites := site.NewService(db, accounts, nil)
	if _, err := sites.Setup(context.Background(), site.Profile{Name: "测试镇便民服务中心", Kind: site.KindTown}, "Admin12345"); err != nil {
		tb.Fatal(err)
	}
	s, err := catalog.NewService(context.Background(), db, nil, sites)
	if err != nil {
		tb.Fatal(err)
	}
	return s, db
}

var admin = account.Principal{Staff: account.Staff{Login: "admin", Name: "管理员", Role: account.RoleAdmin}}

func TestBuiltin_IsAUsableCatalog(t *testing.T) {
	c, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Items) < 60 {
		t.Errorf("built-in catalog has %d items, want at least 60", len(c.Items))
	}
	depts := map[string]int{}
	for _, it := range c.Items {
		depts[it.Department]++
		if len(it.Basis) == 0 || it.Fee == "" || it.Office == "" || it.Phone == "" {
			t.Errorf("%s %s lacks basis, fee, office or phone", it.Code, it.Name)
		}
	}
	for _, d := range []string{"司法", "民政", "残联", "农业农村", "林业", "住建", "自然资源", "卫健", "退役军人", "医保", "社保", "供水", "供电", "燃气", "电信"} {
		if depts[d] == 0 {
			t.Errorf("no item of department %s", d)
		}
	}
	for _, tag := range catalog.Tags {
		n := 0
		for _, it := range c.Items {
			if it.HasTag(tag) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("special list %s is empty", tag)
		}
	}
}

func TestService_SeedsOnFirstOpenOnly(t *testing.T) {
	s, db := mustOpen(t)
	m := s.Meta()
	if m.Source != catalog.SourceBuiltin || m.Version == "" || m.Items < 60 {
		t.Fatalf("meta after first open: %+v", m)
	}
	// A second open of the same file keeps what is stored.
	custom := catalog.Catalog{Version: "county-1", Items: []catalog.Item{{Code: "X-1", Name: "测试事项", Department: "民政", Levels: []string{"town"}, Steps: []string{"受理"}}}}
	if _, err := s.Replace(context.Background(), audit.System, catalog.SourceCounty, custom); err != nil {
		t.Fatal(err)
	}
	again, err := catalog.NewService(context.Background(), db, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m := again.Meta(); m.Version != "county-1" || m.Items != 1 || m.Source != catalog.SourceCounty {
		t.Errorf("reopened meta: got %+v, want county-1 with 1 item", m)
	}
}

func TestSearch(t *testing.T) {
	s, _ := mustOpen(t)
	tests := []struct {
		name  string
		q     catalog.Query
		first string // code expected first ("" when no result)
	}{
		{"ChineseName", catalog.Query{Text: "低保"}, "MZ-001"},
		{"FullPinyin", catalog.Query{Text: "dibao"}, "MZ-001"},
		{"FullPinyinWithSpaces", catalog.Query{Text: "di bao"}, "MZ-001"},
		{"Initials", catalog.Query{Text: "gljt"}, "MZ-004"},
		{"InitialsUpperCase", catalog.Query{Text: "GLJT"}, "MZ-004"},
		{"MixedWholeAndInitials", catalog.Query{Text: "canjirenz"}, "CL-001"},
		{"ZhChShInitials", catalog.Query{Text: "shbzk"}, "SB-004"},
		{"Heteronym", catalog.Query{Text: "cbdj"}, "SB-001"}, // 参 read can, not shen
		{"BirthRegistration", catalog.Query{Text: "shengyu"}, "WJ-001"},
		{"Code", catalog.Query{Text: "ly-001"}, "LY-001"},
		{"Department", catalog.Query{Department: "林业", Text: "caifa"}, "LY-001"},
		{"NoMatch", catalog.Query{Text: "xyzq"}, ""},
		{"TagFilter", catalog.Query{Tag: catalog.TagSichuanCQ, Text: "yidi"}, "YB-004"},
		{"LevelFilterDropsCounty", catalog.Query{Level: catalog.LevelTown, Text: "jiehun"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.Search(tt.q)
			if tt.first == "" {
				if len(got) != 0 {
					t.Fatalf("got %d results (%s first), want none", len(got), got[0].Code)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("got no results, want %s first", tt.first)
			}
			if got[0].Code != tt.first {
				names := []string{}
				for _, it := range got {
					names = append(names, it.Code+" "+it.Name)
				}
				t.Errorf("got %v, want %s first", names, tt.first)
			}
		})
	}
	t.Run("WhatCitizensAskFor", func(t *testing.T) {
		// What people say at the window, and the item a clerk means by it.
		asks := []struct{ q, first string }{
			{"社保卡", "SB-004"}, {"sbk", "SB-004"}, {"shebaoka", "SB-004"}, {"医保卡", "SB-004"},
			{"社保卡丢了", "SB-005"}, {"shebao", "SB-001"}, {"cb", "SB-001"}, {"社保", "SB-001"},
			{"养老金", "SB-002"}, {"yanglaojin", "SB-002"}, {"认证", "SB-008"}, {"医保", "YB-001"},
			{"新农合", "YB-001"}, {"xnh", "YB-001"}, {"报销", "YB-006"}, {"低保", "MZ-001"},
			{"五保户", "MZ-002"}, {"结婚证", "MZ-006"}, {"房产证", "ZR-001"}, {"fcz", "ZR-001"},
			{"危房", "ZJ-001"}, {"准生证", "WJ-001"}, {"上户口", "WJ-002"}, {"残疾证", "CL-001"},
			{"交电费", "GD-004"}, {"装宽带", "DX-001"}, {"修房子", "NY-001"}, {"打官司", "SF-001"},
			{"砍树", "LY-001"}, {"粮补", "NY-002"},
		}
		for _, a := range asks {
			got := s.Search(catalog.Query{Text: a.q})
			if len(got) == 0 || got[0].Code != a.first {
				first := "nothing"
				if len(got) > 0 {
					first = got[0].Code + " " + got[0].Name
				}
				t.Errorf("%q: got %s first, want %s", a.q, first, a.first)
			}
		}
	})
	t.Run("EmptyListsAll", func(t *testing.T) {
		if got, all := len(s.Search(catalog.Query{})), s.Meta().Items; got != all {
			t.Errorf("got %d, want %d", got, all)
		}
	})
	t.Run("DepartmentFilterIsExact", func(t *testing.T) {
		for _, it := range s.Search(catalog.Query{Department: "医保"}) {
			if it.Department != "医保" {
				t.Errorf("got %s of %s", it.Code, it.Department)
			}
		}
	})
}

func TestNotes_SurviveCountyUpdate(t *testing.T) {
	s, db := mustOpen(t)
	ctx := context.Background()
	g, err := s.SetNote(ctx, admin, "MZ-001", "每周三上午民政专干在岗，其余时间由综合窗口代收。")
	if err != nil {
		t.Fatal(err)
	}
	if g.LocalNote == "" || g.NoteAt == nil {
		t.Fatalf("note not returned: %+v", g)
	}
	c, _ := catalog.Builtin()
	c.Version = "county-2026.2"
	c.Items[0].Name = c.Items[0].Name + "（县局修订）"
	if _, err := s.Replace(ctx, audit.System, catalog.SourceCounty, c); err != nil {
		t.Fatal(err)
	}
	g, err = s.Guide(ctx, "MZ-001")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(g.LocalNote, "每周三") {
		t.Errorf("note after county update: got %q", g.LocalNote)
	}
	if it, _ := s.Item(c.Items[0].Code); !strings.HasSuffix(it.Name, "（县局修订）") {
		t.Errorf("county change not in use: %s", it.Name)
	}
	var n int
	db.Read().QueryRow(`SELECT count(*) FROM outbox WHERE kind = 'catalog.note'`).Scan(&n)
	if n != 1 {
		t.Errorf("outbox rows for the note: got %d, want 1", n)
	}
	t.Run("EmptyNoteRemoves", func(t *testing.T) {
		g, err := s.SetNote(ctx, admin, "MZ-001", "  ")
		if err != nil || g.LocalNote != "" {
			t.Errorf("got %q %v", g.LocalNote, err)
		}
	})
	t.Run("RefusedForAssistant", func(t *testing.T) {
		p := admin
		p.Role = account.RoleAssistant
		if _, err := s.SetNote(ctx, p, "MZ-001", "x"); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("got %v, want forbidden", err)
		}
	})
	t.Run("UnknownItem", func(t *testing.T) {
		if _, err := s.SetNote(ctx, admin, "NOPE", "x"); apperr.Code(err) != apperr.NotFound {
			t.Errorf("got %v, want not found", err)
		}
	})
}

func TestReplace_RefusesBrokenCatalogAndKeepsOld(t *testing.T) {
	s, _ := mustOpen(t)
	before := s.Meta()
	item := catalog.Item{Code: "A", Name: "事项", Department: "民政", Levels: []string{"town"}, Steps: []string{"受理"}}
	tests := []struct {
		name string
		edit func(c *catalog.Catalog)
	}{
		{"NoVersion", func(c *catalog.Catalog) { c.Version = "" }},
		{"NoItems", func(c *catalog.Catalog) { c.Items = nil }},
		{"DuplicateCode", func(c *catalog.Catalog) { c.Items = append(c.Items, item) }},
		{"UnknownLevel", func(c *catalog.Catalog) { c.Items[0].Levels = []string{"province"} }},
		{"UnknownTag", func(c *catalog.Catalog) { c.Items[0].Tags = []string{"fast"} }},
		{"NoSteps", func(c *catalog.Catalog) { c.Items[0].Steps = nil }},
		{"NegativeLimit", func(c *catalog.Catalog) { c.Items[0].LimitDays = -1 }},
		{"BadMaterialForm", func(c *catalog.Catalog) {
			c.Items[0].Materials = []catalog.Material{{Name: "x", Form: "fax", Count: 1}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := catalog.Catalog{Version: "v", Items: []catalog.Item{item}}
			tt.edit(&c)
			_, err := s.Import(context.Background(), admin, c)
			if apperr.Code(err) != apperr.Invalid {
				t.Fatalf("got %v, want invalid", err)
			}
			if s.Meta() != before {
				t.Error("catalog changed by a refused import")
			}
		})
	}
}

func TestMap_GroupsOfficesWithPhones(t *testing.T) {
	s, _ := mustOpen(t)
	m := s.Map()
	total := 0
	for _, o := range m {
		total += len(o.Items)
		if o.Office == "" || o.Phone == "" {
			t.Errorf("office without name or phone: %+v", o)
		}
	}
	if total != s.Meta().Items {
		t.Errorf("map holds %d items, want %d", total, s.Meta().Items)
	}
}

// BenchmarkSearch searches the whole built-in catalog; the issue asks for
// well under 20 ms.
func BenchmarkSearch(b *testing.B) {
	s, _ := mustOpen(b)
	queries := []string{"低保", "dibao", "cjrz", "shbzk", "yidijiuyi", "zzz", ""}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Search(catalog.Query{Text: queries[i%len(queries)]})
	}
}
