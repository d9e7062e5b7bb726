package store

import (
	"context"
	"database/sql"
	"path/filepath"
)

// MigrateOnly creates a database in dir migrated only to version, to test
// migrating onward from every earlier schema.
func MigrateOnly(ctx context.Context, dir string, version int) (string, error) {
	path := filepath.Join(dir, FileName)
	w, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return "", err
	}
	defer w.Close()
	return path, migrate(ctx, w, version)
}

// SetQuickCheckMax changes the largest file Open quick-checks, for the
// test's duration.
func SetQuickCheckMax(t interface{ Cleanup(func()) }, n int64) {
	old := quickCheckMaxBytes
	quickCheckMaxBytes = n
	t.Cleanup(func() { quickCheckMaxBytes = old })
}
