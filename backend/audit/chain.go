package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"

	"budayang/backend/store"
)

// Log is one database's audit log: the key its entries are signed with, the
// head file that remembers the newest entry, and what has been verified so
// far. Open attaches it to the database, so Record finds it through the
// transaction.
type Log struct {
	db       *store.DB
	key      []byte
	headPath string
	logger   *slog.Logger

	mu sync.Mutex
	// head is the newest committed entry known to descend from the head
	// file's; the file is rewritten to it after each commit.
	head head
	// cut, once set, stops the head from following the log: the head file
	// keeps the entry that went missing, so the cut stays reported across
	// restarts until a restore rewinds the log on purpose.
	cut     *cut
	written head
	notify  chan struct{}
	stop    chan struct{}
	done    chan struct{}
	closing sync.Once
	wmu     sync.Mutex

	fails loginFailures

	vmu sync.Mutex
	ver verified
}

type head struct {
	Seq  int64
	Hash string
}

// cut is how the head and the database disagree.
type cut struct {
	head    head
	invalid bool // the head file itself did not check out
}

type attachKey struct{}

func of(db *store.DB) (*Log, error) {
	if l, ok := db.Attached(attachKey{}).(*Log); ok {
		return l, nil
	}
	return nil, errors.New("audit log not opened for this database")
}

// New returns db's audit log as Open attached it, or, when it was not
// opened for auditing, a reader whose List works and whose Verify fails.
func New(db *store.DB) *Log {
	if l, err := of(db); err == nil {
		return l
	}
	return &Log{db: db}
}

// HeadFileName is the head file inside the data directory: the newest
// entry's number and hash, signed with the audit key. Like the key, it is
// not part of a backup.
const HeadFileName = "audit.head"

// Options adjust Open.
type Options struct {
	// RestoredFrom names the backup db was just restored from. The restore
	// rewinds the log on purpose: the head is reset to the restored
	// database's newest entry and an audit.restore entry says so.
	RestoredFrom string
	Logger       *slog.Logger
}

// Open attaches db's audit log, signing new entries with key and keeping
// the head file beside the database. On a database whose entries predate
// the keyed chain it appends an audit.rekey entry, from which on every entry
// is keyed. A head file that is missing is rebuilt from the newest entry
// (and an entry says so); a head behind the newest entry catches up when the
// entries after it are intact; a head ahead of, or not matching, the
// database is a cut, reported by Verify. Close must be called before the
// database is closed.
func Open(ctx context.Context, db *store.DB, key []byte, opts Options) (*Log, error) {
	if len(key) < 16 {
		return nil, errors.New("audit key too short")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	l := &Log{db: db, key: key, headPath: filepath.Join(filepath.Dir(db.Path()), HeadFileName), logger: opts.Logger,
		notify: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	l.fails.open = map[string]*failWindow{}
	db.Attach(attachKey{}, l)
	saved, found, headErr := readHead(l.headPath, key)
	if headErr != nil && !errors.Is(headErr, errHeadInvalid) {
		return nil, headErr
	}
	tail, err := l.tail(ctx)
	if err != nil {
		return nil, err
	}
	l.written = saved
	switch {
	case opts.RestoredFrom != "":
		l.head = tail
		if err := l.ensureKeyed(ctx); err != nil {
			return nil, err
		}
		detail := fmt.Sprintf("restored from %s; log rewound to entry %d (head was %d)", filepath.Base(opts.RestoredFrom), tail.Seq, saved.Seq)
		if err := l.write(ctx, System, ActionRestore, filepath.Base(opts.RestoredFrom), detail); err != nil {
			return nil, err
		}
	case headErr != nil:
		l.head = saved
		l.cut = &cut{invalid: true}
		l.logger.Error("audit head file does not check out", "path", l.headPath)
	case !found:
		l.head = tail
		if tail.Seq > 0 {
			keyed, err := l.isKeyed(ctx)
			if err != nil {
				return nil, err
			}
			if keyed {
				l.logger.Warn("audit head file missing; rebuilt from the newest entry", "path", l.headPath, "seq", tail.Seq)
				if err := l.write(ctx, System, ActionHeadMissing, "", fmt.Sprintf("head file absent; rebuilt at entry %d", tail.Seq)); err != nil {
					return nil, err
				}
			} else if err := l.ensureKeyed(ctx); err != nil {
				return nil, err
			}
		}
	default:
		l.head = saved
		ok, err := l.descends(ctx, saved)
		if err != nil {
			return nil, err
		}
		if ok {
			l.head = tail
		} else {
			l.cut = &cut{head: saved}
			l.logger.Error("audit log cut: head file names an entry the database no longer has", "head", saved.Seq, "tail", tail.Seq)
		}
	}
	if err := l.Flush(); err != nil {
		return nil, err
	}
	go l.run()
	return l, nil
}

// tail is the newest entry in the database.
func (l *Log) tail(ctx context.Context) (head, error) {
	h := head{Hash: genesis}
	err := l.db.Read().QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return h, fmt.Errorf("read audit log tail: %w", err)
	}
	return h, nil
}

// descends reports whether the database still holds the entry h names and
// every entry after it is intact, so a head left behind by a crash between
// a commit and the head write catches up.
func (l *Log) descends(ctx context.Context, h head) (bool, error) {
	prev := genesis
	if h.Seq > 0 {
		err := l.db.Read().QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, h.Seq).Scan(&prev)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("read audit head entry: %w", err)
		}
	}
	if prev != h.Hash {
		return false, nil
	}
	from, err := l.keyedFrom(ctx)
	if err != nil {
		return false, err
	}
	w := walker{key: l.key, keyedFrom: from, prev: prev}
	if err := w.walk(ctx, l.db.Read(), h.Seq); err != nil {
		return false, err
	}
	return w.brokenAt == 0, nil
}

// keyedFrom is the first entry of the keyed chain in a database that had
// unkeyed entries (the audit.rekey entry), or 0 when every entry is keyed.
func (l *Log) keyedFrom(ctx context.Context) (int64, error) {
	var seq int64
	// The action is written out, not bound, so the partial index
	// audit_log_rekey answers without reading the log.
	err := l.db.Read().QueryRowContext(ctx, `SELECT seq FROM audit_log WHERE action = 'audit.rekey' ORDER BY seq LIMIT 1`).Scan(&seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find start of keyed audit chain: %w", err)
	}
	return seq, nil
}

// isKeyed reports whether the database's log is keyed: it has an
// audit.rekey entry, or its first entry carries a keyed hash.
func (l *Log) isKeyed(ctx context.Context) (bool, error) {
	from, err := l.keyedFrom(ctx)
	if err != nil || from > 0 {
		return from > 0, err
	}
	var e Entry
	var prev string
	err = l.db.Read().QueryRowContext(ctx,
		`SELECT seq, at, actor, action, target, detail, workstation, prev_hash, hash FROM audit_log ORDER BY seq LIMIT 1`).
		Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Workstation, &prev, &e.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("read first audit entry: %w", err)
	}
	return keyedHash(l.key, prev, e) == e.Hash, nil
}

// ensureKeyed starts the keyed chain in a database whose entries are all
// unkeyed, with an audit.rekey entry naming the last unkeyed one.
func (l *Log) ensureKeyed(ctx context.Context) error {
	keyed, err := l.isKeyed(ctx)
	if err != nil || keyed {
		return err
	}
	tail, err := l.tail(ctx)
	if err != nil {
		return err
	}
	return l.write(ctx, System, ActionRekey, "", fmt.Sprintf("keyed chain starts here; entries 1–%d were hashed without a key", tail.Seq))
}

func (l *Log) write(ctx context.Context, who Actor, action, target, detail string) error {
	return l.db.Write(ctx, func(tx *store.Tx) error { return Record(ctx, tx, who, action, target, detail) })
}

// committed moves the head to an entry once its transaction committed, if
// the entry follows the head; an entry that does not means entries were
// removed behind the application's back while it ran.
func (l *Log) committed(seq int64, prev, hash string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cut != nil {
		return
	}
	if prev != l.head.Hash {
		l.cut = &cut{head: l.head}
		l.logger.Error("audit log cut: a new entry does not follow the head", "head", l.head.Seq, "seq", seq)
	} else {
		l.head = head{Seq: seq, Hash: hash}
	}
	select {
	case l.notify <- struct{}{}:
	default:
	}
}

func (l *Log) run() {
	defer close(l.done)
	for {
		select {
		case <-l.notify:
			if err := l.Flush(); err != nil {
				l.logger.Error("write audit head", "path", l.headPath, "err", err)
			}
		case <-l.stop:
			return
		}
	}
}

// Flush writes the head file now if it is behind the newest committed
// entry. Commits schedule a write themselves; a crash before it leaves the
// file behind the database, never ahead, which Open catches up. After a cut
// the head stays at the last entry before it, so the file keeps naming the
// missing entry; a head file that did not check out is left as found.
func (l *Log) Flush() error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	l.mu.Lock()
	h, invalid := l.head, l.cut != nil && l.cut.invalid
	l.mu.Unlock()
	if invalid || h == l.written {
		return nil
	}
	if err := writeHead(l.headPath, l.key, h); err != nil {
		return err
	}
	l.written = h
	return nil
}

// Close writes what is pending — the counts of failed logins not yet
// recorded and the head file — and stops the head writer. The database must
// still be open.
func (l *Log) Close(ctx context.Context) error {
	if l.stop == nil {
		return nil
	}
	var err error
	l.closing.Do(func() {
		err = l.flushFailures(ctx, true)
		close(l.stop)
		<-l.done
		err = errors.Join(err, l.Flush())
	})
	return err
}
