package county

import (
	"context"
	"time"
)

// Site is one site in the county's registry as county staff see it.
type Site struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Kind        string     `json:"kind"`
	EnrolledAt  *time.Time `json:"enrolled_at"`
	LastSyncAt  *time.Time `json:"last_sync_at"`
	Records     int        `json:"records"`
	Pending     int        `json:"pending"`
	Dead        int        `json:"dead"`
	SkewSeconds int        `json:"skew_seconds"`
	// SkewFlagged is set by Service.Sites when the skew is over SkewWarn.
	SkewFlagged bool `json:"skew_flagged"`
	Revoked     bool `json:"revoked"`
}

// Record is one site record at its latest version. Version counts the
// changes the county applied to it, in the site's outbox order.
type Record struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
	Data      any       `json:"data"`
}

// AuditEvent is one line of the county's own audit log: a refused request,
// an enrolment, a revocation.
type AuditEvent struct {
	At     time.Time `json:"at"`
	SiteID string    `json:"site_id"`
	Event  string    `json:"event"`
	Detail string    `json:"detail"`
	Remote string    `json:"remote"`
}

// Store is what the county server keeps. SQLiteStore and PostgresStore
// implement it.
type Store interface {
	// SetAdmin sets the county admin's bcrypt password hash.
	SetAdmin(ctx context.Context, login, hash string) error
	// AdminHash returns the admin's password hash, "" when there is none.
	AdminHash(ctx context.Context, login string) (string, error)
	// AddSession keeps a county staff session by its token's digest.
	AddSession(ctx context.Context, tokenHash, login string, expires time.Time) error
	// Session returns the login of a session unexpired at now, or "".
	Session(ctx context.Context, tokenHash string, now time.Time) (string, error)

	// CreateSite registers a site and a one-time enrolment code for it.
	CreateSite(ctx context.Context, id, name, kind, secretHash string, now, expires time.Time) error
	// Enroll uses a code once: it gives the code's site the credential
	// and returns the site. A used, expired or unknown code is an
	// apperr.Invalid error.
	Enroll(ctx context.Context, secretHash string, credential []byte, now time.Time) (Site, error)
	// Credential returns a site's credential and whether it is revoked;
	// apperr.NotFound for an unknown or unenrolled site.
	Credential(ctx context.Context, siteID string) (cred []byte, revoked bool, err error)
	// SeeNonce records a nonce and reports whether it was new; nonces
	// older than keepFrom are forgotten.
	SeeNonce(ctx context.Context, siteID, nonce string, now, keepFrom time.Time) (bool, error)
	// NoteSkew records a site's clock skew at a request.
	NoteSkew(ctx context.Context, siteID string, skewSeconds int) error
	// Apply applies a batch in one transaction, each entry at most once
	// per (site, entry id), and records the site's reported counts and
	// the time of this successful sync. The reply's Held is the number of
	// distinct entries the county holds for the site after the batch.
	Apply(ctx context.Context, siteID string, req PushRequest, now time.Time) (PushReply, error)
	// Missing returns those of ids (a site's delivered entry ids) the
	// county does not hold for the site.
	Missing(ctx context.Context, siteID string, ids []string) ([]string, error)
	// Revoke refuses the site from now on.
	Revoke(ctx context.Context, siteID string, now time.Time) error

	// Sites lists the registry.
	Sites(ctx context.Context) ([]Site, error)
	// Records pages a site's records of one kind (all kinds when kind is
	// ""), each once at its latest version, after the cursor.
	Records(ctx context.Context, siteID, kind, after string, limit int) ([]Record, string, error)
	// Audit appends to the county's audit log; AuditLog reads it back,
	// newest first.
	Audit(ctx context.Context, e AuditEvent) error
	AuditLog(ctx context.Context, limit int) ([]AuditEvent, error)

	// PublishDataset stores d's payload as the next version of its kind
	// (Version, Checksum, Size and PublishedAt are set here) and returns
	// it without the payload.
	PublishDataset(ctx context.Context, d Dataset, now time.Time) (Dataset, error)
	// LatestDatasets returns the newest version of each published kind,
	// without payloads.
	LatestDatasets(ctx context.Context) ([]Dataset, error)
	// Dataset returns one version with its payload; apperr.NotFound when
	// there is none.
	Dataset(ctx context.Context, kind string, version int64) (Dataset, error)

	// Relay keeps from's public relay key (when key is not nil) and its
	// messages, each once per (from, message id), in one transaction;
	// messages it may not send are listed in the reply's Rejected (see
	// relay.go) and not kept.
	Relay(ctx context.Context, from string, key []byte, msgs []RelayMessage, now time.Time) (RelayReply, error)
	// RelayInbox returns up to limit messages addressed to to with seq
	// after after, in seq order.
	RelayInbox(ctx context.Context, to string, after int64, limit int) ([]RelayMessage, error)
	// Centres lists the sites proxy cases may be addressed to.
	Centres(ctx context.Context) ([]Centre, error)
	// InspectionRows loads what the inspection of a date (the day holding
	// date, Shanghai time) is computed from (see Inspect).
	InspectionRows(ctx context.Context, date time.Time) (InspectionRows, error)
	// RankingRows loads the figures of the days from..to inclusive the
	// county's ranking is computed from (see RankCounty).
	RankingRows(ctx context.Context, from, to time.Time) (RankingRows, error)

	Close() error
}
