-- Plan task 6 counts the self-service terminals (自助设备) a centre hosts:
-- at least 3 in an area centre, 2 in a sub-centre (副中心, a town, street or
-- township centre the county names so), 1 in every other town, street and
-- township centre. The site profile records both.
ALTER TABLE site ADD COLUMN terminals INTEGER NOT NULL DEFAULT 0 CHECK (terminals >= 0);
ALTER TABLE site ADD COLUMN sub_centre INTEGER NOT NULL DEFAULT 0 CHECK (sub_centre IN (0, 1));

-- The dashboard reads today's ratings and the open rectifications after
-- every event; in a year's data these are a day's slice and a few open rows
-- among hundreds of thousands, so each gets an index.
CREATE INDEX rating_created ON rating(created_at);
CREATE INDEX rectification_open ON rectification(due_date) WHERE status = 'open';
