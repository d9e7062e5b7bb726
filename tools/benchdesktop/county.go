package main

// countyNotes reads the county ingest figures (backend/county's
// BenchmarkCountyIngest) against their targets.
const countyNotes = `
How to read the county figures (` + "`BenchmarkCountyIngest`" + `, once on SQLite and once on the PostgreSQL
that ` + "`make bench`" + ` starts with ` + "`scripts/with-postgres --durable`" + `, default durability):

- *backlog-200k* is one site draining a year's backlog of 200,000 outbox records in the sync
  worker's batches of 500 through ` + "`Store.Apply`" + `: *s/200k* must stay under 60 s. *raw-rows/s* is the
  same rows inserted plainly (one prepared INSERT a row, one transaction a batch, a table shaped like
  ` + "`record_history`" + `) on the same database, and *ingest/raw* their ratio: the target is at least 1/3.
  PostgreSQL applies a batch in five set-based statements (` + "`unnest`" + ` arrays), so it beats row-by-row
  inserts that pay a round trip each; SQLite's Apply writes three rows a record (applied, record,
  history) with statements compiled afresh each time.
- *400-sites-at-once* is 400 sites pushing 250 records each at the same moment: SQLite takes them
  one writer at a time, PostgreSQL in parallel, each site's batches in order under its row lock.
- *https-50k* is the backlog's first 50,000 records as signed pushes through the real HTTPS handler.

How to read the county inspection figures (` + "`BenchmarkCountyInspection`" + `, both stores): 440 sites' year,
1.4 million records seeded straight into ` + "`record`" + ` (the seed is described in
` + "`backend/county/inspection_bench_test.go`" + `). *ms/inspection* is the 督查 view of one day
(` + "`GET /api/v1/county/inspection`" + `: every site's tickets, overdue cases, ratings, late follow-ups, duty cover
and staffing): the target is under 2000 ms on PostgreSQL. *ms/ranking* is the gold/silver/bronze ranking over
the whole year (` + "`GET /api/v1/county/ranking`" + `), which reads every ticket, case and rating of it. The plan of
every query follows the figures (` + "`EXPLAIN ANALYZE`" + ` on PostgreSQL, ` + "`EXPLAIN QUERY PLAN`" + ` on SQLite).
PostgreSQL reads the fields from a stored jsonb copy of each payload (` + "`record.doc`" + `); SQLite parses the text
with ` + "`json_extract`" + `, so its year ranking takes seconds. The ranking's largest read, the tickets each person
served, reads neither: a ticket's day, state and server are columns of their own with one index of the
completed tickets (migrations 0006 and PostgreSQL 0004), which took PostgreSQL's year from 1.2 s to about
0.8 s and SQLite's from 16 s to about 4 s. For a year PostgreSQL scans the table in parallel rather than the
index (most of the table is that year's tickets); for a month it reads the index.
`
