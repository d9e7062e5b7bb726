package county

import (
	"context"
	"net/http"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/calendar"
)

// MaxRankingDays bounds a ranking's period: a year and a leap day.
const MaxRankingDays = 366

// Inspect is the county's inspection of date ("" for today): every
// registered site's figures and flags, from the records the sites pushed.
// Errors: invalid for a malformed or future date.
func (s *Service) Inspect(ctx context.Context, date string) (Inspection, error) {
	now := s.Clock.Now()
	d := calendar.Date(now)
	if date != "" {
		var err error
		if d, err = calendar.ParseDate(date); err != nil {
			return Inspection{}, apperr.Errorf(apperr.Invalid, "日期应写成YYYY-MM-DD，收到“%s”。", date)
		}
		if d.After(calendar.Date(now)) {
			return Inspection{}, apperr.Errorf(apperr.Invalid, "%s还没有到，不能督查未来的日子。", date)
		}
	}
	rows, err := s.Store.InspectionRows(ctx, d)
	if err != nil {
		return Inspection{}, err
	}
	return Inspect(d, now, rows), nil
}

// Ranking is the county's gold, silver and bronze ranking over from..to
// inclusive (the last 30 days to today when both are ""). Errors: invalid
// for a malformed period, one that ends before it starts, runs past today
// or is longer than MaxRankingDays.
func (s *Service) Ranking(ctx context.Context, from, to string) (Ranking, error) {
	today := calendar.Date(s.Clock.Now())
	f, t := today.AddDate(0, 0, -29), today
	if from != "" || to != "" {
		var err1, err2 error
		f, err1 = calendar.ParseDate(from)
		t, err2 = calendar.ParseDate(to)
		if err1 != nil || err2 != nil {
			return Ranking{}, apperr.Errorf(apperr.Invalid, "起止日期应写成YYYY-MM-DD，收到“%s”至“%s”。", from, to)
		}
	}
	switch {
	case t.Before(f):
		return Ranking{}, apperr.Errorf(apperr.Invalid, "结束日期%s早于开始日期%s。", calendar.FormatDate(t), calendar.FormatDate(f))
	case t.After(today):
		return Ranking{}, apperr.Errorf(apperr.Invalid, "结束日期%s还没有到，排名只统计已经过去的日子。", calendar.FormatDate(t))
	case t.Sub(f) >= MaxRankingDays*24*time.Hour:
		return Ranking{}, apperr.Errorf(apperr.Invalid, "排名周期最长%d天。", MaxRankingDays)
	}
	rows, err := s.Store.RankingRows(ctx, f, t)
	if err != nil {
		return Ranking{}, err
	}
	return RankCounty(calendar.FormatDate(f), calendar.FormatDate(t), rows), nil
}

// inspectionRoutes adds the inspection pages' routes (county staff).
func (s *Service) inspectionRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /api/v1/county/inspection", s.staff(s.inspection))
	m.HandleFunc("GET /api/v1/county/ranking", s.staff(s.ranking))
}

func (s *Service) inspection(w http.ResponseWriter, r *http.Request) {
	in, err := s.Inspect(r.Context(), r.URL.Query().Get("date"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

func (s *Service) ranking(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rk, err := s.Ranking(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rk)
}
