-- The county server on PostgreSQL: the same tables, columns and meaning as
-- the SQLite migrations 0001_county.sql and 0002_datasets.sql together.
-- Times stay TEXT in store.FormatTime's fixed-width UTC form and the text
-- that is ordered or paged by uses COLLATE "C", so sorting, comparisons and
-- Records' cursor behave byte for byte as in SQLite whatever the server's
-- locale, and the Go code reads both stores alike.

CREATE TABLE county_admin (
    login          TEXT PRIMARY KEY,
    password_hash  TEXT NOT NULL
);

CREATE TABLE county_session (
    token_hash  TEXT PRIMARY KEY,
    login       TEXT NOT NULL,
    expires_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE site (
    id             TEXT COLLATE "C" PRIMARY KEY,
    name           TEXT COLLATE "C" NOT NULL,
    kind           TEXT NOT NULL,
    credential     BYTEA,
    created_at     TEXT NOT NULL,
    enrolled_at    TEXT,
    last_sync_at   TEXT,
    skew_seconds   INTEGER NOT NULL DEFAULT 0,
    pending        INTEGER NOT NULL DEFAULT 0,
    dead           INTEGER NOT NULL DEFAULT 0,
    revoked_at     TEXT,
    held           BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE enrol_code (
    secret_hash  TEXT PRIMARY KEY,
    site_id      TEXT COLLATE "C" NOT NULL REFERENCES site(id),
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);

-- A nonce is kept a little longer than MaxSkew: a replay older than that
-- is refused for its time.
CREATE TABLE nonce (
    site_id  TEXT NOT NULL,
    nonce    TEXT NOT NULL,
    seen_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (site_id, nonce)
);

-- applied makes delivery idempotent per (site, outbox entry id).
CREATE TABLE applied (
    site_id   TEXT NOT NULL,
    entry_id  TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    PRIMARY KEY (site_id, entry_id)
);

CREATE TABLE record (
    site_id     TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    id          TEXT COLLATE "C" NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (site_id, kind, id)
);

CREATE TABLE record_history (
    site_id     TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    id          TEXT COLLATE "C" NOT NULL,
    version     BIGINT NOT NULL,
    entry_id    TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    change      TEXT NOT NULL,
    at          TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (site_id, kind, id, version)
);

CREATE TABLE county_audit (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TEXT NOT NULL,
    site_id  TEXT NOT NULL,
    event    TEXT NOT NULL,
    detail   TEXT NOT NULL,
    remote   TEXT NOT NULL
);

-- Published datasets, each version kept whole with its checksum.
CREATE TABLE dataset (
    kind          TEXT COLLATE "C" NOT NULL,
    version       BIGINT NOT NULL,
    schema        INTEGER NOT NULL,
    checksum      TEXT NOT NULL,
    note          TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    published_by  TEXT NOT NULL,
    payload       BYTEA NOT NULL,
    PRIMARY KEY (kind, version)
);
