// Package seed fills an initialised data directory with a year of a large
// centre's work — tickets, ratings with their rectifications, bookings,
// cases with materials and history, and the audit lines all of that leaves —
// so benchmarks and reports run against the volume a busy town centre
// reaches. Rows are written as the services write them: personal fields
// sealed with the data directory's own key beside their keyed hashes, the
// audit lines chained and signed through audit.Append, so every service
// reads them back and the chain verifies.
//
// The content is fixed by the scale and the clock's date: the same seed
// (rand.PCG) draws the same citizens, lines, statuses and times; only the
// seals' random nonces differ between runs.
package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/calendar"
	"budayang/backend/core"
	"budayang/backend/queue"
	"budayang/backend/store"
)

// Scale is how much a seeding writes.
type Scale struct {
	Name     string
	Days     int // working days back from yesterday
	Tickets  int
	Cases    int
	Ratings  int
	Bookings int
	Audit    int
	Clerks   int
}

// Year is a year of a large centre: 2,000 tickets a working day.
var Year = Scale{Name: "year", Days: 250, Tickets: 500_000, Cases: 100_000, Ratings: 200_000, Bookings: 50_000, Audit: 2_000_000, Clerks: 8}

// Test is a hundredth of Year over fewer days, for tests.
var Test = Scale{Name: "test", Days: 20, Tickets: 5_000, Cases: 1_000, Ratings: 2_000, Bookings: 500, Audit: 20_000, Clerks: 3}

// ScaleByName returns Year or Test.
func ScaleByName(name string) (Scale, error) {
	switch name {
	case Year.Name:
		return Year, nil
	case Test.Name:
		return Test, nil
	}
	return Scale{}, apperr.Errorf(apperr.Invalid, "未知的数据规模“%s”，可选 year 或 test。", name)
}

// ClerkPassword is the password of every seeded clerk (clerk01 …).
const ClerkPassword = "Seed-Clerk-2024"

// Counts is what a seeding wrote.
type Counts struct {
	Tickets, Cases, Ratings, Rectifications, Bookings, Audit int
}

// Run seeds c, which must be set up (budayang init) and hold no tickets
// yet. progress, when set, hears each finished day. Errors: an empty site,
// a site already in use.
func Run(ctx context.Context, c *core.Core, sc Scale, progress func(day string, done, of int)) (Counts, error) {
	st, err := c.Site.Get(ctx)
	if err != nil {
		return Counts{}, apperr.Errorf(apperr.Invalid, "请先运行 budayang init 完成首次设置，再生成数据。")
	}
	var n int
	if err := c.DB.Read().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM ticket) + (SELECT count(*) FROM case_file) + (SELECT count(*) FROM booking)`).Scan(&n); err != nil {
		return Counts{}, fmt.Errorf("seed: count rows: %w", err)
	}
	if n > 0 {
		return Counts{}, apperr.Errorf(apperr.Conflict, "数据目录中已有号票、办件或预约，只能在刚初始化的数据目录中生成数据。")
	}
	// The indexes of a year outgrow SQLite's default 2 MB page cache: give
	// the writer connection room while it seeds (it ends with the process).
	if err := c.DB.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `PRAGMA cache_size = -262144`)
		return err
	}); err != nil {
		return Counts{}, fmt.Errorf("seed: cache size: %w", err)
	}
	g := &gen{c: c, sc: sc, siteID: st.ID, rng: rand.New(rand.NewPCG(2024, 10))}
	if err := g.staffAndLines(ctx); err != nil {
		return Counts{}, err
	}
	if err := g.loadItems(ctx); err != nil {
		return Counts{}, err
	}
	if err := g.workingDays(ctx); err != nil {
		return Counts{}, err
	}
	for i := range g.past {
		if err := g.day(ctx, i); err != nil {
			return g.counts, err
		}
		if progress != nil {
			progress(calendar.FormatDate(g.past[i]), i+1, len(g.past))
		}
	}
	if err := g.futureBookings(ctx); err != nil {
		return g.counts, err
	}
	// The bulk of the file was written just now: fresh statistics let the
	// planner pick the indexes the services expect.
	if err := c.DB.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `ANALYZE`)
		return err
	}); err != nil {
		return g.counts, fmt.Errorf("seed: analyze: %w", err)
	}
	if err := c.DB.Checkpoint(ctx); err != nil {
		return g.counts, err
	}
	// Walk the whole chain once, as the nightly audit-verify job would have:
	// it proves the seeded lines verify and leaves the checkpoint the audit
	// page continues from.
	ver, err := c.Audit.Verify(ctx, true)
	if err != nil {
		return g.counts, err
	}
	if !ver.OK {
		return g.counts, fmt.Errorf("seed: the audit chain does not verify: %s", ver.Message)
	}
	return g.counts, nil
}

// share is the part of total that falls to slot i of n, so the parts add
// up to total exactly.
func share(total, i, n int) int { return total*(i+1)/n - total*i/n }

type clerk struct {
	id, login, name string
	window          int
}

type gen struct {
	c      *core.Core
	sc     Scale
	siteID string
	rng    *rand.Rand
	clerks []clerk
	lines  []queue.Line
	items  []item
	// past are the seeded working days, oldest first; future the working
	// days from today on, for deadlines and bookings ahead.
	past, future []time.Time
	counts       Counts
	idNumbers    int
}

// lineMix is the share of each line's tickets, in percent.
var lineMix = []struct {
	prefix, name string
	pct          int
}{
	{"A", "综合受理", 40}, {"B", "社保医保", 25}, {"C", "民政残联", 15}, {"D", "农业农村与不动产", 10}, {"E", "户籍与证明", 10},
}

func (g *gen) staffAndLines(ctx context.Context) error {
	var adminID string
	if err := g.c.DB.Read().QueryRowContext(ctx, `SELECT id FROM staff WHERE role = 'admin' ORDER BY created_at LIMIT 1`).Scan(&adminID); err != nil {
		return fmt.Errorf("seed: find the administrator: %w", err)
	}
	admin, err := g.c.Accounts.Get(ctx, adminID)
	if err != nil {
		return err
	}
	by := account.Principal{Staff: admin, Workstation: "seed"}
	for _, l := range lineMix {
		// SaveLine updates by prefix: line A from init keeps its id.
		line := queue.Line{Prefix: l.prefix, Name: l.name, Opens: "08:30", Closes: "17:30", WarnWaitMinutes: 30, Active: true}
		saved, err := g.c.Queue.SaveLine(ctx, by, line)
		if err != nil {
			return fmt.Errorf("seed: line %s: %w", l.prefix, err)
		}
		g.lines = append(g.lines, saved)
	}
	for i := range g.sc.Clerks {
		n := account.NewStaff{Login: fmt.Sprintf("clerk%02d", i+1), Name: g.personName(), Role: account.RoleClerk, Password: ClerkPassword}
		s, err := g.c.Accounts.Create(ctx, by, n)
		if err != nil {
			return fmt.Errorf("seed: clerk %s: %w", n.Login, err)
		}
		g.clerks = append(g.clerks, clerk{id: s.ID, login: s.Login, name: s.Name, window: i + 1})
	}
	for _, k := range g.clerks {
		// Every window serves every line; SaveWindow updates by number.
		w := queue.Window{Number: k.window, Name: fmt.Sprintf("%d号窗口", k.window)}
		if _, err := g.c.Queue.SaveWindow(ctx, by, w); err != nil {
			return fmt.Errorf("seed: window %d: %w", k.window, err)
		}
	}
	return nil
}

// workingDays finds sc.Days working days ending yesterday and the working
// days of the next three months, from the site's own calendar.
func (g *gen) workingDays(ctx context.Context) error {
	rules, err := g.c.Calendar.Rules(ctx)
	if err != nil {
		return err
	}
	today := calendar.Date(g.c.Clock.Now())
	for d := today.AddDate(0, 0, -1); len(g.past) < g.sc.Days; d = d.AddDate(0, 0, -1) {
		if today.Sub(d) > 3*365*24*time.Hour {
			return fmt.Errorf("seed: fewer than %d working days in three years", g.sc.Days)
		}
		if day := rules.Day(d); day.Workday && day.Open() {
			g.past = append([]time.Time{d}, g.past...)
		}
	}
	for d := today; d.Before(today.AddDate(0, 3, 0)); d = d.AddDate(0, 0, 1) {
		if day := rules.Day(d); day.Workday && day.Open() {
			g.future = append(g.future, d)
		}
	}
	return nil
}

// addWorkdays is the n-th working day after past[i] (n ≥ 1), reaching into
// the future days past the seeded ones.
func (g *gen) addWorkdays(i, n int) time.Time {
	j := i + n
	if j < len(g.past) {
		return g.past[j]
	}
	j -= len(g.past)
	if j < len(g.future) {
		return g.future[j]
	}
	return g.future[len(g.future)-1]
}
