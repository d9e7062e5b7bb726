package countysync_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"budayang/backend/county"
	"budayang/backend/countysync"
	"budayang/backend/secret"
	"budayang/backend/store"
)

// TestRun_DrainsABacklogOverASlowNarrowLink: 300 ms each way and 20 KB/s
// while a backlog of several batches drains: everything arrives, once.
func TestRun_DrainsABacklogOverASlowNarrowLink(t *testing.T) {
	c := startCounty(t)
	p := startProxy(t, c.srv.Listener.Addr().String())
	s := newSite(t)
	cfg, err := s.sync.Enroll(context.Background(), "https://"+p.addr(), c.code(t, p.addr()))
	if err != nil {
		t.Fatal(err)
	}
	s.cfg = cfg
	s.sync.Batch, s.sync.Idle = 40, time.Hour
	err = s.db.Write(context.Background(), func(tx *store.Tx) error {
		for i := 0; i < 160; i++ {
			id := "t-" + strconv.Itoa(i%70)
			if err := tx.Outbox(context.Background(), "ticket.issue", id, map[string]any{"change": i, "pad": strings.Repeat("x", 200)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := s.expected(t)
	p.latency.Store(int64(300 * time.Millisecond))
	p.rate.Store(20 << 10)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.sync.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	took := waitFor(t, 20*time.Second, "the backlog drains over the slow link", func() bool { return s.pending(t) == 0 })
	t.Logf("160 rows (about 50 KB) drained in %s at 300 ms each way and 20 KB/s", took)
	if took < time.Second {
		t.Fatalf("drained in %s: the link was not slowed", took)
	}
	assertCountyHolds(t, c, s, want, 160)
}

func TestCounty_RefusalsAreAudited(t *testing.T) {
	c := startCounty(t)
	s := enrolledSite(t, c)
	now := c.clock.Now()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	post := func(t *testing.T, path string, p signedPush) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", c.url()+path, bytes.NewReader(p.body))
		req.Header = p.headers.Clone()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}

	t.Run("a request signed with a wrong credential", func(t *testing.T) {
		p := makePush(t, s, now.Add(time.Second))
		wrong := make([]byte, county.CredentialSize)
		rand.Read(wrong)
		p.headers.Set(county.HeaderSignature, county.Sign(wrong, "POST", "/county/v1/push", p.body, now.Add(time.Second).Unix(), p.headers.Get(county.HeaderNonce)))
		if code, body := post(t, "/county/v1/push", p); code != 401 {
			t.Fatalf("answer %d %s, want 401", code, body)
		}
		assertAudited(t, c, "bad_signature")
	})
	t.Run("a push's signature sent to another route", func(t *testing.T) {
		p := makePush(t, s, now.Add(2*time.Second))
		p.body = []byte(`{"ids":["e-1"]}`)
		if code, body := post(t, "/county/v1/missing", p); code != 401 {
			t.Fatalf("answer %d %s, want 401", code, body)
		}
		assertAudited(t, c, "bad_signature")
	})
	t.Run("a replayed question about missing entries", func(t *testing.T) {
		p := makePush(t, s, now.Add(3*time.Second))
		p.body = []byte(`{"ids":["e-1"]}`)
		cred := credentialOf(t, s)
		p.headers.Set(county.HeaderSignature, county.Sign(cred, "POST", "/county/v1/missing", p.body, now.Add(3*time.Second).Unix(), p.headers.Get(county.HeaderNonce)))
		if code, body := post(t, "/county/v1/missing", p); code != 200 || !strings.Contains(body, `"missing":["e-1"]`) {
			t.Fatalf("genuine: %d %s", code, body)
		}
		if code, body := post(t, "/county/v1/missing", p); code != 401 {
			t.Fatalf("replayed: %d %s", code, body)
		}
		assertAudited(t, c, "replay")
	})
}

func credentialOf(t *testing.T, s *site) []byte {
	t.Helper()
	cred, err := secret.LoadCredential(filepath.Join(s.dir, countysync.CredentialFile))
	if err != nil {
		t.Fatal(err)
	}
	return cred
}
