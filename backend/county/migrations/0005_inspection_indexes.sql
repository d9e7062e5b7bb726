-- The county's inspection and ranking read pushed payloads by a few JSON
-- fields; each index holds exactly the expression its query names
-- (inspection_sql.go), and only the records of its kind.

CREATE INDEX record_ticket_day ON record (json_extract(data, '$.day'), site_id) WHERE kind = 'ticket';
CREATE INDEX record_case_closed ON record (json_extract(data, '$.closed_at')) WHERE kind = 'case';
CREATE INDEX record_case_running ON record (site_id)
    WHERE kind = 'case' AND json_extract(data, '$.status') IN ('accepted', 'transferred');
CREATE INDEX record_rating_created ON record (json_extract(data, '$.created_at')) WHERE kind = 'rating';
CREATE INDEX record_rating_open ON record (site_id)
    WHERE kind = 'rating' AND json_extract(data, '$.rectification.status') = 'open';
CREATE INDEX record_small_kinds ON record (kind) WHERE kind IN ('site', 'staff', 'duty');
