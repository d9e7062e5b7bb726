-- Proxy cases across sites (issue 13 point 5): a village room addresses its
-- cases to a town centre; they travel through the county as relay
-- messages, and the centre's status of each comes back the same way.

-- Messages this site sends through the county, in the order written. A
-- row is sent once the county acknowledged it (sent_at); refused says why
-- the county would not take it. The id makes delivery idempotent.
CREATE TABLE relay_out (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    to_site     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('case','status')),
    case_id     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    refused     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX relay_out_pending ON relay_out(seq) WHERE sent_at IS NULL;

-- The county seq of the last message this site applied from its inbox:
-- moved in the same transaction as the message's effect.
CREATE TABLE relay_cursor (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    after  INTEGER NOT NULL
);

-- On a village room: the town centre its proxy cases are addressed to,
-- picked once by the administrator from the county's list, with the
-- centre's public relay key that cases are sealed to.
CREATE TABLE relay_centre (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    site_id     TEXT NOT NULL,
    name        TEXT NOT NULL,
    public_key  BLOB NOT NULL,
    chosen_at   TEXT NOT NULL,
    chosen_by   TEXT NOT NULL
);

-- On a village room: the centre each relayed case was handed to; only that
-- centre's status messages move the case.
CREATE TABLE proxy_relay (
    case_id         TEXT PRIMARY KEY REFERENCES proxy_case(id),
    centre_site_id  TEXT NOT NULL,
    centre_name     TEXT NOT NULL,
    sent_at         TEXT NOT NULL
);

-- On a town centre: a proxy case handed over by a village room through the
-- county, keyed by the sending site and the case's id there. The villager's
-- name, ID number and phone and the checklist are sealed with this site's
-- key, as local proxy cases are. The centre only accepts it into a window
-- case and records the result as ready; the village room owns the rest.
CREATE TABLE proxy_inbound (
    id                  TEXT PRIMARY KEY,
    origin_site         TEXT NOT NULL,
    origin_case         TEXT NOT NULL,
    origin_name         TEXT NOT NULL,
    number              TEXT NOT NULL,
    owner_name          TEXT NOT NULL,
    village_name        TEXT NOT NULL DEFAULT '',
    citizen_name        TEXT NOT NULL,
    id_number           TEXT NOT NULL,
    phone               TEXT NOT NULL,
    item_code           TEXT NOT NULL,
    item_name           TEXT NOT NULL,
    department          TEXT NOT NULL,
    limit_days          INTEGER NOT NULL,
    channel             TEXT NOT NULL,
    fee                 TEXT NOT NULL DEFAULT '',
    materials           TEXT NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('handed_over','accepted','result_ready')),
    state_since         TEXT NOT NULL,
    window_case_id      TEXT NOT NULL DEFAULT '',
    window_case_number  TEXT NOT NULL DEFAULT '',
    received_at         TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (origin_site, origin_case)
);
CREATE INDEX proxy_inbound_state ON proxy_inbound(state, state_since);
