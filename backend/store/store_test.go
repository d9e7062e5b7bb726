package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

func TestOpen_Pragmas(t *testing.T) {
	db, _ := storetest.MustOpen(t)
	ctx := context.Background()
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
		{"secure_delete", "1"},
	}
	// Several read connections at once, so the pool opens more than one and
	// each must carry the pragmas from the DSN.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := db.Read().Conn(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			for _, tt := range tests {
				var got string
				if err := conn.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
					t.Errorf("pragma %s: %v", tt.pragma, err)
					continue
				}
				if got != tt.want {
					t.Errorf("read pool %s: got %s, want %s", tt.pragma, got, tt.want)
				}
			}
		}()
	}
	wg.Wait()
	err := db.Write(ctx, func(tx *store.Tx) error {
		for _, tt := range tests {
			var got string
			if err := tx.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				return err
			}
			if got != tt.want {
				t.Errorf("writer %s: got %s, want %s", tt.pragma, got, tt.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpen_ReadPoolCannotWrite(t *testing.T) {
	db, _ := storetest.MustOpen(t)
	_, err := db.Read().Exec(`INSERT INTO job_run (name, last_run) VALUES ('x', 'y')`)
	if err == nil {
		t.Fatal("write through the read pool succeeded, want refusal")
	}
}

func TestWrite_RollsBackOnError(t *testing.T) {
	db, _ := storetest.MustOpen(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Outbox(ctx, "test.write", "1", map[string]int{"n": 1}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	pending, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 0 {
		t.Fatalf("got %d outbox rows after rollback, want 0", len(pending))
	}
}

func TestOutbox_SameTransaction(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	ctx := context.Background()
	called := false
	err := db.Write(ctx, func(tx *store.Tx) error {
		tx.AfterCommit(func() { called = true })
		return tx.Outbox(ctx, "site.update", "s1", map[string]string{"name": "渠县"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !called {
		t.Error("after-commit hook did not run")
	}
	pending, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 {
		t.Fatalf("got %d outbox rows, want 1", len(pending))
	}
	got := pending[0]
	if got.Kind != "site.update" || got.EntityID != "s1" || got.Payload != `{"name":"渠县"}` {
		t.Errorf("got %+v", got)
	}
	if got.CreatedAt != store.FormatTime(clk.Now()) {
		t.Errorf("created_at: got %s, want %s", got.CreatedAt, store.FormatTime(clk.Now()))
	}
}

func TestOpen_RefusesBadFiles(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		prepare func(t *testing.T, path string)
		want    error
	}{
		{"Garbage", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("这不是数据库", 1000)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, store.ErrCorrupt},
		{"ForeignSQLite", func(t *testing.T, path string) {
			sqlExec(t, path, "CREATE TABLE other (x); PRAGMA user_version = 3")
		}, store.ErrCorrupt},
		{"OtherApplicationID", func(t *testing.T, path string) {
			sqlExec(t, path, "CREATE TABLE other (x); PRAGMA application_id = 1234")
		}, store.ErrCorrupt},
		{"NewerVersion", func(t *testing.T, path string) {
			db, err := store.Open(ctx, path, nil)
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			sqlExec(t, path, "PRAGMA user_version = 999")
		}, store.ErrNewer},
	}
	// A file over the quick-check size gets the schema check only: it must
	// refuse the same files.
	for _, large := range []bool{false, true} {
		for _, tt := range tests {
			name := tt.name
			if large {
				name += "/SchemaCheckOnly"
			}
			t.Run(name, func(t *testing.T) {
				if large {
					store.SetQuickCheckMax(t, 0)
				}
				path := filepath.Join(t.TempDir(), store.FileName)
				tt.prepare(t, path)
				before, _ := os.ReadFile(path)
				_, err := store.Open(ctx, path, nil)
				if !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want %v", err, tt.want)
				}
				after, _ := os.ReadFile(path)
				if string(before) != string(after) {
					t.Error("refused file was changed")
				}
			})
		}
	}
}

func sqlExec(t *testing.T, path, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}

func TestUserError_NewerVersion(t *testing.T) {
	err := store.UserError(store.ErrNewer)
	if apperr.Code(err) != apperr.Conflict || !strings.Contains(apperr.Message(err), "更新版本") {
		t.Errorf("got %v", err)
	}
}

func TestNewID_Ordered(t *testing.T) {
	a, b := store.NewID(), store.NewID()
	if len(a) != 36 || a >= b {
		t.Errorf("ids %s, %s: want UUIDv7 in creation order", a, b)
	}
}

// Concurrent writes are committed in groups; a failing write undoes only its
// own rows and every caller hears its own outcome.
func TestWrite_GroupCommitIsolatesFailures(t *testing.T) {
	db, _ := storetest.MustOpen(t)
	ctx := context.Background()
	const writers = 200
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = db.Write(ctx, func(tx *store.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO job_run (name, last_run) VALUES (?, 'x')`, fmt.Sprint(i)); err != nil {
					return err
				}
				if i%7 == 0 {
					return fmt.Errorf("writer %d refuses", i)
				}
				// Every third writes a duplicate key: a statement error that
				// must not break its group.
				if i%3 == 0 {
					_, err := tx.ExecContext(ctx, `INSERT INTO job_run (name, last_run) VALUES (?, 'x')`, fmt.Sprint(i))
					return err
				}
				return nil
			})
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		wantErr := i%7 == 0 || i%3 == 0
		if (err != nil) != wantErr {
			t.Errorf("writer %d: got %v, want error %v", i, err, wantErr)
		}
		var n int
		db.Read().QueryRow(`SELECT count(*) FROM job_run WHERE name = ?`, fmt.Sprint(i)).Scan(&n)
		if (n == 1) == wantErr {
			t.Errorf("writer %d: %d rows, want rows only for a successful write", i, n)
		}
	}
}

func TestWrite_CancelledContext(t *testing.T) {
	db, _ := storetest.MustOpen(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := db.Write(ctx, func(tx *store.Tx) error { return tx.Outbox(ctx, "x", "y", 1) })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if pending, _ := db.PendingOutbox(context.Background(), 10); len(pending) != 0 {
		t.Error("a cancelled write was committed")
	}
}
