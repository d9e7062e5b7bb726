-- The duty desk (plan tasks 9 and 13): the call log (值班电话登记) and the
-- whereabouts messages (去向留言).

-- One phone call to the duty desk. The caller's name and phone are sealed
-- (secret.SealContact, aad "call/<id>/…") with the phone's keyed hash beside,
-- so the file holds neither in the clear. A referral keeps the department's
-- office and phone as they were when the call was referred.
CREATE TABLE call_log (
    id                 TEXT PRIMARY KEY,
    site_id            TEXT NOT NULL,
    at                 TEXT NOT NULL,
    caller_name        TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL,
    phone_index        TEXT NOT NULL,
    village            TEXT NOT NULL DEFAULT '',
    need               TEXT NOT NULL,
    category           TEXT NOT NULL CHECK (category IN ('consult','business','proxy','complaint','urgent','other')),
    handling           TEXT NOT NULL DEFAULT '',
    referral           TEXT NOT NULL DEFAULT 'none' CHECK (referral IN ('none','hotline','problem_window','department')),
    referral_department TEXT NOT NULL DEFAULT '',
    referral_office    TEXT NOT NULL DEFAULT '',
    referral_phone     TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL CHECK (status IN ('open','referred','booked','case','closed')),
    booking_id         TEXT NOT NULL DEFAULT '',
    case_id            TEXT NOT NULL DEFAULT '',
    taken_by           TEXT NOT NULL,
    taken_by_name      TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX call_log_at ON call_log (at);
CREATE INDEX call_log_phone ON call_log (phone_index, at);

-- A staff member away from their window: where, until when, and which
-- colleague covers the window meanwhile (服务双岗). cleared_at is set on
-- return, when a newer message replaces it, or once back_at and the grace
-- period have passed.
CREATE TABLE whereabouts (
    id               TEXT PRIMARY KEY,
    site_id          TEXT NOT NULL,
    staff_id         TEXT NOT NULL REFERENCES staff(id),
    staff_name       TEXT NOT NULL,
    window           INTEGER NOT NULL DEFAULT 0,
    place            TEXT NOT NULL,
    back_at          TEXT NOT NULL,
    covered_by_id    TEXT NOT NULL DEFAULT '',
    covered_by_name  TEXT NOT NULL DEFAULT '',
    set_by           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    cleared_at       TEXT,
    cleared_by       TEXT NOT NULL DEFAULT '',
    cleared_reason   TEXT NOT NULL DEFAULT '' CHECK (cleared_reason IN ('','returned','replaced','expired'))
);
CREATE INDEX whereabouts_current ON whereabouts (back_at) WHERE cleared_at IS NULL;
CREATE UNIQUE INDEX whereabouts_one_per_staff ON whereabouts (staff_id) WHERE cleared_at IS NULL;
