-- The working calendar (holiday arrangements entered here, the site's own
-- closures and openings, extended-hours windows) and appointments with their
-- reminders and the duty officer's call list. Office hours, the market-day
-- rule and slot sizes are settings (calendar.*, booking.*).

-- A year's holiday arrangement entered or imported here (or published by the
-- county); it replaces the built-in one for that year.
CREATE TABLE holiday_arrangement (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    year        INTEGER NOT NULL UNIQUE,
    source      TEXT NOT NULL CHECK (source IN ('site','county')),
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE calendar_override (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    date        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('closed','open')),
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE extended_window (
    id           TEXT PRIMARY KEY,
    site_id      TEXT NOT NULL,
    name         TEXT NOT NULL,
    weekdays     TEXT NOT NULL,
    season_from  TEXT NOT NULL DEFAULT '',
    season_to    TEXT NOT NULL DEFAULT '',
    start        TEXT NOT NULL,
    "end"        TEXT NOT NULL,
    on_holidays  INTEGER NOT NULL DEFAULT 0,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE booking (
    id              TEXT PRIMARY KEY,
    site_id         TEXT NOT NULL,
    line            TEXT NOT NULL,
    date            TEXT NOT NULL,
    slot_start      TEXT NOT NULL,
    slot_end        TEXT NOT NULL,
    slot_kind       TEXT NOT NULL CHECK (slot_kind IN ('office','market','extended')),
    staff_id        TEXT NOT NULL DEFAULT '',
    citizen_name    TEXT NOT NULL,
    phone           TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    channel         TEXT NOT NULL CHECK (channel IN ('phone','proxy','kiosk','window')),
    booked_by       TEXT NOT NULL,
    code            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('booked','checked_in','cancelled','no_show')),
    reason          TEXT NOT NULL DEFAULT '',
    reschedules     INTEGER NOT NULL DEFAULT 0,
    ticket_id       TEXT NOT NULL DEFAULT '',
    ticket_number   TEXT NOT NULL DEFAULT '',
    checked_in_at   TEXT,
    checked_in_late INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
-- One place per citizen per slot, and a check-in code names one open booking.
CREATE UNIQUE INDEX booking_phone_slot ON booking(phone, slot_start) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX booking_open_code ON booking(code) WHERE status = 'booked';
CREATE INDEX booking_slot ON booking(line, slot_start, status);
CREATE INDEX booking_date ON booking(date, status);
CREATE INDEX booking_staff ON booking(staff_id, slot_start) WHERE staff_id <> '';

-- Reminders already sent to the staff member named by an extended-hours
-- booking, so the five-minute job tells them once.
CREATE TABLE booking_reminder (
    booking_id  TEXT NOT NULL REFERENCES booking(id),
    kind        TEXT NOT NULL CHECK (kind IN ('day_before','hour_before')),
    staff_id    TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (booking_id, kind)
);

-- The duty officer's call list: built each afternoon for the days up to the
-- next working day, one row per booking to remind.
CREATE TABLE booking_call (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    list_date   TEXT NOT NULL,
    booking_id  TEXT NOT NULL REFERENCES booking(id),
    outcome     TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('','reached','no_answer','wrong_number')),
    called_by   TEXT NOT NULL DEFAULT '',
    called_at   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (list_date, booking_id)
);
