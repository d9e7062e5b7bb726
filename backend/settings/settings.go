// Package settings keeps a site's tunable values as JSON under a key, each
// owned by the package that reads it (queue.skip_requeue_minutes …).
package settings

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"budayang/backend/store"
)

// Get reads key into v, leaving v unchanged when the key was never set, so
// callers pass their defaults in v.
func Get(ctx context.Context, db *store.DB, key string, v any) error {
	var raw string
	err := db.Read().QueryRowContext(ctx, `SELECT value FROM setting WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read setting %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return fmt.Errorf("read setting %s: %w", key, err)
	}
	return nil
}

// GetTx is Get inside a write transaction, which sees its own writes.
func GetTx(ctx context.Context, tx *store.Tx, key string, v any) error {
	var raw string
	err := tx.QueryRowContext(ctx, `SELECT value FROM setting WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read setting %s: %w", key, err)
	}
	return json.Unmarshal([]byte(raw), v)
}

// Set stores v under key inside tx.
func Set(ctx context.Context, tx *store.Tx, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	_, err = tx.ExecContext(ctx,
		`INSERT INTO setting (key, value, updated_at) VALUES (?,?,?)
		 ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, string(b), store.FormatTime(tx.Now))
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}
