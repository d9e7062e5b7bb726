package cases

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"

	"budayang/backend/secret"
	"budayang/backend/store"
)

// nameIndex is the keyed hash a case is found by its citizen's name with:
// the whole name without spaces, so "张 三" finds 张三. An empty name has
// none.
func (s *Service) nameIndex(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, name)
	if name == "" {
		return ""
	}
	return s.sealer.Index(name)
}

// indexNames fills name_index for cases written before it existed, opening
// each sealed name with the key; it does nothing under a wrong key.
func (s *Service) indexNames(ctx context.Context) error {
	if s.keyErr != nil {
		return nil
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, citizen_name FROM case_file WHERE name_index = '' AND citizen_name <> ''`)
		if err != nil {
			return fmt.Errorf("index case names: %w", err)
		}
		type pending struct{ id, index string }
		var list []pending
		for rows.Next() {
			var id, sealed string
			if err := rows.Scan(&id, &sealed); err != nil {
				rows.Close()
				return fmt.Errorf("index case names: %w", err)
			}
			name, err := s.sealer.Open(sealed, aad(id, "name"))
			if err != nil {
				rows.Close()
				return secret.WrongKey(s.sealer.Where())
			}
			list = append(list, pending{id, s.nameIndex(name)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, t := range list {
			if _, err := tx.ExecContext(ctx, `UPDATE case_file SET name_index = ? WHERE id = ?`, t.index, t.id); err != nil {
				return fmt.Errorf("index case names: %w", err)
			}
		}
		return nil
	})
}

// materialsOf reads the checklists of many cases in one query (a list of a
// hundred cases is one round trip, not a hundred), keyed by case id.
func materialsOf(ctx context.Context, q querier, ids []string) (map[string][]Material, error) {
	out := make(map[string][]Material, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	// SQLite allows 32766 parameters; a page of cases is at most 500, but a
	// due list may be longer.
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT case_id, idx, name, form, count, required, notes, received, received_at, received_by
			FROM case_material WHERE case_id IN (?`+strings.Repeat(",?", len(part)-1)+`) ORDER BY case_id, idx`, args...)
		if err != nil {
			return nil, fmt.Errorf("read materials: %w", err)
		}
		for rows.Next() {
			var id string
			var m Material
			var req, rec int
			var at sql.NullString
			if err := rows.Scan(&id, &m.Index, &m.Name, &m.Form, &m.Count, &req, &m.Notes, &rec, &at, &m.ReceivedBy); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read materials: %w", err)
			}
			m.Required, m.Received, m.ReceivedAt = req == 1, rec == 1, nullTime(at)
			out[id] = append(out[id], m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read materials: %w", err)
		}
	}
	return out, nil
}
