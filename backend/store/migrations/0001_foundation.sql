-- Foundation: the site, staff and their sessions, the audit log, the outbox,
-- per-staff preferences and the scheduler's run history.

CREATE TABLE site (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('area','town','street','township','village')),
    population    INTEGER NOT NULL CHECK (population >= 0),
    floor_area_m2 INTEGER NOT NULL DEFAULT 0 CHECK (floor_area_m2 >= 0),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE staff (
    id               TEXT PRIMARY KEY,
    site_id          TEXT NOT NULL REFERENCES site(id),
    login            TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('admin','clerk','duty','assistant')),
    password_hash    TEXT NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1,
    failed_logins    INTEGER NOT NULL DEFAULT 0,
    locked_until     TEXT,
    close_to_tray    INTEGER,
    locale           TEXT NOT NULL DEFAULT 'zh-CN',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE session (
    token_hash   TEXT PRIMARY KEY,
    staff_id     TEXT NOT NULL REFERENCES staff(id),
    workstation  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX session_staff ON session(staff_id);

CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    site_id      TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    target       TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT '',
    workstation  TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

-- The audit log is append-only inside the application; edits made to the
-- file behind its back are caught by the hash chain.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX outbox_pending ON outbox(seq) WHERE sent_at IS NULL;

CREATE TABLE job_run (
    name        TEXT PRIMARY KEY,
    last_run    TEXT NOT NULL,
    last_error  TEXT NOT NULL DEFAULT ''
);
