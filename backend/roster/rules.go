// Package roster drafts and checks the duty roster: who answers the centre
// outside office hours, on weekends, holidays and market days. The rules in
// this file and in generate.go are plain functions over plain values, so
// they are tested without a database; Service stores plans and their history.
package roster

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/calendar"
	"budayang/backend/clock"
)

// Kinds of day a shift applies to, read from the working calendar: a 补班
// Saturday is a workday and a holiday Monday a holiday.
const (
	DayWorkdayEvening = "workday_evening" // a working day, after office hours
	DayWeekend        = "weekend"         // a rest day that is not a legal holiday
	DayHoliday        = "holiday"         // a day of a legal holiday
	DayMarket         = "market_day"      // 逢场天, whatever else the day is
)

// Default weights. A duty weighs its shift's weight times the day's factor;
// a shift without a weight weighs DefaultEveningWeight if it covers only
// workday evenings and DefaultWeight otherwise. So by default a workday
// evening weighs 0.5, an ordinary weekend or market day 1.0, a legal
// holiday 2.0 and a Spring Festival day 3.0.
const (
	DefaultWeight        = 1.0
	DefaultEveningWeight = 0.5
	HolidayFactor        = 2.0
	SpringFestivalFactor = 3.0
)

// SpringFestival is the name of the holiday that weighs SpringFestivalFactor.
const SpringFestival = "春节"

// MaxPeriodDays bounds one plan: a quarter at most.
const MaxPeriodDays = 92

// Shift is one duty the site staffs on the days it applies to.
type Shift struct {
	ID   string   `json:"id"`
	Name string   `json:"name"`
	Days []string `json:"days"`
	// Start and End are HH:MM; an End not after Start ends the next day.
	Start  string `json:"start"`
	End    string `json:"end"`
	People int    `json:"people"`
	// Role, when set, is the staff role every person on the shift must have.
	Role   string  `json:"role"`
	Weight float64 `json:"weight"`
}

// Rules are the site's hard rules; DefaultRules are what a site starts with.
type Rules struct {
	MaxPerDay          int `json:"max_per_day"`
	MinRestHours       int `json:"min_rest_hours"`
	MaxConsecutiveDays int `json:"max_consecutive_days"`
}

// DefaultRules: at most one duty a day, at least 11 hours between the end of
// one duty and the start of the next, at most 3 days in a row with a duty.
func DefaultRules() Rules { return Rules{MaxPerDay: 1, MinRestHours: 11, MaxConsecutiveDays: 3} }

// Unavailability is a run of dates, inclusive, a person cannot be on duty.
type Unavailability struct {
	ID      string `json:"id,omitempty"`
	StaffID string `json:"staff_id,omitempty"`
	From    string `json:"from"`
	To      string `json:"to"`
	Reason  string `json:"reason"`
}

// Person is someone the roster may put on duty. Carry is the load brought
// over from the previous period.
type Person struct {
	ID          string
	Name        string
	Role        string
	Unavailable []Unavailability
	Carry       float64
}

// Duty is one person (or a vacant place, StaffID "") on one shift on one date.
type Duty struct {
	ID      string    `json:"id"`
	Date    string    `json:"date"`
	ShiftID string    `json:"shift_id"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	StaffID string    `json:"staff_id"`
	Weight  float64   `json:"weight"`
}

// Rule names, as Violation.Rule carries them.
const (
	RuleUnavailable = "unavailable"
	RulePerDay      = "one_per_day"
	RuleRest        = "min_rest"
	RuleConsecutive = "max_consecutive"
	RuleOverlap     = "overlap"
	RuleRole        = "role"
)

// Violation is a hard rule an assignment would break.
type Violation struct {
	Rule    string
	Message string
}

func (v *Violation) Error() string { return v.Message }

// Err is the violation as an apperr Conflict naming the rule.
func (v *Violation) Err() error { return apperr.Errorf(apperr.Conflict, "%s", v.Message) }

// Day is one date as the roster sees it.
type Day struct {
	Date    string
	Kinds   map[string]bool
	Holiday string
}

// DaysOf reads the working calendar for from..to inclusive.
func DaysOf(r calendar.Rules, from, to time.Time) []Day {
	var out []Day
	for d := calendar.Date(from); !d.After(to); d = d.AddDate(0, 0, 1) {
		cd := r.Day(d)
		day := Day{Date: cd.Date, Kinds: map[string]bool{}}
		switch {
		case cd.Workday:
			day.Kinds[DayWorkdayEvening] = true
		case cd.Holiday != "":
			day.Kinds[DayHoliday] = true
			day.Holiday = cd.Holiday
		default:
			day.Kinds[DayWeekend] = true
		}
		if cd.MarketDay {
			day.Kinds[DayMarket] = true
		}
		out = append(out, day)
	}
	return out
}

func validClock(s string) bool {
	t, err := time.Parse("15:04", s)
	return err == nil && t.Format("15:04") == s
}

// ValidateShifts checks shift definitions and fills defaults: ids, weights.
func ValidateShifts(shifts []Shift, newID func() string) error {
	seen := map[string]bool{}
	for i := range shifts {
		s := &shifts[i]
		s.Name = strings.TrimSpace(s.Name)
		if s.Name == "" {
			return apperr.Errorf(apperr.Invalid, "第%d个班次缺少名称。", i+1)
		}
		if len([]rune(s.Name)) > 40 {
			return apperr.Errorf(apperr.Invalid, "班次名称“%s”太长（最多40个字）。", s.Name)
		}
		if len(s.Days) == 0 {
			return apperr.Errorf(apperr.Invalid, "班次“%s”没有指定适用的日子。", s.Name)
		}
		for _, k := range s.Days {
			switch k {
			case DayWorkdayEvening, DayWeekend, DayHoliday, DayMarket:
			default:
				return apperr.Errorf(apperr.Invalid, "班次“%s”的适用日“%s”不正确（应为workday_evening、weekend、holiday或market_day）。", s.Name, k)
			}
		}
		if !validClock(s.Start) || !validClock(s.End) {
			return apperr.Errorf(apperr.Invalid, "班次“%s”的起止时间应写成HH:MM。", s.Name)
		}
		if s.People < 1 || s.People > 20 {
			return apperr.Errorf(apperr.Invalid, "班次“%s”的人数应在1到20之间。", s.Name)
		}
		switch s.Role {
		case "", "admin", "clerk", "duty", "assistant":
		default:
			return apperr.Errorf(apperr.Invalid, "班次“%s”的岗位要求“%s”不正确。", s.Name, s.Role)
		}
		if s.Weight < 0 || s.Weight > 10 || math.IsNaN(s.Weight) {
			return apperr.Errorf(apperr.Invalid, "班次“%s”的权重应在0到10之间。", s.Name)
		}
		if s.Weight == 0 {
			s.Weight = DefaultWeight
			if len(s.Days) == 1 && s.Days[0] == DayWorkdayEvening {
				s.Weight = DefaultEveningWeight
			}
		}
		if s.ID == "" {
			s.ID = newID()
		}
		if seen[s.ID] {
			return apperr.Errorf(apperr.Invalid, "班次编号“%s”重复。", s.ID)
		}
		seen[s.ID] = true
	}
	return nil
}

// Applies reports whether the shift is worked on day.
func (s Shift) Applies(day Day) bool {
	for _, k := range s.Days {
		if day.Kinds[k] {
			return true
		}
	}
	return false
}

// DutyOn returns the shift's vacant duty on day, with its times and weight.
func (s Shift) DutyOn(day Day) Duty {
	d, _ := calendar.ParseDate(day.Date)
	start := atClock(d, s.Start)
	end := atClock(d, s.End)
	if !end.After(start) {
		end = atClock(d.AddDate(0, 0, 1), s.End)
	}
	w := s.Weight
	switch {
	case day.Holiday == SpringFestival:
		w *= SpringFestivalFactor
	case day.Kinds[DayHoliday]:
		w *= HolidayFactor
	}
	return Duty{Date: day.Date, ShiftID: s.ID, Start: start, End: end, Weight: w}
}

func atClock(date time.Time, hm string) time.Time {
	t, _ := time.Parse("15:04", hm)
	y, m, d := date.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, clock.Shanghai)
}

// ValidatePeriod checks a plan's period: from not after to, at most a
// quarter, and not starting before today.
func ValidatePeriod(from, to string, today time.Time) (time.Time, time.Time, error) {
	f, err1 := calendar.ParseDate(from)
	t, err2 := calendar.ParseDate(to)
	if err1 != nil || err2 != nil {
		return f, t, apperr.Errorf(apperr.Invalid, "起止日期应写成YYYY-MM-DD，收到“%s”至“%s”。", from, to)
	}
	if t.Before(f) {
		return f, t, apperr.Errorf(apperr.Invalid, "结束日期%s早于开始日期%s。", to, from)
	}
	if n := daysBetween(f, t) + 1; n > MaxPeriodDays {
		return f, t, apperr.Errorf(apperr.Invalid, "排班周期最长一个季度（%d天），%s至%s共%d天。", MaxPeriodDays, from, to, n)
	}
	if f.Before(calendar.Date(today)) {
		return f, t, apperr.Errorf(apperr.Invalid, "不能为已经过去的日子排班：%s早于今天%s。", from, calendar.FormatDate(today))
	}
	return f, t, nil
}

// ValidateUnavailability checks one declared absence.
func ValidateUnavailability(u *Unavailability) error {
	u.Reason = strings.TrimSpace(u.Reason)
	f, err1 := calendar.ParseDate(u.From)
	t, err2 := calendar.ParseDate(u.To)
	if err1 != nil || err2 != nil {
		return apperr.Errorf(apperr.Invalid, "起止日期应写成YYYY-MM-DD，收到“%s”至“%s”。", u.From, u.To)
	}
	if t.Before(f) {
		return apperr.Errorf(apperr.Invalid, "结束日期%s早于开始日期%s。", u.To, u.From)
	}
	if daysBetween(f, t) > 366 {
		return apperr.Errorf(apperr.Invalid, "一次登记不能超过一年。")
	}
	if u.Reason == "" {
		return apperr.Errorf(apperr.Invalid, "请写明不能值班的原因（请假、培训、病假等）。")
	}
	if len([]rune(u.Reason)) > 100 {
		return apperr.Errorf(apperr.Invalid, "原因太长（最多100个字）。")
	}
	u.From, u.To = calendar.FormatDate(f), calendar.FormatDate(t)
	return nil
}

// unavailableOn returns the absence covering date, if any.
func (p Person) unavailableOn(date string) (Unavailability, bool) {
	for _, u := range p.Unavailable {
		if u.From <= date && date <= u.To {
			return u, true
		}
	}
	return Unavailability{}, false
}

// Checker tests assignments against the hard rules, keeping each person's
// duties sorted by start.
type Checker struct {
	Rules   Rules
	People  map[string]Person
	byStaff map[string][]Duty
}

// NewChecker indexes the duties already held (vacant ones are ignored).
func NewChecker(r Rules, people []Person, duties []Duty) *Checker {
	c := &Checker{Rules: r, People: map[string]Person{}, byStaff: map[string][]Duty{}}
	for _, p := range people {
		c.People[p.ID] = p
	}
	for _, d := range duties {
		c.Add(d)
	}
	return c
}

// Add records d as held.
func (c *Checker) Add(d Duty) {
	if d.StaffID == "" {
		return
	}
	l := c.byStaff[d.StaffID]
	i := sort.Search(len(l), func(i int) bool { return l[i].Start.After(d.Start) })
	l = append(l, Duty{})
	copy(l[i+1:], l[i:])
	l[i] = d
	c.byStaff[d.StaffID] = l
}

// Remove forgets the held duty with d's id.
func (c *Checker) Remove(d Duty) {
	l := c.byStaff[d.StaffID]
	for i := range l {
		if l[i].ID == d.ID {
			c.byStaff[d.StaffID] = append(l[:i:i], l[i+1:]...)
			return
		}
	}
}

// Check reports the first hard rule giving d to d.StaffID would break,
// given the duties held (d itself must not be one of them); nil if none.
func (c *Checker) Check(d Duty, shift Shift) *Violation {
	p, ok := c.People[d.StaffID]
	if !ok {
		return &Violation{RuleRole, "此人不在可排班人员之中（已停用或不存在）。"}
	}
	if shift.Role != "" && p.Role != shift.Role {
		return &Violation{RuleRole, fmt.Sprintf("%s的岗位不符合班次“%s”的要求。", p.Name, shift.Name)}
	}
	lastDay := calendar.FormatDate(d.End.Add(-time.Minute))
	for _, date := range []string{d.Date, lastDay} {
		if u, off := p.unavailableOn(date); off {
			return &Violation{RuleUnavailable, fmt.Sprintf("%s在%s不能值班（%s，%s至%s）。", p.Name, date, u.Reason, u.From, u.To)}
		}
	}
	rest := time.Duration(c.Rules.MinRestHours) * time.Hour
	perDay := 0
	days := map[string]bool{d.Date: true}
	for _, h := range c.byStaff[d.StaffID] {
		if h.Start.Before(d.End) && d.Start.Before(h.End) {
			return &Violation{RuleOverlap, fmt.Sprintf("%s在%s已有时间重叠的值班。", p.Name, h.Date)}
		}
		if h.Date == d.Date {
			perDay++
		}
		if (!h.End.After(d.Start) && d.Start.Sub(h.End) < rest) || (!d.End.After(h.Start) && h.Start.Sub(d.End) < rest) {
			return &Violation{RuleRest, fmt.Sprintf("%s在%s的值班与本班间隔不足%d小时。", p.Name, h.Date, c.Rules.MinRestHours)}
		}
		days[h.Date] = true
	}
	if perDay >= c.Rules.MaxPerDay {
		return &Violation{RulePerDay, fmt.Sprintf("%s在%s已有值班（每人每天最多%d班）。", p.Name, d.Date, c.Rules.MaxPerDay)}
	}
	if run := runThrough(days, d.Date); run > c.Rules.MaxConsecutiveDays {
		return &Violation{RuleConsecutive, fmt.Sprintf("%s将连续%d天值班（最多连续%d天）。", p.Name, run, c.Rules.MaxConsecutiveDays)}
	}
	return nil
}

// daysBetween counts calendar days from a to b (both 00:00 Shanghai).
func daysBetween(a, b time.Time) int {
	return int(math.Round(b.Sub(a).Hours() / 24))
}

// runThrough is the length of the run of consecutive dates in days that
// contains date.
func runThrough(days map[string]bool, date string) int {
	d, _ := calendar.ParseDate(date)
	n := 1
	for x := d.AddDate(0, 0, -1); days[calendar.FormatDate(x)]; x = x.AddDate(0, 0, -1) {
		n++
	}
	for x := d.AddDate(0, 0, 1); days[calendar.FormatDate(x)]; x = x.AddDate(0, 0, 1) {
		n++
	}
	return n
}

// Verify checks a whole roster, returning every duty that breaks a rule
// given all the others. The property tests hold the generator to it.
func Verify(r Rules, people []Person, shifts []Shift, duties []Duty) []error {
	byID := map[string]Shift{}
	for _, s := range shifts {
		byID[s.ID] = s
	}
	c := NewChecker(r, people, duties)
	var errs []error
	for _, d := range duties {
		if d.StaffID == "" {
			continue
		}
		c.Remove(d)
		if v := c.Check(d, byID[d.ShiftID]); v != nil {
			errs = append(errs, fmt.Errorf("%s %s %s: %s: %w", d.Date, d.ShiftID, d.StaffID, v.Rule, v))
		}
		c.Add(d)
	}
	return errs
}
