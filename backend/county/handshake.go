package county

import (
	"context"
	"log"
	"net"
	"strings"
	"sync"
	"time"
)

// tlsRefusedEvery is how often one address's refusals of the county's
// certificate are audited: a site retries every few seconds.
const tlsRefusedEvery = 10 * time.Minute

// HandshakeLog is the error log for the county's HTTPS server. A site whose
// pinned fingerprint is not the county's certificate (the county restored
// onto a new key, or an impostor's site) ends the handshake with a
// bad-certificate alert; that is written to the audit log as tls_refused
// with the site's address, at most once per address every 10 minutes.
// Other lines go to s.Log.
func (s *Service) HandshakeLog() *log.Logger {
	return log.New(&handshakeWriter{s: s, last: map[string]time.Time{}}, "", 0)
}

type handshakeWriter struct {
	s    *Service
	mu   sync.Mutex
	last map[string]time.Time
}

func (w *handshakeWriter) Write(p []byte) (int, error) {
	line := strings.TrimSpace(string(p))
	// net/http's words: "http: TLS handshake error from ADDR: remote error: tls: bad certificate".
	rest, ok := strings.CutPrefix(line, "http: TLS handshake error from ")
	if !ok || !strings.HasSuffix(rest, "remote error: tls: bad certificate") {
		if w.s.Log != nil {
			w.s.Log.Warn("county https", "msg", line)
		}
		return len(p), nil
	}
	addr, _, _ := strings.Cut(rest, ": ")
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	now := w.s.Clock.Now()
	w.mu.Lock()
	seen, ok := w.last[host]
	fresh := !ok || now.Sub(seen) >= tlsRefusedEvery || now.Before(seen)
	if fresh {
		w.last[host] = now
	}
	w.mu.Unlock()
	if fresh {
		err := w.s.Store.Audit(context.Background(), AuditEvent{At: now, Event: "tls_refused", Remote: host,
			Detail: "对方不认县平台的证书（与登记时固定的指纹不同）：县平台换了证书，或对方连错了地址。"})
		if err != nil && w.s.Log != nil {
			w.s.Log.Error("county audit", "err", err)
		}
	}
	return len(p), nil
}
