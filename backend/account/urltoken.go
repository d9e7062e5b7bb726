package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/store"
)

// Lifetimes of URL tokens.
const (
	// LinkTTL bounds a link for an event stream or a document: long enough to
	// open it, short enough that one found in a history or a log is stale.
	LinkTTL = 5 * time.Minute
	// SubscriptionTTL bounds a calendar subscription link, which a calendar
	// app polls for months; making a new one or revoking ends it sooner.
	SubscriptionTTL = 180 * 24 * time.Hour
)

// Link is a URL token: the credential a URL carries where a header cannot
// go. It opens only the path it was made for, for reading, until ExpiresAt.
type Link struct {
	Token     string    `json:"-"`
	Path      string    `json:"-"`
	ExpiresAt time.Time `json:"expires_at"`
}

// IssueLink makes a short-lived link for path under p's session: it ends at
// LinkTTL or when that session ends, whichever is first. The caller decides
// which paths may be linked.
func (s *Service) IssueLink(ctx context.Context, p Principal, path string) (Link, error) {
	if p.Session == "" {
		return Link{}, apperr.Errorf(apperr.Unauthorized, "请先登录。")
	}
	var l Link
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		l = Link{Path: path, ExpiresAt: tx.Now.Add(LinkTTL)}
		var th string
		l.Token, th = newToken()
		if _, err := tx.ExecContext(ctx, `DELETE FROM url_token WHERE expires_at < ?`, store.FormatTime(tx.Now)); err != nil {
			return fmt.Errorf("drop expired links: %w", err)
		}
		_, err := tx.ExecContext(ctx,
			`INSERT INTO url_token (token_hash, staff_id, session_hash, path, workstation, created_at, expires_at) VALUES (?,?,?,?,?,?,?)`,
			th, p.ID, p.Session, path, p.Workstation, store.FormatTime(tx.Now), store.FormatTime(l.ExpiresAt))
		if err != nil {
			return fmt.Errorf("issue link for %s: %w", p.Login, err)
		}
		return nil
	})
	return l, err
}

// IssueSubscription makes p's calendar subscription link for path, replacing
// the one p had: it outlives the session (a calendar app polls it) for
// SubscriptionTTL, and ends with a new one, RevokeSubscriptions, a password
// change or reset, or deactivation.
func (s *Service) IssueSubscription(ctx context.Context, p Principal, path string) (Link, error) {
	var l Link
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		l = Link{Path: path, ExpiresAt: tx.Now.Add(SubscriptionTTL)}
		var th string
		l.Token, th = newToken()
		if _, err := tx.ExecContext(ctx, `DELETE FROM url_token WHERE staff_id = ? AND session_hash IS NULL`, p.ID); err != nil {
			return fmt.Errorf("replace subscription of %s: %w", p.Login, err)
		}
		_, err := tx.ExecContext(ctx,
			`INSERT INTO url_token (token_hash, staff_id, session_hash, path, workstation, created_at, expires_at) VALUES (?,?,NULL,?,?,?,?)`,
			th, p.ID, path, "calendar", store.FormatTime(tx.Now), store.FormatTime(l.ExpiresAt))
		if err != nil {
			return fmt.Errorf("issue subscription for %s: %w", p.Login, err)
		}
		return audit.Record(ctx, tx, p.Actor(), "staff.calendar_link", p.Login, "issued")
	})
	return l, err
}

// RevokeSubscriptions ends p's calendar subscription link.
func (s *Service) RevokeSubscriptions(ctx context.Context, p Principal) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM url_token WHERE staff_id = ? AND session_hash IS NULL`, p.ID); err != nil {
			return fmt.Errorf("revoke subscription of %s: %w", p.Login, err)
		}
		return audit.Record(ctx, tx, p.Actor(), "staff.calendar_link", p.Login, "revoked")
	})
}

// AuthenticateLink returns the person behind a URL token presented for path,
// or unauthorized when the token is unknown, made for another path, expired,
// its session ended, or its account is no longer active. The caller allows
// links on reading routes only.
func (s *Service) AuthenticateLink(ctx context.Context, token, path string) (Principal, error) {
	refused := apperr.Errorf(apperr.Unauthorized, "链接已失效，请重新打开。")
	if token == "" {
		return Principal{}, refused
	}
	now := s.clock.Now()
	var p Principal
	var active, alive int
	var bound, expires string
	var session sql.NullString
	err := s.db.Read().QueryRowContext(ctx, `
		SELECT s.id, s.site_id, s.login, s.name, s.role, s.active, s.created_at, u.workstation, u.path, u.expires_at, u.session_hash,
			u.session_hash IS NULL OR EXISTS (SELECT 1 FROM session se WHERE se.token_hash = u.session_hash AND se.expires_at > ?)
		FROM url_token u JOIN staff s ON s.id = u.staff_id WHERE u.token_hash = ?`, store.FormatTime(now), hashToken(token)).
		Scan(&p.ID, &p.SiteID, &p.Login, &p.Name, &p.Role, &active, &p.CreatedAt, &p.Workstation, &bound, &expires, &session, &alive)
	if errors.Is(err, sql.ErrNoRows) {
		return Principal{}, refused
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate link: %w", err)
	}
	p.Active = active == 1
	p.Session = session.String
	until, err := store.ParseTime(expires)
	if err != nil || !now.Before(until) || bound != path || alive != 1 || !p.Active {
		return Principal{}, refused
	}
	return p, nil
}
