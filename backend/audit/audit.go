// Package audit keeps the append-only log of every state change and every
// read of a full ID number: who, what, when, from which workstation. Each
// entry carries the hash of the one before, so an entry deleted or edited in
// the file behind the application's back is detected by Verify. Entries are
// never deleted by the application, which keeps them well past the six
// months the Cybersecurity Law (art. 21) requires.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

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
}

const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

func entryHash(prev string, e Entry) string {
	h := sha256.New()
	for _, f := range []string{prev, e.At, e.Actor, e.Action, e.Target, e.Detail, e.Workstation} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Record appends an entry inside tx, so the log line and the change it
// describes commit together. action is noun.verb, target the id or name acted
// on.
func Record(ctx context.Context, tx *store.Tx, who Actor, action, target, detail string) error {
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		prev = genesis
	} else if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	e := Entry{At: store.FormatTime(tx.Now), Actor: who.Login, Action: action, Target: target, Detail: detail, Workstation: who.Workstation}
	e.Hash = entryHash(prev, e)
	_, err = tx.ExecContext(ctx,
		`INSERT INTO audit_log (id, at, actor, action, target, detail, workstation, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)`,
		store.NewID(), e.At, e.Actor, e.Action, e.Target, e.Detail, e.Workstation, prev, e.Hash)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Log reads and verifies the audit log.
type Log struct {
	db *store.DB
}

// New returns the reader of db's audit log.
func New(db *store.DB) *Log { return &Log{db: db} }

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

// Verify walks the chain from the first entry. It returns 0 when every entry
// matches its hash and follows the one before, else the seq of the first entry
// that does not (an edited entry, or the one after a deleted entry).
func (l *Log) Verify(ctx context.Context) (int64, error) {
	rows, err := l.db.Read().QueryContext(ctx,
		`SELECT seq, at, actor, action, target, detail, workstation, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, fmt.Errorf("verify audit log: %w", err)
	}
	defer rows.Close()
	prev := genesis
	for rows.Next() {
		var e Entry
		var prevHash string
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Workstation, &prevHash, &e.Hash); err != nil {
			return 0, fmt.Errorf("verify audit log: %w", err)
		}
		if prevHash != prev || !strings.EqualFold(entryHash(prev, e), e.Hash) {
			return e.Seq, nil
		}
		prev = e.Hash
	}
	return 0, rows.Err()
}
