-- The hall's queue: service lines, windows, tickets and their daily
-- counters, key-value settings, and the ratings that follow a service.

CREATE TABLE setting (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE line (
    id                 TEXT PRIMARY KEY,
    site_id            TEXT NOT NULL,
    prefix             TEXT NOT NULL UNIQUE CHECK (length(prefix) = 1 AND prefix GLOB '[A-UW-Z]'),
    name               TEXT NOT NULL,
    opens              TEXT NOT NULL DEFAULT '08:30',
    closes             TEXT NOT NULL DEFAULT '17:30',
    daily_cap          INTEGER NOT NULL DEFAULT 0,
    warn_wait_minutes  INTEGER NOT NULL DEFAULT 30,
    active             INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE service_window (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL,
    number        INTEGER NOT NULL UNIQUE CHECK (number > 0),
    name          TEXT NOT NULL,
    lines         TEXT NOT NULL DEFAULT '',
    paused        INTEGER NOT NULL DEFAULT 0,
    pause_reason  TEXT NOT NULL DEFAULT '',
    staff_id      TEXT,
    staff_name    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

-- The last number given per prefix per day: numbers are never reused within
-- a day, because the counter commits in the same transaction as the ticket.
CREATE TABLE ticket_counter (
    day     TEXT NOT NULL,
    prefix  TEXT NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (day, prefix)
);

CREATE TABLE ticket (
    id              TEXT PRIMARY KEY,
    site_id         TEXT NOT NULL,
    day             TEXT NOT NULL,
    number          TEXT NOT NULL,
    line            TEXT NOT NULL,
    priority        INTEGER NOT NULL DEFAULT 0,
    priority_kind   TEXT NOT NULL DEFAULT '',
    appointment_id  TEXT NOT NULL DEFAULT '',
    due_at          TEXT,
    phone           TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT 'kiosk',
    status          TEXT NOT NULL CHECK (status IN ('waiting','called','held','skipped','completed','no_show','unserved')),
    window          INTEGER,
    target_window   INTEGER,
    issued_at       TEXT NOT NULL,
    queued_at       TEXT NOT NULL,
    called_at       TEXT,
    completed_at    TEXT,
    recalls         INTEGER NOT NULL DEFAULT 0,
    skips           INTEGER NOT NULL DEFAULT 0,
    served_by       TEXT NOT NULL DEFAULT '',
    transferred     INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (day, number)
);
-- Covers the count of tickets ahead, so a long queue is counted in the
-- index without reading the rows.
CREATE INDEX ticket_line_order ON ticket(day, line, status, target_window, priority, appointment_id, due_at, queued_at, number, id);
CREATE INDEX ticket_window ON ticket(day, window, status);
-- Call next walks these in queue order, however long the day's queue.
CREATE INDEX ticket_queue ON ticket(day, status, queued_at, number);
CREATE INDEX ticket_special ON ticket(day, status) WHERE priority = 1 OR appointment_id != '';

CREATE TABLE rating (
    id           TEXT PRIMARY KEY,
    site_id      TEXT NOT NULL,
    ticket_id    TEXT NOT NULL UNIQUE REFERENCES ticket(id),
    ticket_number TEXT NOT NULL,
    case_id      TEXT UNIQUE,
    window       INTEGER NOT NULL,
    staff_login  TEXT NOT NULL,
    level        INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    attitude     INTEGER NOT NULL CHECK (attitude BETWEEN 1 AND 5),
    efficiency   INTEGER NOT NULL CHECK (efficiency BETWEEN 1 AND 5),
    competence   INTEGER NOT NULL CHECK (competence BETWEEN 1 AND 5),
    reason       TEXT NOT NULL DEFAULT '',
    citizen_name TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE rectification (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    rating_id   TEXT NOT NULL UNIQUE REFERENCES rating(id),
    staff_login TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open','done','void')),
    note        TEXT NOT NULL DEFAULT '',
    closed_by   TEXT NOT NULL DEFAULT '',
    closed_at   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE return_call (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    rating_id   TEXT NOT NULL REFERENCES rating(id),
    called_by   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE appeal (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    rating_id   TEXT NOT NULL UNIQUE REFERENCES rating(id),
    filed_by    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending','upheld','rejected')),
    decided_by  TEXT NOT NULL DEFAULT '',
    decision    TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
