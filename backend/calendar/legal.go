package calendar

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"budayang/backend/apperr"
)

// Arrangement is one year's State Council notice: the holiday periods and the
// weekend days worked in exchange (调休). It is also the JSON an administrator
// imports.
type Arrangement struct {
	Year     int           `json:"year"`
	Notice   string        `json:"notice"`
	Holidays []Period      `json:"holidays"`
	Workdays []AdjustedDay `json:"workdays"`
	// Source is builtin (shipped with the program), lunar-go (the library's
	// data, years up to 2025), site (entered here) or county (published).
	Source string `json:"source,omitempty"`
}

// Period is a run of holiday dates, inclusive.
type Period struct {
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// AdjustedDay is a weekend date worked for the named holiday.
type AdjustedDay struct {
	Date string `json:"date"`
	Name string `json:"name"`
}

// Sources of an arrangement.
const (
	SourceBuiltin = "builtin"
	SourceLunarGo = "lunar-go"
	SourceSite    = "site"
	SourceCounty  = "county"
)

// MaxHolidayLength bounds one period; the longest notice so far is nine days.
const MaxHolidayLength = 15

// Validate checks an arrangement before it is stored: a plausible year, dates
// within a month of it, periods that run forward and do not overlap, and
// adjusted workdays that fall on a weekend and not inside a holiday.
func (a *Arrangement) Validate() error {
	if a.Year < 2000 || a.Year > 2100 {
		return invalid("年份应在2000到2100之间，收到%d。", a.Year)
	}
	a.Notice = strings.TrimSpace(a.Notice)
	if len(a.Holidays) == 0 {
		return invalid("%d年的安排中没有任何节假日。", a.Year)
	}
	lo := time.Date(a.Year-1, 12, 1, 0, 0, 0, 0, time.UTC)
	hi := time.Date(a.Year+1, 1, 31, 0, 0, 0, 0, time.UTC)
	inRange := func(s string) (time.Time, error) {
		t, err := time.Parse(DateLayout, s)
		if err != nil {
			return t, invalid("日期应写成YYYY-MM-DD，收到“%s”。", s)
		}
		if t.Before(lo) || t.After(hi) {
			return t, invalid("日期%s不在%d年安排的范围内。", s, a.Year)
		}
		return t, nil
	}
	seen := map[string]string{}
	for i := range a.Holidays {
		p := &a.Holidays[i]
		p.Name = strings.TrimSpace(p.Name)
		if p.Name == "" {
			return invalid("第%d个节假日缺少名称。", i+1)
		}
		from, err := inRange(p.From)
		if err != nil {
			return err
		}
		to, err := inRange(p.To)
		if err != nil {
			return err
		}
		days := int(to.Sub(from).Hours()/24) + 1
		if days < 1 || days > MaxHolidayLength {
			return invalid("%s的放假日期%s至%s不正确（应为1到%d天）。", p.Name, p.From, p.To, MaxHolidayLength)
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			k := d.Format(DateLayout)
			if other, dup := seen[k]; dup {
				return invalid("%s同时属于%s和%s。", k, other, p.Name)
			}
			seen[k] = p.Name
		}
	}
	for i := range a.Workdays {
		w := &a.Workdays[i]
		w.Name = strings.TrimSpace(w.Name)
		d, err := inRange(w.Date)
		if err != nil {
			return err
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return invalid("调休上班日%s不是周末，无需调休。", w.Date)
		}
		if other, dup := seen[w.Date]; dup {
			return invalid("%s既是%s假期又是调休上班日。", w.Date, other)
		}
		seen[w.Date] = "调休"
	}
	return nil
}

// Legal is the national calendar for the years it has arrangements for.
type Legal struct {
	days  map[string]legalDay
	years map[int]bool
}

type legalDay struct {
	name string
	work bool
}

// NewLegal indexes arrangements; for a date named by two of them (a workday
// in late December for the next New Year), the arrangement of the date's own
// year wins.
func NewLegal(arrs ...Arrangement) Legal {
	l := Legal{days: map[string]legalDay{}, years: map[int]bool{}}
	for pass := 0; pass < 2; pass++ {
		for _, a := range arrs {
			l.years[a.Year] = true
			own := func(date string) bool { return strings.HasPrefix(date, fmt.Sprint(a.Year)) }
			for _, p := range a.Holidays {
				from, err1 := time.Parse(DateLayout, p.From)
				to, err2 := time.Parse(DateLayout, p.To)
				if err1 != nil || err2 != nil {
					continue
				}
				for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
					k := d.Format(DateLayout)
					if own(k) == (pass == 1) {
						l.days[k] = legalDay{name: p.Name}
					}
				}
			}
			for _, w := range a.Workdays {
				if own(w.Date) == (pass == 1) {
					l.days[w.Date] = legalDay{name: w.Name, work: true}
				}
			}
		}
	}
	return l
}

// Knows reports whether year has an arrangement loaded.
func (l Legal) Knows(year int) bool { return l.years[year] }

// Lookup returns the holiday a date belongs to, or that it is an adjusted
// workday.
func (l Legal) Lookup(date time.Time) (holiday string, adjusted bool) {
	e, ok := l.days[FormatDate(date)]
	if !ok {
		return "", false
	}
	if e.work {
		return "", true
	}
	return e.name, false
}

// IsWorkday is the legal rule: Monday to Friday unless a holiday, plus
// adjusted weekend workdays. A year without an arrangement is weekends-only.
func (l Legal) IsWorkday(date time.Time) bool {
	if e, ok := l.days[FormatDate(date)]; ok {
		return e.work
	}
	return ISOWeekday(date) <= 5
}

//go:embed holidays/*.json
var builtinFS embed.FS

// Builtin returns the arrangements shipped with the program: the files in
// holidays/ (2026 onward), and before the first of them the data of
// github.com/6tail/lunar-go, which stops at 2025.
func Builtin() ([]Arrangement, error) {
	names, err := fs.Glob(builtinFS, "holidays/*.json")
	if err != nil {
		return nil, err
	}
	var out []Arrangement
	first := 0
	for _, n := range names {
		b, err := builtinFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var a Arrangement
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, fmt.Errorf("builtin %s: %w", n, err)
		}
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("builtin %s: %w", n, err)
		}
		a.Source = SourceBuiltin
		out = append(out, a)
		if first == 0 || a.Year < first {
			first = a.Year
		}
	}
	for y := 2001; first != 0 && y < first; y++ {
		if a, ok := fromLunarGo(y); ok {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, nil
}

// fromLunarGo reads one year of the library's holiday table: each holiday
// date it lists, and the workdays it marks.
func fromLunarGo(year int) (Arrangement, bool) {
	list := HolidayUtil.GetHolidaysByYear(year)
	if list == nil || list.Len() == 0 {
		return Arrangement{}, false
	}
	a := Arrangement{Year: year, Notice: "github.com/6tail/lunar-go", Source: SourceLunarGo}
	for e := list.Front(); e != nil; e = e.Next() {
		h := e.Value.(*HolidayUtil.Holiday)
		if h.IsWork() {
			a.Workdays = append(a.Workdays, AdjustedDay{Date: h.GetDay(), Name: h.GetName()})
		} else {
			a.Holidays = append(a.Holidays, Period{Name: h.GetName(), From: h.GetDay(), To: h.GetDay()})
		}
	}
	return a, true
}

func invalid(format string, args ...any) error { return apperr.Errorf(apperr.Invalid, format, args...) }

// Summary counts an arrangement in days, whatever its form: a State Council
// notice lists periods (春节 2月15日至23日), lunar-go lists single days, and
// both must read "放假 N 天" alike.
func (a Arrangement) Summary() YearSummary {
	names := map[string]bool{}
	days := map[string]bool{}
	for _, p := range a.Holidays {
		names[p.Name] = true
		from, err1 := time.Parse(DateLayout, p.From)
		to, err2 := time.Parse(DateLayout, p.To)
		if err1 != nil || err2 != nil {
			continue
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			days[d.Format(DateLayout)] = true
		}
	}
	return YearSummary{Year: a.Year, Source: a.Source, Notice: a.Notice, Holidays: len(days), Festivals: len(names), Workdays: len(a.Workdays)}
}
