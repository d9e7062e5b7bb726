package report

import (
	"time"

	"budayang/backend/apperr"
	"budayang/backend/calendar"
)

// Period is the span of days a report covers, both ends included
// (YYYY-MM-DD in Shanghai), with the notes that say how the asked span was
// changed to it.
type Period struct {
	From  string   `json:"from"`
	To    string   `json:"to"`
	Notes []string `json:"notes"`
}

// PeriodQuery is a period as a caller asks for it: either From and To, or
// Kind (day, week, month, quarter, year) and an Anchor date inside it
// (today when empty). A week runs Monday to Sunday.
type PeriodQuery struct {
	From   string
	To     string
	Kind   string
	Anchor string
}

// maxYears is the longest period a report covers.
const maxYears = 5

// ResolvePeriod turns q into a Period as of today, given the first day the
// site has data (dataStart, "" when it has none). It refuses (invalid, with
// a sentence) a malformed date, an empty period (from after to), a period
// wholly in the future and one of more than five years; it clips the end
// to today and the start to dataStart, saying so in a note.
func ResolvePeriod(q PeriodQuery, today time.Time, dataStart string) (Period, error) {
	from, to := q.From, q.To
	switch {
	case q.Kind != "":
		if q.From != "" || q.To != "" {
			return Period{}, apperr.Errorf(apperr.Invalid, "请只用一种方式指定时段：开始和结束日期，或时段类型加日期。")
		}
		anchor := today
		if q.Anchor != "" {
			d, err := calendar.ParseDate(q.Anchor)
			if err != nil {
				return Period{}, apperr.Errorf(apperr.Invalid, "日期“%s”格式不对，应为 YYYY-MM-DD。", q.Anchor)
			}
			anchor = d
		}
		f, t, ok := span(q.Kind, calendar.Date(anchor))
		if !ok {
			return Period{}, apperr.Errorf(apperr.Invalid, "时段类型只能是 day、week、month、quarter 或 year。")
		}
		from, to = calendar.FormatDate(f), calendar.FormatDate(t)
	case from == "" || to == "":
		return Period{}, apperr.Errorf(apperr.Invalid, "请给出开始和结束日期（from、to），或时段类型（period）。")
	}
	f, err := calendar.ParseDate(from)
	if err != nil {
		return Period{}, apperr.Errorf(apperr.Invalid, "开始日期“%s”格式不对，应为 YYYY-MM-DD。", from)
	}
	t, err := calendar.ParseDate(to)
	if err != nil {
		return Period{}, apperr.Errorf(apperr.Invalid, "结束日期“%s”格式不对，应为 YYYY-MM-DD。", to)
	}
	from, to = calendar.FormatDate(f), calendar.FormatDate(t)
	now := calendar.FormatDate(today)
	switch {
	case from > to:
		return Period{}, apperr.Errorf(apperr.Invalid, "开始日期 %s 晚于结束日期 %s，这个时段是空的。", from, to)
	case from > now:
		return Period{}, apperr.Errorf(apperr.Invalid, "时段从 %s 开始，还在将来，没有数据可统计。", from)
	case f.AddDate(maxYears, 0, 0).Before(t.AddDate(0, 0, 1)):
		return Period{}, apperr.Errorf(apperr.Invalid, "时段从 %s 到 %s，超过五年；请分段统计，每段不超过五年。", from, to)
	}
	p := Period{From: from, To: to, Notes: []string{}}
	if to > now {
		p.To = now
		p.Notes = append(p.Notes, "结束日期 "+to+" 在今天之后，统计截至今天 "+now+"。")
	}
	switch {
	case dataStart == "":
		p.Notes = append(p.Notes, "本中心还没有任何办件、取号或评价数据。")
	case dataStart > p.To:
		p.Notes = append(p.Notes, "数据从 "+dataStart+" 开始，这个时段内没有数据。")
	case dataStart > p.From:
		p.From = dataStart
		p.Notes = append(p.Notes, "数据从 "+dataStart+" 开始，统计从这一天起。")
	}
	return p, nil
}

// span is the day, week (Monday to Sunday), month, quarter or year holding d.
func span(kind string, d time.Time) (time.Time, time.Time, bool) {
	switch kind {
	case "day":
		return d, d, true
	case "week":
		f := d.AddDate(0, 0, 1-calendar.ISOWeekday(d))
		return f, f.AddDate(0, 0, 6), true
	case "month":
		f := d.AddDate(0, 0, 1-d.Day())
		return f, f.AddDate(0, 1, -1), true
	case "quarter":
		f := time.Date(d.Year(), time.Month((int(d.Month())-1)/3*3+1), 1, 0, 0, 0, 0, d.Location())
		return f, f.AddDate(0, 3, -1), true
	case "year":
		f := time.Date(d.Year(), 1, 1, 0, 0, 0, 0, d.Location())
		return f, f.AddDate(1, 0, -1), true
	}
	return time.Time{}, time.Time{}, false
}
