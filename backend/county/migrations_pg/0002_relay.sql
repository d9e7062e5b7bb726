-- Relay of proxy cases between sites: as SQLite's 0004_relay.sql. An
-- addressee's messages are inserted under a lock of its site row, so seq
-- grows in commit order within each inbox and a cursor never skips one.

ALTER TABLE site ADD COLUMN relay_key BYTEA;

CREATE TABLE relay_message (
    seq          BIGSERIAL PRIMARY KEY,
    from_site    TEXT COLLATE "C" NOT NULL,
    id           TEXT COLLATE "C" NOT NULL,
    to_site      TEXT COLLATE "C" NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('case','status')),
    case_id      TEXT COLLATE "C" NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    UNIQUE (from_site, id)
);
CREATE INDEX relay_message_inbox ON relay_message(to_site, seq);
CREATE INDEX relay_message_case ON relay_message(case_id, kind);
