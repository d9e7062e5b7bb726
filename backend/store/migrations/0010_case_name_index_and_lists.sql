-- A case is found by the citizen's name as by the ID number: a keyed hash
-- of the whole name (name_index) beside the sealed name, filled by the
-- cases service for rows written before it. The cases list, newest first,
-- reads its page from an index instead of sorting every case.
ALTER TABLE case_file ADD COLUMN name_index TEXT NOT NULL DEFAULT '';
CREATE INDEX case_name_index ON case_file(name_index, created_at) WHERE name_index <> '';
CREATE INDEX case_created ON case_file(created_at, number);

-- Start-up looks for rows still to seal or index and for the start of the
-- keyed audit chain; in a year's data these are none or one among millions,
-- so each search gets a partial index holding only what it looks for
-- (each query repeats its index's condition word for word, so the planner
-- can use it).
CREATE INDEX case_name_unindexed ON case_file(id) WHERE name_index = '' AND citizen_name <> '';
CREATE INDEX ticket_phone_plain ON ticket(id) WHERE phone <> '' AND phone NOT LIKE 'v1:%';
CREATE INDEX booking_plain ON booking(id) WHERE (phone <> '' AND phone NOT LIKE 'v1:%') OR (citizen_name <> '' AND citizen_name NOT LIKE 'v1:%');
CREATE INDEX rating_plain ON rating(id) WHERE (phone <> '' AND phone NOT LIKE 'v1:%') OR (citizen_name <> '' AND citizen_name NOT LIKE 'v1:%');
CREATE INDEX audit_log_rekey ON audit_log(seq) WHERE action = 'audit.rekey';
