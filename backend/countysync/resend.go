package countysync

import (
	"context"
	"fmt"
	"net/http"

	"budayang/backend/county"
	"budayang/backend/store"
)

// reconcile runs after every push reply. The site counts the entries the
// county acknowledged as applied (sync_state.applied, restored with the
// site's own backups); a county restored from an older backup holds fewer
// (held). Then the site asks which of its delivered rows the county lacks,
// marks them pending again, so they go out in outbox order and the county
// applies each once, and takes held as its count. Rows pruned after
// KeepDelivered cannot be sent again: they are logged and counted in
// sync_state.unrecoverable for the status. A site restored from an older
// backup counts fewer than the county holds: nothing to do.
func (s *Syncer) reconcile(ctx context.Context, cfg *Config, cred []byte, client *http.Client, held int64) error {
	var applied int64
	if err := s.db.Read().QueryRowContext(ctx, `SELECT applied FROM sync_state`).Scan(&applied); err != nil {
		return fmt.Errorf("read the sync state: %w", err)
	}
	if held >= applied {
		return nil
	}
	ids, err := s.deliveredIDs(ctx)
	if err != nil {
		return err
	}
	var missing []string
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), county.MaxMissingIDs)]
		ids = ids[len(chunk):]
		var reply county.MissingReply
		if err := s.send(ctx, cfg, cred, client, http.MethodPost, "/county/v1/missing", county.MissingRequest{IDs: chunk}, &reply); err != nil {
			return err
		}
		missing = append(missing, reply.Missing...)
	}
	lost := max(applied-held-int64(len(missing)), 0)
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		for _, id := range missing {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = NULL WHERE id = ?`, id); err != nil {
				return fmt.Errorf("mark %s to resend: %w", id, err)
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE sync_state SET applied = ?, unrecoverable = unrecoverable + ?`, held, lost)
		return err
	})
	if err != nil {
		return fmt.Errorf("resend what the county lost: %w", err)
	}
	s.log.Warn("the county holds fewer entries than it acknowledged: restored from a backup?",
		"acknowledged", applied, "held", held, "resending", len(missing), "pruned_unrecoverable", lost)
	return nil
}

// deliveredIDs lists the delivered, unpruned rows the county applied (not
// the dead-lettered ones) in outbox order.
func (s *Syncer) deliveredIDs(ctx context.Context) ([]string, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id FROM outbox WHERE sent_at IS NOT NULL
		AND id NOT IN (SELECT entry_id FROM sync_dead) ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("list delivered rows: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list delivered rows: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
