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

// ArrangementHook is what another service does when a year's holiday
// arrangement is stored (imported by the site or pulled from the county) or
// a stored one removed, run in the same transaction after the write, so
// RulesTx already answers with the new days: the case and booking services
// recompute what they computed under the old ones. Its error undoes the
// change.
type ArrangementHook func(ctx context.Context, tx *store.Tx, year int) error

// OnArrangement sets the hook StoreArrangementTx, ImportArrangement and
// RemoveArrangement run.
// Set it once, while the services are built.
func (s *Service) OnArrangement(f ArrangementHook) { s.arranged = f }
