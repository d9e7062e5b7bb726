-- A year's period report reads half a million tickets, and with three
-- timestamps each as text the index entries were large and every row
-- crossed into Go as text to be parsed. The wait (issue to call) and the
-- handling time (call to completion) become columns the database computes
-- — in whole seconds, half up, from the milliseconds the times are written
-- with; -1 when the ticket never got that far — and the report's index
-- holds those two numbers instead of the three times. The columns are
-- virtual: the index stores them, the table does not.
ALTER TABLE ticket ADD COLUMN wait_s INTEGER GENERATED ALWAYS AS (
    CASE WHEN called_at IS NULL THEN -1
    ELSE (CAST(round((unixepoch(called_at, 'subsec') - unixepoch(issued_at, 'subsec')) * 1000) AS INTEGER) + 500) / 1000
    END) VIRTUAL;
ALTER TABLE ticket ADD COLUMN handle_s INTEGER GENERATED ALWAYS AS (
    CASE WHEN called_at IS NULL OR completed_at IS NULL THEN -1
    ELSE (CAST(round((unixepoch(completed_at, 'subsec') - unixepoch(called_at, 'subsec')) * 1000) AS INTEGER) + 500) / 1000
    END) VIRTUAL;
DROP INDEX ticket_report;
-- Only the tickets a report counts: called at least once, or not come.
CREATE INDEX ticket_report ON ticket(day, served_by, window, line, status, wait_s, handle_s)
    WHERE called_at IS NOT NULL OR status = 'no_show';
