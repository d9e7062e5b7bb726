-- Records the county refused (bad data, a 4xx for that entry): kept with the
-- county's reason for the site admin, out of the outbox's way so the rows
-- behind them still go.
CREATE TABLE sync_dead (
    entry_id    TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    failed_at   TEXT NOT NULL
);
