package countysync

// The relay of proxy cases between sites through the county (see
// county/relay.go and proxy/relay.go). After each push that reached the
// county, the worker sends the site's pending relay messages (relay_out)
// with its public relay key, marking them sent only once the county
// acknowledged them, then reads its inbox after its cursor and applies
// each message in one local transaction with the cursor. A message is
// therefore applied exactly once however the link or either process dies:
// an unacknowledged send is sent again and the county keeps it once per
// (site, message id); an inbox read that was not committed is read again.
//
// The site's relay key pair (X25519) is made on first use and kept in
// RelayKeyFile beside the database, like the site credential: cases sealed
// to this site open only with it.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path/filepath"
	"strconv"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"

	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/county"
	"budayang/backend/secret"
	"budayang/backend/store"
)

// RelayKeyFile holds the site's private relay key in its data directory.
const RelayKeyFile = "relay.key"

// Audit actions of the relay.
const (
	// ActionRelayRefused: the county would not take a message this site sent.
	ActionRelayRefused = "sync.relay_refused"
	// ActionRelayDropped: a message from another site could not be applied
	// here (unreadable, or a status from a site the case was not handed
	// to); the cursor moves past it.
	ActionRelayDropped = "sync.relay_dropped"
)

// RelayParty applies a relayed message inside the transaction that moves
// the inbox cursor; proxy.Service is the one. An apperr Invalid or
// Forbidden error drops the message (audited); any other error stops the
// pull, to be retried.
type RelayParty interface {
	ApplyRelayed(ctx context.Context, tx *store.Tx, from, kind, caseID string, body []byte) error
}

// UseRelay makes every push that reached the county also carry the relay:
// send relay_out, then apply the inbox through p. A Syncer without it does
// neither.
func (s *Syncer) UseRelay(p RelayParty) {
	s.mu.Lock()
	s.relayTo = p
	s.mu.Unlock()
}

// Centres asks the county for the centres a village room may address its
// proxy cases to. Errors: conflict when the site is not enrolled; the
// county's sentence when it cannot be reached.
func (s *Syncer) Centres(ctx context.Context) ([]county.Centre, error) {
	cfg, cred, client, err := s.load()
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		return nil, apperr.Errorf(apperr.Conflict, "本站点尚未登记到县平台，无法获取中心列表。")
	}
	var list county.CentreList
	if err := s.send(ctx, cfg, cred, client, http.MethodGet, "/county/v1/centres", nil, &list); err != nil {
		return nil, err
	}
	return list.Centres, nil
}

// relayKeys loads the site's relay key pair, making it on first use.
func (s *Syncer) relayKeys() (public, private *[32]byte, err error) {
	path := filepath.Join(s.dataDir, RelayKeyFile)
	priv, err := secret.LoadCredential(path)
	if errors.Is(err, fs.ErrNotExist) {
		pub, p, err := box.GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		if err := secret.SaveCredential(path, p[:]); err != nil {
			return nil, nil, fmt.Errorf("save the relay key: %w", err)
		}
		return pub, p, nil
	}
	if err != nil || len(priv) != 32 {
		return nil, nil, fmt.Errorf("load the relay key: %v", err)
	}
	pub, err := curve25519.X25519(priv, curve25519.Basepoint)
	if err != nil {
		return nil, nil, err
	}
	return (*[32]byte)(pub), (*[32]byte)(priv), nil
}

// relay sends the pending messages, then applies the inbox.
func (s *Syncer) relay(ctx context.Context, cfg *Config, cred []byte, client *http.Client) error {
	s.mu.Lock()
	party := s.relayTo
	s.mu.Unlock()
	if party == nil {
		return nil
	}
	pub, priv, err := s.relayKeys()
	if err != nil {
		return err
	}
	if err := s.relaySend(ctx, cfg, cred, client, pub); err != nil {
		return err
	}
	return s.relayPull(ctx, cfg, cred, client, party, pub, priv)
}

type outMessage struct {
	seq int64
	county.RelayMessage
}

func (s *Syncer) relaySend(ctx context.Context, cfg *Config, cred []byte, client *http.Client, pub *[32]byte) error {
	for first := true; ; first = false {
		rows, err := s.db.Read().QueryContext(ctx, `SELECT seq, id, to_site, kind, case_id, body, created_at FROM relay_out
			WHERE sent_at IS NULL ORDER BY seq LIMIT ?`, county.RelayBatch)
		if err != nil {
			return fmt.Errorf("read relay messages: %w", err)
		}
		var out []outMessage
		for rows.Next() {
			var m outMessage
			if err := rows.Scan(&m.seq, &m.ID, &m.To, &m.Kind, &m.CaseID, &m.Body, &m.CreatedAt); err != nil {
				rows.Close()
				return err
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// The first round goes even when empty: it publishes the key.
		if len(out) == 0 && !first {
			return nil
		}
		req := county.RelayPush{PublicKey: pub[:], Messages: make([]county.RelayMessage, len(out))}
		for i, m := range out {
			req.Messages[i] = m.RelayMessage
		}
		var reply county.RelayReply
		if err := s.send(ctx, cfg, cred, client, http.MethodPost, "/county/v1/relay", req, &reply); err != nil {
			return err
		}
		refused := map[string]string{}
		for _, r := range reply.Rejected {
			refused[r.ID] = r.Reason
		}
		err = s.db.Write(ctx, func(tx *store.Tx) error {
			now := store.FormatTime(tx.Now)
			for _, m := range out {
				if _, err := tx.ExecContext(ctx, `UPDATE relay_out SET sent_at = ?, refused = ? WHERE seq = ?`, now, refused[m.ID], m.seq); err != nil {
					return fmt.Errorf("mark relay message sent: %w", err)
				}
				if why, ok := refused[m.ID]; ok {
					if err := audit.Record(ctx, tx, audit.System, ActionRelayRefused, m.CaseID, "县平台拒绝转递："+why); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(out) < county.RelayBatch {
			return nil
		}
	}
}

func (s *Syncer) relayPull(ctx context.Context, cfg *Config, cred []byte, client *http.Client, party RelayParty, pub, priv *[32]byte) error {
	for {
		var after int64
		if err := s.db.Read().QueryRowContext(ctx, `SELECT coalesce((SELECT after FROM relay_cursor WHERE id = 1), 0)`).Scan(&after); err != nil {
			return fmt.Errorf("read the relay cursor: %w", err)
		}
		var inbox county.RelayInbox
		if err := s.send(ctx, cfg, cred, client, http.MethodGet, "/county/v1/relay?after="+strconv.FormatInt(after, 10), nil, &inbox); err != nil {
			return err
		}
		for _, m := range inbox.Messages {
			if err := s.applyRelayed(ctx, party, m, pub, priv); err != nil {
				return err
			}
		}
		if len(inbox.Messages) < county.RelayBatch {
			return nil
		}
	}
}

// applyRelayed applies one message with the cursor in one transaction; a
// message this site must not apply is audited and passed over.
func (s *Syncer) applyRelayed(ctx context.Context, party RelayParty, m county.RelayMessage, pub, priv *[32]byte) error {
	body := []byte(m.Body)
	var dropped error
	if m.Kind == county.RelayCase {
		sealed, err := base64.StdEncoding.DecodeString(m.Body)
		opened, ok := box.OpenAnonymous(nil, sealed, pub, priv)
		if err != nil || !ok {
			dropped = apperr.Errorf(apperr.Invalid, "转来的代办件无法用本站点的转递密钥打开。")
		}
		body = opened
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if dropped == nil {
			dropped = party.ApplyRelayed(ctx, tx, m.From, m.Kind, m.CaseID, body)
		}
		if code := apperr.Code(dropped); dropped != nil && code != apperr.Invalid && code != apperr.Forbidden {
			return dropped
		}
		if dropped != nil {
			if err := audit.Record(ctx, tx, audit.System, ActionRelayDropped, m.CaseID,
				fmt.Sprintf("来自站点 %s 的转递消息 %s 未应用：%s", m.From, m.ID, apperr.Message(dropped))); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO relay_cursor (id, after) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET after = excluded.after`, m.Seq)
		if err != nil {
			return fmt.Errorf("move the relay cursor: %w", err)
		}
		return nil
	})
}
