-- Home visits and market-day handovers of the village proxy service
-- (issue 13, points 3 and 4).

-- A village's place on its room's round: the assistant's route for a day
-- visits the villages in ascending position (the order of the road out from
-- the room), so an administrator records it once per room.
ALTER TABLE village ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

-- A home visit (上门服务) to an elderly, sick or disabled villager. The
-- villager's name and phone are sealed like a proxy case's.
CREATE TABLE home_visit (
    id            TEXT PRIMARY KEY,
    owner_id      TEXT NOT NULL REFERENCES staff(id),
    owner_name    TEXT NOT NULL,
    village_id    TEXT NOT NULL REFERENCES village(id),
    village_name  TEXT NOT NULL,
    citizen_name  TEXT NOT NULL,
    phone         TEXT NOT NULL,
    phone_index   TEXT NOT NULL,
    day           TEXT NOT NULL,
    start_min     INTEGER NOT NULL,
    minutes       INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    outcome       TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('','done','not_home','moved','declined','rescheduled')),
    outcome_note  TEXT NOT NULL DEFAULT '',
    outcome_at    TEXT NOT NULL DEFAULT '',
    case_id       TEXT NOT NULL DEFAULT '',
    case_number   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX home_visit_owner_day ON home_visit(owner_id, day, start_min);
CREATE INDEX home_visit_day ON home_visit(day);

-- A market-day handover batch: the cases an assistant hands to the centre
-- at once, printed as one list signed by both sides.
CREATE TABLE proxy_handover (
    id          TEXT PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    owner_id    TEXT NOT NULL REFERENCES staff(id),
    owner_name  TEXT NOT NULL,
    place       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE proxy_handover_case (
    handover_id  TEXT NOT NULL REFERENCES proxy_handover(id),
    case_id      TEXT NOT NULL REFERENCES proxy_case(id),
    position     INTEGER NOT NULL,
    PRIMARY KEY (handover_id, case_id)
);
