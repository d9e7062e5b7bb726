-- Village proxy service (帮办代办, issue 13): villages and the village rooms
-- that serve them, the assistants' public contact cards and the villages
-- each covers, and the proxy cases with their checklist and history.

-- A village (or residents' community) and the village room (村/社区便民服务室)
-- that serves it. A room is named by text: it is a place, not a site of this
-- database (a room that runs its own machine is a site of its own).
CREATE TABLE village (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    room        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- An assistant's public card: a work phone is public by design (plan task
-- 13), so none of it is sealed. The name is the staff member's.
CREATE TABLE assistant_card (
    staff_id    TEXT PRIMARY KEY REFERENCES staff(id),
    work_phone  TEXT NOT NULL DEFAULT '',
    wechat      TEXT NOT NULL DEFAULT '',
    hours       TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);

-- The villages an assistant covers; all in the one room the assistant
-- belongs to (the service checks it).
CREATE TABLE assistant_village (
    staff_id    TEXT NOT NULL REFERENCES staff(id),
    village_id  TEXT NOT NULL REFERENCES village(id),
    PRIMARY KEY (staff_id, village_id)
);

CREATE TABLE proxy_case (
    id                  TEXT PRIMARY KEY,
    site_id             TEXT NOT NULL,
    number              TEXT NOT NULL UNIQUE,
    owner_id            TEXT NOT NULL REFERENCES staff(id),
    owner_name          TEXT NOT NULL,
    village_id          TEXT NOT NULL DEFAULT '',
    village_name        TEXT NOT NULL DEFAULT '',
    -- Sealed (secret.Sealer), with keyed hashes beside them.
    citizen_name        TEXT NOT NULL,
    id_number           TEXT NOT NULL,
    phone               TEXT NOT NULL,
    id_index            TEXT NOT NULL,
    item_code           TEXT NOT NULL,
    item_name           TEXT NOT NULL,
    department          TEXT NOT NULL,
    limit_days          INTEGER NOT NULL,
    channel             TEXT NOT NULL CHECK (channel IN ('phone','wechat','walk_in','home_visit')),
    fee                 TEXT NOT NULL DEFAULT '',
    state               TEXT NOT NULL CHECK (state IN ('requested','materials_collected','handed_over','accepted','result_ready','returned')),
    state_since         TEXT NOT NULL,
    due_date            TEXT NOT NULL DEFAULT '',
    due_warning         TEXT NOT NULL DEFAULT '',
    window_case_id      TEXT NOT NULL DEFAULT '',
    window_case_number  TEXT NOT NULL DEFAULT '',
    return_method       TEXT NOT NULL DEFAULT '' CHECK (return_method IN ('','in_person','delivery','post')),
    note                TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX proxy_case_owner ON proxy_case(owner_id, state);
CREATE INDEX proxy_case_state ON proxy_case(state, state_since);
-- One running proxy case per villager and item: a second submission of the
-- same request is refused, not doubled.
CREATE UNIQUE INDEX proxy_case_running ON proxy_case(id_index, item_code) WHERE state <> 'returned';

CREATE TABLE proxy_counter (
    day   TEXT PRIMARY KEY,
    last  INTEGER NOT NULL
);

-- The checklist, copied from the item when the case opens.
CREATE TABLE proxy_material (
    case_id      TEXT NOT NULL REFERENCES proxy_case(id),
    idx          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    form         TEXT NOT NULL,
    count        INTEGER NOT NULL,
    required     INTEGER NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    collected    INTEGER NOT NULL DEFAULT 0,
    note         TEXT NOT NULL DEFAULT '',
    collected_at TEXT,
    collected_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, idx)
);

-- Every step: who, when, where.
CREATE TABLE proxy_event (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES proxy_case(id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL DEFAULT '',
    to_state    TEXT NOT NULL DEFAULT '',
    place       TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX proxy_event_case ON proxy_event(case_id, at);

-- Optional photos of collected materials, sealed like the villager's other
-- personal data (the image, base64, sealed per photo).
CREATE TABLE proxy_photo (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES proxy_case(id),
    idx           INTEGER NOT NULL,
    content_type  TEXT NOT NULL CHECK (content_type IN ('image/jpeg','image/png')),
    size          INTEGER NOT NULL,
    data          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX proxy_photo_case ON proxy_photo(case_id, idx);
