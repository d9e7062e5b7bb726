-- The county's published datasets as this site last applied them: one
-- cursor per kind, moved in the same transaction that applies a version,
-- so the site always works on its last complete copy.
CREATE TABLE county_dataset (
    kind        TEXT PRIMARY KEY,
    version     INTEGER NOT NULL,
    checksum    TEXT NOT NULL,
    applied_at  TEXT NOT NULL
);

-- The county's department directory (dataset "departments"), in the
-- county's order; replaced whole by each version.
CREATE TABLE county_department (
    position  INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    phone     TEXT NOT NULL,
    address   TEXT NOT NULL,
    hours     TEXT NOT NULL
);

-- The county's announcements to the sites (dataset "announcements");
-- replaced whole by each version. until is empty for no end.
CREATE TABLE county_announcement (
    position      INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    until         TEXT NOT NULL
);
