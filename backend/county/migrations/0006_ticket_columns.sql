-- A year's ranking counts the tickets each person served: a million
-- tickets of 440 sites, each read through its JSON payload. The three
-- fields the count needs become columns the database computes from the
-- payload for tickets only, and one index holds the completed tickets by
-- day, site and person, so the count reads that index alone. The columns
-- are virtual: the index stores them, the table does not. PostgreSQL's
-- migration 0004_ticket_columns.sql adds the same columns and index.

ALTER TABLE record ADD COLUMN ticket_day TEXT
    GENERATED ALWAYS AS (CASE WHEN kind = 'ticket' THEN json_extract(data, '$.day') END) VIRTUAL;
ALTER TABLE record ADD COLUMN ticket_status TEXT
    GENERATED ALWAYS AS (CASE WHEN kind = 'ticket' THEN json_extract(data, '$.status') END) VIRTUAL;
ALTER TABLE record ADD COLUMN ticket_served_by TEXT
    GENERATED ALWAYS AS (CASE WHEN kind = 'ticket' THEN json_extract(data, '$.served_by') END) VIRTUAL;

CREATE INDEX record_ticket_served ON record (ticket_day, site_id, ticket_served_by)
    WHERE kind = 'ticket' AND ticket_status = 'completed';
