package rating

import (
	"context"
	"fmt"

	"budayang/backend/secret"
	"budayang/backend/store"
)

func aad(id, field string) string { return secret.ContactAAD("rating", id, field) }

// open turns the stored contact of r back into text.
func (s *Service) open(r *Rating) error {
	var err error
	if r.CitizenName, err = s.sealer.Plain(r.CitizenName, aad(r.ID, "name")); err != nil {
		return err
	}
	r.Phone, err = s.sealer.Plain(r.Phone, aad(r.ID, "phone"))
	return err
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
		sl, err := s.sealer.SealContact("rating", r.ID, r.CitizenName, r.Phone)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rating SET citizen_name = ?, phone = ?, phone_index = ? WHERE id = ?`, sl.Name, sl.Phone, sl.PhoneIndex, r.ID); err != nil {
			return 0, fmt.Errorf("seal rating %s: %w", r.ID, err)
		}
	}
	return len(pending), nil
}
