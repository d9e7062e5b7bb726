package store_test

import (
	"context"
	"database/sql"
	"testing"

	"budayang/backend/store"
)

// Every schema this project ever shipped must migrate to the latest, keeping
// its rows.
func TestMigrate_FromEveryVersion(t *testing.T) {
	ctx := context.Background()
	for from := 0; from <= store.SchemaVersion(); from++ {
		t.Run("From"+string(rune('0'+from)), func(t *testing.T) {
			path, err := store.MigrateOnly(ctx, t.TempDir(), from)
			if err != nil {
				t.Fatalf("migrate to %d: %v", from, err)
			}
			if from >= 1 {
				sqlExec(t, path, `INSERT INTO job_run (name, last_run) VALUES ('kept', '2026-01-01T00:00:00Z')`)
			}
			db, err := store.Open(ctx, path, nil)
			if err != nil {
				t.Fatalf("open from %d: %v", from, err)
			}
			defer db.Close()
			var version int
			if err := db.Read().QueryRow("PRAGMA user_version").Scan(&version); err != nil {
				t.Fatal(err)
			}
			if version != store.SchemaVersion() {
				t.Errorf("version: got %d, want %d", version, store.SchemaVersion())
			}
			var appID int
			if err := db.Read().QueryRow("PRAGMA application_id").Scan(&appID); err != nil {
				t.Fatal(err)
			}
			if appID != store.ApplicationID {
				t.Errorf("application_id: got %#x, want %#x", appID, store.ApplicationID)
			}
			if from >= 1 {
				var name string
				err := db.Read().QueryRow(`SELECT name FROM job_run WHERE name = 'kept'`).Scan(&name)
				if err == sql.ErrNoRows {
					t.Error("row written at an earlier version was lost")
				} else if err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestMigrate_AuditLogIsAppendOnly(t *testing.T) {
	db, _ := openAndAudit(t)
	ctx := context.Background()
	for _, stmt := range []string{
		`UPDATE audit_log SET actor = 'someone else'`,
		`DELETE FROM audit_log`,
	} {
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, stmt)
			return err
		})
		if err == nil {
			t.Errorf("%s: succeeded, want refusal", stmt)
		}
	}
}

func openAndAudit(t *testing.T) (*store.DB, string) {
	t.Helper()
	path, err := store.MigrateOnly(context.Background(), t.TempDir(), store.SchemaVersion())
	if err != nil {
		t.Fatal(err)
	}
	sqlExec(t, path, `INSERT INTO audit_log (id, at, actor, action, prev_hash, hash) VALUES ('a', 't', 'x', 'y', 'p', 'h')`)
	db, err := store.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}
