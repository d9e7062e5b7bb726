package queue

import (
	"context"
	"fmt"

	"budayang/backend/secret"
	"budayang/backend/store"
)

func phoneAAD(id string) string { return "ticket/" + id + "/phone" }

// sealPhone returns a ticket's phone as stored and its keyed hash; no phone
// stores as two empty strings.
func (s *Service) sealPhone(id, phone string) (sealed, index string, err error) {
	if phone == "" {
		return "", "", nil
	}
	if sealed, err = s.sealer.Seal(phone, phoneAAD(id)); err != nil {
		return "", "", fmt.Errorf("seal phone of ticket %s: %w", id, err)
	}
	return sealed, s.sealer.Index(phone), nil
}

// TicketPhone returns the whole phone given with ticket id, "" when none,
// for the host's own use: a booking made from an unserved ticket. Nothing
// that answers a caller returns it. Errors: not found, a wrong key.
func (s *Service) TicketPhone(ctx context.Context, id string) (string, error) {
	t, err := getTicket(ctx, s.db.Read(), id)
	if err != nil {
		return "", err
	}
	if err := s.revealOne(&t); err != nil {
		return "", err
	}
	return t.Phone, nil
}

// reveal opens the phones of ts in place, for the staff who may see them
// or to be masked.
func (s *Service) reveal(ts []Ticket) error {
	for i := range ts {
		if err := s.revealOne(&ts[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) revealOne(t *Ticket) error {
	p, err := s.sealer.Open(t.phoneSealed, phoneAAD(t.ID))
	if err != nil {
		return secret.WrongKey(s.sealer.Where())
	}
	t.Phone = p
	return nil
}

// SealPlainTx seals every ticket phone still stored in the clear (written
// before phones were sealed) and returns how many it sealed. It is safe to
// run again: sealed rows are left alone.
func (s *Service) SealPlainTx(ctx context.Context, tx *store.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, phone FROM ticket WHERE phone <> '' AND phone NOT LIKE 'v1:%'`)
	if err != nil {
		return 0, fmt.Errorf("find plain ticket phones: %w", err)
	}
	type plain struct{ id, phone string }
	var pending []plain
	for rows.Next() {
		var p plain
		if err := rows.Scan(&p.id, &p.phone); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find plain ticket phones: %w", err)
		}
		pending = append(pending, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, p := range pending {
		sealed, index, err := s.sealPhone(p.id, p.phone)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ticket SET phone = ?, phone_index = ? WHERE id = ?`, sealed, index, p.id); err != nil {
			return 0, fmt.Errorf("seal phone of ticket %s: %w", p.id, err)
		}
	}
	return len(pending), nil
}
