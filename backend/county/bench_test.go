package county_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"budayang/backend/clock"
	"budayang/backend/county"
	"budayang/backend/countysync"
)

// The county's ingest, measured on each store: what a site's sync worker
// sends (countysync.BatchSize entries a push) drained through Store.Apply,
// and the same rows inserted plainly for comparison. Targets (issue #11):
// a year's backlog of 200,000 records drained in under 60 s, at no less
// than a third of the raw insert rate.
const (
	backlog     = 200_000
	sites       = 400
	perSite     = 250 // records each of the 400 sites pushes at once
	httpsRecent = 50_000
)

// backlogEntries is a site's outbox: records changing three times each
// (issue, call, finish), as tickets do, with payloads of a realistic size.
func backlogEntries(n int, prefix string) []county.Entry {
	changes := []string{"ticket.issue", "ticket.call", "ticket.finish"}
	out := make([]county.Entry, n)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		payload, _ := json.Marshal(map[string]any{
			"number": fmt.Sprintf("A%03d", i%1000), "service": "社保卡补办", "window": i % 12, "staff": "张三",
			"citizen": map[string]string{"name": "王**", "id_number": "110101********1234", "phone": "138****5678"},
			"at":      base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339), "note": "窗口办理，材料齐全",
		})
		out[i] = county.Entry{Seq: int64(i + 1), ID: fmt.Sprintf("%s-e%07d", prefix, i), Kind: changes[i%3],
			EntityID: fmt.Sprintf("%s-t%07d", prefix, i/3), Payload: string(payload),
			CreatedAt: stamp(base.Add(time.Duration(i) * time.Minute))}
	}
	return out
}

func batches(entries []county.Entry) [][]county.Entry {
	var out [][]county.Entry
	for len(entries) > 0 {
		n := min(countysync.BatchSize, len(entries))
		out = append(out, entries[:n])
		entries = entries[n:]
	}
	return out
}

func benchSite(b *testing.B, st county.Store, id string) {
	ctx := context.Background()
	if err := st.CreateSite(ctx, id, id, "town", "code-"+id, now, now.Add(time.Hour)); err != nil {
		b.Fatal(err)
	}
	if _, err := st.Enroll(ctx, "code-"+id, []byte("cred-"+id), now); err != nil {
		b.Fatal(err)
	}
}

// rawRate inserts the entries plainly, one prepared INSERT a row into a
// table shaped like record_history, one transaction a batch, and returns
// rows per second.
func rawRate(b *testing.B, raw *sql.DB, postgres bool, entries []county.Entry) float64 {
	ctx := context.Background()
	if _, err := raw.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS raw_history (site_id TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,
		version BIGINT NOT NULL, entry_id TEXT NOT NULL, seq BIGINT NOT NULL, change TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL,
		PRIMARY KEY (site_id, kind, id, version))`); err != nil {
		b.Fatal(err)
	}
	insert := `INSERT INTO raw_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if postgres {
		insert = `INSERT INTO raw_history VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	}
	start := time.Now()
	for _, batch := range batches(entries) {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		stmt, err := tx.PrepareContext(ctx, insert)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range batch {
			if _, err := stmt.ExecContext(ctx, "raw", "ticket", e.EntityID, e.Seq, e.ID, e.Seq, e.Kind, e.CreatedAt, e.Payload); err != nil {
				b.Fatal(err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	return float64(len(entries)) / time.Since(start).Seconds()
}

func BenchmarkCountyIngest(b *testing.B) {
	for _, k := range storeKinds {
		b.Run(k.name+"/backlog-200k", func(b *testing.B) {
			st, raw := k.open(b)
			entries := backlogEntries(backlog, "s")
			var elapsed time.Duration
			for i := range b.N {
				site := "backlog-" + strconv.Itoa(i)
				benchSite(b, st, site)
				start := time.Now()
				for _, batch := range batches(entries) {
					if _, err := st.Apply(context.Background(), site, county.PushRequest{Entries: batch}, now); err != nil {
						b.Fatal(err)
					}
				}
				elapsed += time.Since(start)
			}
			b.StopTimer()
			rate := float64(backlog*b.N) / elapsed.Seconds()
			rawR := rawRate(b, raw, k.name == "postgres", entries)
			b.ReportMetric(rate, "records/s")
			b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/200k")
			b.ReportMetric(rawR, "raw-rows/s")
			b.ReportMetric(rate/rawR, "ingest/raw")
		})
		b.Run(k.name+"/400-sites-at-once", func(b *testing.B) {
			st, _ := k.open(b)
			var elapsed time.Duration
			for i := range b.N {
				ids := make([]string, sites)
				for s := range ids {
					ids[s] = fmt.Sprintf("r%d-s%03d", i, s)
					benchSite(b, st, ids[s])
				}
				start := time.Now()
				var wg sync.WaitGroup
				errs := make(chan error, sites)
				for _, id := range ids {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for _, batch := range batches(backlogEntries(perSite, id)) {
							if _, err := st.Apply(context.Background(), id, county.PushRequest{Entries: batch}, now); err != nil {
								errs <- err
								return
							}
						}
					}()
				}
				wg.Wait()
				elapsed += time.Since(start)
				close(errs)
				for err := range errs {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(sites*perSite*b.N)/elapsed.Seconds(), "records/s")
		})
		b.Run(k.name+"/https-50k", func(b *testing.B) {
			st, _ := k.open(b)
			svc := &county.Service{Store: st, Clock: clock.System{}, Fingerprint: make([]byte, 32)}
			srv := httptest.NewTLSServer(svc.Handler())
			defer srv.Close()
			client := srv.Client()
			entries := backlogEntries(httpsRecent, "h")
			var elapsed time.Duration
			for i := range b.N {
				site := "https-" + strconv.Itoa(i)
				benchSite(b, st, site)
				start := time.Now()
				for n, batch := range batches(entries) {
					push(b, client, srv.URL, site, []byte("cred-"+site), n, county.PushRequest{Entries: batch})
				}
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(httpsRecent*b.N)/elapsed.Seconds(), "records/s")
		})
	}
}

// push sends one signed batch the way countysync does.
func push(b *testing.B, client *http.Client, base, site string, cred []byte, n int, req county.PushRequest) {
	body, _ := json.Marshal(req)
	r, _ := http.NewRequest(http.MethodPost, base+"/county/v1/push", bytes.NewReader(body))
	unix, nonce := time.Now().Unix(), fmt.Sprintf("%s-%d", site, n)
	r.Header.Set(county.HeaderProtocol, strconv.Itoa(county.Protocol))
	r.Header.Set(county.HeaderSite, site)
	r.Header.Set(county.HeaderTime, strconv.FormatInt(unix, 10))
	r.Header.Set(county.HeaderNonce, nonce)
	r.Header.Set(county.HeaderSignature, county.Sign(cred, http.MethodPost, "/county/v1/push", body, unix, nonce))
	resp, err := client.Do(r)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var reply county.PushReply
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil || resp.StatusCode != http.StatusOK || len(reply.Rejected) != 0 {
		b.Fatalf("push: %d %+v %v", resp.StatusCode, reply, err)
	}
}
