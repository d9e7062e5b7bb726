package calendar

import (
	"context"

	"budayang/backend/store"
)

// ClosingCheck is what another service says about a day being closed, run in
// the transaction that closes it: it may refuse (an apperr naming what the
// closure strands) unless confirmed, and act on confirmed (the booking
// service puts the day's bookings on the call list). Its error undoes the
// closure.
type ClosingCheck func(ctx context.Context, tx *store.Tx, date string, confirmed bool) error

// OnClosing sets the check SetOverride runs before a day is closed. Set it
// once, while the services are built.
func (s *Service) OnClosing(f ClosingCheck) { s.closing = f }
