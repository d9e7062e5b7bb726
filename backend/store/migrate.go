package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// schemaLimit, set at link time (-X budayang/backend/store.schemaLimit=N),
// makes a build that knows only the first N schema steps: the upgrade test
// (scripts/upgrade-test.sh) packages such a build as the previous version,
// makes data with it, and installs this one over it.
var schemaLimit string

// migrations are the embedded schema steps in order; step i brings the file
// to user_version i+1. They only ever move forward.
var migrations = func() []string {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	if schemaLimit != "" {
		n, err := strconv.Atoi(schemaLimit)
		if err != nil || n < 1 || n > len(names) {
			panic(fmt.Sprintf("schemaLimit %q: want 1..%d", schemaLimit, len(names)))
		}
		names = names[:n]
	}
	out := make([]string, len(names))
	for i, n := range names {
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			panic(err)
		}
		out[i] = string(b)
	}
	return out
}()

// SchemaVersion is the schema this build writes.
func SchemaVersion() int { return len(migrations) }

// migrate applies the steps the file lacks up to target, each in its own
// transaction together with its user_version, so a crash leaves the file at a
// whole step.
func migrate(ctx context.Context, w *sql.DB, target int) error {
	var version int
	if err := w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	for v := version; v < target; v++ {
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate to %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d; PRAGMA application_id = %d", v+1, ApplicationID)); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate to %d: set version: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to %d: commit: %w", v+1, err)
		}
	}
	return nil
}
