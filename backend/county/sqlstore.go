package county

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/store"
)

// sqlStore holds the Store methods whose SQL is the same on SQLite and on
// PostgreSQL but for the placeholders: each query is written once with ?,
// and rebind gives it to PostgreSQL as $1, $2… (the inspection and relay
// queries are shared the same way). SQLiteStore and PostgresStore embed
// it and keep only what differs: migrations, and the writes whose upserts
// and batches each engine does its own way.
type sqlStore struct {
	db     *sql.DB
	rebind func(q string) string
	// The few statements where PostgreSQL, with many writers at once,
	// needs locks that SQLite's single writer gives for nothing:
	// lockRow ends the enrolment code's read (" FOR UPDATE"); lockDatasets
	// runs before publishing, so the next version per kind is unique when
	// two staff publish at once (publishing is rare, sites only read);
	// pruneNonces forgets old nonces, skipping rows another request is
	// already deleting so 400 sites signing at once never wait on or
	// deadlock over each other's housekeeping.
	lockRow, lockDatasets, pruneNonces string
}

// Close implements Store.
func (s *sqlStore) Close() error { return s.db.Close() }

// SetAdmin implements Store.
func (s *sqlStore) SetAdmin(ctx context.Context, login, hash string) error {
	_, err := s.db.ExecContext(ctx, s.rebind(`INSERT INTO county_admin (login, password_hash) VALUES (?, ?)
		ON CONFLICT (login) DO UPDATE SET password_hash = excluded.password_hash`), login, hash)
	return err
}

// AdminHash implements Store.
func (s *sqlStore) AdminHash(ctx context.Context, login string) (string, error) {
	var h string
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT password_hash FROM county_admin WHERE login = ?`), login).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return h, err
}

// AddSession implements Store.
func (s *sqlStore) AddSession(ctx context.Context, tokenHash, login string, expires time.Time) error {
	_, err := s.db.ExecContext(ctx, s.rebind(`INSERT INTO county_session (token_hash, login, expires_at) VALUES (?, ?, ?)`),
		tokenHash, login, store.FormatTime(expires))
	return err
}

// Session implements Store.
func (s *sqlStore) Session(ctx context.Context, tokenHash string, now time.Time) (string, error) {
	var login string
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT login FROM county_session WHERE token_hash = ? AND expires_at > ?`),
		tokenHash, store.FormatTime(now)).Scan(&login)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return login, err
}

// CreateSite implements Store.
func (s *sqlStore) CreateSite(ctx context.Context, id, name, kind, secretHash string, now, expires time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO site (id, name, kind, created_at) VALUES (?, ?, ?, ?)`),
			id, name, kind, store.FormatTime(now)); err != nil {
			return fmt.Errorf("create site: %w", err)
		}
		_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO enrol_code (secret_hash, site_id, expires_at) VALUES (?, ?, ?)`),
			secretHash, id, store.FormatTime(expires))
		return err
	})
}

// Credential implements Store.
func (s *sqlStore) Credential(ctx context.Context, siteID string) ([]byte, bool, error) {
	var cred []byte
	var revoked sql.NullString
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT credential, revoked_at FROM site WHERE id = ? AND credential IS NOT NULL`), siteID).
		Scan(&cred, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, apperr.Errorf(apperr.NotFound, "县平台没有这个站点。")
	}
	return cred, revoked.Valid, err
}

// NoteSkew implements Store.
func (s *sqlStore) NoteSkew(ctx context.Context, siteID string, skewSeconds int) error {
	_, err := s.db.ExecContext(ctx, s.rebind(`UPDATE site SET skew_seconds = ? WHERE id = ?`), skewSeconds, siteID)
	return err
}

// LatestDatasets implements Store.
func (s *sqlStore) LatestDatasets(ctx context.Context) ([]Dataset, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT kind, version, schema, checksum, note, published_at, published_by, length(payload)
		FROM dataset d WHERE version = (SELECT max(version) FROM dataset m WHERE m.kind = d.kind) ORDER BY kind`))
	if err != nil {
		return nil, fmt.Errorf("list datasets: %w", err)
	}
	defer rows.Close()
	out := []Dataset{}
	for rows.Next() {
		var d Dataset
		var at string
		if err := rows.Scan(&d.Kind, &d.Version, &d.Schema, &d.Checksum, &d.Note, &at, &d.PublishedBy, &d.Size); err != nil {
			return nil, err
		}
		d.PublishedAt, _ = store.ParseTime(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Dataset implements Store.
func (s *sqlStore) Dataset(ctx context.Context, kind string, version int64) (Dataset, error) {
	d := Dataset{Kind: kind, Version: version}
	var at string
	var payload []byte
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT schema, checksum, note, published_at, published_by, payload FROM dataset WHERE kind = ? AND version = ?`),
		kind, version).Scan(&d.Schema, &d.Checksum, &d.Note, &at, &d.PublishedBy, &payload)
	if errors.Is(err, sql.ErrNoRows) {
		return Dataset{}, apperr.Errorf(apperr.NotFound, "县平台没有数据集 %s 的第 %d 版。", kind, version)
	}
	if err != nil {
		return Dataset{}, fmt.Errorf("read dataset %s v%d: %w", kind, version, err)
	}
	d.PublishedAt, _ = store.ParseTime(at)
	d.Payload, d.Size = payload, len(payload)
	return d, nil
}

// Revoke implements Store.
func (s *sqlStore) Revoke(ctx context.Context, siteID string, now time.Time) error {
	res, err := s.db.ExecContext(ctx, s.rebind(`UPDATE site SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`), store.FormatTime(now), siteID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var one int
		if s.db.QueryRowContext(ctx, s.rebind(`SELECT 1 FROM site WHERE id = ?`), siteID).Scan(&one) != nil {
			return apperr.Errorf(apperr.NotFound, "县平台没有这个站点。")
		}
	}
	return nil
}

// Sites implements Store.
func (s *sqlStore) Sites(ctx context.Context) ([]Site, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT s.id, s.name, s.kind, s.enrolled_at, s.last_sync_at, s.pending, s.dead, s.skew_seconds,
		s.revoked_at IS NOT NULL, (SELECT count(*) FROM record r WHERE r.site_id = s.id) FROM site s ORDER BY s.name, s.id`))
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	defer rows.Close()
	out := []Site{}
	for rows.Next() {
		var st Site
		var enrolled, last sql.NullString
		if err := rows.Scan(&st.ID, &st.Name, &st.Kind, &enrolled, &last, &st.Pending, &st.Dead, &st.SkewSeconds, &st.Revoked, &st.Records); err != nil {
			return nil, err
		}
		st.EnrolledAt, st.LastSyncAt = optTime(enrolled), optTime(last)
		out = append(out, st)
	}
	return out, rows.Err()
}

// Audit implements Store.
func (s *sqlStore) Audit(ctx context.Context, e AuditEvent) error {
	_, err := s.db.ExecContext(ctx, s.rebind(`INSERT INTO county_audit (at, site_id, event, detail, remote) VALUES (?, ?, ?, ?, ?)`),
		store.FormatTime(e.At), e.SiteID, e.Event, e.Detail, e.Remote)
	return err
}

// AuditLog implements Store.
func (s *sqlStore) AuditLog(ctx context.Context, limit int) ([]AuditEvent, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT at, site_id, event, detail, remote FROM county_audit ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditEvent{}
	for rows.Next() {
		var e AuditEvent
		var at string
		if err := rows.Scan(&at, &e.SiteID, &e.Event, &e.Detail, &e.Remote); err != nil {
			return nil, err
		}
		e.At, _ = store.ParseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// tx runs fn in one transaction, committed when fn returns nil.
func (s *sqlStore) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Records implements Store. The cursor is opaque to callers: the last
// (kind, id) returned.
func (s *sqlStore) Records(ctx context.Context, siteID, kind, after string, limit int) ([]Record, string, error) {
	var ak, aid string
	if after != "" {
		raw, err := base64.RawURLEncoding.DecodeString(after)
		k, id, ok := strings.Cut(string(raw), "\n")
		if err != nil || !ok {
			return nil, "", apperr.Errorf(apperr.Invalid, "翻页游标不正确。")
		}
		ak, aid = k, id
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT kind, id, version, updated_at, data FROM record
		WHERE site_id = ? AND (? = '' OR kind = ?) AND (kind > ? OR (kind = ? AND id > ?))
		ORDER BY kind, id LIMIT ?`), siteID, kind, kind, ak, ak, aid, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list records: %w", err)
	}
	defer rows.Close()
	out := []Record{}
	for rows.Next() {
		var r Record
		var at, data string
		if err := rows.Scan(&r.Kind, &r.ID, &r.Version, &at, &data); err != nil {
			return nil, "", err
		}
		r.UpdatedAt, _ = store.ParseTime(at)
		r.Data = json.RawMessage(data)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[len(out)-1]
		next = base64.RawURLEncoding.EncodeToString([]byte(last.Kind + "\n" + last.ID))
	}
	return out, next, nil
}

// Enroll implements Store. On PostgreSQL the code's row is read FOR UPDATE
// (lockRow), so its single use holds when two sites present it at once, as
// SQLite's single writer makes it hold.
func (s *sqlStore) Enroll(ctx context.Context, secretHash string, credential []byte, now time.Time) (Site, error) {
	var site Site
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var siteID, expires string
		var used sql.NullString
		err := tx.QueryRowContext(ctx, s.rebind(`SELECT site_id, expires_at, used_at FROM enrol_code WHERE secret_hash = ?`+s.lockRow), secretHash).
			Scan(&siteID, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Errorf(apperr.Invalid, "县平台不认识这个登记码，请向县平台管理员重新索取。")
		}
		if err != nil {
			return err
		}
		if used.Valid {
			return apperr.Errorf(apperr.Invalid, "这个登记码已经用过，每个登记码只能用一次；请向县平台管理员重新索取。")
		}
		if exp, _ := store.ParseTime(expires); now.After(exp) {
			return apperr.Errorf(apperr.Invalid, "这个登记码已过期，请向县平台管理员重新索取。")
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`UPDATE enrol_code SET used_at = ? WHERE secret_hash = ?`), store.FormatTime(now), secretHash); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`UPDATE site SET credential = ?, enrolled_at = ?, revoked_at = NULL WHERE id = ?`),
			credential, store.FormatTime(now), siteID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, s.rebind(`SELECT id, name, kind FROM site WHERE id = ?`), siteID).Scan(&site.ID, &site.Name, &site.Kind)
	})
	return site, err
}

// SeeNonce implements Store.
func (s *sqlStore) SeeNonce(ctx context.Context, siteID, nonce string, now, keepFrom time.Time) (bool, error) {
	fresh := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.rebind(s.pruneNonces), store.FormatTime(keepFrom)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO nonce (site_id, nonce, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),
			siteID, nonce, store.FormatTime(now))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		fresh = n == 1
		return nil
	})
	return fresh, err
}

// PublishDataset implements Store.
func (s *sqlStore) PublishDataset(ctx context.Context, d Dataset, now time.Time) (Dataset, error) {
	d.Checksum, d.Size, d.PublishedAt = Checksum(d.Payload), len(d.Payload), now
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if s.lockDatasets != "" {
			if _, err := tx.ExecContext(ctx, s.lockDatasets); err != nil {
				return err
			}
		}
		if err := tx.QueryRowContext(ctx, s.rebind(`SELECT coalesce(max(version), 0) + 1 FROM dataset WHERE kind = ?`), d.Kind).Scan(&d.Version); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO dataset (kind, version, schema, checksum, note, published_at, published_by, payload)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), d.Kind, d.Version, d.Schema, d.Checksum, d.Note, store.FormatTime(now), d.PublishedBy, []byte(d.Payload))
		return err
	})
	if err != nil {
		return Dataset{}, fmt.Errorf("publish dataset %s: %w", d.Kind, err)
	}
	d.Payload = nil
	return d, nil
}
