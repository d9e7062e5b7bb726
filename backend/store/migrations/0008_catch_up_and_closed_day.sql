-- A desktop switched off at night misses its jobs: on start the registry runs
-- each job whose last run is older than its most recent scheduled time, and
-- notes which scheduled time that run made up for (caught_up_for). A job that
-- has never run is caught up from the time the registry first saw it
-- (seen_at, with last_run '' until it runs), so a new install makes nothing up.
ALTER TABLE job_run ADD COLUMN caught_up_for TEXT NOT NULL DEFAULT '';
ALTER TABLE job_run ADD COLUMN seen_at TEXT NOT NULL DEFAULT '';

-- A closed business day stays closed: no ticket is issued or called on it.
CREATE TABLE queue_day_closed (
    day         TEXT PRIMARY KEY,
    closed_at   TEXT NOT NULL,
    closed_by   TEXT NOT NULL
);

-- The one-time notice prints what the citizen should read: the clerk's note
-- (note) stays internal, the text for the citizen is its own field.
ALTER TABLE case_file ADD COLUMN supplement_note TEXT NOT NULL DEFAULT '';
