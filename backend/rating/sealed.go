package rating

import (
	"context"
	"fmt"
	"strings"

	"budayang/backend/secret"
	"budayang/backend/store"
)

func aad(id, field string) string { return secret.ContactAAD("rating", id, field) }

// sealed is a rating's contact as stored, and the phone's keyed hash.
type sealed struct{ name, phone, index string }

func (s *Service) seal(id, name, phone string) (sealed, error) {
	c, err := s.sealer.SealContact("rating", id, name, phone)
	return sealed{name: c.Name, phone: c.Phone, index: c.PhoneIndex}, err
}

// open turns the stored contact of r back into text.
func (s *Service) open(r *Rating) error {
	var err error
	if r.CitizenName, err = s.plain(r.CitizenName, aad(r.ID, "name")); err != nil {
		return err
	}
	r.Phone, err = s.plain(r.Phone, aad(r.ID, "phone"))
	return err
}

// plain returns v in the clear: opened when sealed, as it is otherwise
// (a row from before sealing, until SealPlainTx has run).
func (s *Service) plain(v, field string) (string, error) {
	if !strings.HasPrefix(v, "v1:") {
		return v, nil
	}
	p, err := s.sealer.Open(v, field)
	if err != nil {
		return "", secret.WrongKey(s.sealer.Where())
	}
	return p, nil
}

// SealPlainTx seals every rating contact still stored in the clear and
// returns how many ratings it sealed. It is safe to run again.
func (s *Service) SealPlainTx(ctx context.Context, tx *store.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, citizen_name, phone FROM rating
		WHERE (phone <> '' AND phone NOT LIKE 'v1:%') OR (citizen_name <> '' AND citizen_name NOT LIKE 'v1:%')`)
	if err != nil {
		return 0, fmt.Errorf("find plain ratings: %w", err)
	}
	var pending []Rating
	for rows.Next() {
		var r Rating
		if err := rows.Scan(&r.ID, &r.CitizenName, &r.Phone); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find plain ratings: %w", err)
		}
		pending = append(pending, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, r := range pending {
		if err := s.open(&r); err != nil {
			return 0, err
		}
		sl, err := s.seal(r.ID, r.CitizenName, r.Phone)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rating SET citizen_name = ?, phone = ?, phone_index = ? WHERE id = ?`, sl.name, sl.phone, sl.index, r.ID); err != nil {
			return 0, fmt.Errorf("seal rating %s: %w", r.ID, err)
		}
	}
	return len(pending), nil
}
