package county

// The relay of proxy cases between sites (issue 13): a village room's
// proxy case travels to the town centre it is addressed to, and the
// centre's status of it travels back, through the county. The county is a
// post office: it keeps each message once per (sender, message id), hands
// an addressee its messages after the addressee's cursor, and checks only
// who may write to whom. A case message is sealed end to end for its
// addressee (NaCl sealed box under the addressee's published X25519 key),
// so the county stores ciphertext and routing metadata, never a
// villager's name, ID number or phone in clear. A status message carries
// only the state, the centre's window case number and who moved it where;
// the county refuses one from a site that is not the case's addressee.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/site"
	"budayang/backend/store"
)

// Relay message kinds.
const (
	// RelayCase carries a proxy case, sealed for its addressee.
	RelayCase = "case"
	// RelayStatus carries the addressee's state of a relayed case back to
	// the site that sent it.
	RelayStatus = "status"
)

// RelayKeySize is the length of a site's public relay key (X25519).
const RelayKeySize = 32

// RelayBatch is the most messages a site sends or receives in one request.
const RelayBatch = 200

// maxRelayBody bounds one message's body (a case with its checklist and
// history, sealed and base64-encoded).
const maxRelayBody = 256 << 10

// RelayMessage is one message between two sites. The sender sets ID
// (unique per sender), To, Kind, CaseID (the case's id at the site that
// opened it), Body and CreatedAt; the county sets Seq and From when it
// hands the message to its addressee.
type RelayMessage struct {
	Seq       int64  `json:"seq,omitempty"`
	ID        string `json:"id"`
	From      string `json:"from,omitempty"`
	To        string `json:"to"`
	Kind      string `json:"kind"`
	CaseID    string `json:"case_id"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
}

// RelayPush is the body of POST /county/v1/relay: the sender's public relay
// key (kept by the county for others to seal to it) and its messages.
type RelayPush struct {
	PublicKey []byte         `json:"public_key"`
	Messages  []RelayMessage `json:"messages"`
}

// RelayReply acknowledges a RelayPush: every message is held by the county
// (now or before) unless it is listed in Rejected.
type RelayReply struct {
	Rejected []Rejected `json:"rejected"`
}

// RelayInbox is the answer of GET /county/v1/relay?after=N: the messages
// addressed to the site with Seq after N, in Seq order, at most RelayBatch.
type RelayInbox struct {
	Messages []RelayMessage `json:"messages"`
}

// Centre is a site a village room may address its proxy cases to: an
// enrolled, unrevoked town, township or street centre that has published
// its relay key.
type Centre struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	PublicKey []byte `json:"public_key"`
}

// CentreList is the answer of GET /county/v1/centres.
type CentreList struct {
	Centres []Centre `json:"centres"`
}

// centreKinds are the site kinds that accept proxy cases into window cases.
var centreKinds = []string{site.KindTown, site.KindTownship, site.KindStreet}

// relayRefusal says why the county refuses a message before looking at
// who may send it, "" when its form is right.
func relayRefusal(m RelayMessage) string {
	switch {
	case m.ID == "" || len(m.ID) > 64 || m.CaseID == "" || len(m.CaseID) > 64 || m.To == "":
		return "转递消息缺少编号、代办件编号或收件站点，县平台无法转递。"
	case m.Kind != RelayCase && m.Kind != RelayStatus:
		return fmt.Sprintf("未知的转递消息类型“%s”。", m.Kind)
	case len(m.Body) > maxRelayBody:
		return "转递消息超过 256 KB，县平台不接收。"
	case hasFullIDNumber(m.Body):
		return "转递消息含有未加密的身份证号，县平台拒收。"
	}
	return ""
}

// relayDB is the relay's storage, written once for both engines:
// go-sqlite3 takes $n placeholders as PostgreSQL does. pg adds the row
// lock that keeps each inbox's seq in commit order.
type relayDB struct {
	db *sql.DB
	pg bool
}

// put implements Store.Relay.
func (r relayDB) put(ctx context.Context, from string, key []byte, msgs []RelayMessage, now time.Time) (RelayReply, error) {
	reply := RelayReply{Rejected: []Rejected{}}
	if key != nil && len(key) != RelayKeySize {
		return reply, apperr.Errorf(apperr.Invalid, "站点的转递公钥长度不对，应为 32 字节。")
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return reply, err
	}
	defer tx.Rollback()
	if key != nil {
		if _, err := tx.ExecContext(ctx, `UPDATE site SET relay_key = $1 WHERE id = $2`, key, from); err != nil {
			return reply, fmt.Errorf("keep relay key: %w", err)
		}
	}
	if r.pg {
		// Lock the addressees in one order: two senders never deadlock.
		to := map[string]bool{}
		for _, m := range msgs {
			to[m.To] = true
		}
		ids := make([]string, 0, len(to))
		for id := range to {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `SELECT 1 FROM site WHERE id = $1 FOR UPDATE`, id); err != nil {
				return reply, fmt.Errorf("lock relay inbox: %w", err)
			}
		}
	}
	rec := store.FormatTime(now)
	for i, m := range msgs {
		reason := relayRefusal(m)
		if reason == "" {
			if reason, err = r.mayRelay(ctx, tx, from, m); err != nil {
				return reply, err
			}
		}
		if reason != "" {
			reply.Rejected = append(reply.Rejected, Rejected{ID: m.ID, Seq: int64(i), Reason: reason})
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO relay_message (from_site, id, to_site, kind, case_id, body, created_at, received_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (from_site, id) DO NOTHING`,
			from, m.ID, m.To, m.Kind, m.CaseID, m.Body, m.CreatedAt, rec); err != nil {
			return reply, fmt.Errorf("keep relay message %s: %w", m.ID, err)
		}
	}
	return reply, tx.Commit()
}

// mayRelay says why from may not send m, "" when it may: the addressee
// must be an enrolled, unrevoked site; a case goes only to a centre, once
// per case id from its sender; a status goes only back to the site that
// sent the case to from.
func (r relayDB) mayRelay(ctx context.Context, tx *sql.Tx, from string, m RelayMessage) (string, error) {
	var kind string
	var enrolled, revoked bool
	err := tx.QueryRowContext(ctx, `SELECT kind, credential IS NOT NULL, revoked_at IS NOT NULL FROM site WHERE id = $1`, m.To).Scan(&kind, &enrolled, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (!enrolled || revoked)) {
		return "收件站点未在县平台登记或已停用，无法转递。", nil
	}
	if err != nil {
		return "", fmt.Errorf("relay addressee: %w", err)
	}
	switch m.Kind {
	case RelayCase:
		for _, k := range centreKinds {
			if k == kind {
				var other int
				err := tx.QueryRowContext(ctx, `SELECT count(*) FROM relay_message WHERE from_site = $1 AND case_id = $2 AND kind = $3 AND to_site <> $4`,
					from, m.CaseID, RelayCase, m.To).Scan(&other)
				if err != nil {
					return "", fmt.Errorf("relay case: %w", err)
				}
				if other > 0 {
					return "这个代办件已交给另一个中心，不能再交给别的中心。", nil
				}
				return "", nil
			}
		}
		return "代办件只能交给镇、乡或街道便民服务中心。", nil
	default:
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM relay_message WHERE from_site = $1 AND to_site = $2 AND case_id = $3 AND kind = $4`,
			m.To, from, m.CaseID, RelayCase).Scan(&n); err != nil {
			return "", fmt.Errorf("relay status: %w", err)
		}
		if n == 0 {
			return "本站点不是这个代办件的受理中心，不能更新它的状态。", nil
		}
		return "", nil
	}
}

// inbox implements Store.RelayInbox.
func (r relayDB) inbox(ctx context.Context, to string, after int64, limit int) ([]RelayMessage, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT seq, id, from_site, to_site, kind, case_id, body, created_at FROM relay_message
		WHERE to_site = $1 AND seq > $2 ORDER BY seq LIMIT $3`, to, after, limit)
	if err != nil {
		return nil, fmt.Errorf("relay inbox: %w", err)
	}
	defer rows.Close()
	out := []RelayMessage{}
	for rows.Next() {
		var m RelayMessage
		if err := rows.Scan(&m.Seq, &m.ID, &m.From, &m.To, &m.Kind, &m.CaseID, &m.Body, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// centres implements Store.Centres.
func (r relayDB) centres(ctx context.Context) ([]Centre, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT id, name, kind, relay_key FROM site
		WHERE kind IN ($1, $2, $3) AND credential IS NOT NULL AND revoked_at IS NULL AND relay_key IS NOT NULL ORDER BY name, id`,
		centreKinds[0], centreKinds[1], centreKinds[2])
	if err != nil {
		return nil, fmt.Errorf("list centres: %w", err)
	}
	defer rows.Close()
	out := []Centre{}
	for rows.Next() {
		var c Centre
		if err := rows.Scan(&c.ID, &c.Name, &c.Kind, &c.PublicKey); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Relay implements Store.
func (s *SQLiteStore) Relay(ctx context.Context, from string, key []byte, msgs []RelayMessage, now time.Time) (RelayReply, error) {
	return relayDB{db: s.db}.put(ctx, from, key, msgs, now)
}

// RelayInbox implements Store.
func (s *SQLiteStore) RelayInbox(ctx context.Context, to string, after int64, limit int) ([]RelayMessage, error) {
	return relayDB{db: s.db}.inbox(ctx, to, after, limit)
}

// Centres implements Store.
func (s *SQLiteStore) Centres(ctx context.Context) ([]Centre, error) {
	return relayDB{db: s.db}.centres(ctx)
}

// Relay implements Store.
func (s *PostgresStore) Relay(ctx context.Context, from string, key []byte, msgs []RelayMessage, now time.Time) (RelayReply, error) {
	return relayDB{db: s.db, pg: true}.put(ctx, from, key, msgs, now)
}

// RelayInbox implements Store.
func (s *PostgresStore) RelayInbox(ctx context.Context, to string, after int64, limit int) ([]RelayMessage, error) {
	return relayDB{db: s.db, pg: true}.inbox(ctx, to, after, limit)
}

// Centres implements Store.
func (s *PostgresStore) Centres(ctx context.Context) ([]Centre, error) {
	return relayDB{db: s.db, pg: true}.centres(ctx)
}

// relayRoutes adds the relay's site routes, each signed by the site.
func (s *Service) relayRoutes(m *http.ServeMux) {
	m.HandleFunc("POST /county/v1/relay", s.versioned(s.signed(s.relayPush)))
	m.HandleFunc("GET /county/v1/relay", s.versioned(s.signed(s.relayInbox)))
	m.HandleFunc("GET /county/v1/centres", s.versioned(s.signed(s.relayCentres)))
}

// relayPush keeps a site's messages; each refused one is also audited
// (relay_refused), so a site writing what is not its own shows up.
func (s *Service) relayPush(w http.ResponseWriter, r *http.Request, siteID string, body []byte) {
	var req RelayPush
	if err := json.Unmarshal(body, &req); err != nil {
		s.fail(w, apperr.Errorf(apperr.Invalid, "转递内容不是正确的 JSON。"))
		return
	}
	if len(req.Messages) > RelayBatch {
		s.fail(w, apperr.Errorf(apperr.Invalid, "一次最多转递 %d 条消息。", RelayBatch))
		return
	}
	reply, err := s.Store.Relay(r.Context(), siteID, req.PublicKey, req.Messages, s.Clock.Now())
	if err != nil {
		s.fail(w, err)
		return
	}
	for _, rej := range reply.Rejected {
		detail := fmt.Sprintf("转递消息 %s：%s", rej.ID, rej.Reason)
		if err := s.Store.Audit(r.Context(), AuditEvent{At: s.Clock.Now(), SiteID: siteID, Event: "relay_refused", Detail: detail, Remote: remote(r)}); err != nil {
			s.fail(w, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, reply)
}

func (s *Service) relayInbox(w http.ResponseWriter, r *http.Request, siteID string, _ []byte) {
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil || after < 0 {
		s.fail(w, apperr.Errorf(apperr.Invalid, "after 应为不小于 0 的整数。"))
		return
	}
	list, err := s.Store.RelayInbox(r.Context(), siteID, after, RelayBatch)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, RelayInbox{Messages: list})
}

func (s *Service) relayCentres(w http.ResponseWriter, r *http.Request, _ string, _ []byte) {
	list, err := s.Store.Centres(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, CentreList{Centres: list})
}
