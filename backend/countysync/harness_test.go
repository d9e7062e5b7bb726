package countysync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"budayang/backend/clock"
	"budayang/backend/county"
	"budayang/backend/countysync"
	"budayang/backend/hall"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// countyUnderTest is a real county server over loopback TLS with its own
// SQLite file. dropAt, when set, makes the reply to that push of entries
// (counting from 1; the empty batch that opens every Push is not counted)
// vanish after the county committed: the handler runs, then the
// connection is closed before a byte of the answer is written.
type countyUnderTest struct {
	svc    *county.Service
	store  *county.SQLiteStore
	srv    *httptest.Server
	dir    string
	pushes atomic.Int32
	dropAt atomic.Int32
	clock  *clock.Fixed
	// hold, when set, makes every push of entries wait after the county committed
	// until the client goes away, telling committed first.
	hold      atomic.Bool
	committed chan struct{}
	// aroundDownload, when set, serves each dataset download: serve writes
	// and flushes the county's answer.
	aroundDownload atomic.Pointer[func(serve func())]
	// failWith, when set, answers every push of entries with that HTTP
	// status without applying it: a county that answers but takes nothing.
	failWith atomic.Int32
	// asked counts the questions about missing entries.
	asked atomic.Int32
}

func startCounty(t *testing.T) *countyUnderTest {
	t.Helper()
	dir := t.TempDir()
	st, err := county.OpenSQLite(context.Background(), filepath.Join(dir, county.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &countyUnderTest{store: st, dir: dir, clock: clock.NewFixed(storetest.Epoch), committed: make(chan struct{}, 16)}
	c.svc = &county.Service{Store: st, Clock: c.clock}
	c.serve(t, dir)
	if err := c.svc.SetAdminPassword(context.Background(), "county-pass-1"); err != nil {
		t.Fatal(err)
	}
	return c
}

// serve (re)starts the HTTPS listener with the identity kept in idDir.
func (c *countyUnderTest) serve(t *testing.T, idDir string) {
	t.Helper()
	id, err := hall.LoadIdentity(idDir)
	if err != nil {
		t.Fatal(err)
	}
	c.svc.Fingerprint = id.Fingerprint
	h := c.svc.Handler()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/county/v1/missing" {
			c.asked.Add(1)
		}
		batch := r.URL.Path == "/county/v1/push" && r.ContentLength > emptyPush
		if batch && c.pushes.Add(1) == c.dropAt.Load() {
			h.ServeHTTP(httptest.NewRecorder(), r) // committed, answer discarded
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		if code := int(c.failWith.Load()); batch && code != 0 {
			http.Error(w, `{"error":"县平台暂时无法处理。"}`, code)
			return
		}
		if batch && c.hold.Load() {
			h.ServeHTTP(httptest.NewRecorder(), r)
			c.committed <- struct{}{}
			<-r.Context().Done()
			return
		}
		if f := c.aroundDownload.Load(); f != nil && strings.HasPrefix(r.URL.Path, "/county/v1/datasets/") {
			(*f)(func() {
				h.ServeHTTP(w, r)
				w.(http.Flusher).Flush()
			})
			return
		}
		h.ServeHTTP(w, r)
	}))
	srv.TLS = id.TLSConfig()
	srv.Config.ErrorLog = c.svc.HandshakeLog() // audits a site refusing the certificate
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c.srv = srv
}

// emptyPush is more than the body of a push without entries.
const emptyPush = 100

// dropReplyOf loses the reply to the k-th push from now.
func (c *countyUnderTest) dropReplyOf(k int32) { c.dropAt.Store(c.pushes.Load() + k) }

func (c *countyUnderTest) code(t *testing.T, addr string) string {
	t.Helper()
	code, err := c.svc.NewSite(context.Background(), "青山镇便民服务中心", "town", addr)
	if err != nil {
		t.Fatal(err)
	}
	return code.String()
}

func (c *countyUnderTest) url() string { return c.srv.URL }

// records reads every record of every site through the staff read API.
func (c *countyUnderTest) records(t *testing.T, siteID string) map[string]county.Record {
	t.Helper()
	token, _, err := c.svc.Login(context.Background(), county.AdminLogin, "county-pass-1")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]county.Record{}
	after := ""
	for {
		req := httptest.NewRequest("GET", "/api/v1/county/sites/"+siteID+"/records?limit=300&after="+after, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		c.svc.Handler().ServeHTTP(w, req)
		if w.Code != 200 {
			t.Fatalf("records: %d %s", w.Code, w.Body)
		}
		var page struct {
			Records []county.Record `json:"records"`
			Next    *string         `json:"next"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Records {
			k := r.Kind + "/" + r.ID
			if _, dup := out[k]; dup {
				t.Fatalf("record %s listed twice", k)
			}
			out[k] = r
		}
		if page.Next == nil {
			return out
		}
		after = *page.Next
	}
}

// historyCount is how many changes the county applied for a site.
func (c *countyUnderTest) historyCount(t *testing.T, siteID string) int {
	t.Helper()
	var n int
	db := openRaw(t, filepath.Join(c.dir, county.FileName))
	if err := db.QueryRow(`SELECT count(*) FROM record_history WHERE site_id = ?`, siteID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// site is an enrolled site: its database file and sync worker.
type site struct {
	db    *store.DB
	clock *clock.Fixed
	dir   string
	sync  *countysync.Syncer
	cfg   *countysync.Config
}

func newSite(t *testing.T) *site {
	t.Helper()
	db, clk := storetest.MustOpen(t)
	dir := filepath.Dir(db.Path())
	s := &site{db: db, clock: clk, dir: dir, sync: countysync.New(db, dir, clk, nil)}
	return s
}

func enrolledSite(t *testing.T, c *countyUnderTest) *site {
	t.Helper()
	s := newSite(t)
	cfg, err := s.sync.Enroll(context.Background(), c.url(), c.code(t, c.srv.Listener.Addr().String()))
	if err != nil {
		t.Fatalf("enroll: %v", err)
	}
	s.cfg = cfg
	return s
}

// write appends outbox rows as the services do: n changes spread over
// entities distinct entities of kind ticket.
func (s *site) write(t *testing.T, n, entities int) {
	t.Helper()
	err := s.db.Write(context.Background(), func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("t-%04d", i%entities)
			if err := tx.Outbox(context.Background(), "ticket.issue", id, map[string]any{"number": id, "change": i}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// expected is what the county must hold after the outbox drained: each
// entity at its last change.
func (s *site) expected(t *testing.T) map[string]int {
	t.Helper()
	rows, err := s.db.Read().Query(`SELECT entity_id, payload FROM outbox ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id, payload string
		if err := rows.Scan(&id, &payload); err != nil {
			t.Fatal(err)
		}
		var p struct{ Change int }
		_ = json.Unmarshal([]byte(payload), &p)
		out["ticket/"+id] = p.Change
	}
	return out
}

func (s *site) pending(t *testing.T) int {
	t.Helper()
	st, err := s.sync.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Pending
}

// proxy is a loopback TCP relay that can be taken down (every connection
// refused at once) and brought back, standing in for a township link.
type proxy struct {
	ln net.Listener
	up atomic.Bool
	// cutAfter, when positive, resets a connection once that many bytes
	// went from the site towards the county: a link dropping mid-batch.
	cutAfter atomic.Int64
	// cutDownAfter, when positive, resets a connection once that many
	// bytes went from the county towards the site: a download cut midway.
	cutDownAfter atomic.Int64
	// latency delays every byte by that many nanoseconds in each
	// direction; rate, when positive, lets each direction carry only that
	// many bytes a second: a slow, narrow township link.
	latency atomic.Int64
	rate    atomic.Int64
	to      string
	mu      sync.Mutex
	open    []net.Conn
}

func startProxy(t *testing.T, to string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, to: to}
	p.up.Store(true)
	t.Cleanup(func() { ln.Close(); p.setUp(false) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if !p.up.Load() {
				c.Close()
				continue
			}
			go p.relay(c)
		}
	}()
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

// retarget points the proxy at another county address.
func (p *proxy) retarget(to string) {
	p.mu.Lock()
	p.to = to
	p.mu.Unlock()
}

func (p *proxy) relay(c net.Conn) {
	p.mu.Lock()
	to := p.to
	p.mu.Unlock()
	s, err := net.Dial("tcp", to)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.open = append(p.open, c, s)
	p.mu.Unlock()
	go func() {
		var up io.Writer = s
		if n := p.cutAfter.Load(); n > 0 {
			up = &cutter{w: s, left: n, conns: []net.Conn{c, s}}
		}
		p.pipe(up, c)
		s.Close()
	}()
	var down io.Writer = c
	if n := p.cutDownAfter.Load(); n > 0 {
		down = &cutter{w: c, left: n, conns: []net.Conn{c, s}}
	}
	p.pipe(down, s)
	c.Close()
}

// pipe copies src to dst as the link would carry it: each chunk leaves
// latency after it came in, and no faster than rate.
func (p *proxy) pipe(dst io.Writer, src io.Reader) {
	latency, rate := time.Duration(p.latency.Load()), p.rate.Load()
	if latency == 0 && rate == 0 {
		io.Copy(dst, src)
		return
	}
	type chunk struct {
		b  []byte
		at time.Time
	}
	in := make(chan chunk, 4096)
	go func() {
		defer close(in)
		buf := make([]byte, 2048) // small reads keep the rate smooth
		for {
			n, err := src.Read(buf)
			if n > 0 {
				in <- chunk{append([]byte(nil), buf[:n]...), time.Now().Add(latency)}
			}
			if err != nil {
				return
			}
		}
	}()
	broken := false
	for c := range in {
		if broken {
			continue // drain, so the reader ends when its side closes
		}
		time.Sleep(time.Until(c.at))
		if _, err := dst.Write(c.b); err != nil {
			broken = true
			if cl, ok := dst.(io.Closer); ok {
				cl.Close()
			}
			continue
		}
		if rate > 0 {
			time.Sleep(time.Duration(len(c.b)) * time.Second / time.Duration(rate))
		}
	}
}

// setUp brings the link up or down; down also cuts what is open.
func (p *proxy) setUp(up bool) {
	p.up.Store(up)
	if !up {
		p.mu.Lock()
		for _, c := range p.open {
			c.Close()
		}
		p.open = nil
		p.mu.Unlock()
	}
}

func waitFor(t *testing.T, within time.Duration, what string, ok func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < within {
		if ok() {
			return time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s", what, within)
	return 0
}

// cutter passes bytes on until left runs out, then resets both ends.
type cutter struct {
	w     io.Writer
	left  int64
	conns []net.Conn
}

func (c *cutter) Write(b []byte) (int, error) {
	if int64(len(b)) > c.left {
		for _, conn := range c.conns {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) // RST, not FIN
			}
			conn.Close()
		}
		return 0, io.ErrClosedPipe
	}
	c.left -= int64(len(b))
	return c.w.Write(b)
}
