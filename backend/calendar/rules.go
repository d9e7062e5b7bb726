// Package calendar is the one source of "is this a working day, and when is
// the office open": legal holidays and adjusted workdays (调休) by year, a
// site's office hours with their lunch break, its market days (逢场天) by a
// solar or lunar rule, extended-hours windows (定向延时) open by appointment
// only, and the site's own closures. The rules in this file are plain
// functions over plain values; Service adds what the site has stored.
package calendar

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/6tail/lunar-go/calendar"

	"budayang/backend/clock"
	"budayang/backend/textlimit"
)

// DateLayout is how dates are written: YYYY-MM-DD in Asia/Shanghai.
const DateLayout = "2006-01-02"

// Kinds of opening span.
const (
	KindOffice   = "office"   // 正常办公
	KindMarket   = "market"   // 逢场天
	KindExtended = "extended" // 定向延时，仅限预约
)

// Date returns 00:00 in Asia/Shanghai of t's Shanghai date.
func Date(t time.Time) time.Time {
	y, m, d := t.In(clock.Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, clock.Shanghai)
}

// ParseDate reads YYYY-MM-DD as 00:00 Asia/Shanghai.
func ParseDate(s string) (time.Time, error) {
	return time.ParseInLocation(DateLayout, strings.TrimSpace(s), clock.Shanghai)
}

// FormatDate writes t's Shanghai date as YYYY-MM-DD.
func FormatDate(t time.Time) string { return t.In(clock.Shanghai).Format(DateLayout) }

// ISOWeekday is 1 for Monday through 7 for Sunday.
func ISOWeekday(t time.Time) int {
	wd := int(t.In(clock.Shanghai).Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}

// Span is a stretch of a day that the office is open, as HH:MM.
type Span struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Kind  string `json:"kind"`
	// AppointmentOnly is true for extended hours: nobody is there unless a
	// booking names who comes in.
	AppointmentOnly bool   `json:"appointment_only"`
	Name            string `json:"name,omitempty"`
	WindowID        string `json:"window_id,omitempty"`
}

// At returns the span's start and end on date.
func (s Span) At(date time.Time) (time.Time, time.Time) {
	return atClock(date, s.Start), atClock(date, s.End)
}

func atClock(date time.Time, hm string) time.Time {
	var h, m int
	fmt.Sscanf(hm, "%d:%d", &h, &m)
	y, mo, d := date.In(clock.Shanghai).Date()
	return time.Date(y, mo, d, h, m, 0, 0, clock.Shanghai)
}

// validClock reports whether s is HH:MM on a 24-hour clock.
func validClock(s string) bool {
	t, err := time.Parse("15:04", s)
	return err == nil && t.Format("15:04") == s
}

// Override is a site's own decision about one date.
type Override struct {
	Date   string `json:"date"`
	Kind   string `json:"kind"` // closed | open
	Reason string `json:"reason"`
}

// Override kinds.
const (
	OverrideClosed = "closed" // 临时闭馆：not a working day, no hours at all
	OverrideOpen   = "open"   // 临时开放：a working day with the office hours of a Monday
)

// Day is one date as the site works it. Workday is what deadlines count;
// Hours is when the doors are open (a Saturday market morning can be open
// without being a working day).
type Day struct {
	Date            string    `json:"date"`
	Weekday         int       `json:"weekday"`
	Lunar           string    `json:"lunar"`
	Workday         bool      `json:"workday"`
	Holiday         string    `json:"holiday"`
	AdjustedWorkday bool      `json:"adjusted_workday"`
	MarketDay       bool      `json:"market_day"`
	Override        *Override `json:"override,omitempty"`
	Hours           []Span    `json:"hours"`
	Warning         string    `json:"warning,omitempty"`
}

// Open reports whether the day has any hours at all.
func (d Day) Open() bool { return len(d.Hours) > 0 }

// ClosedReason says in Chinese why a day has no hours.
func (d Day) ClosedReason() string {
	switch {
	case d.Override != nil && d.Override.Kind == OverrideClosed:
		return "本中心当日停止办公（" + d.Override.Reason + "）"
	case d.Holiday != "":
		return d.Holiday + "假期"
	case d.Weekday >= 6:
		return "周末"
	}
	return "当日无办公时间"
}

// Rules are everything that decides a site's days, as plain values.
type Rules struct {
	Legal     Legal
	Office    OfficeHours
	Market    MarketRule
	Extended  []ExtendedWindow
	Overrides map[string]Override
}

// IsWorkday reports whether date counts as a working day: a legal working day
// unless the site closed, or any day the site opened specially.
func (r Rules) IsWorkday(date time.Time) bool {
	if o, ok := r.Overrides[FormatDate(date)]; ok {
		return o.Kind == OverrideOpen
	}
	return r.Legal.IsWorkday(date)
}

// Day works out one date.
func (r Rules) Day(date time.Time) Day {
	date = Date(date)
	key := FormatDate(date)
	wd := ISOWeekday(date)
	holiday, adjusted := r.Legal.Lookup(date)
	d := Day{Date: key, Weekday: wd, Lunar: LunarString(date), Holiday: holiday, AdjustedWorkday: adjusted,
		Workday: r.Legal.IsWorkday(date), MarketDay: r.Market.Matches(date), Hours: []Span{}}
	if !r.Legal.Knows(date.Year()) {
		d.Warning = MissingYearWarning(date.Year())
	}
	if o, ok := r.Overrides[key]; ok {
		o := o
		d.Override = &o
		if o.Kind == OverrideClosed {
			d.Workday = false
			return d
		}
		d.Workday = true
	}
	switch {
	case d.Workday && (wd >= 6 || holiday != ""):
		// An adjusted Saturday or a special opening works a Monday.
		d.Hours = r.Office.On(1)
	case d.Workday || holiday == "":
		d.Hours = r.Office.On(wd)
	}
	if d.MarketDay && (d.Workday || r.Market.OpenOnRestDays) && len(r.Market.Hours) > 0 {
		d.Hours = r.Market.spans()
	}
	for _, w := range r.Extended {
		if w.Applies(date, holiday != "" && !d.Workday) {
			d.Hours = append(d.Hours, w.span())
		}
	}
	sort.SliceStable(d.Hours, func(i, j int) bool { return d.Hours[i].Start < d.Hours[j].Start })
	return d
}

// MissingYearWarning is shown for every day of a year whose holiday
// arrangement has not been loaded.
func MissingYearWarning(year int) string {
	return fmt.Sprintf("%d年节假日安排尚未导入，暂按周末休息计算", year)
}

// maxScan bounds working-day searches: ten years of closed days means the
// calendar is misconfigured, not that the answer is far away.
const maxScan = 3660

// AddWorkingDays returns 00:00 Shanghai of the n-th working day after from's
// date; n = 0 returns from's date if it is a working day, else the next one.
// Negative n counts backwards.
func (r Rules) AddWorkingDays(from time.Time, n int) (time.Time, bool) {
	d := Date(from)
	if n == 0 {
		if r.IsWorkday(d) {
			return d, true
		}
		n = 1
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for i := 0; i < maxScan; i++ {
		d = d.AddDate(0, 0, step)
		if r.IsWorkday(d) {
			n--
			if n == 0 {
				return d, true
			}
		}
	}
	return time.Time{}, false
}

// WorkingDaysBetween counts the working days after from's date up to and
// including to's date, so AddWorkingDays(from, n) is n days after from. It is
// negative when to is before from.
func (r Rules) WorkingDaysBetween(from, to time.Time) int {
	a, b := Date(from), Date(to)
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if r.IsWorkday(d) {
			n++
		}
	}
	return sign * n
}

// OfficeHours are the site's regular opening spans by ISO weekday.
type OfficeHours []WeeklySpan

// WeeklySpan is one opening span on one weekday.
type WeeklySpan struct {
	Weekday int    `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

// DefaultOfficeHours are Monday to Friday 08:30–12:00 and 13:30–17:30.
func DefaultOfficeHours() OfficeHours {
	var h OfficeHours
	for wd := 1; wd <= 5; wd++ {
		h = append(h, WeeklySpan{wd, "08:30", "12:00"}, WeeklySpan{wd, "13:30", "17:30"})
	}
	return h
}

// On returns the office spans of an ISO weekday, in order.
func (h OfficeHours) On(weekday int) []Span {
	out := []Span{}
	for _, s := range h {
		if s.Weekday == weekday {
			out = append(out, Span{Start: s.Start, End: s.End, Kind: KindOffice})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// Validate checks every span is a real HH:MM range on a weekday 1–7 and no
// two spans of a day overlap.
func (h OfficeHours) Validate() error {
	byDay := map[int][]Span{}
	for _, s := range h {
		if s.Weekday < 1 || s.Weekday > 7 {
			return invalid("星期应为1（周一）到7（周日），收到%d。", s.Weekday)
		}
		if err := checkSpan(s.Start, s.End); err != nil {
			return err
		}
		byDay[s.Weekday] = append(byDay[s.Weekday], Span{Start: s.Start, End: s.End})
	}
	for wd, spans := range byDay {
		if err := noOverlap(spans); err != nil {
			return invalid("%s的办公时间%v", weekdayName(wd), err)
		}
	}
	return nil
}

func checkSpan(start, end string) error {
	if !validClock(start) || !validClock(end) {
		return invalid("时间应写成HH:MM（如08:30），收到“%s”至“%s”。", start, end)
	}
	if start >= end {
		return invalid("开始时间%s应早于结束时间%s。", start, end)
	}
	return nil
}

func noOverlap(spans []Span) error {
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	for i := 1; i < len(spans); i++ {
		if spans[i].Start < spans[i-1].End {
			return fmt.Errorf("%s–%s与%s–%s重叠。", spans[i-1].Start, spans[i-1].End, spans[i].Start, spans[i].End)
		}
	}
	return nil
}

var weekdayNames = [...]string{"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"}

func weekdayName(wd int) string {
	if wd < 1 || wd > 7 {
		return fmt.Sprint(wd)
	}
	return weekdayNames[wd]
}

// Market rule kinds.
const (
	MarketNone  = ""
	MarketSolar = "solar" // 逢1、4、7：days of the Gregorian month
	MarketLunar = "lunar" // 农历初一、初四……：days of the lunar month, leap months included
)

// MarketRule says which days are market days (逢场天) and the hours the
// centre keeps on them.
type MarketRule struct {
	Kind string `json:"kind"`
	// Days are days of the month; the common 逢1、4、7 rule is the digits,
	// i.e. 1, 4, 7, 11, 14, 17, 21, 24, 27 (and 31).
	Days  []int        `json:"days"`
	Hours []WeeklySpan `json:"hours"`
	// OpenOnRestDays keeps market hours on weekends and holidays too.
	OpenOnRestDays bool `json:"open_on_rest_days"`
}

// Matches reports whether date is a market day under the rule.
func (m MarketRule) Matches(date time.Time) bool {
	var day int
	switch m.Kind {
	case MarketSolar:
		day = date.In(clock.Shanghai).Day()
	case MarketLunar:
		day = lunarOf(date).GetDay()
	default:
		return false
	}
	for _, d := range m.Days {
		if d == day {
			return true
		}
	}
	return false
}

func (m MarketRule) spans() []Span {
	out := make([]Span, 0, len(m.Hours))
	for _, s := range m.Hours {
		out = append(out, Span{Start: s.Start, End: s.End, Kind: KindMarket})
	}
	return out
}

// Validate checks the kind, the days and the hours.
func (m MarketRule) Validate() error {
	switch m.Kind {
	case MarketNone:
		return nil
	case MarketSolar, MarketLunar:
	default:
		return invalid("逢场规则应为solar（公历）或lunar（农历），收到“%s”。", m.Kind)
	}
	if len(m.Days) == 0 {
		return invalid("请填写逢场的日子（如1、4、7）。")
	}
	limit := 31
	if m.Kind == MarketLunar {
		limit = 30
	}
	for _, d := range m.Days {
		if d < 1 || d > limit {
			return invalid("逢场日应在1到%d之间，收到%d。", limit, d)
		}
	}
	var spans []Span
	for _, s := range m.Hours {
		if err := checkSpan(s.Start, s.End); err != nil {
			return err
		}
		spans = append(spans, Span{Start: s.Start, End: s.End})
	}
	if err := noOverlap(spans); err != nil {
		return invalid("逢场天办公时间%v", err)
	}
	return nil
}

// DigitRule expands 逢1、4、7 style digits to the days of a solar month.
func DigitRule(digits ...int) []int {
	var out []int
	for _, dg := range digits {
		for d := dg; d <= 31; d += 10 {
			if d >= 1 {
				out = append(out, d)
			}
		}
	}
	sort.Ints(out)
	return out
}

func lunarOf(date time.Time) *calendar.Lunar {
	y, m, d := date.In(clock.Shanghai).Date()
	return calendar.NewLunarFromSolar(calendar.NewSolarFromYmd(y, int(m), d))
}

// LunarString is the lunar month and day, e.g. 十月初七, 闰六月初一.
func LunarString(date time.Time) string {
	l := lunarOf(date)
	return l.GetMonthInChinese() + "月" + l.GetDayInChinese()
}

// ExtendedWindow is a stretch outside office hours that is open by
// appointment only: early mornings in the busy farming season, evenings,
// weekends.
type ExtendedWindow struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Weekdays []int  `json:"weekdays"`
	// SeasonFrom and SeasonTo (MM-DD, may wrap the new year) limit the window
	// to a season; both empty means all year.
	SeasonFrom string `json:"season_from"`
	SeasonTo   string `json:"season_to"`
	Start      string `json:"start"`
	End        string `json:"end"`
	// OnHolidays opens the window on legal holidays too.
	OnHolidays bool `json:"on_holidays"`
}

// Applies reports whether the window is open on date.
func (w ExtendedWindow) Applies(date time.Time, holiday bool) bool {
	if holiday && !w.OnHolidays {
		return false
	}
	wd := ISOWeekday(date)
	found := false
	for _, x := range w.Weekdays {
		found = found || x == wd
	}
	if !found {
		return false
	}
	if w.SeasonFrom == "" {
		return true
	}
	md := date.In(clock.Shanghai).Format("01-02")
	if w.SeasonFrom <= w.SeasonTo {
		return md >= w.SeasonFrom && md <= w.SeasonTo
	}
	return md >= w.SeasonFrom || md <= w.SeasonTo
}

func (w ExtendedWindow) span() Span {
	return Span{Start: w.Start, End: w.End, Kind: KindExtended, AppointmentOnly: true, Name: w.Name, WindowID: w.ID}
}

// Validate checks the name, weekdays, season and hours.
func (w *ExtendedWindow) Validate() error {
	w.Name = strings.TrimSpace(w.Name)
	if w.Name == "" {
		return invalid("请填写延时服务的名称（如“农忙早间”）。")
	}
	if err := textlimit.Check("延时服务名称", w.Name, textlimit.Name); err != nil {
		return err
	}
	if len(w.Weekdays) == 0 {
		return invalid("请选择延时服务在星期几开放。")
	}
	for _, wd := range w.Weekdays {
		if wd < 1 || wd > 7 {
			return invalid("星期应为1（周一）到7（周日），收到%d。", wd)
		}
	}
	if (w.SeasonFrom == "") != (w.SeasonTo == "") {
		return invalid("季节的起止日期要么都填，要么都不填。")
	}
	for _, md := range []string{w.SeasonFrom, w.SeasonTo} {
		if md == "" {
			continue
		}
		if t, err := time.Parse("01-02", md); err != nil || t.Format("01-02") != md {
			return invalid("季节日期应写成MM-DD（如05-01），收到“%s”。", md)
		}
	}
	return checkSpan(w.Start, w.End)
}
