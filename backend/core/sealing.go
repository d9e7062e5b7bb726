package core

import (
	"context"
	"fmt"

	"budayang/backend/store"
)

// sealPlain seals, in one transaction, the citizens' names and phones that
// a version before sealing stored in the clear in tickets, bookings and
// ratings, then checkpoints the WAL so the pages that held them leave it
// (secure_delete zeroes what the updates freed). With a key that is not the
// one the database was sealed with it does nothing: the cases service
// already refuses to work, and sealing more under a wrong key would only
// spread the damage.
func (c *Core) sealPlain(ctx context.Context) error {
	if c.Cases.KeyError() != nil {
		return nil
	}
	sealed := 0
	err := c.DB.Write(ctx, func(tx *store.Tx) error {
		sealed = 0
		for _, seal := range []func(context.Context, *store.Tx) (int, error){c.Queue.SealPlainTx, c.Bookings.SealPlainTx, c.Ratings.SealPlainTx} {
			n, err := seal(ctx, tx)
			if err != nil {
				return err
			}
			sealed += n
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seal personal data stored in the clear: %w", err)
	}
	if sealed == 0 {
		return nil
	}
	c.Log.Info("sealed personal data stored in the clear", "rows", sealed)
	return c.DB.Checkpoint(ctx)
}
