package store_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// BenchmarkWrite_SingleRow measures one committed single-row write through
// the store (BEGIN IMMEDIATE, insert, COMMIT with synchronous=FULL) and
// reports its p50 and p99 latency.
func BenchmarkWrite_SingleRow(b *testing.B) {
	db, _ := storetest.MustOpen(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		err := db.Write(ctx, func(tx *store.Tx) error {
			return tx.Outbox(ctx, "bench.write", "e", i)
		})
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
