package queue_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"budayang/backend/audit"
	"budayang/backend/queue"
)

// BenchmarkQueue_Issue issues tickets into a growing queue through the
// service (no HTTP): the cost of one issue transaction.
func BenchmarkQueue_Issue(b *testing.B) {
	h := open(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.q.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueue_IssueConcurrent issues tickets from 28 issuers at once (8
// kiosks and 20 desks) through the service (no HTTP), with 3 windows calling
// them off, and reports the issue rate against the raw rate of single-row
// committed inserts on the same disk.
func BenchmarkQueue_IssueConcurrent(b *testing.B) {
	h := open(b)
	ctx := context.Background()
	raw := rawInserts(b, 2*time.Second)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	var issued atomic.Int64
	per := b.N/28 + 1
	for k := 0; k < 28; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				if _, err := h.q.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"}); err != nil {
					b.Error(err)
					return
				}
				issued.Add(1)
			}
		}()
	}
	stop := make(chan struct{})
	var calls sync.WaitGroup
	for n := 1; n <= 3; n++ {
		calls.Add(1)
		go func(n int) {
			defer calls.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if t, ok, err := h.q.CallNext(ctx, h.clerk, n); err == nil && ok {
					h.q.Complete(ctx, h.clerk, t.ID)
				}
			}
		}(n)
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	calls.Wait()
	rate := float64(issued.Load()) / elapsed.Seconds()
	b.ReportMetric(rate, "issues/s")
	b.ReportMetric(raw, "raw-inserts/s")
	b.ReportMetric(rate/raw, "issue/raw")
}

func rawInserts(b *testing.B, d time.Duration) float64 {
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(b.TempDir(), "raw.db")+"?_journal_mode=WAL&_synchronous=FULL")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		b.Fatal(err)
	}
	n := 0
	for end := time.Now().Add(d); time.Now().Before(end); n++ {
		if _, err := db.Exec(`INSERT INTO t (v) VALUES ('x')`); err != nil {
			b.Fatal(err)
		}
	}
	return float64(n) / d.Seconds()
}
