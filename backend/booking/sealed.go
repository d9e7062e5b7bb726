package booking

import (
	"context"
	"fmt"

	"budayang/backend/account"
	"budayang/backend/citizen"
	"budayang/backend/secret"
	"budayang/backend/store"
)

func aad(id, field string) string { return secret.ContactAAD("booking", id, field) }

// open turns the stored name and phone of b back into text.
func (s *Service) open(b *Booking) error {
	return s.sealer.OpenContact("booking", b.ID, &b.CitizenName, &b.Phone)
}

// SeesContacts reports whether role sees citizens' names and phones in full
// on bookings: the window clerks and the administrator, who handle them.
// Duty officers and assistants see them masked.
func SeesContacts(role string) bool {
	return role == account.RoleAdmin || role == account.RoleClerk
}

// view is b as its booker may see it: public at the kiosk, name and phone
// masked for staff who do not SeesContacts.
func (by Booker) view(b Booking) Booking {
	switch {
	case by.kiosk():
		return b.Public()
	case !SeesContacts(by.Role):
		b.CitizenName, b.Phone = citizen.MaskName(b.CitizenName), citizen.MaskPhone(b.Phone)
	}
	return b
}

// SealPlainTx seals every booking name and phone still stored in the clear
// (written before they were sealed) and returns how many bookings it sealed.
// It is safe to run again: sealed rows are left alone.
func (s *Service) SealPlainTx(ctx context.Context, tx *store.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, citizen_name, phone FROM booking
		WHERE (phone <> '' AND phone NOT LIKE 'v1:%') OR (citizen_name <> '' AND citizen_name NOT LIKE 'v1:%')`)
	if err != nil {
		return 0, fmt.Errorf("find plain bookings: %w", err)
	}
	type plain struct{ id, name, phone string }
	var pending []plain
	for rows.Next() {
		var p plain
		if err := rows.Scan(&p.id, &p.name, &p.phone); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find plain bookings: %w", err)
		}
		pending = append(pending, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, p := range pending {
		// A row half sealed is opened first, so each field is sealed once.
		name, err := s.sealer.Plain(p.name, aad(p.id, "name"))
		if err != nil {
			return 0, err
		}
		phone, err := s.sealer.Plain(p.phone, aad(p.id, "phone"))
		if err != nil {
			return 0, err
		}
		sl, err := s.sealer.SealContact("booking", p.id, name, phone)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE booking SET citizen_name = ?, phone = ?, phone_index = ? WHERE id = ?`, sl.Name, sl.Phone, sl.PhoneIndex, p.id); err != nil {
			return 0, fmt.Errorf("seal booking %s: %w", p.id, err)
		}
	}
	return len(pending), nil
}
