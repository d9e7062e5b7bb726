package store

import (
	"context"
	"fmt"
	"strings"
)

// Lookup runs query, whose one "IN (%s)" takes keys, and returns the map of
// the two columns it selects: key to label. It is for naming a page of ids
// in one query; no keys, no query.
func (db *DB) Lookup(ctx context.Context, query string, keys []string) (map[string]string, error) {
	out := map[string]string{}
	if len(keys) == 0 {
		return out, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	rows, err := db.Read().QueryContext(ctx, fmt.Sprintf(query, "?"+strings.Repeat(",?", len(keys)-1)), args...)
	if err != nil {
		return nil, fmt.Errorf("look up labels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("look up labels: %w", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}
