package cases

import (
	"context"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/store"
)

// OpenUnheldTx opens a case, as Open does, inside tx and held by nobody:
// the duty desk turns a phone call into a case for a window clerk to take.
// by stays responsible (首问负责: they took the first inquiry); the first
// clerk who takes it (Take) becomes its holder, and until then the case is
// masked for everyone and listed by Filter.Unheld. It cannot accept at once
// nor name a ticket: only a holder accepts, and a call has no ticket.
// Errors: every refusal of Open.
func (s *Service) OpenUnheldTx(ctx context.Context, tx *store.Tx, by account.Principal, req OpenRequest) (Case, error) {
	if req.Accept || req.TicketID != "" {
		return Case{}, apperr.Errorf(apperr.Invalid, "待接办的办件不能直接受理，也不能关联号票。")
	}
	o, err := s.prepareOpen(ctx, req)
	if err != nil {
		return Case{}, err
	}
	o.unheld = true
	return s.openTx(ctx, tx, by, o)
}
