-- Relay of proxy cases between sites (issue 13): each site's public relay
-- key (X25519, for sealing a case end to end to it), and the messages the
-- county holds for their addressees. A case message's body is ciphertext
-- only its addressee can open; a status message carries no personal data.
-- Messages are stored once per (sender, message id); seq orders each
-- addressee's inbox, which it reads with its own cursor.

ALTER TABLE site ADD COLUMN relay_key BLOB;

CREATE TABLE relay_message (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    from_site    TEXT NOT NULL,
    id           TEXT NOT NULL,
    to_site      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('case','status')),
    case_id      TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    UNIQUE (from_site, id)
);
CREATE INDEX relay_message_inbox ON relay_message(to_site, seq);
CREATE INDEX relay_message_case ON relay_message(case_id, kind);
