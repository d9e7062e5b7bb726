package booking

import (
	"context"
	"fmt"
	"strings"

	"budayang/backend/account"
	"budayang/backend/citizen"
	"budayang/backend/secret"
	"budayang/backend/store"
)

func aad(id, field string) string { return secret.ContactAAD("booking", id, field) }

// sealed is a booking's name and phone as stored, and the phone's keyed hash.
type sealed struct{ name, phone, index string }

func (s *Service) seal(id, name, phone string) (sealed, error) {
	c, err := s.sealer.SealContact("booking", id, name, phone)
	return sealed{name: c.Name, phone: c.Phone, index: c.PhoneIndex}, err
}

// open turns the stored name and phone of b back into text.
func (s *Service) open(b *Booking) error {
	var err error
	if b.CitizenName, err = s.sealer.Open(b.CitizenName, aad(b.ID, "name")); err != nil {
		return secret.WrongKey(s.sealer.Where())
	}
	if b.Phone, err = s.sealer.Open(b.Phone, aad(b.ID, "phone")); err != nil {
		return secret.WrongKey(s.sealer.Where())
	}
	return nil
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
		name, err := s.plain(p.name, aad(p.id, "name"))
		if err != nil {
			return 0, err
		}
		phone, err := s.plain(p.phone, aad(p.id, "phone"))
		if err != nil {
			return 0, err
		}
		sl, err := s.seal(p.id, name, phone)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE booking SET citizen_name = ?, phone = ?, phone_index = ? WHERE id = ?`, sl.name, sl.phone, sl.index, p.id); err != nil {
			return 0, fmt.Errorf("seal booking %s: %w", p.id, err)
		}
	}
	return len(pending), nil
}

// plain returns v in the clear: opened when sealed, as it is otherwise.
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
