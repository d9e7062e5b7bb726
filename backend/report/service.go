package report

import (
	"context"
	"database/sql"
	"fmt"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/calendar"
	"budayang/backend/catalog"
	"budayang/backend/clock"
	"budayang/backend/roster"
	"budayang/backend/site"
	"budayang/backend/store"
)

// Service computes the centre's reports from its data; it never writes.
type Service struct {
	db      *store.DB
	clock   clock.Clock
	sites   *site.Service
	cal     *calendar.Service
	roster  *roster.Service
	catalog *catalog.Service
	// villages is nil until UseVillages: no villages to check.
	villages VillageSource
}

// VillageSource lists the site's villages with their assistants (the proxy
// service's registry).
type VillageSource func(ctx context.Context) ([]VillageAssistants, error)

// UseVillages sets where the compliance page counts assistants by village.
// Set it once, while the services are built.
func (s *Service) UseVillages(f VillageSource) { s.villages = f }

// NewService returns the report service.
func NewService(db *store.DB, clk clock.Clock, sites *site.Service, cal *calendar.Service, rs *roster.Service, cat *catalog.Service) *Service {
	return &Service{db: db, clock: clk, sites: sites, cal: cal, roster: rs, catalog: cat}
}

// Dashboard returns the centre today at the clock's time: in full for an
// administrator, compact (without the figures by line and by window) for a
// clerk or a duty officer. The figures come from one read snapshot, so they
// agree with each other. Errors: forbidden for any other role.
func (s *Service) Dashboard(ctx context.Context, by account.Principal) (Dashboard, error) {
	switch by.Role {
	case account.RoleAdmin, account.RoleClerk, account.RoleDuty:
	default:
		return Dashboard{}, apperr.Errorf(apperr.Forbidden, "只有管理员、窗口工作人员和值班人员可以查看工作台统计。")
	}
	now := s.clock.Now()
	next, err := s.cal.NextWorkday(ctx, now)
	if err != nil {
		return Dashboard{}, err
	}
	start := calendar.Date(now)
	in := DashboardInput{Now: now, Today: calendar.FormatDate(now), NextWorkday: calendar.FormatDate(next), Compact: by.Role != account.RoleAdmin}
	tx, err := s.db.Read().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	defer tx.Rollback()
	if in.Lines, in.Windows, err = loadNames(ctx, tx); err != nil {
		return Dashboard{}, err
	}
	if in.Tickets, err = loadTickets(ctx, tx, in.Today); err != nil {
		return Dashboard{}, err
	}
	if in.Bookings, err = loadBookings(ctx, tx, in.Today); err != nil {
		return Dashboard{}, err
	}
	if in.Cases, err = loadCases(ctx, tx); err != nil {
		return Dashboard{}, err
	}
	if in.Ratings, err = loadRatings(ctx, tx, start, start.AddDate(0, 0, 1)); err != nil {
		return Dashboard{}, err
	}
	if in.FollowUps, err = loadFollowUps(ctx, tx); err != nil {
		return Dashboard{}, err
	}
	d := ComputeDashboard(in)
	if d.Duty, err = s.roster.Now(ctx); err != nil {
		return Dashboard{}, err
	}
	return d, nil
}

// Compliance checks the site against the plan; administrators only. Duty
// cover is checked from today through the day before the same date next
// month. Errors: forbidden, not found before setup.
func (s *Service) Compliance(ctx context.Context, by account.Principal) (Compliance, error) {
	if by.Role != account.RoleAdmin {
		return Compliance{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以查看达标情况核对。")
	}
	sc, err := s.sites.Compliance(ctx)
	if err != nil {
		return Compliance{}, err
	}
	c := Compliance{Lines: SiteLines(sc)}
	var villages []VillageAssistants
	if s.villages != nil {
		if villages, err = s.villages(ctx); err != nil {
			return Compliance{}, err
		}
	}
	// With no village recorded, task 12 has nothing to be checked against.
	village, short := VillageLine(villages, len(villages) > 0)
	c.ShortVillages = short
	duty, gaps, from, to, err := s.dutyCover(ctx)
	if err != nil {
		return Compliance{}, err
	}
	c.Lines = append(c.Lines, village, duty)
	c.DutyGaps, c.From, c.To = gaps, from, to
	c.Lines = append(c.Lines, CatalogLines(s.catalog.Lists())...)
	return c, nil
}

func (s *Service) dutyCover(ctx context.Context) (ComplianceLine, []DutyGap, string, string, error) {
	today := calendar.Date(s.clock.Now())
	end := today.AddDate(0, 1, -1)
	from, to := calendar.FormatDate(today), calendar.FormatDate(end)
	setup, err := s.roster.Setup(ctx)
	if err != nil {
		return ComplianceLine{}, nil, "", "", err
	}
	rules, err := s.cal.Rules(ctx)
	if err != nil {
		return ComplianceLine{}, nil, "", "", err
	}
	plans, err := s.roster.Plans(ctx)
	if err != nil {
		return ComplianceLine{}, nil, "", "", err
	}
	var held []roster.Duty
	for _, p := range plans {
		if p.Status != roster.StatusPublished || p.To < from || p.From > to {
			continue
		}
		full, err := s.roster.Plan(ctx, p.ID)
		if err != nil {
			return ComplianceLine{}, nil, "", "", err
		}
		held = append(held, full.Assignments...)
	}
	line, gaps := DutyCover(roster.DaysOf(rules, today, end), setup.Shifts, held)
	return line, gaps, from, to, nil
}
