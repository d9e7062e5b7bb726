-- A year's ranking counts the tickets each person served: a million
-- tickets of 440 sites. Read through the jsonb payload, every one cost a
-- heap fetch and three field lookups, and PostgreSQL answers no index-only
-- scan from an index on expressions. The three fields the count needs
-- become columns of their own, filled from the payload for tickets only
-- (NULL for every other kind), and one index holds the completed tickets
-- by day, site and person, so the count reads that index alone. The SQLite
-- migration 0006_ticket_columns.sql adds the same columns and index.
-- Stored columns rewrite the table once, under its lock: a county upgrading
-- a large database waits for that before the server answers.

ALTER TABLE record
    ADD COLUMN ticket_day text GENERATED ALWAYS AS (CASE WHEN kind = 'ticket' THEN data::jsonb ->> 'day' END) STORED,
    ADD COLUMN ticket_status text GENERATED ALWAYS AS (CASE WHEN kind = 'ticket' THEN data::jsonb ->> 'status' END) STORED,
    ADD COLUMN ticket_served_by text GENERATED ALWAYS AS (CASE WHEN kind = 'ticket' THEN data::jsonb ->> 'served_by' END) STORED;

CREATE INDEX record_ticket_served ON record (ticket_day, site_id, ticket_served_by)
    WHERE kind = 'ticket' AND ticket_status = 'completed';

DROP STATISTICS record_site_served;
