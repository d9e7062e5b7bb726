package calendar

import (
	"context"
	"time"

	"budayang/backend/account"
)

// DayKind is how the legal calendar treats one date.
type DayKind struct {
	Workday bool   `json:"workday"`
	Holiday string `json:"holiday,omitempty"`
}

// DayChange is a date an arrangement would treat differently from the
// calendar in force.
type DayChange struct {
	Date   string  `json:"date"`
	Before DayKind `json:"before"`
	After  DayKind `json:"after"`
}

// ArrangementPreview is what saving an arrangement would do, shown before
// the administrator saves it.
type ArrangementPreview struct {
	Summary YearSummary `json:"summary"`
	// Replaces is the source of the arrangement in force for the year, or
	// empty when the year has none and counts weekends only.
	Replaces string      `json:"replaces"`
	Changes  []DayChange `json:"changes"`
}

// PreviewArrangement validates a as ImportArrangement would and lists every
// date of its year that it would turn from a working day into a rest day or
// back, or rename. Nothing is stored. Errors: invalid, forbidden.
func (s *Service) PreviewArrangement(ctx context.Context, by account.Principal, a Arrangement) (ArrangementPreview, error) {
	if err := requireAdmin(by); err != nil {
		return ArrangementPreview{}, err
	}
	if err := a.Validate(); err != nil {
		return ArrangementPreview{}, err
	}
	a.Source = SourceSite
	arrs, err := s.arrangements(ctx, s.db.Read())
	if err != nil {
		return ArrangementPreview{}, err
	}
	out := ArrangementPreview{Summary: a.Summary(), Changes: []DayChange{}}
	next := []Arrangement{a}
	for _, old := range arrs {
		if old.Year == a.Year {
			out.Replaces = old.Source
			continue
		}
		next = append(next, old)
	}
	out.Changes = diffYear(a.Year, NewLegal(arrs...), NewLegal(next...))
	return out, nil
}

// DiffYear lists the dates of year that the arrangements before and after
// treat differently: what replacing the one set by the other would change.
func DiffYear(year int, before, after []Arrangement) []DayChange {
	return diffYear(year, NewLegal(before...), NewLegal(after...))
}

// diffYear lists the dates of year that before and after treat differently.
func diffYear(year int, before, after Legal) []DayChange {
	out := []DayChange{}
	for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		kind := func(l Legal) DayKind {
			h, _ := l.Lookup(d)
			return DayKind{Workday: l.IsWorkday(d), Holiday: h}
		}
		if b, a := kind(before), kind(after); b != a {
			out = append(out, DayChange{Date: d.Format(DateLayout), Before: b, After: a})
		}
	}
	return out
}
