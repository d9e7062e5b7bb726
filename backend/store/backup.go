package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/clock"
)

// KeepBackups is how many nightly backups are kept.
const KeepBackups = 14

const backupPrefix = "budayang-"

// Backup is one backup file in the backup directory.
type Backup struct {
	Name      string    `json:"name"`
	Path      string    `json:"-"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
}

// Backup writes an online copy of the database into dir and keeps only the
// newest KeepBackups there. See BackupTo.
func (db *DB) Backup(ctx context.Context, dir string) (Backup, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Backup{}, apperr.Errorf(apperr.Invalid, "无法创建备份目录 %s：%v", dir, err)
	}
	now := db.clock.Now()
	stamp := backupPrefix + now.In(clock.Shanghai).Format("20060102-150405.000")
	file := filepath.Join(dir, stamp+".db")
	// Two backups in the same millisecond (the nightly job and a click) get
	// distinct names rather than one refusing the other.
	for i := 2; fileExists(file); i++ {
		file = filepath.Join(dir, fmt.Sprintf("%s-%d.db", stamp, i))
	}
	b, err := db.BackupTo(ctx, file)
	if err != nil {
		return Backup{}, err
	}
	b.CreatedAt = now.UTC()
	if err := prune(dir, KeepBackups); err != nil {
		return Backup{}, err
	}
	return b, nil
}

// BackupTo writes an online copy of the database to file: VACUUM INTO a
// temporary file beside it, an integrity check of the copy, then a rename, so
// file is either a whole, checked backup or absent. A full disk returns an
// apperr sentence and leaves other files untouched; an existing file is
// refused.
func (db *DB) BackupTo(ctx context.Context, file string) (Backup, error) {
	b, err := backupInto(ctx, db.w, file)
	if err != nil {
		return Backup{}, err
	}
	b.CreatedAt = db.clock.Now().UTC()
	return b, nil
}

// BackupFile writes an online copy of the database file at path to file, as
// BackupTo does, through a read-only connection: it neither migrates nor
// writes the database, so it runs beside the process that has the data
// directory open (and holds its lock). A damaged file returns ErrCorrupt.
func BackupFile(ctx context.Context, path, file string) (Backup, error) {
	if err := check(ctx, path); err != nil {
		return Backup{}, err
	}
	// mode=ro without query_only, which would refuse VACUUM INTO.
	conn, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return Backup{}, fmt.Errorf("open %s: %w", path, err)
	}
	defer conn.Close()
	b, err := backupInto(ctx, conn, file)
	if err != nil {
		return Backup{}, err
	}
	b.CreatedAt = time.Now().UTC()
	return b, nil
}

func backupInto(ctx context.Context, conn *sql.DB, file string) (Backup, error) {
	if _, err := os.Stat(file); err == nil {
		return Backup{}, apperr.Errorf(apperr.Conflict, "文件 %s 已存在，请换一个文件名。", file)
	}
	dir, name := filepath.Split(file)
	tmp := filepath.Join(dir, ".partial-"+name)
	_ = os.Remove(tmp)
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		_ = os.Remove(tmp)
		if IsFull(err) {
			return Backup{}, apperr.Errorf(apperr.Internal, "备份失败：磁盘空间不足或无法写入 %s，已有备份未受影响。", filepath.Clean(dir))
		}
		return Backup{}, fmt.Errorf("backup into %s: %w", tmp, err)
	}
	if err := verifyFile(ctx, tmp); err != nil {
		_ = os.Remove(tmp)
		return Backup{}, fmt.Errorf("backup into %s: %w", tmp, err)
	}
	if err := syncFile(tmp); err != nil {
		_ = os.Remove(tmp)
		return Backup{}, fmt.Errorf("backup into %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, file); err != nil {
		_ = os.Remove(tmp)
		return Backup{}, fmt.Errorf("backup into %s: %w", file, err)
	}
	st, err := os.Stat(file)
	if err != nil {
		return Backup{}, fmt.Errorf("backup %s: %w", file, err)
	}
	return Backup{Name: name, Path: file, Size: st.Size()}, nil
}

// ListBackups returns the backups in dir, newest first.
func ListBackups(dir string) ([]Backup, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", dir, err)
	}
	var out []Backup
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, backupPrefix) || !strings.HasSuffix(name, ".db") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		stamp := strings.TrimSuffix(strings.TrimPrefix(name, backupPrefix), ".db")
		if len(stamp) > len("20060102-150405.000") {
			stamp = stamp[:len("20060102-150405.000")]
		}
		at, err := time.ParseInLocation("20060102-150405.000", stamp, clock.Shanghai)
		if err != nil {
			at = info.ModTime()
		}
		out = append(out, Backup{Name: name, Path: filepath.Join(dir, name), Size: info.Size(), CreatedAt: at.UTC()})
	}
	// Newest first; within one millisecond the suffixed name (-2, -10) is newer.
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.After(b.CreatedAt)
		}
		if len(a.Name) != len(b.Name) {
			return len(a.Name) > len(b.Name)
		}
		return a.Name > b.Name
	})
	return out, nil
}

func prune(dir string, keep int) error {
	all, err := ListBackups(dir)
	if err != nil {
		return err
	}
	for i := keep; i < len(all); i++ {
		if err := os.Remove(all[i].Path); err != nil {
			return fmt.Errorf("prune backup %s: %w", all[i].Name, err)
		}
	}
	return nil
}

// verifyFile checks that path is an intact Budayang database this build can
// read.
func verifyFile(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return apperr.Errorf(apperr.Invalid, "找不到文件 %s。", path)
	}
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer conn.Close()
	var appID, version int
	if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return apperr.Errorf(apperr.Invalid, "%s 不是不打烊的数据库文件。", filepath.Base(path))
	}
	if appID != ApplicationID {
		return apperr.Errorf(apperr.Invalid, "%s 不是不打烊的数据库文件。", filepath.Base(path))
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version of %s: %w", path, err)
	}
	if version > len(migrations) {
		return apperr.Errorf(apperr.Conflict, "%s 由更新版本的不打烊创建，请先升级本软件。", filepath.Base(path))
	}
	var result string
	if err := conn.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		return apperr.Errorf(apperr.Invalid, "%s 已损坏，未通过完整性检查。", filepath.Base(path))
	}
	return nil
}

// Restore replaces the database in dataDir with the backup at from, after
// checking that from is an intact Budayang database. The database must not be
// open. The replaced file is kept beside it as budayang.db.before-restore-…
func Restore(ctx context.Context, dataDir, from string, now time.Time) (string, error) {
	if err := verifyFile(ctx, from); err != nil {
		return "", err
	}
	target := filepath.Join(dataDir, FileName)
	tmp := target + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		_ = os.Remove(tmp)
		if IsFull(err) {
			return "", apperr.Errorf(apperr.Internal, "恢复失败：磁盘空间不足，原数据库未改动。")
		}
		return "", fmt.Errorf("restore %s: %w", from, err)
	}
	var kept string
	if _, err := os.Stat(target); err == nil {
		kept = target + ".before-restore-" + now.Format("20060102-150405")
		if err := os.Rename(target, kept); err != nil {
			_ = os.Remove(tmp)
			return "", fmt.Errorf("restore: keep current database: %w", err)
		}
	}
	// The old WAL belongs to the old file; left in place it would be replayed
	// onto the restored one.
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(target + suffix); err == nil && kept != "" {
			_ = os.Rename(target+suffix, kept+suffix)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return "", fmt.Errorf("restore: put backup in place: %w", err)
	}
	return kept, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
