package cases

import (
	"context"

	"budayang/backend/account"
	"budayang/backend/store"
)

// OpenTx is Open inside tx, for a service that must open a window case and
// change its own records in one transaction (the centre accepting a village
// proxy case: either both change or neither does). Same checks, errors and
// answer as Open.
func (s *Service) OpenTx(ctx context.Context, tx *store.Tx, by account.Principal, req OpenRequest) (Case, error) {
	o, err := s.prepareOpen(ctx, req)
	if err != nil {
		return Case{}, err
	}
	return s.openTx(ctx, tx, by, o)
}
