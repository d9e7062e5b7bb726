package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"budayang/backend/store"
)

// Line is one entry for Append: what Record writes, with its own time.
type Line struct {
	At     string // store.FormatTime
	Who    Actor
	Action string
	Target string
	Detail string
	// ID is the entry's id; empty means a new one.
	ID string
}

// Append writes lines in order inside tx, chained after the newest entry
// exactly as Record chains one, through one prepared statement. It is for
// tools that write many entries at once (the data seeder); the head moves to
// the last line once tx commits.
func Append(ctx context.Context, tx *store.Tx, lines []Line) error {
	if len(lines) == 0 {
		return nil
	}
	l, err := of(tx.DB())
	if err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	var first string
	err = tx.QueryRowContext(ctx, `SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&first)
	if errors.Is(err, sql.ErrNoRows) {
		first = genesis
	} else if err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx,
		`INSERT INTO audit_log (id, at, actor, action, target, detail, workstation, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	defer stmt.Close()
	prev := first
	var seq int64
	for _, ln := range lines {
		e := bounded(Entry{At: ln.At, Actor: ln.Who.Login, Action: ln.Action, Target: ln.Target, Detail: ln.Detail, Workstation: ln.Who.Workstation})
		e.Hash = keyedHash(l.key, prev, e)
		id := ln.ID
		if id == "" {
			id = store.NewID()
		}
		res, err := stmt.ExecContext(ctx, id, e.At, e.Actor, e.Action, e.Target, e.Detail, e.Workstation, prev, e.Hash)
		if err != nil {
			return fmt.Errorf("audit append %s: %w", e.Action, err)
		}
		if seq, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("audit append %s: %w", e.Action, err)
		}
		prev = e.Hash
	}
	last := prev
	tx.AfterCommit(func() { l.committed(seq, first, last) })
	return nil
}
