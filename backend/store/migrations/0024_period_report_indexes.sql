-- The period reports (issue 14) read a period's cases by when they were
-- accepted and when they were closed, and its proxy cases by when they were
-- opened; in a year's 100,000 cases these are ranges, so each gets an index
-- (BenchmarkPeriodReports prints the plans).
CREATE INDEX case_accepted ON case_file(accepted_at) WHERE accepted_at IS NOT NULL;
CREATE INDEX case_closed ON case_file(closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX proxy_case_created ON proxy_case(created_at);
