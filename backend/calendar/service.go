package calendar

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/settings"
	"budayang/backend/site"
	"budayang/backend/store"
	"budayang/backend/textlimit"
)

// Changed is published after any change to the site's calendar.
const Changed = "calendar:changed"

// Settings keys owned by the calendar.
const (
	keyOfficeHours = "calendar.office_hours"
	keyMarket      = "calendar.market"
)

// MaxRange is the longest span GET /calendar returns at once.
const MaxRange = 400

// MaxWorkingDaysQuery bounds GET /calendar/working-days: at most this many
// working days added, and at most this many days between from and to, so
// one anonymous request cannot make the host count for seconds.
const MaxWorkingDaysQuery = 366

// Service reads and keeps the site's working calendar.
type Service struct {
	db       *store.DB
	clock    clock.Clock
	pub      events.Publisher
	sites    *site.Service
	builtin  []Arrangement
	closing  ClosingCheck
	arranged ArrangementHook
	cache    rulesCache
}

// NewService returns the calendar service. It fails only if the built-in
// holiday data shipped with the program does not parse.
func NewService(db *store.DB, clk clock.Clock, pub events.Publisher, sites *site.Service) (*Service, error) {
	b, err := Builtin()
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	return &Service{db: db, clock: clk, pub: pub, sites: sites, builtin: b}, nil
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// Rules is everything that decides the site's days, loaded once and kept
// until a calendar change commits. The result is shared: callers read it
// and never change its maps or slices.
func (s *Service) Rules(ctx context.Context) (Rules, error) {
	return s.cache.get(ctx, func(ctx context.Context) (Rules, error) {
		return s.load(ctx, s.db.Read(), func(key string, v any) error { return settings.Get(ctx, s.db, key, v) })
	})
}

// RulesTx is Rules inside a write transaction (a booking checks the day it
// books in the same transaction that writes it).
func (s *Service) RulesTx(ctx context.Context, tx *store.Tx) (Rules, error) {
	return s.load(ctx, tx, func(key string, v any) error { return settings.GetTx(ctx, tx, key, v) })
}

func (s *Service) load(ctx context.Context, q querier, get func(string, any) error) (Rules, error) {
	r := Rules{Office: DefaultOfficeHours(), Overrides: map[string]Override{}}
	if err := get(keyOfficeHours, &r.Office); err != nil {
		return Rules{}, err
	}
	if err := get(keyMarket, &r.Market); err != nil {
		return Rules{}, err
	}
	arrs, err := s.arrangements(ctx, q)
	if err != nil {
		return Rules{}, err
	}
	r.Legal = NewLegal(arrs...)
	if r.Extended, err = extendedWindows(ctx, q); err != nil {
		return Rules{}, err
	}
	rows, err := q.QueryContext(ctx, `SELECT date, kind, reason FROM calendar_override`)
	if err != nil {
		return Rules{}, fmt.Errorf("load closures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o Override
		if err := rows.Scan(&o.Date, &o.Kind, &o.Reason); err != nil {
			return Rules{}, fmt.Errorf("load closures: %w", err)
		}
		r.Overrides[o.Date] = o
	}
	return r, rows.Err()
}

// arrangements are the built-in ones with stored years in their place.
func (s *Service) arrangements(ctx context.Context, q querier) ([]Arrangement, error) {
	byYear := map[int]Arrangement{}
	for _, a := range s.builtin {
		byYear[a.Year] = a
	}
	rows, err := q.QueryContext(ctx, `SELECT source, body FROM holiday_arrangement`)
	if err != nil {
		return nil, fmt.Errorf("load holiday arrangements: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var src, body string
		if err := rows.Scan(&src, &body); err != nil {
			return nil, fmt.Errorf("load holiday arrangements: %w", err)
		}
		var a Arrangement
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			return nil, fmt.Errorf("load holiday arrangements: %w", err)
		}
		a.Source = src
		byYear[a.Year] = a
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Arrangement, 0, len(byYear))
	for _, a := range byYear {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, nil
}

func extendedWindows(ctx context.Context, q querier) ([]ExtendedWindow, error) {
	rows, err := q.QueryContext(ctx,
		`SELECT id, name, weekdays, season_from, season_to, start, "end", on_holidays FROM extended_window WHERE active = 1 ORDER BY start, id`)
	if err != nil {
		return nil, fmt.Errorf("load extended hours: %w", err)
	}
	defer rows.Close()
	out := []ExtendedWindow{}
	for rows.Next() {
		var w ExtendedWindow
		var wds string
		var hol int
		if err := rows.Scan(&w.ID, &w.Name, &wds, &w.SeasonFrom, &w.SeasonTo, &w.Start, &w.End, &hol); err != nil {
			return nil, fmt.Errorf("load extended hours: %w", err)
		}
		w.OnHolidays = hol == 1
		for _, f := range strings.Split(wds, ",") {
			if n, err := strconv.Atoi(f); err == nil {
				w.Weekdays = append(w.Weekdays, n)
			}
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// Day returns one date as the site works it.
func (s *Service) Day(ctx context.Context, date time.Time) (Day, error) {
	r, err := s.Rules(ctx)
	if err != nil {
		return Day{}, err
	}
	return r.Day(date), nil
}

// Range returns every date from from to to inclusive, and the warnings of
// years without an arrangement. Errors: invalid when to is before from or the
// range is longer than MaxRange days.
func (s *Service) Range(ctx context.Context, from, to time.Time) ([]Day, []string, error) {
	from, to = Date(from), Date(to)
	if to.Before(from) {
		return nil, nil, invalid("结束日期%s早于开始日期%s。", FormatDate(to), FormatDate(from))
	}
	if to.Sub(from) > MaxRange*24*time.Hour {
		return nil, nil, invalid("一次最多查询%d天。", MaxRange)
	}
	r, err := s.Rules(ctx)
	if err != nil {
		return nil, nil, err
	}
	days := []Day{}
	warnings := []string{}
	seen := map[string]bool{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		day := r.Day(d)
		days = append(days, day)
		if day.Warning != "" && !seen[day.Warning] {
			seen[day.Warning] = true
			warnings = append(warnings, day.Warning)
		}
	}
	return days, warnings, nil
}

// ErrNoWorkday is the conflict of a working-day count that finds no working
// day within ten years: the calendar is misconfigured.
var ErrNoWorkday = apperr.Errorf(apperr.Conflict, "十年内找不到工作日，请检查工作日历的设置。")

// AddWorkingDays returns 00:00 Shanghai of the n-th working day after from's
// Shanghai date; n = 0 returns from's date if it is a working day, else the
// next working day. Negative n counts back. Site closures are not working
// days; special openings are.
func (s *Service) AddWorkingDays(ctx context.Context, from time.Time, n int) (time.Time, error) {
	r, err := s.Rules(ctx)
	if err != nil {
		return time.Time{}, err
	}
	d, ok := r.AddWorkingDays(from, n)
	if !ok {
		return time.Time{}, ErrNoWorkday
	}
	return d, nil
}

// WorkingDaysBetween counts the working days after from's date up to and
// including to's date (negative when to is earlier).
func (s *Service) WorkingDaysBetween(ctx context.Context, from, to time.Time) (int, error) {
	r, err := s.Rules(ctx)
	if err != nil {
		return 0, err
	}
	return r.WorkingDaysBetween(from, to), nil
}

// IsWorkday reports whether day's Shanghai date is a working day here.
func (s *Service) IsWorkday(ctx context.Context, day time.Time) (bool, error) {
	r, err := s.Rules(ctx)
	if err != nil {
		return false, err
	}
	return r.IsWorkday(day), nil
}

// NextWorkday returns 00:00 Shanghai of the first working day after after's
// date.
func (s *Service) NextWorkday(ctx context.Context, after time.Time) (time.Time, error) {
	return s.AddWorkingDays(ctx, after, 1)
}

// Settings is the site's calendar configuration as the admin page shows it.
type Settings struct {
	OfficeHours  OfficeHours      `json:"office_hours"`
	Market       MarketRule       `json:"market"`
	Extended     []ExtendedWindow `json:"extended"`
	Overrides    []Override       `json:"overrides"`
	Arrangements []YearSummary    `json:"arrangements"`
}

// YearSummary says where a year's holiday arrangement comes from and what
// it holds: Holidays and Workdays are days, Festivals the named holidays.
type YearSummary struct {
	Year      int    `json:"year"`
	Source    string `json:"source"`
	Notice    string `json:"notice"`
	Holidays  int    `json:"holidays"`
	Festivals int    `json:"festivals"`
	Workdays  int    `json:"workdays"`
}

// Settings returns the configuration; overrides from 30 days ago on.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	r, err := s.Rules(ctx)
	if err != nil {
		return Settings{}, err
	}
	out := Settings{OfficeHours: r.Office, Market: r.Market, Extended: r.Extended, Overrides: []Override{}}
	if out.Market.Days == nil {
		out.Market.Days = []int{}
	}
	if out.Market.Hours == nil {
		out.Market.Hours = []WeeklySpan{}
	}
	since := FormatDate(s.clock.Now().AddDate(0, 0, -30))
	for _, o := range r.Overrides {
		if o.Date >= since {
			out.Overrides = append(out.Overrides, o)
		}
	}
	sort.Slice(out.Overrides, func(i, j int) bool { return out.Overrides[i].Date < out.Overrides[j].Date })
	arrs, err := s.arrangements(ctx, s.db.Read())
	if err != nil {
		return Settings{}, err
	}
	for _, a := range arrs {
		out.Arrangements = append(out.Arrangements, a.Summary())
	}
	return out, nil
}

// Arrangement returns the arrangement in force for year, or not found.
func (s *Service) Arrangement(ctx context.Context, year int) (Arrangement, error) {
	arrs, err := s.arrangements(ctx, s.db.Read())
	if err != nil {
		return Arrangement{}, err
	}
	for _, a := range arrs {
		if a.Year == year {
			return a, nil
		}
	}
	return Arrangement{}, apperr.Errorf(apperr.NotFound, "%s。", MissingYearWarning(year))
}

func requireAdmin(p account.Principal) error {
	if p.Role != account.RoleAdmin {
		return apperr.Errorf(apperr.Forbidden, "只有管理员可以修改工作日历。")
	}
	return nil
}

// write runs fn as an administrator's change: site id, audit line, outbox
// row and the calendar:changed event go with it.
func (s *Service) write(ctx context.Context, by account.Principal, action, target, detail string, payload any, fn func(tx *store.Tx, siteID string) error) error {
	if err := requireAdmin(by); err != nil {
		return err
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if err := fn(tx, st.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, by.Actor(), action, target, detail); err != nil {
			return err
		}
		if err := tx.Outbox(ctx, action, target, payload); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			s.cache.invalidate()
			if s.pub != nil {
				s.pub.Publish(events.Event{Type: Changed, Data: map[string]string{"what": action, "target": target}})
			}
		})
		return nil
	})
}

// SetOfficeHours replaces the weekly office hours; administrators only.
func (s *Service) SetOfficeHours(ctx context.Context, by account.Principal, h OfficeHours) (OfficeHours, error) {
	if h == nil {
		h = OfficeHours{}
	}
	if err := h.Validate(); err != nil {
		return nil, err
	}
	sort.SliceStable(h, func(i, j int) bool {
		if h[i].Weekday != h[j].Weekday {
			return h[i].Weekday < h[j].Weekday
		}
		return h[i].Start < h[j].Start
	})
	err := s.write(ctx, by, "calendar.hours", keyOfficeHours, fmt.Sprintf("%d段", len(h)), h, func(tx *store.Tx, _ string) error {
		return settings.Set(ctx, tx, keyOfficeHours, h)
	})
	return h, err
}

// SetMarketRule replaces the market-day rule (kind "" turns it off);
// administrators only.
func (s *Service) SetMarketRule(ctx context.Context, by account.Principal, m MarketRule) (MarketRule, error) {
	if err := m.Validate(); err != nil {
		return MarketRule{}, err
	}
	sort.Ints(m.Days)
	if m.Days == nil {
		m.Days = []int{}
	}
	if m.Hours == nil {
		m.Hours = []WeeklySpan{}
	}
	detail := fmt.Sprintf("%s %v", m.Kind, m.Days)
	err := s.write(ctx, by, "calendar.market", keyMarket, detail, m, func(tx *store.Tx, _ string) error {
		return settings.Set(ctx, tx, keyMarket, m)
	})
	return m, err
}

// AddExtendedWindow adds an extended-hours window; administrators only.
func (s *Service) AddExtendedWindow(ctx context.Context, by account.Principal, w ExtendedWindow) (ExtendedWindow, error) {
	if err := w.Validate(); err != nil {
		return ExtendedWindow{}, err
	}
	sort.Ints(w.Weekdays)
	w.ID = store.NewID()
	wds := make([]string, len(w.Weekdays))
	for i, d := range w.Weekdays {
		wds[i] = strconv.Itoa(d)
	}
	detail := fmt.Sprintf("%s %s–%s 星期%s", w.Name, w.Start, w.End, strings.Join(wds, ","))
	err := s.write(ctx, by, "calendar.extended_add", w.ID, detail, w, func(tx *store.Tx, siteID string) error {
		now := store.FormatTime(tx.Now)
		_, err := tx.ExecContext(ctx, `INSERT INTO extended_window (id, site_id, name, weekdays, season_from, season_to, start, "end", on_holidays, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)`, w.ID, siteID, w.Name, strings.Join(wds, ","), w.SeasonFrom, w.SeasonTo, w.Start, w.End, boolInt(w.OnHolidays), now, now)
		if err != nil {
			return fmt.Errorf("add extended window: %w", err)
		}
		return nil
	})
	return w, err
}

// RemoveExtendedWindow stops an extended-hours window (bookings already made
// in it stand); administrators only. Errors: not found.
func (s *Service) RemoveExtendedWindow(ctx context.Context, by account.Principal, id string) error {
	return s.write(ctx, by, "calendar.extended_remove", id, "", map[string]string{"id": id}, func(tx *store.Tx, _ string) error {
		res, err := tx.ExecContext(ctx, `UPDATE extended_window SET active = 0, updated_at = ?, version = version + 1 WHERE id = ? AND active = 1`,
			store.FormatTime(tx.Now), id)
		if err != nil {
			return fmt.Errorf("remove extended window: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.NotFound, "找不到这个延时服务时段。")
		}
		return nil
	})
}

// SetOverride closes the site on a date (停止办公) or opens it on a day it
// would be shut; administrators only. Closing a day first runs the check set
// with OnClosing inside the same transaction, with confirmed as the
// administrator's answer to what it reported. Errors: a malformed date,
// unknown kind, a missing reason, and the check's own (conflict while
// bookings fall on the day and confirmed is false).
func (s *Service) SetOverride(ctx context.Context, by account.Principal, o Override, confirmed bool) (Override, error) {
	d, err := ParseDate(o.Date)
	if err != nil {
		return Override{}, invalid("日期应写成YYYY-MM-DD，收到“%s”。", o.Date)
	}
	o.Date = FormatDate(d)
	o.Reason = strings.TrimSpace(o.Reason)
	if o.Kind != OverrideClosed && o.Kind != OverrideOpen {
		return Override{}, invalid("调整类型应为closed（停止办公）或open（临时开放），收到“%s”。", o.Kind)
	}
	if o.Reason == "" {
		return Override{}, invalid("请填写调整原因。")
	}
	if err := textlimit.Check("调整原因", o.Reason, textlimit.Reason); err != nil {
		return Override{}, err
	}
	err = s.write(ctx, by, "calendar.override", o.Date, o.Kind+" "+o.Reason, o, func(tx *store.Tx, siteID string) error {
		now := store.FormatTime(tx.Now)
		_, err := tx.ExecContext(ctx, `INSERT INTO calendar_override (id, site_id, date, kind, reason, created_at, updated_at) VALUES (?,?,?,?,?,?,?)
			ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, updated_at = excluded.updated_at, version = version + 1`,
			store.NewID(), siteID, o.Date, o.Kind, o.Reason, now, now)
		if err != nil {
			return fmt.Errorf("set override: %w", err)
		}
		if o.Kind == OverrideClosed && s.closing != nil {
			return s.closing(ctx, tx, o.Date, confirmed)
		}
		return nil
	})
	return o, err
}

// RemoveOverride returns a date to the regular rules; administrators only.
// Errors: not found.
func (s *Service) RemoveOverride(ctx context.Context, by account.Principal, date string) error {
	return s.write(ctx, by, "calendar.override_remove", date, "", map[string]string{"date": date}, func(tx *store.Tx, _ string) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM calendar_override WHERE date = ?`, date)
		if err != nil {
			return fmt.Errorf("remove override: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.NotFound, "%s没有特别调整。", date)
		}
		return nil
	})
}

// ImportArrangement stores a year's arrangement, replacing the built-in one
// or an earlier import; administrators only. Errors: invalid with the rule
// the arrangement breaks.
func (s *Service) ImportArrangement(ctx context.Context, by account.Principal, a Arrangement) (Arrangement, error) {
	if err := a.Validate(); err != nil {
		return Arrangement{}, err
	}
	a.Source = SourceSite
	body, err := json.Marshal(a)
	if err != nil {
		return Arrangement{}, fmt.Errorf("import arrangement: %w", err)
	}
	sum := a.Summary()
	detail := fmt.Sprintf("%s：放假%d天，调休上班%d天", a.Notice, sum.Holidays, sum.Workdays)
	err = s.write(ctx, by, "calendar.arrangement", strconv.Itoa(a.Year), detail, a, func(tx *store.Tx, siteID string) error {
		return s.storeArrangement(ctx, tx, siteID, a, body)
	})
	return a, err
}

// StoreArrangementTx writes a year's arrangement from source (SourceSite or
// SourceCounty) inside tx, replacing what the year had, and runs the
// arrangement hook in the same transaction. The caller audits and writes the
// outbox; the cached rules are dropped when tx commits.
func (s *Service) StoreArrangementTx(ctx context.Context, tx *store.Tx, siteID string, a Arrangement) error {
	if err := a.Validate(); err != nil {
		return err
	}
	body, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("store arrangement %d: %w", a.Year, err)
	}
	tx.AfterCommit(func() {
		s.cache.invalidate()
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: Changed, Data: map[string]string{"what": "calendar.arrangement", "target": strconv.Itoa(a.Year)}})
		}
	})
	return s.storeArrangement(ctx, tx, siteID, a, body)
}

func (s *Service) storeArrangement(ctx context.Context, tx *store.Tx, siteID string, a Arrangement, body []byte) error {
	now := store.FormatTime(tx.Now)
	_, err := tx.ExecContext(ctx, `INSERT INTO holiday_arrangement (id, site_id, year, source, body, created_at, updated_at) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(year) DO UPDATE SET source = excluded.source, body = excluded.body, updated_at = excluded.updated_at, version = version + 1`,
		store.NewID(), siteID, a.Year, a.Source, string(body), now, now)
	if err != nil {
		return fmt.Errorf("store arrangement %d: %w", a.Year, err)
	}
	if s.arranged != nil {
		if err := s.arranged(ctx, tx, a.Year); err != nil {
			return fmt.Errorf("after arrangement %d: %w", a.Year, err)
		}
	}
	return nil
}

// RemoveArrangement drops a stored arrangement, so the year falls back to the
// built-in one (or to weekends only), and runs the arrangement hook in the
// same transaction, as storing one does; administrators only. Errors: not
// found, and the hook's.
func (s *Service) RemoveArrangement(ctx context.Context, by account.Principal, year int) error {
	return s.write(ctx, by, "calendar.arrangement_remove", strconv.Itoa(year), "", map[string]int{"year": year}, func(tx *store.Tx, _ string) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM holiday_arrangement WHERE year = ?`, year)
		if err != nil {
			return fmt.Errorf("remove arrangement: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.NotFound, "%d年没有本地导入的节假日安排。", year)
		}
		if s.arranged != nil {
			if err := s.arranged(ctx, tx, year); err != nil {
				return fmt.Errorf("after removing arrangement %d: %w", year, err)
			}
		}
		return nil
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
