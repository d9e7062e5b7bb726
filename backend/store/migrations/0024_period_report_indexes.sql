-- The period reports (issue 14) read a period's cases by when they were
-- accepted and when they were closed, and its proxy cases by when they were
-- opened; in a year's 100,000 cases these are ranges, so each gets an index
-- (BenchmarkPeriodReports prints the plans).
CREATE INDEX case_accepted ON case_file(accepted_at) WHERE accepted_at IS NOT NULL;
CREATE INDEX case_closed ON case_file(closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX proxy_case_created ON proxy_case(created_at);

-- A year's report reads every called ticket of the period: from this index
-- alone (it holds every column the report reads), not from the wide rows.
CREATE INDEX ticket_report ON ticket(day, served_by, window, line, status, issued_at, called_at, completed_at);
-- Ratings are counted by person, window and level from the index alone; the
-- few with an appeal or a rectification are read again to adjust (report
-- loaders).
CREATE INDEX rating_report ON rating(created_at, staff_login, window, level, ticket_number);
