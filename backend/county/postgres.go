package county

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"budayang/backend/apperr"
	"budayang/backend/store"
)

//go:embed migrations_pg/*.sql
var pgMigrationFS embed.FS

// PostgresStore keeps the county in a PostgreSQL database, for a county
// whose sites outgrow one SQLite writer. It goes through database/sql (the
// pgx stdlib driver) so that its methods read like SQLiteStore's with $n
// placeholders; the schema holds the same facts (migrations_pg follows
// migrations), laid out for each engine: SQLite proves delivery by the
// history's (site, entry id) key, PostgreSQL by its applied table, which
// its set-based Apply fills in one statement a batch. Apply takes the site's row lock first, so one site's batches
// apply one after another while different sites apply in parallel.
type PostgresStore struct {
	sqlStore
}

var _ Store = (*PostgresStore)(nil)

// pgMigrateLock is the advisory lock key under which a county migrates its
// PostgreSQL schema, so two servers started together do not both migrate.
const pgMigrateLock = 0x42647963 // "Bdyc"

// OpenPostgres connects to the county database at dsn (a postgres:// URL
// or key=value string; a password may also come from PGPASSWORD or
// ~/.pgpass), creating and migrating its tables.
func OpenPostgres(ctx context.Context, dsn string) (*PostgresStore, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "PostgreSQL 连接串不正确：%v", err)
	}
	// Enough for many sites applying at once, well under PostgreSQL's
	// default max_connections of 100.
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, apperr.Errorf(apperr.Invalid, "连不上县平台的 PostgreSQL 数据库：%v", err)
	}
	s := &PostgresStore{sqlStore{db: db, rebind: postgresJSON.rebind,
		lockRow:      ` FOR UPDATE`,
		lockDatasets: `LOCK TABLE dataset IN SHARE ROW EXCLUSIVE MODE`,
		pruneNonces:  `DELETE FROM nonce WHERE ctid IN (SELECT ctid FROM nonce WHERE seen_at < ? FOR UPDATE SKIP LOCKED)`,
	}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// migrate applies migrations_pg in one transaction under an advisory lock;
// county_schema holds the number applied, as PRAGMA user_version does in
// SQLite.
func (s *PostgresStore) migrate(ctx context.Context) error {
	names, err := fs.Glob(pgMigrationFS, "migrations_pg/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, pgMigrateLock); err != nil {
			return fmt.Errorf("county schema lock: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS county_schema (version INTEGER NOT NULL)`); err != nil {
			return fmt.Errorf("county schema version: %w", err)
		}
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM county_schema`).Scan(&have); err != nil {
			return fmt.Errorf("county schema version: %w", err)
		}
		if have > len(names) {
			return fmt.Errorf("county database has schema %d, this build knows %d: upgrade budayang", have, len(names))
		}
		for i := have; i < len(names); i++ {
			body, err := pgMigrationFS.ReadFile(names[i])
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("county migration %s: %w", names[i], err)
			}
		}
		if have == len(names) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM county_schema`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO county_schema (version) VALUES ($1)`, len(names))
		return err
	})
}

// storable says why PostgreSQL cannot keep an entry that check passed: its
// text columns refuse NUL characters and invalid UTF-8, which SQLite keeps.
func storable(e Entry) string {
	for _, s := range []string{e.ID, e.Kind, e.EntityID, e.Payload, e.CreatedAt} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return "记录含有无法保存的字符，县平台无法保存。"
		}
	}
	return ""
}

// Apply implements Store. It runs a batch in five statements whatever its
// size: lock the site's row (so a retried batch racing its first delivery
// waits, then finds every entry applied), mark the entries applied and learn
// which are new, bump each touched record once by its number of changes,
// write the history, update the site. A record changed k times in the batch
// gets versions v+1…v+k in seq order, as entry-by-entry application gives.
func (s *PostgresStore) Apply(ctx context.Context, siteID string, req PushRequest, now time.Time) (PushReply, error) {
	reply := PushReply{Rejected: []Rejected{}}
	entries := append([]Entry(nil), req.Entries...)
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Seq < entries[j].Seq })
	var take []Entry
	for _, e := range entries {
		if e.Seq > reply.AckedThrough {
			reply.AckedThrough = e.Seq
		}
		why := check(e)
		if why == "" {
			why = storable(e)
		}
		if why != "" {
			reply.Rejected = append(reply.Rejected, Rejected{ID: e.ID, Seq: e.Seq, Reason: why})
			continue
		}
		take = append(take, e)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM site WHERE id = $1 FOR UPDATE`, siteID).Scan(&one); err != nil {
			return fmt.Errorf("apply: site %s: %w", siteID, err)
		}
		fresh, err := markApplied(ctx, tx, siteID, take)
		if err != nil {
			return err
		}
		if err := applyRecords(ctx, tx, siteID, fresh); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `UPDATE site SET last_sync_at = $1, pending = $2, dead = $3, held = held + $4 WHERE id = $5 RETURNING held`,
			store.FormatTime(now), req.Pending, req.Dead, len(fresh), siteID).Scan(&reply.Held)
	})
	return reply, err
}

// markApplied inserts entries into applied and returns those that were not
// there before, in order; an id repeated within the batch counts once.
func markApplied(ctx context.Context, tx *sql.Tx, siteID string, entries []Entry) ([]Entry, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	ids, seqs := make([]string, len(entries)), make([]int64, len(entries))
	for i, e := range entries {
		ids[i], seqs[i] = e.ID, e.Seq
	}
	rows, err := tx.QueryContext(ctx, `INSERT INTO applied (site_id, entry_id, seq)
		SELECT $1, u.entry_id, u.seq FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS u(entry_id, seq, n) ORDER BY u.n
		ON CONFLICT DO NOTHING RETURNING entry_id`, siteID, ids, seqs)
	if err != nil {
		return nil, fmt.Errorf("apply: mark applied: %w", err)
	}
	defer rows.Close()
	isNew := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		isNew[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("apply: mark applied: %w", err)
	}
	var fresh []Entry
	for _, e := range entries {
		if isNew[e.ID] {
			fresh = append(fresh, e)
			delete(isNew, e.ID) // delivered before within this batch
		}
	}
	return fresh, nil
}

// applyRecords upserts each record the entries touch once, then writes one
// history row per entry with its version.
func applyRecords(ctx context.Context, tx *sql.Tx, siteID string, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	type key struct{ kind, id string }
	type touch struct {
		changes int64
		last    Entry
		version int64
	}
	touched := map[key]*touch{}
	var order []key
	for _, e := range entries {
		k := key{recordKind(e.Kind), e.EntityID}
		t := touched[k]
		if t == nil {
			t = &touch{}
			touched[k] = t
			order = append(order, k)
		}
		t.changes++
		t.last = e
	}
	kinds, ids, counts, ats, datas := make([]string, len(order)), make([]string, len(order)), make([]int64, len(order)), make([]string, len(order)), make([]string, len(order))
	for i, k := range order {
		t := touched[k]
		kinds[i], ids[i], counts[i], ats[i], datas[i] = k.kind, k.id, t.changes, t.last.CreatedAt, t.last.Payload
	}
	rows, err := tx.QueryContext(ctx, `INSERT INTO record AS r (site_id, kind, id, version, updated_at, data)
		SELECT $1, u.kind, u.id, u.changes, u.updated_at, u.data FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[]) AS u(kind, id, changes, updated_at, data)
		ON CONFLICT (site_id, kind, id) DO UPDATE SET version = r.version + excluded.version, updated_at = excluded.updated_at, data = excluded.data
		RETURNING kind, id, version`, siteID, kinds, ids, counts, ats, datas)
	if err != nil {
		return fmt.Errorf("apply: records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		var version int64
		if err := rows.Scan(&k.kind, &k.id, &version); err != nil {
			return err
		}
		t := touched[k]
		t.version = version - t.changes // the version before this batch
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("apply: records: %w", err)
	}
	n := len(entries)
	hKinds, hIDs, hVersions, hEntries, hSeqs, hChanges, hAts, hDatas := make([]string, n), make([]string, n), make([]int64, n), make([]string, n), make([]int64, n), make([]string, n), make([]string, n), make([]string, n)
	for i, e := range entries {
		t := touched[key{recordKind(e.Kind), e.EntityID}]
		t.version++
		_, change, _ := strings.Cut(e.Kind, ".")
		hKinds[i], hIDs[i], hVersions[i], hEntries[i], hSeqs[i], hChanges[i], hAts[i], hDatas[i] = recordKind(e.Kind), e.EntityID, t.version, e.ID, e.Seq, change, e.CreatedAt, e.Payload
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO record_history (site_id, kind, id, version, entry_id, seq, change, at, data)
		SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[]) AS u`,
		siteID, hKinds, hIDs, hVersions, hEntries, hSeqs, hChanges, hAts, hDatas); err != nil {
		return fmt.Errorf("apply: history: %w", err)
	}
	return nil
}

// Missing implements Store.
func (s *PostgresStore) Missing(ctx context.Context, siteID string, ids []string) ([]string, error) {
	held := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT entry_id FROM applied WHERE site_id = $1 AND entry_id = ANY($2::text[])`, siteID, ids)
	if err != nil {
		return nil, fmt.Errorf("missing entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("missing entries: %w", err)
		}
		held[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("missing entries: %w", err)
	}
	missing := []string{}
	for _, id := range ids {
		if !held[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}
