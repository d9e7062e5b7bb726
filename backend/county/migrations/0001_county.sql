-- The county server: its admin, the site registry and enrolment codes,
-- every site's records at their latest version with their history, the
-- nonces seen recently and the county's own audit log.

CREATE TABLE county_admin (
    login          TEXT PRIMARY KEY,
    password_hash  TEXT NOT NULL
);

CREATE TABLE county_session (
    token_hash  TEXT PRIMARY KEY,
    login       TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

CREATE TABLE site (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    credential     BLOB,
    created_at     TEXT NOT NULL,
    enrolled_at    TEXT,
    last_sync_at   TEXT,
    skew_seconds   INTEGER NOT NULL DEFAULT 0,
    pending        INTEGER NOT NULL DEFAULT 0,
    dead           INTEGER NOT NULL DEFAULT 0,
    revoked_at     TEXT
);

CREATE TABLE enrol_code (
    secret_hash  TEXT PRIMARY KEY,
    site_id      TEXT NOT NULL REFERENCES site(id),
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);

-- A nonce is kept a little longer than MaxSkew: a replay older than that
-- is refused for its time.
CREATE TABLE nonce (
    site_id  TEXT NOT NULL,
    nonce    TEXT NOT NULL,
    seen_at  TEXT NOT NULL,
    PRIMARY KEY (site_id, nonce)
);

-- applied makes delivery idempotent per (site, outbox entry id).
CREATE TABLE applied (
    site_id   TEXT NOT NULL,
    entry_id  TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (site_id, entry_id)
);

CREATE TABLE record (
    site_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (site_id, kind, id)
);

CREATE TABLE record_history (
    site_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    entry_id    TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    change      TEXT NOT NULL,
    at          TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (site_id, kind, id, version)
);

CREATE TABLE county_audit (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    site_id  TEXT NOT NULL,
    event    TEXT NOT NULL,
    detail   TEXT NOT NULL,
    remote   TEXT NOT NULL
);
