// Package audit keeps the append-only log of every state change and every
// read of a full ID number: who, what, when, from which workstation. Each
// entry carries a keyed hash (HMAC-SHA256) of itself and the entry before,
// under a key kept outside the database (see secret.Sealer.AuditKey), so an
// entry edited or deleted in the file behind the application's back — even
// one re-hashed by whoever edited it — is detected by Verify. The newest
// entry's number and hash are also kept outside the database, in the head
// file beside it, so cutting off the newest entries is detected too.
// Entries are never deleted by the application, which keeps them well past
// the six months the Cybersecurity Law (art. 21) requires.
package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"budayang/backend/store"
)

// Actor is who did something and from where.
type Actor struct {
	Login       string
	Workstation string
}

// System is the actor of scheduled jobs and command-line tools.
var System = Actor{Login: "system"}

// Entry is one line of the log.
type Entry struct {
	Seq         int64  `json:"seq"`
	At          string `json:"at"`
	Actor       string `json:"actor"`
	Action      string `json:"action"`
	Target      string `json:"target"`
	Detail      string `json:"detail"`
	Workstation string `json:"workstation"`
	Hash        string `json:"hash"`
	// ActorName and TargetLabel name the actor and the target for the
	// reader (a staff name, a case or ticket number); they are looked up
	// on read, not stored or hashed, and never hold a citizen's data.
	ActorName   string `json:"actor_name,omitempty"`
	TargetLabel string `json:"target_label,omitempty"`
}

// Longest field values, in characters; longer ones are cut and marked, so
// no caller — least of all an unauthenticated one — can grow the log by
// more than a bounded amount per entry.
const (
	MaxActor       = 64
	MaxWorkstation = 64
	MaxAction      = 64
	MaxTarget      = 128
	MaxDetail      = 512
)

const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Actions the chain itself records.
const (
	// ActionRekey marks where the keyed chain starts in a database whose
	// older entries were hashed without a key.
	ActionRekey = "audit.rekey"
	// ActionRestore says a restore deliberately rewound the log.
	ActionRestore = "audit.restore"
	// ActionHeadMissing says the head file was absent and rebuilt from the
	// database's newest entry.
	ActionHeadMissing = "audit.head_missing"
)

func writeFields(w interface{ Write([]byte) (int, error) }, prev string, e Entry) {
	for _, f := range []string{prev, e.At, e.Actor, e.Action, e.Target, e.Detail, e.Workstation} {
		w.Write([]byte(f))
		w.Write([]byte{0})
	}
}

// legacyHash is the unkeyed hash of databases older than the keyed chain.
func legacyHash(prev string, e Entry) string {
	h := sha256.New()
	writeFields(h, prev, e)
	return hex.EncodeToString(h.Sum(nil))
}

func keyedHash(key []byte, prev string, e Entry) string {
	h := hmac.New(sha256.New, key)
	writeFields(h, prev, e)
	return hex.EncodeToString(h.Sum(nil))
}

// truncate cuts s to max characters, marking how many were cut.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			rest := utf8.RuneCountInString(s[i:])
			return strings.ToValidUTF8(s[:i], "\uFFFD") + fmt.Sprintf("…[+%d]", rest)
		}
		n++
	}
	return s
}

func bounded(e Entry) Entry {
	e.Actor = truncate(e.Actor, MaxActor)
	e.Workstation = truncate(e.Workstation, MaxWorkstation)
	e.Action = truncate(e.Action, MaxAction)
	e.Target = truncate(e.Target, MaxTarget)
	e.Detail = truncate(e.Detail, MaxDetail)
	return e
}

// Record appends an entry inside tx, so the log line and the change it
// describes commit together. action is noun.verb, target the id or name acted
// on. Fields longer than the Max… limits are cut. The database must have
// been opened for auditing with Open.
func Record(ctx context.Context, tx *store.Tx, who Actor, action, target, detail string) error {
	l, err := of(tx.DB())
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return l.record(ctx, tx, Entry{At: store.FormatTime(tx.Now), Actor: who.Login, Action: action, Target: target, Detail: detail, Workstation: who.Workstation})
}

func (l *Log) record(ctx context.Context, tx *store.Tx, e Entry) error {
	e = bounded(e)
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		prev = genesis
	} else if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	e.Hash = keyedHash(l.key, prev, e)
	res, err := tx.ExecContext(ctx,
		`INSERT INTO audit_log (id, at, actor, action, target, detail, workstation, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)`,
		store.NewID(), e.At, e.Actor, e.Action, e.Target, e.Detail, e.Workstation, prev, e.Hash)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	tx.AfterCommit(func() { l.committed(seq, prev, e.Hash) })
	return nil
}

// List returns up to limit entries older than before (0: the newest), newest
// first.
func (l *Log) List(ctx context.Context, before int64, limit int) ([]Entry, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q := `SELECT seq, at, actor, action, target, detail, workstation, hash FROM audit_log`
	args := []any{}
	if before > 0 {
		q += ` WHERE seq < ?`
		args = append(args, before)
	}
	q += ` ORDER BY seq DESC LIMIT ?`
	args = append(args, limit)
	rows, err := l.db.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Workstation, &e.Hash); err != nil {
			return nil, fmt.Errorf("list audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
