-- Paired hall devices: the kiosk, the rating pad and the display. A device
-- holds a long random credential of which only the SHA-256 is kept; a rating
-- pad is bound to one window. Revoking clears the credential at once and keeps
-- the row for the audit log's references.
CREATE TABLE device (
    id              TEXT PRIMARY KEY,
    site_id         TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('kiosk', 'rating_pad', 'display')),
    name            TEXT NOT NULL,
    window          INTEGER,
    credential_hash TEXT UNIQUE,
    paired_by       TEXT NOT NULL,
    paired_at       TEXT NOT NULL,
    revoked_at      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX device_active ON device(kind) WHERE revoked_at IS NULL;

-- A pairing the administrator opened: a one-time code (kept as its SHA-256)
-- valid until expires_at; pairing a device deletes it.
CREATE TABLE device_pairing (
    code_hash  TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('kiosk', 'rating_pad', 'display')),
    name       TEXT NOT NULL,
    window     INTEGER,
    created_by TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
