-- The county's inspection and ranking read pushed payloads by a few JSON
-- fields; each index holds exactly the expression its query names
-- (inspection_sql.go), and only the records of its kind. The SQLite
-- migration 0005_inspection_indexes.sql holds the same indexes.

CREATE INDEX record_ticket_day ON record ((data::jsonb ->> 'day'), site_id) WHERE kind = 'ticket';
CREATE INDEX record_case_closed ON record ((data::jsonb ->> 'closed_at')) WHERE kind = 'case';
CREATE INDEX record_case_running ON record (site_id)
    WHERE kind = 'case' AND (data::jsonb ->> 'status') IN ('accepted', 'transferred');
CREATE INDEX record_rating_created ON record ((data::jsonb ->> 'created_at')) WHERE kind = 'rating';
CREATE INDEX record_rating_open ON record (site_id)
    WHERE kind = 'rating' AND (data::jsonb #>> '{rectification,status}') = 'open';
CREATE INDEX record_small_kinds ON record (kind) WHERE kind IN ('site', 'staff', 'duty');
