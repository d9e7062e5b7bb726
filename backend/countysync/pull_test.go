package countysync_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"budayang/backend/account"
	"budayang/backend/calendar"
	"budayang/backend/catalog"
	"budayang/backend/county"
	"budayang/backend/countysync"
	"budayang/backend/events"
	sitepkg "budayang/backend/site"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// pullingSite is an enrolled site with the services a pull applies
// datasets through, as core wires them.
type pullingSite struct {
	*site
	cal   *calendar.Service
	cat   *catalog.Service
	sites *sitepkg.Service
	bus   *events.Bus
}

var siteAdmin = account.Principal{Staff: account.Staff{Login: "admin", Name: "管理员", Role: account.RoleAdmin}}

func newPullingSite(t *testing.T, c *countyUnderTest) *pullingSite {
	t.Helper()
	ctx := context.Background()
	s := &pullingSite{site: enrolledSite(t, c), bus: events.NewBus()}
	accounts := account.NewService(s.db, s.clock, nil)
	accounts.Cost = 4
	s.sites = sitepkg.NewService(s.db, accounts, nil)
	if _, err := s.sites.Setup(ctx, sitepkg.Profile{Name: "青山镇便民服务中心", Kind: sitepkg.KindTown}, "Admin12345"); err != nil {
		t.Fatal(err)
	}
	var err error
	if s.cal, err = calendar.NewService(s.db, s.clock, s.bus, s.sites); err != nil {
		t.Fatal(err)
	}
	if s.cat, err = catalog.NewService(ctx, s.db, s.bus, s.sites); err != nil {
		t.Fatal(err)
	}
	s.restart()
	return s
}

// restart gives the site a fresh worker (a new process: new connections).
func (s *pullingSite) restart() {
	s.sync = countysync.New(s.db, s.dir, s.clock, nil)
	s.sync.UseDatasets(countysync.Datasets{Calendar: s.cal, Catalog: s.cat, Sites: s.sites, Pub: s.bus})
}

func (s *pullingSite) status(t *testing.T) countysync.Status {
	t.Helper()
	st, err := s.sync.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// applied is the site's cursor for kind (0: none).
func (s *pullingSite) applied(t *testing.T, kind string) int64 {
	t.Helper()
	for _, d := range s.status(t).Datasets {
		if d.Kind == kind {
			return d.Version
		}
	}
	return 0
}

// auditLines are the details of the site's sync.dataset audit lines.
func (s *pullingSite) auditLines(t *testing.T) []string {
	t.Helper()
	rows, err := s.db.Read().Query(`SELECT detail FROM audit_log WHERE action = ? ORDER BY seq`, countysync.ActionDataset)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// publish stores the next version of kind at the county.
func (c *countyUnderTest) publish(t *testing.T, kind string, schema int, payload any) county.Dataset {
	t.Helper()
	raw, ok := payload.([]byte)
	if !ok {
		var err error
		if raw, err = json.Marshal(payload); err != nil {
			t.Fatal(err)
		}
	}
	d, err := c.store.PublishDataset(context.Background(), county.Dataset{Kind: kind, Schema: schema, Payload: raw, PublishedBy: county.AdminLogin}, c.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// countyCatalog is the built-in catalog as the county republishes it, with
// its own version and one item renamed.
func countyCatalog(t *testing.T, version string) catalog.Catalog {
	t.Helper()
	c, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c.Version = version
	c.Items[0].Name = "（县平台）" + c.Items[0].Name
	return c
}

// arrangement2027 is the county's 2027 notice for the tests.
var arrangement2027 = calendar.Arrangement{Year: 2027, Notice: "国务院办公厅关于2027年部分节假日安排的通知",
	Holidays: []calendar.Period{{Name: "元旦", From: "2027-01-01", To: "2027-01-03"}, {Name: "春节", From: "2027-02-06", To: "2027-02-14"}},
	Workdays: []calendar.AdjustedDay{{Date: "2027-02-20", Name: "春节"}}}

var (
	departments   = []county.Department{{Name: "县民政局", Phone: "0851-1234567", Address: "县政府大楼三楼", Hours: "工作日 8:30–17:30"}, {Name: "县人社局", Phone: "0851-7654321"}}
	announcements = []county.Announcement{
		{Title: "元旦放假安排", Body: "1月1日至3日放假。", PublishedAt: storetest.Epoch.Add(-time.Hour)},
		{Title: "已过期的通知", Body: "旧事。", PublishedAt: storetest.Epoch.Add(-48 * time.Hour), Until: ptr(storetest.Epoch.Add(-24 * time.Hour))},
	}
)

func ptr[T any](v T) *T { return &v }

func addOne(t *testing.T, cal *calendar.Service, from string) string {
	t.Helper()
	d, err := calendar.ParseDate(from)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cal.AddWorkingDays(context.Background(), d, 1)
	if err != nil {
		t.Fatal(err)
	}
	return calendar.FormatDate(got)
}

func TestPull_AppliesEveryKindWithItsCursor(t *testing.T) {
	c := startCounty(t)
	s := newPullingSite(t, c)
	ctx := context.Background()
	if got := addOne(t, s.cal, "2026-12-31"); got != "2027-01-01" {
		t.Fatalf("before the pull 2027 is weekends only, so the next working day is 2027-01-01; got %s", got)
	}
	c.publish(t, county.DatasetCatalog, 1, countyCatalog(t, "县-2026-12"))
	c.publish(t, county.DatasetHolidays, 1, []calendar.Arrangement{arrangement2027})
	c.publish(t, county.DatasetDepartments, 1, departments)
	c.publish(t, county.DatasetAnnouncements, 1, announcements)
	sub := s.bus.Subscribe(64)
	defer sub.Close()

	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}

	t.Run("the catalog is the county's, sourced county", func(t *testing.T) {
		m := s.cat.Meta()
		it, _ := s.cat.Item(countyCatalog(t, "").Items[0].Code)
		if m.Source != catalog.SourceCounty || m.Version != "县-2026-12" || !strings.HasPrefix(it.Name, "（县平台）") {
			t.Fatalf("meta %+v, first item %q", m, it.Name)
		}
	})
	t.Run("2027 holidays replace the weekends-only fallback", func(t *testing.T) {
		if got := addOne(t, s.cal, "2026-12-31"); got != "2027-01-04" {
			t.Fatalf("one working day after 2026-12-31 is %s, want 2027-01-04", got)
		}
		a, err := s.cal.Arrangement(ctx, 2027)
		if err != nil || a.Source != calendar.SourceCounty {
			t.Fatalf("2027: %+v %v", a, err)
		}
	})
	t.Run("departments and the announcements in force are kept", func(t *testing.T) {
		deps, err := s.sync.Departments(ctx)
		if err != nil || len(deps) != 2 || deps[0] != departments[0] || deps[1].Name != "县人社局" {
			t.Fatalf("departments %+v %v", deps, err)
		}
		ann, err := s.sync.Announcements(ctx)
		if err != nil || len(ann) != 1 || ann[0].Title != "元旦放假安排" || !ann[0].PublishedAt.Equal(announcements[0].PublishedAt) {
			t.Fatalf("announcements %+v %v", ann, err)
		}
	})
	t.Run("each kind's cursor, status and audit line", func(t *testing.T) {
		st := s.status(t)
		if len(st.Datasets) != 4 || len(st.UpgradeNeeded) != 0 || st.LastError != "" || !st.Online {
			t.Fatalf("status %+v", st)
		}
		for i, kind := range county.DatasetKinds {
			if st.Datasets[i].Kind != kind || st.Datasets[i].Version != 1 || !st.Datasets[i].AppliedAt.Equal(storetest.Epoch) {
				t.Errorf("dataset %d: %+v", i, st.Datasets[i])
			}
		}
		lines := s.auditLines(t)
		if len(lines) != 4 || !strings.Contains(lines[0], "节假日安排第1版") || !strings.Contains(lines[0], "2027") {
			t.Fatalf("audit %q", lines)
		}
	})
	t.Run("open pages hear of each change", func(t *testing.T) {
		seen := map[string]bool{}
		for len(sub.C) > 0 {
			e := <-sub.C
			seen[e.Type] = true
		}
		for _, want := range []string{calendar.Changed, catalog.Changed, countysync.DataChanged} {
			if !seen[want] {
				t.Errorf("no %s event; heard %v", want, seen)
			}
		}
	})
	t.Run("pulling again changes nothing", func(t *testing.T) {
		s.clock.Advance(time.Hour)
		if err := s.sync.Push(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(s.auditLines(t)); n != 4 {
			t.Fatalf("%d audit lines after a re-pull, want 4", n)
		}
		if st := s.status(t); !st.Datasets[0].AppliedAt.Equal(storetest.Epoch) {
			t.Fatalf("re-pull moved the cursor: %+v", st.Datasets)
		}
	})
	t.Run("a new holidays version stores only the years that changed", func(t *testing.T) {
		a2028 := calendar.Arrangement{Year: 2028, Notice: "2028年安排", Holidays: []calendar.Period{{Name: "元旦", From: "2028-01-01", To: "2028-01-01"}}}
		c.publish(t, county.DatasetHolidays, 1, []calendar.Arrangement{arrangement2027, a2028})
		var before int
		_ = s.db.Read().QueryRow(`SELECT version FROM holiday_arrangement WHERE year = 2027`).Scan(&before)
		if err := s.sync.Push(ctx); err != nil {
			t.Fatal(err)
		}
		var after int
		_ = s.db.Read().QueryRow(`SELECT version FROM holiday_arrangement WHERE year = 2027`).Scan(&after)
		lines := s.auditLines(t)
		if after != before || s.applied(t, county.DatasetHolidays) != 2 || !strings.Contains(lines[len(lines)-1], "更新2028年") {
			t.Fatalf("2027 row version %d → %d, audit %q", before, after, lines[len(lines)-1])
		}
	})
}

func TestPull_CatalogKeepsTheSiteNotes(t *testing.T) {
	c := startCounty(t)
	s := newPullingSite(t, c)
	ctx := context.Background()
	code := countyCatalog(t, "").Items[1].Code
	if _, err := s.cat.SetNote(ctx, siteAdmin, code, "本中心周三下午不办理此事项"); err != nil {
		t.Fatal(err)
	}
	c.publish(t, county.DatasetCatalog, 1, countyCatalog(t, "县-1"))
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	g, err := s.cat.Guide(ctx, code)
	if err != nil || s.cat.Meta().Version != "县-1" || g.LocalNote != "本中心周三下午不办理此事项" {
		t.Fatalf("after the county's catalog: version %s, note %q, %v", s.cat.Meta().Version, g.LocalNote, err)
	}
}

func TestPull_CountyArrangementWinsOverALocalImport(t *testing.T) {
	c := startCounty(t)
	s := newPullingSite(t, c)
	ctx := context.Background()
	local := calendar.Arrangement{Year: 2027, Notice: "本站自行录入", Holidays: []calendar.Period{{Name: "元旦", From: "2027-01-01", To: "2027-01-01"}}}
	if _, err := s.cal.ImportArrangement(ctx, siteAdmin, local); err != nil {
		t.Fatal(err)
	}
	c.publish(t, county.DatasetHolidays, 1, []calendar.Arrangement{arrangement2027})
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := s.cal.Arrangement(ctx, 2027)
	if err != nil || a.Source != calendar.SourceCounty || a.Notice != arrangement2027.Notice {
		t.Fatalf("2027 after the pull: %+v %v", a, err)
	}
	lines := s.auditLines(t)
	if len(lines) != 1 || !strings.Contains(lines[0], "取代本站自行导入的2027年安排") {
		t.Fatalf("audit %q", lines)
	}
}

func TestPull_CutMidDownloadKeepsTheLastCompleteCopy(t *testing.T) {
	c := startCounty(t)
	s := newPullingSite(t, c)
	ctx := context.Background()
	p := startProxy(t, c.srv.Listener.Addr().String())
	s.cfg.County = "https://" + p.addr()
	rewriteConfig(t, s.site)
	s.restart()
	c.publish(t, county.DatasetCatalog, 1, countyCatalog(t, "县-1"))
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	v2 := c.publish(t, county.DatasetCatalog, 1, countyCatalog(t, "县-2"))
	if v2.Size < 40000 {
		t.Fatalf("the catalog is %d bytes; the cut below needs it longer than 40000", v2.Size)
	}

	// The handshake, the push's answer and the list take a few KB; the
	// link drops 20000 bytes in, inside the catalog's body.
	p.cutDownAfter.Store(20000)
	s.restart()
	err := s.sync.Push(ctx)
	if err == nil {
		t.Fatal("a pull cut mid-download reported success")
	}
	if !s.status(t).Online {
		t.Fatalf("the push failed (%v); the cut must fall in the pull", err)
	}
	if m := s.cat.Meta(); m.Version != "县-1" || s.applied(t, county.DatasetCatalog) != 1 {
		t.Fatalf("after the cut: catalog %s, cursor %d; want version 1 whole", m.Version, s.applied(t, county.DatasetCatalog))
	}
	var items int
	_ = s.db.Read().QueryRow(`SELECT count(*) FROM catalog_item`).Scan(&items)
	if items != len(countyCatalog(t, "").Items) {
		t.Fatalf("%d items stored after the cut", items)
	}

	p.cutDownAfter.Store(0)
	s.restart()
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if m := s.cat.Meta(); m.Version != "县-2" || s.applied(t, county.DatasetCatalog) != 2 {
		t.Fatalf("the next pull: catalog %s, cursor %d", m.Version, s.applied(t, county.DatasetCatalog))
	}
}

func TestPull_CancelledAfterTheDownloadAppliesNothing(t *testing.T) {
	c := startCounty(t)
	s := newPullingSite(t, c)
	c.publish(t, county.DatasetCatalog, 1, countyCatalog(t, "县-1"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// While the county answers the download, the site's writer is busy with
	// another write; once the answer is out, the site stops (its context
	// ends), so the dataset reaches the site and never its database.
	release := make(chan struct{})
	busy := make(chan struct{})
	wrote := make(chan error, 1)
	around := func(serve func()) {
		go func() {
			wrote <- s.db.Write(context.Background(), func(*store.Tx) error { close(busy); <-release; return nil })
		}()
		<-busy
		serve()
		cancel()
	}
	c.aroundDownload.Store(&around)
	err := s.sync.Push(ctx)
	close(release)
	if err == nil {
		t.Fatal("a pull whose context ended reported success")
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if m := s.cat.Meta(); m.Source != catalog.SourceBuiltin || s.applied(t, county.DatasetCatalog) != 0 || len(s.auditLines(t)) != 0 {
		t.Fatalf("after the cancel: catalog %+v, cursor %d", m, s.applied(t, county.DatasetCatalog))
	}

	c.aroundDownload.Store(nil)
	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.cat.Meta().Version != "县-1" || s.applied(t, county.DatasetCatalog) != 1 {
		t.Fatalf("the next pull: %+v", s.cat.Meta())
	}
}

func TestPull_ChecksumMismatchAppliesNothing(t *testing.T) {
	c := startCounty(t)
	s := newPullingSite(t, c)
	ctx := context.Background()
	c.publish(t, county.DatasetDepartments, 1, departments)
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(c.dir, county.FileName)+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE dataset SET payload = ? WHERE kind = 'departments'`, []byte(`[{"name":"冒名部门","phone":"110"}]`)); err != nil {
		t.Fatal(err)
	}

	for try := 1; try <= 2; try++ {
		err := s.sync.Push(ctx)
		if err == nil || !strings.Contains(err.Error(), "校验和不符") {
			t.Fatalf("try %d: %v, want a checksum refusal", try, err)
		}
		deps, _ := s.sync.Departments(ctx)
		if len(deps) != 0 || s.applied(t, county.DatasetDepartments) != 0 || len(s.auditLines(t)) != 0 {
			t.Fatalf("try %d applied %+v", try, deps)
		}
		if st := s.status(t); !strings.Contains(st.LastError, "校验和不符") || !st.Online {
			t.Fatalf("status %+v", st)
		}
	}

	t.Run("the retry loop leaves a damaged version to the next minute's job", func(t *testing.T) {
		var downloads atomic.Int32
		count := func(serve func()) { downloads.Add(1); serve() }
		c.aroundDownload.Store(&count)
		defer c.aroundDownload.Store(nil)
		s.sync.Idle, s.sync.BackoffBase, s.sync.BackoffMax = time.Hour, 5*time.Millisecond, 10*time.Millisecond
		loop, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); s.sync.Run(loop) }()
		waitFor(t, 5*time.Second, "the loop's first pull", func() bool { return downloads.Load() > 0 })
		time.Sleep(300 * time.Millisecond)
		stop()
		<-done
		if n := downloads.Load(); n != 1 {
			t.Fatalf("%d downloads of the damaged version in 300 ms, want 1", n)
		}
	})

	c.publish(t, county.DatasetDepartments, 1, departments)
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if deps, _ := s.sync.Departments(ctx); len(deps) != 2 || s.applied(t, county.DatasetDepartments) != 2 || s.status(t).LastError != "" {
		t.Fatalf("after a sound version: %+v", deps)
	}
}

func TestPull_NewerSchemaIsNotApplied(t *testing.T) {
	c := startCounty(t)
	s := newPullingSite(t, c)
	ctx := context.Background()
	c.publish(t, county.DatasetCatalog, county.DatasetSchema+1, countyCatalog(t, "县-新格式"))
	c.publish(t, county.DatasetDepartments, 1, departments)
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	st := s.status(t)
	if s.cat.Meta().Source != catalog.SourceBuiltin || s.applied(t, county.DatasetCatalog) != 0 {
		t.Fatalf("catalog %+v applied from a newer schema", s.cat.Meta())
	}
	if len(st.UpgradeNeeded) != 1 || st.UpgradeNeeded[0] != county.DatasetCatalog ||
		!strings.Contains(st.LastError, "县平台数据集版本较新，请升级本程序") || !strings.Contains(st.LastError, "事项清单") {
		t.Fatalf("status %+v", st)
	}
	if s.applied(t, county.DatasetDepartments) != 1 {
		t.Fatal("a kind in this build's schema waited for the newer one")
	}
}
