package booking

import (
	"context"

	"budayang/backend/store"
)

// CreateTx books as Create does, with the same checks and refusals, inside
// tx: a caller that links the booking to a record of its own (a call in the
// duty desk's call log) writes the link in the same transaction, so a
// booking is never left unlinked nor made twice for one record.
func (s *Service) CreateTx(ctx context.Context, tx *store.Tx, by Booker, req Request) (Booking, error) {
	w, err := s.check(ctx, by, req)
	if err != nil {
		return Booking{}, err
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return Booking{}, err
	}
	return s.createTx(ctx, tx, by, w, st.ID, "")
}
