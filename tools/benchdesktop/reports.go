package main

// reportNotes explains BenchmarkPeriodReports (backend/report) under the Go
// benchmarks; its query plans are in the benchmark's own output.
const reportNotes = `
How to read the period reports (` + "`BenchmarkPeriodReports`" + `, backend/report): the seeder of ` + "`budayang seed --scale year`" + `
(backend/seed, [seed.md](seed.md); without the audit lines, which no report reads) writes 500,000 tickets,
100,000 cases and 200,000 ratings over the 250 working days before 2026-11-25, then every centre report
runs over that year (2025-11-25 to 2026-11-24): the period report by each of the six dimensions, the
ranking, one drill-down (a clerk's tickets served), the three workbooks, the dashboard and the
compliance page. *ms/report* is one report's time; the target is under 1 s. The benchmark prints the
loaders' query plans (EXPLAIN QUERY PLAN) before its figures: tickets come from the index
` + "`ticket_report`" + `, which holds each ticket's wait and handling time as whole seconds the database
computes (migration 0025), ratings are counted grouped from ` + "`rating_report`" + ` with the few appealed or
followed-up ones read again from the appeals and rectifications, cases by ` + "`case_accepted`" + ` OR
` + "`case_closed`" + ` (migration 0024). By staff, window and line the time is mostly the half million ticket
rows crossing from SQLite into Go (one cgo call a row, about half a microsecond), which the loader
tallies by group as they arrive rather than keeping; by item, department and village it is the cases
and proxy cases.
`
