package countysync_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"budayang/backend/clock"
	"budayang/backend/county"
	"budayang/backend/countysync"
	"budayang/backend/secret"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestEnroll_PinsTheCountyCertificate(t *testing.T) {
	c := startCounty(t)
	s := enrolledSite(t, c)

	t.Run("the full fingerprint is pinned and the credential kept 0600 outside the database", func(t *testing.T) {
		if s.cfg.Fingerprint != hex.EncodeToString(c.svc.Fingerprint) {
			t.Fatalf("pinned %s, county is %x", s.cfg.Fingerprint, c.svc.Fingerprint)
		}
		for _, f := range []string{countysync.ConfigFile, countysync.CredentialFile} {
			st, err := os.Stat(filepath.Join(s.dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v, want 0600", f, st.Mode().Perm())
			}
		}
		cred, err := secret.LoadCredential(filepath.Join(s.dir, countysync.CredentialFile))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(s.db.Path())
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, cred) {
			t.Fatal("the site credential is inside the database file")
		}
	})
	t.Run("a code is used once", func(t *testing.T) {
		code := c.code(t, c.srv.Listener.Addr().String())
		if _, err := newSite(t).sync.Enroll(context.Background(), c.url(), code); err != nil {
			t.Fatal(err)
		}
		_, err := newSite(t).sync.Enroll(context.Background(), c.url(), code)
		if err == nil || !strings.Contains(err.Error(), "用过") {
			t.Fatalf("second use of a code: %v", err)
		}
	})
	t.Run("a county whose certificate is not the code's is refused at enrolment", func(t *testing.T) {
		other := startCounty(t)
		code := c.code(t, c.srv.Listener.Addr().String())
		_, err := newSite(t).sync.Enroll(context.Background(), other.url(), code)
		if err == nil || !strings.Contains(err.Error(), county.ShortFingerprint(other.svc.Fingerprint)) ||
			!strings.Contains(err.Error(), county.ShortFingerprint(c.svc.Fingerprint)) {
			t.Fatalf("enrol at an impostor: %v", err)
		}
	})
}

func TestPush_SwappedCountyCertificateRefused(t *testing.T) {
	c := startCounty(t)
	s := enrolledSite(t, c)
	pinned := c.svc.Fingerprint
	p := startProxy(t, c.srv.Listener.Addr().String())
	// The site talks through the proxy; the county then comes back on a
	// new key behind the same address.
	s.cfg.County = "https://" + p.addr()
	rewriteConfig(t, s)
	c.srv.Close()
	c.serve(t, t.TempDir())
	p.retarget(c.srv.Listener.Addr().String())
	s.sync = countysync.New(s.db, s.dir, s.clock, nil)
	s.write(t, 3, 3)

	err := s.sync.Push(context.Background())
	if err == nil {
		t.Fatal("push to a county with another certificate went through")
	}
	st, serr := s.sync.Status(context.Background())
	if serr != nil || st.Online || st.Stalled {
		t.Fatalf("status %+v %v, want offline, not stalled", st, serr)
	}
	for _, fp := range [][]byte{pinned, c.svc.Fingerprint} {
		if !strings.Contains(err.Error(), county.ShortFingerprint(fp)) {
			t.Errorf("refusal %q does not name %s", err, county.ShortFingerprint(fp))
		}
		if !strings.Contains(st.LastError, county.ShortFingerprint(fp)) {
			t.Errorf("status last_error %q does not name %s", st.LastError, county.ShortFingerprint(fp))
		}
	}
	if s.pending(t) != 3 {
		t.Fatalf("pending %d, want 3", s.pending(t))
	}
	// The county hears the refusal as the site's bad-certificate alert.
	waitFor(t, 5*time.Second, "the county audits the refused certificate", func() bool {
		log, err := c.store.AuditLog(context.Background(), 1)
		return err == nil && len(log) == 1 && log[0].Event == "tls_refused"
	})
}

func rewriteConfig(t *testing.T, s *site) {
	t.Helper()
	b, _ := json.Marshal(s.cfg)
	if err := os.WriteFile(filepath.Join(s.dir, countysync.ConfigFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// signedPush is a push as the site would sign it, for tampering with.
type signedPush struct {
	body    []byte
	headers http.Header
}

func makePush(t *testing.T, s *site, at time.Time) signedPush {
	t.Helper()
	cred, err := secret.LoadCredential(filepath.Join(s.dir, countysync.CredentialFile))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(county.PushRequest{Entries: []county.Entry{{Seq: 1, ID: "e-1", Kind: "ticket.issue", EntityID: "t-1", Payload: `{"n":1}`, CreatedAt: store.FormatTime(at)}}})
	nonce := strconv.FormatInt(at.UnixNano(), 16)
	h := http.Header{}
	h.Set(county.HeaderProtocol, strconv.Itoa(county.Protocol))
	h.Set(county.HeaderSite, s.cfg.SiteID)
	h.Set(county.HeaderTime, strconv.FormatInt(at.Unix(), 10))
	h.Set(county.HeaderNonce, nonce)
	h.Set(county.HeaderSignature, county.Sign(cred, "POST", "/county/v1/push", body, at.Unix(), nonce))
	return signedPush{body: body, headers: h}
}

func (c *countyUnderTest) send(t *testing.T, p signedPush) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", c.url()+"/county/v1/push", bytes.NewReader(p.body))
	req.Header = p.headers.Clone()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func TestCounty_RefusesForgedRequestsAndAuditsThem(t *testing.T) {
	c := startCounty(t)
	s := enrolledSite(t, c)
	now := c.clock.Now()

	t.Run("a genuine request is taken", func(t *testing.T) {
		if code, body := c.send(t, makePush(t, s, now)); code != 200 {
			t.Fatalf("genuine push: %d %s", code, body)
		}
	})
	cases := []struct {
		name   string
		make   func() signedPush
		status int
		event  string
	}{
		{"a replayed request", func() signedPush {
			p := makePush(t, s, now.Add(time.Second))
			c.send(t, p)
			return p
		}, 401, "replay"},
		{"an altered body", func() signedPush {
			p := makePush(t, s, now.Add(2*time.Second))
			p.body = bytes.Replace(p.body, []byte("ticket.issue"), []byte("ticket.burnt"), 1)
			return p
		}, 401, "bad_signature"},
		{"a time more than five minutes off", func() signedPush {
			return makePush(t, s, now.Add(-6*time.Minute))
		}, 401, "clock_skew"},
		{"an unknown site", func() signedPush {
			p := makePush(t, s, now.Add(3*time.Second))
			p.headers.Set(county.HeaderSite, "no-such-site")
			return p
		}, 401, "unknown_site"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := c.send(t, tc.make())
			if code != tc.status {
				t.Fatalf("answer %d %s, want %d", code, body, tc.status)
			}
			assertAudited(t, c, tc.event)
		})
	}
	t.Run("the skew is recorded even when refused", func(t *testing.T) {
		sites, _ := c.store.Sites(context.Background())
		if sites[0].SkewSeconds != -360 {
			t.Fatalf("skew %d, want -360", sites[0].SkewSeconds)
		}
	})
	t.Run("a revoked site is refused at once", func(t *testing.T) {
		if err := c.store.Revoke(context.Background(), s.cfg.SiteID, now); err != nil {
			t.Fatal(err)
		}
		code, body := c.send(t, makePush(t, s, now.Add(4*time.Second)))
		if code != 403 {
			t.Fatalf("revoked: %d %s", code, body)
		}
		assertAudited(t, c, "revoked")
		s.write(t, 1, 1)
		if err := s.sync.Push(context.Background()); err == nil || !strings.Contains(err.Error(), "停用") {
			t.Fatalf("the worker of a revoked site: %v", err)
		}
	})
}

func assertAudited(t *testing.T, c *countyUnderTest, event string) {
	t.Helper()
	log, err := c.store.AuditLog(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 || log[0].Event != event {
		t.Fatalf("last audit entry %+v, want %s", log, event)
	}
}

func TestCounty_ProtocolVersionSkewNamesTheSideToUpgrade(t *testing.T) {
	c := startCounty(t)
	s := enrolledSite(t, c)
	for _, tc := range []struct {
		version string
		want    string
	}{
		{strconv.Itoa(county.Protocol + 1), "请升级县平台"},
		{"0", "请升级站点"},
		{"", "请升级站点"},
	} {
		t.Run("version "+tc.version, func(t *testing.T) {
			p := makePush(t, s, c.clock.Now())
			p.headers.Set(county.HeaderProtocol, tc.version)
			code, body := c.send(t, p)
			if code != http.StatusUpgradeRequired || !strings.Contains(body, tc.want) {
				t.Fatalf("answer %d %s, want 426 saying %s", code, body, tc.want)
			}
		})
	}
}

func TestPush_CountyHoldsEachRecordOnceAtItsLatestVersion(t *testing.T) {
	c := startCounty(t)
	s := enrolledSite(t, c)
	s.write(t, 1203, 400)
	want := s.expected(t)

	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertCountyHolds(t, c, s, want, 1203)
	if n := s.pending(t); n != 0 {
		t.Fatalf("pending %d after push", n)
	}
	st, _ := s.sync.Status(context.Background())
	if !st.Online || st.LastSuccessAt == nil || st.LastError != "" || st.Protocol != county.Protocol {
		t.Fatalf("status %+v", st)
	}
}

func assertCountyHolds(t *testing.T, c *countyUnderTest, s *site, want map[string]int, changes int) {
	t.Helper()
	got := c.records(t, s.cfg.SiteID)
	if len(got) != len(want) {
		t.Fatalf("county holds %d records, want %d", len(got), len(want))
	}
	for k, change := range want {
		var data struct{ Change int }
		b, _ := json.Marshal(got[k].Data)
		_ = json.Unmarshal(b, &data)
		if data.Change != change {
			t.Fatalf("%s at change %d, want %d", k, data.Change, change)
		}
	}
	if n := c.historyCount(t, s.cfg.SiteID); n != changes {
		t.Fatalf("county applied %d changes, want %d (none lost, none twice)", n, changes)
	}
}

func TestPush_ReplyLostAfterCommitThenRetryChangesNothing(t *testing.T) {
	c := startCounty(t)
	s := enrolledSite(t, c)
	s.sync.Batch = 100
	s.write(t, 250, 90)
	want := s.expected(t)

	c.dropReplyOf(1)
	if err := s.sync.Push(context.Background()); err == nil {
		t.Fatal("push whose reply was lost reported success")
	}
	if n := s.pending(t); n != 250 {
		t.Fatalf("pending %d after a lost reply, want 250 (nothing marked without an acknowledgement)", n)
	}
	if n := c.historyCount(t, s.cfg.SiteID); n != 100 {
		t.Fatalf("county committed %d changes before the reply was lost, want 100", n)
	}
	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertCountyHolds(t, c, s, want, 250)
}

func TestPush_SiteRestartedMidPushLosesAndDoublesNothing(t *testing.T) {
	c := startCounty(t)
	clk := clock.NewFixed(storetest.Epoch)
	path := filepath.Join(t.TempDir(), store.FileName)
	db, err := store.Open(context.Background(), path, clk)
	if err != nil {
		t.Fatal(err)
	}
	s := &site{db: db, clock: clk, dir: filepath.Dir(path), sync: countysync.New(db, filepath.Dir(path), clk, nil)}
	if s.cfg, err = s.sync.Enroll(context.Background(), c.url(), c.code(t, c.srv.Listener.Addr().String())); err != nil {
		t.Fatal(err)
	}
	s.sync.Batch = 100
	s.write(t, 300, 120)
	want := s.expected(t)

	// The county commits the second batch, and the site dies before the
	// answer arrives: its database file is closed as it stands and opened
	// again by a new process's worker.
	c.dropReplyOf(2)
	if err := s.sync.Push(context.Background()); err == nil {
		t.Fatal("push whose second reply was lost reported success")
	}
	if n := s.pending(t); n != 200 {
		t.Fatalf("pending %d, want 200: the first batch acknowledged, the second not", n)
	}
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(context.Background(), path, s.clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s.db = db
	s.sync = countysync.New(db, s.dir, s.clock, nil)
	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertCountyHolds(t, c, s, want, 300)
}

func TestPush_RejectedRecordGoesToDeadLettersWithoutBlocking(t *testing.T) {
	c := startCounty(t)
	s := enrolledSite(t, c)
	s.write(t, 2, 2)
	err := s.db.Write(context.Background(), func(tx *store.Tx) error {
		return tx.Outbox(context.Background(), "ticket.issue", "t-bad", map[string]any{"id_number": "110101199003071234"})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.write(t, 2, 2)
	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, _ := s.sync.Status(context.Background())
	if st.Pending != 0 || st.Dead != 1 {
		t.Fatalf("status %+v, want nothing pending and one dead", st)
	}
	dead, err := s.sync.DeadList(context.Background())
	if err != nil || len(dead) != 1 || dead[0].EntityID != "t-bad" || !strings.Contains(dead[0].Reason, "身份证号") {
		t.Fatalf("dead letters %+v %v", dead, err)
	}
	raw, _ := os.ReadFile(filepath.Join(c.dir, county.FileName))
	if bytes.Contains(raw, []byte("110101199003071234")) {
		t.Fatal("the county database holds a full ID number")
	}
	if n := c.historyCount(t, s.cfg.SiteID); n != 4 {
		t.Fatalf("county applied %d changes, want the 4 around the refused one", n)
	}
}

func TestRun_BacksOffWhileTheCountyIsDownAndDrainsSoonAfterItHeals(t *testing.T) {
	c := startCounty(t)
	p := startProxy(t, c.srv.Listener.Addr().String())
	s := newSite(t)
	cfg, err := s.sync.Enroll(context.Background(), "https://"+p.addr(), c.code(t, p.addr()))
	if err != nil {
		t.Fatal(err)
	}
	s.cfg = cfg
	s.sync.BackoffBase, s.sync.BackoffMax, s.sync.Idle = 50*time.Millisecond, 2*time.Second, time.Hour
	p.setUp(false)
	s.write(t, 40, 10)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.sync.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	waitFor(t, 5*time.Second, "the worker reports the county unreachable", func() bool {
		st, _ := s.sync.Status(context.Background())
		return st.LastError != "" && !st.Online
	})
	time.Sleep(2500 * time.Millisecond) // backoff grows to its cap
	if n := s.pending(t); n != 40 {
		t.Fatalf("pending %d while the county is down", n)
	}
	p.setUp(true)
	took := waitFor(t, 10*time.Second, "the outbox drains after the link heals", func() bool { return s.pending(t) == 0 })
	t.Logf("drained %s after the link healed", took)
	st, _ := s.sync.Status(context.Background())
	if !st.Online || st.LastError != "" {
		t.Fatalf("status after healing %+v", st)
	}
}

func TestPush_ConnectionResetMidBatchThenRetryDeliversEachOnce(t *testing.T) {
	c := startCounty(t)
	p := startProxy(t, c.srv.Listener.Addr().String())
	s := newSite(t)
	cfg, err := s.sync.Enroll(context.Background(), "https://"+p.addr(), c.code(t, p.addr()))
	if err != nil {
		t.Fatal(err)
	}
	s.cfg = cfg
	err = s.db.Write(context.Background(), func(tx *store.Tx) error {
		for i := 0; i < 600; i++ {
			id := "t-" + strconv.Itoa(i%250)
			if err := tx.Outbox(context.Background(), "ticket.issue", id, map[string]any{"change": i, "pad": strings.Repeat("字", 300)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := s.expected(t)

	p.cutAfter.Store(200 << 10) // the first batch is about 500 KB
	if err := s.sync.Push(context.Background()); err == nil {
		t.Fatal("push over a link reset mid-batch reported success")
	}
	if n := s.pending(t); n != 600 {
		t.Fatalf("pending %d after a reset, want 600", n)
	}
	if n := c.historyCount(t, s.cfg.SiteID); n != 0 {
		t.Fatalf("county applied %d changes of a batch it never received whole", n)
	}
	p.cutAfter.Store(0)
	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertCountyHolds(t, c, s, want, 600)
}

func TestPush_SiteClockSetBackADayStillSyncsInOrder(t *testing.T) {
	c := startCounty(t)
	s := enrolledSite(t, c)
	s.write(t, 4, 2)
	s.clock.Set(s.clock.Now().Add(-24 * time.Hour))
	s.write(t, 6, 3)
	want := s.expected(t)

	if err := s.sync.Push(context.Background()); err != nil {
		t.Fatalf("push from a clock a day behind: %v", err)
	}
	assertCountyHolds(t, c, s, want, 10)
	sites, _ := c.store.Sites(context.Background())
	if sites[0].SkewSeconds != -86400 {
		t.Fatalf("skew recorded %d, want -86400", sites[0].SkewSeconds)
	}
	assertAudited(t, c, "clock_skew") // the first try, refused and audited, taught the site the offset
}
