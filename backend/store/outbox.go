package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// OutboxEntry is a record the county must see.
type OutboxEntry struct {
	Seq       int64  `json:"seq"`
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	EntityID  string `json:"entity_id"`
	Payload   string `json:"payload"`
	CreatedAt string `json:"created_at"`
}

// Outbox appends "the county must see this" in the same transaction as the
// write it describes, so either both happen or neither does. kind is
// noun.verb (case.accept); payload is marshalled to JSON.
func (tx *Tx) Outbox(ctx context.Context, kind, entityID string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("outbox %s: marshal: %w", kind, err)
	}
	_, err = tx.ExecContext(ctx,
		`INSERT INTO outbox (id, kind, entity_id, payload, created_at) VALUES (?, ?, ?, ?, ?)`,
		NewID(), kind, entityID, string(b), FormatTime(tx.Now))
	if err != nil {
		return fmt.Errorf("outbox %s: %w", kind, err)
	}
	return nil
}

// PendingOutbox returns up to limit undelivered entries in the order written.
func (db *DB) PendingOutbox(ctx context.Context, limit int) ([]OutboxEntry, error) {
	rows, err := db.r.QueryContext(ctx,
		`SELECT seq, id, kind, entity_id, payload, created_at FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		if err := rows.Scan(&e.Seq, &e.ID, &e.Kind, &e.EntityID, &e.Payload, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
