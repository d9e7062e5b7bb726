-- The item catalog (一张清单) as published by the county or shipped with the
-- program, the site's own notes on items, and window cases (办件) with their
-- materials checklist and history. Citizens' names, ID numbers and phones
-- are sealed by backend/secret before they are written here.

-- One row per item; body is the item as JSON (materials, steps, basis …).
-- The catalog is owned by the county: a sync replaces every row at once.
CREATE TABLE catalog_item (
    code        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    department  TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- Which catalog is loaded: its source (builtin, county, site), its version.
CREATE TABLE catalog_meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    source      TEXT NOT NULL CHECK (source IN ('builtin','county','site')),
    version     TEXT NOT NULL,
    published   TEXT NOT NULL DEFAULT '',
    items       INTEGER NOT NULL,
    loaded_at   TEXT NOT NULL
);

-- A site's own note on an item (a local office hour, the village cadre to
-- ask). Keyed by item code and never touched by a catalog replacement, so it
-- survives the county's next update.
CREATE TABLE catalog_note (
    code        TEXT PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    site_id     TEXT NOT NULL,
    note        TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE case_file (
    id                 TEXT PRIMARY KEY,
    site_id            TEXT NOT NULL,
    number             TEXT NOT NULL UNIQUE,
    item_code          TEXT NOT NULL,
    item_name          TEXT NOT NULL,
    department         TEXT NOT NULL,
    limit_days         INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('consultation','accepted','awaiting_supplements','approved','certificate_issued','completed','rejected','transferred')),
    -- Sealed (secret.Sealer): "v1:" + base64 of nonce and ciphertext.
    citizen_name       TEXT NOT NULL,
    id_number          TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL,
    -- Keyed hash of the ID number, to find a citizen's cases without it.
    id_index           TEXT NOT NULL DEFAULT '',
    ticket_id          TEXT NOT NULL DEFAULT '',
    ticket_number      TEXT NOT NULL DEFAULT '',
    responsible_id     TEXT NOT NULL,
    responsible_name   TEXT NOT NULL,
    holder_id          TEXT NOT NULL,
    holder_name        TEXT NOT NULL,
    note               TEXT NOT NULL DEFAULT '',
    reason             TEXT NOT NULL DEFAULT '',
    result             TEXT NOT NULL DEFAULT '',
    transfer_to        TEXT NOT NULL DEFAULT '',
    accepted_at        TEXT,
    due_date           TEXT NOT NULL DEFAULT '',
    paused_days        INTEGER NOT NULL DEFAULT 0,
    supplement_since   TEXT,
    closed_at          TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX case_status ON case_file(status, due_date);
CREATE INDEX case_responsible ON case_file(responsible_id, status);
CREATE INDEX case_holder ON case_file(holder_id, status);
CREATE INDEX case_id_index ON case_file(id_index) WHERE id_index <> '';
CREATE INDEX case_ticket ON case_file(ticket_id) WHERE ticket_id <> '';

-- The materials checklist, copied from the item when the case opens so a
-- later catalog update does not change what the citizen was told.
CREATE TABLE case_material (
    case_id      TEXT NOT NULL REFERENCES case_file(id),
    idx          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    form         TEXT NOT NULL,
    count        INTEGER NOT NULL,
    required     INTEGER NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    received     INTEGER NOT NULL DEFAULT 0,
    received_at  TEXT,
    received_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, idx)
);

-- What happened to a case, for its own view; the audit log holds the same
-- with the hash chain.
CREATE TABLE case_event (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES case_file(id),
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    actor_name   TEXT NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT NOT NULL DEFAULT '',
    to_status    TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_event_case ON case_event(case_id, at);

-- The daily counter of case numbers (YYYYMMDD-NNN).
CREATE TABLE case_counter (
    day   TEXT PRIMARY KEY,
    last  INTEGER NOT NULL
);
