// Package store opens the site's SQLite database: one writer connection with
// BEGIN IMMEDIATE, a separate read-only pool, durable pragmas on every
// connection, embedded forward-only migrations, the outbox and backups.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/mattn/go-sqlite3"

	"budayang/backend/apperr"
	"budayang/backend/clock"
)

// ApplicationID marks a SQLite file as a Budayang database ("BDYG").
const ApplicationID = 0x42445947

// FileName is the database file inside a data directory.
const FileName = "budayang.db"

// ErrCorrupt is returned by Open when the file is not a readable Budayang
// database; the caller offers the latest backup.
var ErrCorrupt = errors.New("database file is corrupt")

// ErrNewer is returned by Open when the file was written by a newer Budayang.
var ErrNewer = errors.New("database made by a newer version")

// DB is an open site database.
type DB struct {
	path    string
	w       *sql.DB
	r       *sql.DB
	clock   clock.Clock
	writes  chan *writeReq
	closed  chan struct{}
	stopped chan struct{}
	// attached holds per-database state of packages above store (the audit
	// chain's key and head), keyed by a type each package keeps unexported.
	attached sync.Map
	disk     diskState
}

// Attach keeps v on db under key, for a package that needs per-database
// state its callers reach through a Tx (see Tx.DB) rather than a global.
func (db *DB) Attach(key, v any) { db.attached.Store(key, v) }

// Attached returns what Attach kept under key, or nil.
func (db *DB) Attached(key any) any {
	v, _ := db.attached.Load(key)
	return v
}

// dsn builds a connection string that carries every pragma, so each pooled
// connection gets them: go-sqlite3 would otherwise set synchronous=NORMAL,
// which may roll back acknowledged commits on power loss.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	// Personal fields are sealed, but a page freed or overwritten when a
	// plain row was sealed would keep the old text until reused: zero it.
	q.Set("_secure_delete", "on")
	// A busy hall runs the same few statements thousands of times: each
	// connection keeps them prepared.
	q.Set("_stmt_cache_size", "256")
	if readOnly {
		q.Set("mode", "ro")
		q.Set("_query_only", "true")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path and migrates it to the
// latest schema, first copying a file of an older schema into the backups
// directory beside it (see BackupDirName). It returns ErrCorrupt for a
// damaged or foreign file and ErrNewer for a file from a newer version.
func Open(ctx context.Context, path string, clk clock.Clock) (*DB, error) {
	if clk == nil {
		clk = clock.System{}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if err := check(ctx, path); err != nil {
		return nil, err
	}
	if err := backupBeforeUpgrade(ctx, path, clk); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	db := &DB{path: path, w: w, clock: clk}
	if err := migrate(ctx, w, len(migrations)); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open read pool %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	db.r = r
	db.writes = make(chan *writeReq)
	db.closed = make(chan struct{})
	db.stopped = make(chan struct{})
	go db.writer()
	return db, nil
}

// quickCheckMaxBytes is the largest database file Open reads through with
// PRAGMA quick_check. The check reads every page: about a second per
// gigabyte on an idle machine, most of the start-up of a large centre's
// year. A larger file gets the header and schema checks only; its pages
// are read by the nightly backup, which copies every page and checks the
// copy's integrity, and SQLite reports a damaged page when a query meets it.
var quickCheckMaxBytes int64 = 256 << 20

// check refuses a file that is damaged or belongs to another program. It
// uses a connection without pragmas, so a refused file is left as it was
// (setting WAL mode would rewrite its header).
func check(ctx context.Context, path string) error {
	st, err := os.Stat(path)
	if err != nil || st.Size() == 0 {
		return nil
	}
	conn, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer conn.Close()
	probe := "PRAGMA quick_check"
	if st.Size() > quickCheckMaxBytes {
		// Reading the schema fails on a file that is not a database or
		// whose first pages are damaged.
		probe = "SELECT CASE WHEN count(*) >= 0 THEN 'ok' END FROM sqlite_master"
	}
	var result string
	if err := conn.QueryRowContext(ctx, probe).Scan(&result); err != nil {
		if isNotADB(err) {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		return fmt.Errorf("check %s: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("%w: %s", ErrCorrupt, result)
	}
	var appID, version int
	if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("read application id: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if appID != 0 && appID != ApplicationID {
		return fmt.Errorf("%w: not a Budayang database (application_id %#x)", ErrCorrupt, appID)
	}
	if appID == 0 && version != 0 {
		return fmt.Errorf("%w: not a Budayang database", ErrCorrupt)
	}
	if version > len(migrations) {
		return &NewerError{Schema: version, Known: len(migrations)}
	}
	return nil
}

func isNotADB(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt
	}
	return false
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Clock is the clock transactions read.
func (db *DB) Clock() clock.Clock { return db.clock }

// Read is the read-only pool: queries that do not write use it so they never
// wait behind the writer.
func (db *DB) Read() *sql.DB { return db.r }

// Close stops the writer and closes both pools, checkpointing the WAL.
func (db *DB) Close() error {
	close(db.closed)
	<-db.stopped
	var errs []error
	if db.r != nil {
		errs = append(errs, db.r.Close())
	}
	if _, err := db.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, db.w.Close())
	return errors.Join(errs...)
}

// Checkpoint copies the WAL into the database file and truncates it, so
// pages written before (an old plain value since overwritten) leave the WAL
// file. It waits for readers to finish with the pages it moves.
func (db *DB) Checkpoint(ctx context.Context) error {
	var busy, logPages, moved int
	if err := db.w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &moved); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("checkpoint: the WAL is still in use by a reader")
	}
	return nil
}

// Tx is a write transaction. Now is read once from the clock when it begins,
// so every row it writes carries the same time.
type Tx struct {
	*sql.Tx
	Now   time.Time
	db    *DB
	after []func()
}

// DB is the database the transaction writes.
func (tx *Tx) DB() *DB { return tx.db }

// AfterCommit runs fn once the transaction has committed (to publish events
// only for writes that happened).
func (tx *Tx) AfterCommit(fn func()) { tx.after = append(tx.after, fn) }

// Write runs fn in a BEGIN IMMEDIATE transaction on the single writer
// connection, committing when fn returns nil and rolling back its writes
// otherwise; it returns once the commit is durable.
//
// Writes that arrive while another commit is under way are committed
// together (group commit): each runs inside its own savepoint of one
// transaction, so a failing fn undoes only its own writes, and one fsync
// makes the whole group durable. No caller is answered before the commit
// that holds its writes.
//
// fn may run more than once: when a group's transaction breaks as a whole,
// every write in it is rolled back and run again alone. fn must therefore
// derive what it writes and what it hands back from what it reads inside tx,
// assign (never accumulate into) variables outside it, and register its
// after-commit work through tx.AfterCommit, which only the committed run
// keeps. Slow work that needs no transaction (hashing a password, comparing
// one) belongs before or after Write, not inside fn: the single writer waits
// for it.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case db.writes <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.closed:
		return errors.New("write: database closed")
	}
	return db.disk.note(<-req.done)
}

type writeReq struct {
	ctx   context.Context
	fn    func(tx *Tx) error
	done  chan error
	err   error
	after []func()
}

// maxGroup bounds a group so one commit never holds many callers.
const maxGroup = 64

// writer is the one goroutine that writes. It takes a request, adds those
// already waiting, and commits them as one group.
func (db *DB) writer() {
	defer close(db.stopped)
	for {
		var first *writeReq
		select {
		case first = <-db.writes:
		case <-db.closed:
			return
		}
		group := []*writeReq{first}
		for len(group) < maxGroup {
			select {
			case r := <-db.writes:
				group = append(group, r)
				continue
			default:
			}
			break
		}
		if len(group) == 1 || !db.commitGroup(group) {
			// Alone, or the group's transaction failed as a whole: run each
			// alone so a sound write is not failed by its neighbour.
			for _, r := range group {
				db.commitOne(r)
			}
		}
	}
}

// commitOne runs a write alone: no savepoint, its error rolls back the
// whole transaction.
func (db *DB) commitOne(r *writeReq) {
	r.done <- db.runOne(r)
}

func (db *DB) runOne(r *writeReq) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	sqlTx, err := db.w.BeginTx(r.ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, Now: db.clock.Now().UTC(), db: db}
	if err := r.fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range tx.after {
		f()
	}
	return nil
}

// commitGroup runs several writes in one transaction, each in its own
// savepoint, and answers them all. It returns false without answering when
// the transaction itself broke, so the writer retries them one by one.
func (db *DB) commitGroup(group []*writeReq) bool {
	ctx := context.Background()
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return false
	}
	now := db.clock.Now().UTC()
	for i, r := range group {
		if r.err = r.ctx.Err(); r.err != nil {
			continue
		}
		sp := fmt.Sprintf("w%d", i)
		if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT "+sp); err != nil {
			return abandon(sqlTx, group)
		}
		tx := &Tx{Tx: sqlTx, Now: now, db: db}
		if r.err = r.fn(tx); r.err != nil {
			if _, err := sqlTx.ExecContext(ctx, "ROLLBACK TO "+sp+"; RELEASE "+sp); err != nil {
				return abandon(sqlTx, group)
			}
			continue
		}
		if _, err := sqlTx.ExecContext(ctx, "RELEASE "+sp); err != nil {
			return abandon(sqlTx, group)
		}
		r.after = tx.after
	}
	if err := sqlTx.Commit(); err != nil {
		return abandon(nil, group)
	}
	for _, r := range group {
		if r.err == nil {
			for _, f := range r.after {
				f()
			}
		}
		r.done <- r.err
	}
	return true
}

// abandon rolls back a broken group and clears what its writes heard, for a
// retry one by one.
func abandon(sqlTx *sql.Tx, group []*writeReq) bool {
	if sqlTx != nil {
		_ = sqlTx.Rollback()
	}
	for _, r := range group {
		r.err, r.after = nil, nil
	}
	return false
}

// NewID returns a UUIDv7: time-ordered, so rows sort by creation.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// FormatTime is how times are stored: RFC 3339 in UTC with milliseconds,
// which sorts as text.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// ParseTime reads a time stored by FormatTime.
func ParseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// IsUnique reports whether err is a UNIQUE constraint violation.
func IsUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

// IsFull reports whether err says the disk is full or a file too large.
func IsFull(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrFull || se.Code == sqlite3.ErrIoErr
	}
	return strings.Contains(err.Error(), "no space left")
}

// UserError turns an open error into the sentence a person can act on.
func UserError(err error) error {
	var newer *NewerError
	switch {
	case errors.As(err, &newer):
		return apperr.Errorf(apperr.Conflict, "数据目录由更新版本的不打烊创建（数据库结构第 %d 版，本程序只认识到第 %d 版），请升级本软件后再打开；旧版本不能打开它。", newer.Schema, newer.Known)
	case errors.Is(err, ErrNewer):
		return apperr.Errorf(apperr.Conflict, "数据目录由更新版本的不打烊创建，请升级本软件后再打开。")
	case errors.Is(err, ErrCorrupt):
		return apperr.Errorf(apperr.Internal, "数据库文件已损坏，无法打开。")
	}
	return err
}
