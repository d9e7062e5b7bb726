package calendar

import (
	"context"
	"strconv"
	"time"
)

// MissingYears are the years from a's to b's (in either order) that have no
// arrangement: a date worked out across them counted them weekends only.
func (r Rules) MissingYears(a, b time.Time) []int {
	lo, hi := Date(a).Year(), Date(b).Year()
	if hi < lo {
		lo, hi = hi, lo
	}
	var out []int
	for y := lo; y <= hi; y++ {
		if !r.Legal.Knows(y) {
			out = append(out, y)
		}
	}
	return out
}

// Warnings are the MissingYearWarning of each of MissingYears(a, b): an
// answer worked out across such a year says so. Never nil.
func (r Rules) Warnings(a, b time.Time) []string {
	out := []string{}
	for _, y := range r.MissingYears(a, b) {
		out = append(out, MissingYearWarning(y))
	}
	return out
}

// WorkingDaysQuery is GET /calendar/working-days as given: From and either
// Add (how many working days to add) or To (the date to count to). An empty
// field was not given.
type WorkingDaysQuery struct {
	From string
	Add  string
	To   string
}

// WorkingDays is the answer to a WorkingDaysQuery: Date for Add,
// WorkingDays for To, and the warning of every year the count went through
// without an arrangement (empty when none).
type WorkingDays struct {
	From        string   `json:"from"`
	Add         *int     `json:"add,omitempty"`
	Date        string   `json:"date,omitempty"`
	To          string   `json:"to,omitempty"`
	WorkingDays *int     `json:"working_days,omitempty"`
	Warnings    []string `json:"warnings"`
}

// WorkingDays answers q. Errors: invalid for a malformed date, an Add
// outside ±MaxWorkingDaysQuery, a To further than MaxWorkingDaysQuery days
// from From, or neither Add nor To; conflict when no working day is found.
func (s *Service) WorkingDays(ctx context.Context, q WorkingDaysQuery) (WorkingDays, error) {
	from, err := ParseDate(q.From)
	if err != nil {
		return WorkingDays{}, invalid("参数from应为YYYY-MM-DD格式的日期，收到“%s”。", q.From)
	}
	out := WorkingDays{From: FormatDate(from)}
	r, err := s.Rules(ctx)
	if err != nil {
		return WorkingDays{}, err
	}
	switch {
	case q.Add != "":
		n, err := strconv.Atoi(q.Add)
		if err != nil || n < -MaxWorkingDaysQuery || n > MaxWorkingDaysQuery {
			return WorkingDays{}, invalid("参数add应为-%[1]d到%[1]d之间的整数。", MaxWorkingDaysQuery)
		}
		d, ok := r.AddWorkingDays(from, n)
		if !ok {
			return WorkingDays{}, ErrNoWorkday
		}
		out.Add, out.Date, out.Warnings = &n, FormatDate(d), r.Warnings(from, d)
	case q.To != "":
		to, err := ParseDate(q.To)
		if err != nil {
			return WorkingDays{}, invalid("参数to应为YYYY-MM-DD格式的日期，收到“%s”。", q.To)
		}
		if to.After(from.AddDate(0, 0, MaxWorkingDaysQuery)) || to.Before(from.AddDate(0, 0, -MaxWorkingDaysQuery)) {
			return WorkingDays{}, invalid("from与to相隔不能超过%d天。", MaxWorkingDaysQuery)
		}
		n := r.WorkingDaysBetween(from, to)
		out.To, out.WorkingDays, out.Warnings = FormatDate(to), &n, r.Warnings(from, to)
	default:
		return WorkingDays{}, invalid("请给出参数add（加几个工作日）或to（数到哪一天）。")
	}
	return out, nil
}
