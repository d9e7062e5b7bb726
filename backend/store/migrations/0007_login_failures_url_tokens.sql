-- Failed logins are counted per login name and client address: a stranger's
-- guesses lock out the stranger's address, never the owner at another one,
-- and an unknown name is counted like a known one so the answers do not tell
-- who exists. staff.failed_logins and staff.locked_until are no longer read.
CREATE TABLE login_failure (
    login         TEXT NOT NULL,
    addr          TEXT NOT NULL,
    failed        INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (login, addr)
) WITHOUT ROWID;

-- URL tokens let a link carry a credential where a header cannot go (an
-- event stream, a PDF opened in a tab, a calendar subscription): each is
-- bound to one staff member and one path, read-only and expiring. A short
-- one belongs to the session that made it and ends with it; a calendar
-- subscription (session_hash NULL) lives longer until revoked.
CREATE TABLE url_token (
    token_hash    TEXT PRIMARY KEY,
    staff_id      TEXT NOT NULL REFERENCES staff(id),
    session_hash  TEXT,
    path          TEXT NOT NULL,
    workstation   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX url_token_staff ON url_token(staff_id);
CREATE INDEX url_token_session ON url_token(session_hash);
