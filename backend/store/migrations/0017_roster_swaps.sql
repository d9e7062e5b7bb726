-- Duty swaps (换班), handover notes (交接班) and the roster's reminders.

-- A proposal that the person on a published duty hands it to a colleague:
-- proposed by from_staff, accepted by to_staff, approved by the head, when
-- the duty changes hands; or declined or cancelled on the way. At most one
-- open (proposed or accepted) swap per duty.
CREATE TABLE roster_swap (
    id             TEXT PRIMARY KEY,
    site_id        TEXT NOT NULL,
    assignment_id  TEXT NOT NULL REFERENCES roster_assignment(id) ON DELETE CASCADE,
    from_staff     TEXT NOT NULL REFERENCES staff(id),
    to_staff       TEXT NOT NULL REFERENCES staff(id),
    status         TEXT NOT NULL CHECK (status IN ('proposed','accepted','approved','declined','cancelled')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    decided_by     TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX roster_swap_open ON roster_swap (assignment_id) WHERE status IN ('proposed','accepted');
CREATE INDEX roster_swap_people ON roster_swap (from_staff, to_staff, created_at);

-- A note from someone whose duty ends to whoever is on the next duty, which
-- begins at next_start; one of them acknowledges it.
CREATE TABLE roster_handover (
    id             TEXT PRIMARY KEY,
    site_id        TEXT NOT NULL,
    assignment_id  TEXT NOT NULL REFERENCES roster_assignment(id) ON DELETE CASCADE,
    from_staff     TEXT NOT NULL REFERENCES staff(id),
    next_start     TEXT NOT NULL,
    note           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    acked_at       TEXT,
    acked_by       TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX roster_handover_once ON roster_handover (assignment_id, from_staff);
CREATE INDEX roster_handover_pending ON roster_handover (acked_at, next_start);

-- Reminders sent, so a job run again (or caught up) sends none twice: kind
-- is day_before, hour_before, handover or vacant; ref the duty, handover or
-- date|shift; staff_id the person told.
CREATE TABLE roster_reminder (
    kind      TEXT NOT NULL,
    ref       TEXT NOT NULL,
    staff_id  TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    PRIMARY KEY (kind, ref, staff_id)
);
