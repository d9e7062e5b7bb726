// Package storetest opens real SQLite files for tests, with a fixed clock.
package storetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/store"
)

// AuditKey is the audit key of every test database.
var AuditKey = []byte("budayang test audit key 32 bytes")

// Epoch is the fixed time tests start at: Wednesday 25 November 2026, 09:00 in
// Asia/Shanghai.
var Epoch = time.Date(2026, 11, 25, 9, 0, 0, 0, clock.Shanghai)

// MustOpen opens a fresh database file in a temporary directory, with its
// audit log keyed with AuditKey, closed when the test ends.
func MustOpen(tb testing.TB) (*store.DB, *clock.Fixed) {
	tb.Helper()
	clk := clock.NewFixed(Epoch)
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), store.FileName), clk)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	log, err := audit.Open(context.Background(), db, AuditKey, audit.Options{})
	if err != nil {
		tb.Fatalf("open audit log: %v", err)
	}
	tb.Cleanup(func() { log.Close(context.Background()) })
	return db, clk
}
