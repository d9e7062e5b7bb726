-- Duty roster (值班排班). Shift definitions, the site's rules and the duty
-- phone live in the setting 'roster.setup'; these tables hold what people
-- declare and what the head drafts and publishes.

-- A run of dates, inclusive, a person cannot be on duty (leave, training…).
CREATE TABLE roster_unavailable (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    staff_id    TEXT NOT NULL REFERENCES staff(id),
    from_date   TEXT NOT NULL,
    to_date     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX roster_unavailable_staff ON roster_unavailable (staff_id, from_date);

-- A roster for a period of at most a quarter. carry is the JSON map of the
-- load each person brought over from the previous published plan; its keys
-- are everyone the plan was drafted for.
CREATE TABLE roster_plan (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL,
    from_date     TEXT NOT NULL,
    to_date       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft','published')),
    carry         TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    published_at  TEXT,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX roster_plan_period ON roster_plan (status, from_date, to_date);

-- One place on one shift on one date; staff_id NULL is a vacant place and
-- reason says why nobody could take it.
CREATE TABLE roster_assignment (
    id          TEXT PRIMARY KEY,
    plan_id     TEXT NOT NULL REFERENCES roster_plan(id) ON DELETE CASCADE,
    date        TEXT NOT NULL,
    shift_id    TEXT NOT NULL,
    start_at    TEXT NOT NULL,
    end_at      TEXT NOT NULL,
    staff_id    TEXT REFERENCES staff(id),
    weight      REAL NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX roster_assignment_plan ON roster_assignment (plan_id, start_at);
CREATE INDEX roster_assignment_time ON roster_assignment (start_at, end_at);

-- A plan's history: drafted, each edit (who had the place before), published.
CREATE TABLE roster_plan_event (
    id          TEXT PRIMARY KEY,
    plan_id     TEXT NOT NULL REFERENCES roster_plan(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX roster_plan_event_plan ON roster_plan_event (plan_id, at);
