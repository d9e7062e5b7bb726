package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"budayang/backend/core/coretest"
	"budayang/backend/report"
	"budayang/backend/store"
)

// largeDay is a large centre's day as BenchmarkService_Dashboard seeds it:
// 3,000 tickets today over 4 lines and 8 windows (1,200 of them rated),
// 300 appointments, 40 open rectifications, 2,000 running cases among
// 20,000, and 60 earlier days of 1,000 tickets and 800 ratings each behind
// them, so the day's rows are read out of a larger file.
const (
	dayTickets    = 3000
	dayRatings    = 1200
	dayBookings   = 300
	pastDays      = 60
	pastTickets   = 1000
	pastRatings   = 800
	allCases      = 20000
	runningCases  = 2000
	openFollowUps = 40
)

var lines = []string{"A", "B", "C", "D"}

func seedLargeDay(b *testing.B, st *coretest.Site) {
	b.Helper()
	seed(b, st.Core.DB, func(s *seeder) error {
		for i, p := range lines[1:] {
			if err := s.exec(`INSERT INTO line (id, site_id, prefix, name, created_at, updated_at) VALUES (?,?,?,?,?,?)`,
				store.NewID(), s.siteID, p, "业务"+p, "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"); err != nil {
				return fmt.Errorf("line %d: %w", i, err)
			}
		}
		for n := 4; n <= 8; n++ {
			if err := s.exec(`INSERT INTO service_window (id, site_id, number, name, lines, created_at, updated_at) VALUES (?,?,?,?,'A,B,C,D',?,?)`,
				store.NewID(), s.siteID, n, fmt.Sprintf("%d号窗口", n), "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"); err != nil {
				return err
			}
		}
		open := at("08:30")
		day := func(d time.Time, tickets, ratings int, today bool) error {
			date := d.Format("2006-01-02")
			for i := range tickets {
				issued := d.Add(time.Duration(i) * 9 * time.Second)
				called := issued.Add(time.Duration(60+i%1800) * time.Second)
				done := called.Add(time.Duration(120+i%900) * time.Second)
				status := "completed"
				switch {
				case today && i >= tickets-120:
					status, called, done = "waiting", time.Time{}, time.Time{}
				case today && i >= tickets-128:
					status, done = "called", time.Time{}
				case i%50 == 0:
					status, done = "no_show", time.Time{}
				}
				id, err := s.ticket(date, lines[i%len(lines)], status, 1+i%8, i%40 == 0, issued, called, done)
				if err != nil {
					return err
				}
				if i < ratings && status == "completed" {
					if err := s.rating(id, 1+i%5, done.Add(time.Minute), "", "", ""); err != nil {
						return err
					}
				}
			}
			return nil
		}
		for k := pastDays; k >= 1; k-- {
			if err := day(open.AddDate(0, 0, -k), pastTickets, pastRatings, false); err != nil {
				return err
			}
		}
		if err := day(open, dayTickets, dayRatings, true); err != nil {
			return err
		}
		for i := range dayBookings {
			if err := s.booking("2026-11-25", []string{"booked", "checked_in", "cancelled", "no_show"}[i%4], open.Add(time.Duration(i%16)*30*time.Minute)); err != nil {
				return err
			}
		}
		for i := range allCases {
			status, due := "completed", "2026-10-01"
			if i < runningCases {
				status, due = []string{"accepted", "transferred", "awaiting_supplements"}[i%3], fmt.Sprintf("2026-11-%02d", 10+i%20)
			}
			if err := s.caseFile(status, due); err != nil {
				return err
			}
		}
		for i := range openFollowUps {
			id, err := s.ticket("2026-11-24", "A", "completed", 1, false, open.AddDate(0, 0, -1), open, open)
			if err != nil {
				return err
			}
			if err := s.rating(id, 1, open.AddDate(0, 0, -1), "", fmt.Sprintf("2026-11-%02d", 20+i%10), "open"); err != nil {
				return err
			}
		}
		return nil
	})
}

// BenchmarkService_Dashboard recomputes the head's full dashboard over a
// large centre's day (see largeDay), as the page does after each queue,
// booking, case or rating event: one read snapshot, the roster's duty board
// and the pure computation. The target is under 100 ms.
func BenchmarkService_Dashboard(b *testing.B) {
	st := coretest.Open(b)
	seedLargeDay(b, st)
	ctx := context.Background()
	d, err := st.Core.Reports.Dashboard(ctx, st.Admin)
	if err != nil {
		b.Fatal(err)
	}
	if d.Tickets.Issued != dayTickets || d.Ratings.Today == 0 || d.FollowUps.Open != openFollowUps {
		b.Fatalf("seeded day read back as %+v, ratings %+v", d.Tickets, d.Ratings)
	}
	for b.Loop() {
		if _, err := st.Core.Reports.Dashboard(ctx, st.Admin); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/dashboard")
}

// BenchmarkComputeDashboard is the computation alone over the same number
// of rows, without reading them.
func BenchmarkComputeDashboard(b *testing.B) {
	in := report.DashboardInput{Now: at("16:00"), Today: "2026-11-25", NextWorkday: "2026-11-26"}
	for _, p := range lines {
		in.Lines = append(in.Lines, report.LineName{Prefix: p, Name: p})
	}
	for i := range dayTickets {
		issued := at("08:30").Add(time.Duration(i) * 9 * time.Second)
		called := issued.Add(time.Duration(60+i%1800) * time.Second)
		in.Tickets = append(in.Tickets, report.TicketRow{Line: lines[i%4], Status: "completed", Window: 1 + i%8,
			IssuedAt: issued, CalledAt: called, CompletedAt: called.Add(time.Duration(120+i%900) * time.Second)})
	}
	for i := range dayRatings {
		in.Ratings = append(in.Ratings, report.RatingRow{Level: 1 + i%5})
	}
	for b.Loop() {
		report.ComputeDashboard(in)
	}
}
