package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"budayang/backend/clock"
)

// NewerError is ErrNewer with the schemas: the file's and the newest this
// build knows.
type NewerError struct{ Schema, Known int }

func (e *NewerError) Error() string {
	return fmt.Sprintf("%v: schema %d, this build knows %d", ErrNewer, e.Schema, e.Known)
}

// Is makes errors.Is(err, ErrNewer) hold.
func (e *NewerError) Is(target error) bool { return target == ErrNewer }

// BackupDirName is the directory, beside the database file, that holds its
// backups: the nightly ones and the one taken before an upgrade.
const BackupDirName = "backups"

// backupBeforeUpgrade copies the database at path into the backup directory
// beside it when its schema is older than this build's, before Open migrates
// it: an upgrade that goes wrong, or a program that must be rolled back,
// leaves the data as the older version wrote it. The copy is an ordinary
// backup (listed, restorable, pruned like the nightly ones) whose name ends
// in the schema it holds. It does nothing for a new, current or unreadable
// file; check and migrate report the latter.
func backupBeforeUpgrade(ctx context.Context, path string, clk clock.Clock) error {
	version, ok := schemaOf(ctx, path)
	if !ok || version == 0 || version >= len(migrations) {
		return nil
	}
	dir := filepath.Join(filepath.Dir(path), BackupDirName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("backup before upgrade: %w", err)
	}
	stamp := backupPrefix + clk.Now().In(clock.Shanghai).Format("20060102-150405.000")
	file := filepath.Join(dir, fmt.Sprintf("%s-schema%d.db", stamp, version))
	if _, err := BackupFile(ctx, path, file); err != nil {
		return fmt.Errorf("backup before upgrading schema %d: %w", version, err)
	}
	return nil
}

// schemaOf reads the schema version of the file at path without writing it;
// ok is false when there is no file or it cannot be read.
func schemaOf(ctx context.Context, path string) (int, bool) {
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		return 0, false
	}
	conn, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return 0, false
	}
	defer conn.Close()
	var version int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, false
	}
	return version, true
}
