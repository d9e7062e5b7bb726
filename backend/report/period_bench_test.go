package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"budayang/backend/core/coretest"
	"budayang/backend/report"
	year "budayang/backend/seed"
)

// BenchmarkPeriodReports runs every centre report over a year of a large
// centre: the seeder of `budayang seed --scale year` (package backend/seed,
// docs/seed.md) writes 500,000 tickets, 100,000 cases and 200,000 ratings
// over the 250 working days before the fixture's clock (2026-11-25), without
// the 2,000,000 audit lines no report reads. Each report is a sub-benchmark
// reporting ms/report; the target is under 1 s each. The loaders' query
// plans (EXPLAIN QUERY PLAN) are written to the benchmark log. Only
// `go test -bench` seeds: `go test` runs no benchmark.
func BenchmarkPeriodReports(b *testing.B) {
	st := coretest.Open(b)
	ctx := context.Background()
	sc := year.Year
	sc.Audit = sc.Bookings / 20 // the future bookings' lines only: no report reads the audit trail
	n, err := year.Run(ctx, st.Core, sc, nil)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("seeded %d tickets, %d cases, %d ratings\n", n.Tickets, n.Cases, n.Ratings)
	period := report.PeriodQuery{From: "2025-11-25", To: "2026-11-24"}
	p, err := report.ResolvePeriod(period, st.Clock.Now(), "2025-01-01")
	if err != nil {
		b.Fatal(err)
	}
	explain(b, st, p)

	full, err := st.Core.Reports.Period(ctx, st.Admin, period, report.ByStaff)
	if err != nil {
		b.Fatal(err)
	}
	served, clerk := 0, ""
	for _, r := range full.Rows {
		served += r.Served
		if r.Served > 0 && clerk == "" {
			clerk = r.Key
		}
	}
	if served < sc.Tickets*8/10 {
		b.Fatalf("the year read back %d tickets served, want about 90%% of %d", served, sc.Tickets)
	}

	reports := []struct {
		name string
		run  func() error
	}{
		{"Ranking", func() error { _, err := st.Core.Reports.Ranking(ctx, st.Admin, period); return err }},
		{"EvidenceServed", func() error {
			_, err := st.Core.Reports.Evidence(ctx, st.Admin, period, report.ByStaff, clerk, report.MeasureServed)
			return err
		}},
		{"PeriodXLSX", func() error {
			_, _, err := st.Core.Reports.PeriodXLSX(ctx, st.Admin, period, report.ByStaff)
			return err
		}},
		{"RankingXLSX", func() error { _, _, err := st.Core.Reports.RankingXLSX(ctx, st.Admin, period); return err }},
		{"Dashboard", func() error { _, err := st.Core.Reports.Dashboard(ctx, st.Admin); return err }},
		{"DashboardXLSX", func() error { _, _, err := st.Core.Reports.DashboardXLSX(ctx, st.Admin); return err }},
		{"Compliance", func() error { _, err := st.Core.Reports.Compliance(ctx, st.Admin); return err }},
	}
	for _, by := range []string{report.ByStaff, report.ByWindow, report.ByLine, report.ByItem, report.ByDepartment, report.ByVillage} {
		reports = append(reports, struct {
			name string
			run  func() error
		}{"PeriodBy" + strings.ToUpper(by[:1]) + by[1:], func() error {
			_, err := st.Core.Reports.Period(ctx, st.Admin, period, by)
			return err
		}})
	}
	for _, r := range reports {
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				if err := r.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/report")
		})
	}
}

// explain prints the loaders' query plans for every dimension over p: the
// benchmark's log (docs/benchmarks.md quotes it).
func explain(b *testing.B, st *coretest.Site, p report.Period) {
	b.Helper()
	for _, by := range []string{report.ByStaff, report.ByWindow, report.ByLine, report.ByItem, report.ByDepartment, report.ByVillage} {
		plan, err := report.ExplainPeriod(context.Background(), st.Core.DB.Read(), p, by)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Print(plan)
	}
}
