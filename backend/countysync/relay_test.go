package countysync_test

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/account"
	"budayang/backend/cases"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/county"
	"budayang/backend/countysync"
	"budayang/backend/hall"
	proxycase "budayang/backend/proxy"
	siteprofile "budayang/backend/site"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// relayChildEnv names the data directory a re-executed test binary opens
// as a whole site and pushes once (outbox, relay), to be killed midway.
const relayChildEnv = "BUDAYANG_TEST_RELAY_CHILD"

// relayChild is the killed site process.
func relayChild(dir string) int {
	c, err := core.Open(context.Background(), core.Options{DataDir: dir, Clock: clock.NewFixed(storetest.Epoch), PasswordCost: bcrypt.MinCost})
	if err != nil {
		return 3
	}
	_ = c.Sync.Push(context.Background())
	return 4
}

// The villager of the relay: a valid resident ID number and a mobile.
const (
	relayID    = "511725199003071232"
	relayPhone = "13812345678"
	relayName  = "张小三"
)

// relayFront is the county's HTTPS front for the relay tests: the real
// handler, and holdRelay, when set, makes a relay send that carries
// messages wait, after the county committed it, until the site goes away.
type relayFront struct {
	c         *countyUnderTest
	srv       *httptest.Server
	holdRelay atomic.Bool
	committed chan struct{}
}

func startRelayFront(t *testing.T, c *countyUnderTest) *relayFront {
	t.Helper()
	id, err := hall.LoadIdentity(c.dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &relayFront{c: c, committed: make(chan struct{}, 4)}
	h := c.svc.Handler()
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/county/v1/relay" && f.holdRelay.Load() {
			body, _ := io.ReadAll(r.Body)
			if bytes.Contains(body, []byte(`"messages":[{`)) {
				r.Body = io.NopCloser(bytes.NewReader(body))
				h.ServeHTTP(httptest.NewRecorder(), r)
				f.committed <- struct{}{}
				<-r.Context().Done()
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		h.ServeHTTP(w, r)
	}))
	f.srv.TLS = id.TLSConfig()
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f
}

// relaySite is a whole site (core) in its own data directory, reached by
// the county through its own link.
type relaySite struct {
	t    *testing.T
	dir  string
	core *core.Core
	link *proxy
}

func (s *relaySite) open() {
	s.t.Helper()
	c, err := core.Open(context.Background(), core.Options{DataDir: s.dir, Clock: clock.NewFixed(storetest.Epoch), PasswordCost: bcrypt.MinCost})
	if err != nil {
		s.t.Fatal(err)
	}
	s.core = c
}

func (s *relaySite) close() {
	s.t.Helper()
	if err := s.core.Close(); err != nil {
		s.t.Fatal(err)
	}
	s.core = nil
}

// newRelaySite sets up a site of kind, enrolled with the county through
// its own link, and returns it with a staff member of role signed in.
func newRelaySite(t *testing.T, f *relayFront, name, kind, login, person, role string) (*relaySite, account.Principal) {
	t.Helper()
	ctx := context.Background()
	s := &relaySite{t: t, dir: t.TempDir(), link: startProxy(t, f.srv.Listener.Addr().String())}
	s.open()
	t.Cleanup(func() {
		if s.core != nil {
			s.core.Close()
		}
	})
	if _, err := s.core.Setup(ctx, siteprofile.Profile{Name: name, Kind: kind, Population: 3000}, "Admin12345", 1); err != nil {
		t.Fatal(err)
	}
	code, err := f.c.svc.NewSite(ctx, name, kind, f.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.core.Sync.Enroll(ctx, "https://"+s.link.addr(), code.String()); err != nil {
		t.Fatalf("enroll %s: %v", name, err)
	}
	admin, err := s.core.Accounts.Login(ctx, account.AdminLogin, "Admin12345", "test")
	if err != nil {
		t.Fatal(err)
	}
	adminP := account.Principal{Staff: admin.Staff, Workstation: "test"}
	st, err := s.core.Accounts.Create(ctx, adminP, account.NewStaff{Login: login, Name: person, Role: role, Password: "Passw0rd123"})
	if err != nil {
		t.Fatal(err)
	}
	return s, account.Principal{Staff: st, Workstation: "test"}
}

func (s *relaySite) admin() account.Principal {
	s.t.Helper()
	sess, err := s.core.Accounts.Login(context.Background(), account.AdminLogin, "Admin12345", "test")
	if err != nil {
		s.t.Fatal(err)
	}
	return account.Principal{Staff: sess.Staff, Workstation: "test"}
}

func (s *relaySite) push() error { return s.core.Sync.Push(context.Background()) }

func (s *relaySite) mustPush() {
	s.t.Helper()
	if err := s.push(); err != nil {
		s.t.Fatalf("push: %v", err)
	}
}

func (s *relaySite) count(query string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.core.DB.Read().QueryRow(query, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// kill runs one push of the site in a child process and kills it (SIGKILL)
// once the county committed its relay send, before the site heard back.
func (s *relaySite) kill(f *relayFront) {
	s.t.Helper()
	s.close()
	f.holdRelay.Store(true)
	defer f.holdRelay.Store(false)
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), relayChildEnv+"="+s.dir)
	if err := child.Start(); err != nil {
		s.t.Fatal(err)
	}
	select {
	case <-f.committed:
	case <-time.After(30 * time.Second):
		child.Process.Kill()
		s.t.Fatal("the site process never reached the county's relay")
	}
	if err := child.Process.Kill(); err != nil {
		s.t.Fatal(err)
	}
	_ = child.Wait()
	s.open()
}

func TestRelay_ACaseTravelsFromTheVillageRoomToTheCentreAndItsStatusBack(t *testing.T) {
	ctx := context.Background()
	c := startCounty(t)
	f := startRelayFront(t, c)
	centre, clerk := newRelaySite(t, f, "青山镇便民服务中心", siteprofile.KindTown, "clerk1", "李窗口", account.RoleClerk)
	village, assistant := newRelaySite(t, f, "石桥村便民服务室", siteprofile.KindVillage, "zhao", "赵代办", account.RoleAssistant)
	countyDB := openRaw(t, filepath.Join(c.dir, county.FileName))
	countyCount := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := countyDB.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// The centre publishes its relay key with its first push; the village
	// room's administrator picks it from the county's list.
	centre.mustPush()
	village.mustPush()
	list, err := village.core.Sync.Centres(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "青山镇便民服务中心" {
		t.Fatalf("centres %+v %v, want the town centre alone", list, err)
	}
	if _, err := village.core.Proxy.SetCentre(ctx, village.admin(), list[0].ID, list[0].Name, list[0].PublicKey); err != nil {
		t.Fatal(err)
	}

	// The assistant opens the case, collects the materials and hands it
	// over while the centre is offline.
	p, err := village.core.Proxy.Open(ctx, assistant, proxycase.OpenRequest{ItemCode: "MZ-005", Name: relayName, IDNumber: relayID, Phone: relayPhone, Channel: "phone", Where: "石桥村便民服务室"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range p.Materials {
		if m.Required {
			i := m.Index
			if _, err := village.core.Proxy.SetMaterial(ctx, assistant, p.ID, proxycase.Tick{Index: &i, Collected: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, to := range []string{proxycase.MaterialsCollected, proxycase.HandedOver} {
		if _, err := village.core.Proxy.Transition(ctx, assistant, p.ID, proxycase.Move{To: to, Where: "石桥村便民服务室"}); err != nil {
			t.Fatalf("to %s: %v", to, err)
		}
	}
	centre.link.setUp(false)

	t.Run("the village room is killed after the county kept the case, and sends it again without doubling it", func(t *testing.T) {
		village.kill(f)
		if n := village.count(`SELECT count(*) FROM relay_out WHERE kind = 'case' AND sent_at IS NULL`); n != 1 {
			t.Fatalf("%d case messages unsent after the kill, want the 1 the county kept but the site never heard of", n)
		}
		village.mustPush()
		village.mustPush()
		if n := countyCount(`SELECT count(*) FROM relay_message WHERE kind = 'case'`); n != 1 {
			t.Fatalf("the county holds %d case messages, want 1", n)
		}
		if n := village.count(`SELECT count(*) FROM relay_out WHERE sent_at IS NULL`); n != 0 {
			t.Fatalf("%d messages still unsent", n)
		}
	})

	t.Run("the centre offline does not hear of it; back online it holds the case once", func(t *testing.T) {
		if err := centre.push(); err == nil {
			t.Fatal("the centre pushed through a link that is down")
		}
		if n := centre.count(`SELECT count(*) FROM proxy_inbound`); n != 0 {
			t.Fatalf("%d inbound cases while offline", n)
		}
		centre.link.setUp(true)
		centre.mustPush()
		centre.mustPush()
		if n := centre.count(`SELECT count(*) FROM proxy_inbound`); n != 1 {
			t.Fatalf("%d inbound cases, want 1", n)
		}
	})

	var inboundID string
	t.Run("the centre reads it in full, masked in its list, and accepts it into a window case", func(t *testing.T) {
		in, err := centre.core.Proxy.InboundList(ctx, clerk)
		if err != nil || len(in) != 1 || !in[0].Masked || in[0].IDNumber == relayID || in[0].State != proxycase.HandedOver || in[0].OriginName != "石桥村便民服务室" || in[0].OwnerName != "赵代办" {
			t.Fatalf("inbound list %+v %v", in, err)
		}
		inboundID = in[0].ID
		full, err := centre.core.Proxy.InboundGet(ctx, clerk, inboundID)
		if err != nil || full.IDNumber != relayID || full.Phone != relayPhone || full.CitizenName != relayName || len(full.Materials) == 0 {
			t.Fatalf("inbound in full %+v %v", full, err)
		}
		wc, err := centre.core.Cases.Open(ctx, clerk, cases.OpenRequest{ItemCode: full.ItemCode, Name: full.CitizenName, IDNumber: full.IDNumber, Phone: full.Phone})
		if err != nil {
			t.Fatal(err)
		}
		got, err := centre.core.Proxy.MoveInbound(ctx, clerk, inboundID, proxycase.Move{To: proxycase.Accepted, Where: "综合窗口1", WindowCaseID: wc.ID})
		if err != nil || got.State != proxycase.Accepted || got.WindowCaseNumber != wc.Number {
			t.Fatalf("accept: %+v %v", got, err)
		}
	})

	t.Run("the centre is killed after the county kept its status; the village room sees accepted once", func(t *testing.T) {
		centre.kill(f)
		if n := centre.count(`SELECT count(*) FROM relay_out WHERE kind = 'status' AND sent_at IS NULL`); n != 1 {
			t.Fatalf("%d status messages unsent after the kill, want the 1 the county kept but the centre never heard of", n)
		}
		centre.mustPush()
		village.mustPush()
		village.mustPush()
		got, err := village.core.Proxy.Get(ctx, assistant, p.ID)
		if err != nil || got.State != proxycase.Accepted || got.WindowCaseNumber == "" {
			t.Fatalf("village case %+v %v, want accepted with the window case number", got.State, err)
		}
		if n := countyCount(`SELECT count(*) FROM relay_message WHERE kind = 'status'`); n != 1 {
			t.Fatalf("the county holds %d status messages, want 1", n)
		}
	})

	t.Run("a site that is not the addressee cannot move the case: refused and audited on the county", func(t *testing.T) {
		other, _ := newRelaySite(t, f, "红岩乡便民服务中心", siteprofile.KindTownship, "clerk9", "周窗口", account.RoleClerk)
		vcfg, err := countysync.LoadConfig(village.dir)
		if err != nil {
			t.Fatal(err)
		}
		err = other.core.DB.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO relay_out (id, to_site, kind, case_id, body, created_at) VALUES ('forged-1', ?, 'status', ?, ?, ?)`,
				vcfg.SiteID, p.ID, `{"state":"result_ready","at":"2026-11-25T01:00:00Z","actor_name":"周窗口","where":"窗口"}`, store.FormatTime(tx.Now))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		other.mustPush()
		if n := other.count(`SELECT count(*) FROM relay_out WHERE id = 'forged-1' AND refused LIKE '%不是这个代办件的受理中心%'`); n != 1 {
			t.Fatal("the forged status was not refused by the county")
		}
		log, err := c.store.AuditLog(ctx, 50)
		if err != nil {
			t.Fatal(err)
		}
		audited := false
		for _, e := range log {
			audited = audited || (e.Event == "relay_refused" && strings.Contains(e.Detail, "forged-1"))
		}
		if !audited {
			t.Fatalf("the county audit log %+v has no relay_refused for the forged status", log)
		}
		village.mustPush()
		if got, err := village.core.Proxy.Get(ctx, assistant, p.ID); err != nil || got.State != proxycase.Accepted {
			t.Fatalf("village case %s %v after the forged status, want still accepted", got.State, err)
		}
	})

	t.Run("result ready at the centre reaches the assistant, who returns it locally", func(t *testing.T) {
		if _, err := centre.core.Proxy.MoveInbound(ctx, clerk, inboundID, proxycase.Move{To: proxycase.ResultReady, Where: "综合窗口1"}); err != nil {
			t.Fatal(err)
		}
		centre.mustPush()
		village.mustPush()
		got, err := village.core.Proxy.Get(ctx, assistant, p.ID)
		if err != nil || got.State != proxycase.ResultReady || got.StateName != "结果已出" {
			t.Fatalf("village case %s %v, want 结果已出", got.StateName, err)
		}
		if _, err := village.core.Proxy.Transition(ctx, assistant, p.ID, proxycase.Move{To: proxycase.Returned, Where: "张小三家中", ReturnMethod: proxycase.ReturnDelivery}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("nothing lost or doubled on any side", func(t *testing.T) {
		for range 2 {
			centre.mustPush()
			village.mustPush()
		}
		if n := countyCount(`SELECT count(*) FROM relay_message`); n != 3 {
			t.Errorf("the county holds %d relay messages, want 3: the case, accepted and result ready", n)
		}
		if n := village.count(`SELECT count(*) FROM proxy_event WHERE case_id = ? AND action = 'relay'`, p.ID); n != 2 {
			t.Errorf("the village room applied %d statuses, want 2", n)
		}
		if n := centre.count(`SELECT count(*) FROM proxy_inbound`); n != 1 {
			t.Errorf("the centre holds %d inbound cases, want 1", n)
		}
		if n := village.count(`SELECT count(*) FROM proxy_case`); n != 1 {
			t.Errorf("the village room holds %d cases, want 1", n)
		}
	})

	t.Run("the county keeps no personal data of the villager in clear", func(t *testing.T) {
		var body string
		if err := countyDB.QueryRow(`SELECT body FROM relay_message WHERE kind = 'case'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		var all []byte
		files, _ := filepath.Glob(filepath.Join(c.dir, county.FileName+"*"))
		for _, path := range files {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, raw...)
		}
		// The grep looks where the county wrote: the sealed case is there.
		if !bytes.Contains(all, []byte(body[:40])) {
			t.Fatal("the county's files do not hold the relayed case: the grep would prove nothing")
		}
		for _, secret := range []string{relayID, relayPhone, relayName} {
			if bytes.Contains(all, []byte(secret)) {
				t.Errorf("the county database holds %q in clear", secret)
			}
		}
	})
}
