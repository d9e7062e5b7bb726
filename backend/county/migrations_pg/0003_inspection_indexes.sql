-- The county's inspection and ranking read pushed payloads by a few JSON
-- fields. On PostgreSQL the payload is also kept parsed, as a stored
-- generated jsonb column: a year's ranking reads a million tickets, and
-- parsing each text payload again per query (three fields, three parses)
-- cost seconds; reading a field of stored jsonb costs next to nothing. Each
-- index holds exactly the expression its query names (inspection_sql.go),
-- and only the records of its kind. The SQLite migration
-- 0005_inspection_indexes.sql holds the same indexes over json_extract.

ALTER TABLE record ADD COLUMN doc jsonb GENERATED ALWAYS AS (data::jsonb) STORED;

CREATE INDEX record_ticket_day ON record ((doc ->> 'day'), site_id) WHERE kind = 'ticket';
CREATE INDEX record_case_closed ON record ((doc ->> 'closed_at')) WHERE kind = 'case';
CREATE INDEX record_case_running ON record (site_id)
    WHERE kind = 'case' AND (doc ->> 'status') IN ('accepted', 'transferred');
CREATE INDEX record_rating_created ON record ((doc ->> 'created_at')) WHERE kind = 'rating';
CREATE INDEX record_rating_open ON record (site_id)
    WHERE kind = 'rating' AND (doc #>> '{rectification,status}') = 'open';
CREATE INDEX record_small_kinds ON record (kind) WHERE kind IN ('site', 'staff', 'duty');

-- A year's ranking groups the tickets by site and the login that served
-- them: without the number of distinct pairs the planner guesses far too
-- many groups and sorts a million rows on disk instead of hashing.
CREATE STATISTICS record_site_served (ndistinct) ON site_id, (doc ->> 'served_by') FROM record;
