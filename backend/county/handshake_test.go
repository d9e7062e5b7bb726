package county_test

import (
	"context"
	"testing"
	"time"

	"budayang/backend/clock"
)

func TestHandshakeLog_AuditsARefusedCertificateOncePerAddressEvery10Minutes(t *testing.T) {
	st, _ := storeKinds[0].open(t) // the log is the server's, whatever it stores in
	c := newCounty(t, st)
	clk := c.svc.Clock.(*clock.Fixed)
	log := c.svc.HandshakeLog()
	refused := func(addr string) {
		log.Printf("http: TLS handshake error from %s: remote error: tls: bad certificate", addr)
	}
	audited := func() (n int, last string) {
		t.Helper()
		events, err := c.st.AuditLog(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Event == "tls_refused" {
				n++
			}
		}
		if len(events) > 0 {
			last = events[0].Remote
		}
		return n, last
	}
	steps := []struct {
		name   string
		do     func()
		want   int
		remote string
	}{
		{"a site refusing the certificate is audited with its address", func() { refused("10.0.0.7:51000") }, 1, "10.0.0.7"},
		{"its retries within 10 minutes are not", func() { clk.Advance(5 * time.Minute); refused("10.0.0.7:51002") }, 1, "10.0.0.7"},
		{"another address is", func() { refused("[::1]:40000") }, 2, "::1"},
		{"10 minutes on, the first is again", func() { clk.Advance(5 * time.Minute); refused("10.0.0.7:51003") }, 3, "10.0.0.7"},
		{"other handshake failures are not audited", func() {
			log.Printf("http: TLS handshake error from 10.0.0.8:1: EOF")
			log.Printf("http: TLS handshake error from 10.0.0.8:2: tls: first record does not look like a TLS handshake")
		}, 3, "10.0.0.7"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.do()
			if n, remote := audited(); n != st.want || remote != st.remote {
				t.Fatalf("%d tls_refused, newest from %q; want %d from %q", n, remote, st.want, st.remote)
			}
		})
	}
}
