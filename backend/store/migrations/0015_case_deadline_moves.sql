-- A case deadline that a holiday arrangement stored later moved (a year the
-- deadline was first counted through weekends only, or a corrected
-- arrangement): the case's current holder sees it on the home screen until
-- they acknowledge it or for seven days.
CREATE TABLE case_deadline_move (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES case_file(id),
    year             INTEGER NOT NULL,
    old_due          TEXT NOT NULL,
    new_due          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_deadline_move_case ON case_deadline_move(case_id, created_at);
