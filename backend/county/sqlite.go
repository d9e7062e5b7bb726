package county

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // database/sql driver "sqlite3"

	"budayang/backend/store"
)

// FileName is the county database inside its data directory.
const FileName = "county.db"

//go:embed migrations/*.sql
var migrationFS embed.FS

// SQLiteStore keeps the county in one SQLite file in WAL mode through a
// single connection: one writer, and reads queued behind it, which is what
// a county of a few hundred sites pushing every minute needs.
type SQLiteStore struct {
	sqlStore
}

// OpenSQLite opens (creating and migrating) the county database at path.
func OpenSQLite(ctx context.Context, path string) (*SQLiteStore, error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open county database: %w", err)
	}
	db.SetMaxOpenConns(1)
	s := &SQLiteStore{sqlStore{db: db, rebind: sqliteJSON.rebind, pruneNonces: `DELETE FROM nonce WHERE seen_at < ?`}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *SQLiteStore) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var have int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&have); err != nil {
		return fmt.Errorf("county schema version: %w", err)
	}
	if have > len(names) {
		return fmt.Errorf("county database has schema %d, this build knows %d: upgrade budayang", have, len(names))
	}
	for i := have; i < len(names); i++ {
		body, err := migrationFS.ReadFile(names[i])
		if err != nil {
			return err
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("county migration %s: %w", names[i], err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// hasFullIDNumber reports whether s holds an unmasked mainland resident ID
// number — a whole word of 17 digits and a digit or X — as the regexp
// \b\d{17}[\dXx]\b would, but in one pass: sites send only masked ones, so
// a full one is refused rather than stored, and this check runs on every
// entry of every batch.
func hasFullIDNumber(s string) bool {
	run := 0 // length of the current run of ASCII word characters
	digits := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isWordByte(s[i]) {
			if run == digits && s[i] >= '0' && s[i] <= '9' {
				digits++
			}
			run++
			continue
		}
		if run == 18 && (digits == 18 || (digits == 17 && (s[i-1] == 'X' || s[i-1] == 'x'))) {
			return true
		}
		run, digits = 0, 0
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// check says why the county refuses an entry, "" when it takes it.
func check(e Entry) string {
	switch {
	case e.ID == "" || e.EntityID == "" || recordKind(e.Kind) == "":
		return "记录缺少编号或类型，县平台无法保存。"
	case len(e.Payload) > 64<<10:
		return "记录超过 64 KB，县平台不接收。"
	case !json.Valid([]byte(e.Payload)) || !strings.HasPrefix(strings.TrimSpace(e.Payload), "{"):
		return "记录内容不是 JSON 对象，县平台无法保存。"
	case hasFullIDNumber(e.Payload):
		return "记录含有未遮蔽的身份证号，县平台拒收。"
	}
	return ""
}

// recordKind is the noun of an outbox kind (case of case.accept).
func recordKind(kind string) string {
	noun, _, _ := strings.Cut(kind, ".")
	return noun
}

// Apply implements Store.
func (s *SQLiteStore) Apply(ctx context.Context, siteID string, req PushRequest, now time.Time) (PushReply, error) {
	reply := PushReply{Rejected: []Rejected{}}
	added := 0
	entries := append([]Entry(nil), req.Entries...)
	sort.Slice(entries, func(i, j int) bool { return entries[i].Seq < entries[j].Seq })
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// Statements prepared once a batch. The history row, keyed by
		// entry id, is both the change's record and the proof of delivery,
		// so a retried entry inserts nothing and changes nothing. A record
		// changed several times in one batch (a ticket issued, called and
		// finished) is written once, at its last version: its versions are
		// counted here, from the one it had before the batch.
		stmts, err := prepareAll(ctx, tx,
			`SELECT version FROM record WHERE site_id = ? AND kind = ? AND id = ?`,
			`INSERT INTO record_history (site_id, entry_id, kind, id, version, seq, change, at, data)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, entry_id) DO NOTHING`,
			`INSERT INTO record (site_id, kind, id, version, updated_at, data) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (site_id, kind, id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at, data = excluded.data`)
		if err != nil {
			return fmt.Errorf("apply: %w", err)
		}
		defer closeAll(stmts)
		readVersion, addHistory, upsertRecord := stmts[0], stmts[1], stmts[2]
		type latest struct {
			kind, id, at, data string
			version            int64
			changed            bool
		}
		records := map[string]*latest{}
		var order []*latest
		for _, e := range entries {
			if e.Seq > reply.AckedThrough {
				reply.AckedThrough = e.Seq
			}
			if why := check(e); why != "" {
				reply.Rejected = append(reply.Rejected, Rejected{ID: e.ID, Seq: e.Seq, Reason: why})
				continue
			}
			kind := recordKind(e.Kind)
			_, change, _ := strings.Cut(e.Kind, ".")
			r := records[kind+"\x00"+e.EntityID]
			if r == nil {
				r = &latest{kind: kind, id: e.EntityID}
				err := readVersion.QueryRowContext(ctx, siteID, kind, e.EntityID).Scan(&r.version)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("apply %s: %w", e.ID, err)
				}
				records[kind+"\x00"+e.EntityID] = r
				order = append(order, r)
			}
			res, err := addHistory.ExecContext(ctx, siteID, e.ID, kind, e.EntityID, r.version+1, e.Seq, change, e.CreatedAt, e.Payload)
			if err != nil {
				return fmt.Errorf("apply %s: history: %w", e.ID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // delivered before: a retry after a lost reply
			}
			added++
			r.version, r.at, r.data, r.changed = r.version+1, e.CreatedAt, e.Payload, true
		}
		for _, r := range order {
			if !r.changed {
				continue
			}
			if _, err := upsertRecord.ExecContext(ctx, siteID, r.kind, r.id, r.version, r.at, r.data); err != nil {
				return fmt.Errorf("apply %s %s: %w", r.kind, r.id, err)
			}
		}
		return tx.QueryRowContext(ctx, `UPDATE site SET last_sync_at = ?, pending = ?, dead = ?, held = held + ? WHERE id = ? RETURNING held`,
			store.FormatTime(now), req.Pending, req.Dead, added, siteID).Scan(&reply.Held)
	})
	return reply, err
}

// Missing implements Store.
func (s *SQLiteStore) Missing(ctx context.Context, siteID string, ids []string) ([]string, error) {
	missing := []string{}
	for _, id := range ids {
		var one int
		err := s.db.QueryRowContext(ctx, `SELECT 1 FROM record_history WHERE site_id = ? AND entry_id = ?`, siteID, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			missing = append(missing, id)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("missing entries: %w", err)
		}
	}
	return missing, nil
}

func optTime(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t, err := store.ParseTime(s.String)
	if err != nil {
		return nil
	}
	return &t
}

func prepareAll(ctx context.Context, tx *sql.Tx, queries ...string) ([]*sql.Stmt, error) {
	stmts := make([]*sql.Stmt, 0, len(queries))
	for _, q := range queries {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			closeAll(stmts)
			return nil, err
		}
		stmts = append(stmts, st)
	}
	return stmts, nil
}

func closeAll(stmts []*sql.Stmt) {
	for _, st := range stmts {
		st.Close()
	}
}
