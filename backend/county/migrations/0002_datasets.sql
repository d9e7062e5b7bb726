-- Published datasets, each version kept whole with its checksum, and per
-- site the number of distinct entries the county holds: a site that has
-- delivered more than that knows the county lost rows (restored from an
-- older backup) and resends them.

ALTER TABLE site ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
UPDATE site SET held = (SELECT count(*) FROM applied a WHERE a.site_id = site.id);

CREATE TABLE dataset (
    kind          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    schema        INTEGER NOT NULL,
    checksum      TEXT NOT NULL,
    note          TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    published_by  TEXT NOT NULL,
    payload       BLOB NOT NULL,
    PRIMARY KEY (kind, version)
);
