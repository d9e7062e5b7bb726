package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/store"
)

// An install of the previous version left its data directory at schema
// N-1; the current program opens it: the data is there, a backup of the
// old file was taken first, and the file is at schema N. A current or new
// file gets no such backup.
func TestOpen_UpgradeBacksUpFirst(t *testing.T) {
	ctx := context.Background()
	latest := store.SchemaVersion()
	for _, tt := range []struct {
		name       string
		from       int
		wantBackup bool
	}{
		{"FromPreviousVersion", latest - 1, true},
		{"FromFirstVersion", 1, true},
		{"Current", latest, false},
		{"New", 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dataDir := t.TempDir()
			path, err := store.MigrateOnly(ctx, dataDir, tt.from)
			if err != nil {
				t.Fatal(err)
			}
			if tt.from >= 1 {
				sqlExec(t, path, `INSERT INTO job_run (name, last_run) VALUES ('kept', '2026-01-01T00:00:00Z')`)
			}
			db, err := store.Open(ctx, path, nil)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer db.Close()
			if got := schemaVersion(t, db.Read()); got != latest {
				t.Errorf("schema after open: %d, want %d", got, latest)
			}
			if tt.from >= 1 {
				var n int
				if err := db.Read().QueryRow(`SELECT count(*) FROM job_run WHERE name = 'kept'`).Scan(&n); err != nil || n != 1 {
					t.Errorf("the row written before the upgrade: count %d, err %v", n, err)
				}
			}
			list, err := store.ListBackups(filepath.Join(dataDir, store.BackupDirName))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.wantBackup {
				if len(list) != 0 {
					t.Errorf("backups: %v, want none", list)
				}
				return
			}
			if len(list) != 1 || !strings.HasSuffix(list[0].Name, fmt.Sprintf("-schema%d.db", tt.from)) {
				t.Fatalf("backups: %+v, want one named for schema %d", list, tt.from)
			}
			old, err := sql.Open("sqlite3", list[0].Path+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			defer old.Close()
			if got := schemaVersion(t, old); got != tt.from {
				t.Errorf("the backup's schema: %d, want %d (as the old version left it)", got, tt.from)
			}
			var n int
			if err := old.QueryRow(`SELECT count(*) FROM job_run WHERE name = 'kept'`).Scan(&n); err != nil || n != 1 {
				t.Errorf("the backup's row: count %d, err %v", n, err)
			}
		})
	}
}

// A database written by a newer program is refused, left as it was, with a
// sentence saying to upgrade rather than a downgrade.
func TestOpen_RefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path, err := store.MigrateOnly(ctx, t.TempDir(), store.SchemaVersion())
	if err != nil {
		t.Fatal(err)
	}
	sqlExec(t, path, fmt.Sprintf("PRAGMA user_version = %d", store.SchemaVersion()+1))
	_, err = store.Open(ctx, path, nil)
	if err == nil {
		t.Fatal("open succeeded, want refusal")
	}
	if !errors.Is(err, store.ErrNewer) {
		t.Errorf("error %v: want ErrNewer", err)
	}
	want := fmt.Sprintf("数据目录由更新版本的不打烊创建（数据库结构第 %d 版，本程序只认识到第 %d 版），请升级本软件后再打开；旧版本不能打开它。",
		store.SchemaVersion()+1, store.SchemaVersion())
	if got := store.UserError(err); apperr.Code(got) != apperr.Conflict || apperr.Message(got) != want {
		t.Errorf("sentence %v: want %q", got, want)
	}
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if got := schemaVersion(t, raw); got != store.SchemaVersion()+1 {
		t.Errorf("schema after the refusal: %d, want it untouched", got)
	}
}

func schemaVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
