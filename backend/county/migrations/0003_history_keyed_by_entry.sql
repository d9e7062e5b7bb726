-- Ingest writes as few b-trees as a batch needs. The history is keyed by
-- (site, outbox entry id), which is what makes delivery idempotent, so the
-- separate applied table goes; history and record become WITHOUT ROWID
-- tables, each insert one b-tree instead of a table and its key index.
-- A record's versions are still unique: each is the record's version + 1,
-- written by the county's single writer.

CREATE TABLE record_history_new (
    site_id     TEXT NOT NULL,
    entry_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    change      TEXT NOT NULL,
    at          TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (site_id, entry_id)
) WITHOUT ROWID;
INSERT INTO record_history_new (site_id, entry_id, kind, id, version, seq, change, at, data)
    SELECT site_id, entry_id, kind, id, version, seq, change, at, data FROM record_history;
DROP TABLE record_history;
ALTER TABLE record_history_new RENAME TO record_history;
DROP TABLE applied;

CREATE TABLE record_new (
    site_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (site_id, kind, id)
) WITHOUT ROWID;
INSERT INTO record_new SELECT site_id, kind, id, version, updated_at, data FROM record;
DROP TABLE record;
ALTER TABLE record_new RENAME TO record;
