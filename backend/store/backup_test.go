package store_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

func TestBackup_KeepsLast14(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "backups")
	var names []string
	for i := 0; i < 16; i++ {
		b, err := db.Backup(ctx, dir)
		if err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		names = append(names, b.Name)
		clk.Advance(24 * time.Hour)
	}
	list, err := store.ListBackups(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != store.KeepBackups {
		t.Fatalf("got %d backups, want %d", len(list), store.KeepBackups)
	}
	if list[0].Name != names[15] || list[13].Name != names[2] {
		t.Errorf("kept %s … %s, want %s … %s", list[0].Name, list[13].Name, names[15], names[2])
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".partial-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestBackup_RestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dataDir, store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string) {
		t.Helper()
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO job_run (name, last_run) VALUES (?, 'x')`, name)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	write("before-backup")
	file := filepath.Join(t.TempDir(), "copy.db")
	if _, err := db.BackupTo(ctx, file); err != nil {
		t.Fatal(err)
	}
	if _, err := db.BackupTo(ctx, file); apperr.Code(err) != apperr.Conflict {
		t.Errorf("backup over an existing file: got %v, want conflict", err)
	}
	write("after-backup")
	db.Close()

	kept, err := store.Restore(ctx, dataDir, file, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("replaced database not kept: %v", err)
	}
	db, err = store.Open(ctx, filepath.Join(dataDir, store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	db.Read().QueryRow(`SELECT count(*) FROM job_run WHERE name = 'before-backup'`).Scan(&n)
	if n != 1 {
		t.Error("restored database lacks the row written before the backup")
	}
	db.Read().QueryRow(`SELECT count(*) FROM job_run WHERE name = 'after-backup'`).Scan(&n)
	if n != 0 {
		t.Error("restored database has a row written after the backup")
	}
}

func TestRestore_RefusesForeignFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	foreign := filepath.Join(dir, "foreign.db")
	sqlExec(t, foreign, "CREATE TABLE x (y)")
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("hello"), 0o600)
	dataDir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dataDir, store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(filepath.Join(dataDir, store.FileName))
	for _, from := range []string{foreign, text, filepath.Join(dir, "missing.db")} {
		t.Run(filepath.Base(from), func(t *testing.T) {
			_, err := store.Restore(ctx, dataDir, from, time.Now())
			if apperr.Code(err) != apperr.Invalid {
				t.Fatalf("got %v, want invalid", err)
			}
			after, _ := os.ReadFile(filepath.Join(dataDir, store.FileName))
			if string(before) != string(after) {
				t.Error("database changed by a refused restore")
			}
		})
	}
}

// A full disk is simulated with RLIMIT_FSIZE in a child process: SQLite's
// writes past the limit fail with EFBIG, as they would with ENOSPC.
func TestBackup_FullDisk(t *testing.T) {
	if dir := os.Getenv("BUDAYANG_FULL_DISK_CHILD"); dir != "" {
		fullDiskChild(dir)
		return
	}
	dir := t.TempDir()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Enough rows that a copy is larger than the limit the child sets.
	err = db.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < 400; i++ {
			if err := tx.Outbox(ctx, "fill", fmt.Sprint(i), strings.Repeat("满", 500)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	earlier, err := db.Backup(ctx, filepath.Join(dir, "backups"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestBackup_FullDisk$")
	cmd.Env = append(os.Environ(), "BUDAYANG_FULL_DISK_CHILD="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "FULL-DISK-OK") {
		t.Fatalf("child did not report the full-disk sentence:\n%s", out)
	}
	list, _ := store.ListBackups(filepath.Join(dir, "backups"))
	if len(list) != 1 || list[0].Name != earlier.Name {
		t.Errorf("backups after a failed one: got %v, want only %s", list, earlier.Name)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "backups"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".partial-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func fullDiskChild(dir string) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, store.FileName), nil)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	defer db.Close()
	signalIgnoreXFSZ()
	lim := syscall.Rlimit{Cur: 64 << 10, Max: 64 << 10}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Println("setrlimit:", err)
		os.Exit(1)
	}
	time.Sleep(time.Millisecond)
	_, err = db.Backup(ctx, filepath.Join(dir, "backups"))
	if err != nil && strings.Contains(apperr.Message(err), "磁盘空间不足") {
		fmt.Println("FULL-DISK-OK")
		return
	}
	fmt.Println("unexpected:", err)
}

func TestBackup_SameMillisecond(t *testing.T) {
	db, _ := storetest.MustOpen(t)
	ctx := context.Background()
	dir := t.TempDir()
	var made []string
	for i := 0; i < 3; i++ {
		b, err := db.Backup(ctx, dir)
		if err != nil {
			t.Fatalf("backup %d at the same instant: %v", i, err)
		}
		made = append(made, b.Name)
	}
	list, _ := store.ListBackups(dir)
	if len(list) != 3 || list[0].Name != made[2] || list[2].Name != made[0] {
		t.Errorf("got %v, want newest first of %v", list, made)
	}
}
