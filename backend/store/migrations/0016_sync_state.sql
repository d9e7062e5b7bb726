-- The site's side of the county link that must survive restarts and travel
-- with the site's own backups: how many entries the county acknowledged as
-- applied (rejected ones aside), which a county restored from an older
-- backup falls below, and how many entries such a county lost that the site
-- had already pruned and so cannot send again.
CREATE TABLE sync_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    applied       INTEGER NOT NULL DEFAULT 0,
    unrecoverable INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_state (id) VALUES (1);
