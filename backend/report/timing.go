// Package report is the centre's statistics: the live dashboard and the
// compliance page today, the period reports and the assessment beside them.
// Every figure is a plain function over plain rows (dashboard.go,
// compliance.go), tested without a database; the loaders (load.go) read
// those rows from the site's tables, read-only, and the exported services of
// the roster, calendar, catalog and site.
package report

import (
	"slices"
	"time"
)

// Timing is a set of durations summed up in whole seconds: how many, their
// mean, and their 90th percentile by nearest rank (the smallest duration at
// least 90% of the set do not exceed). An empty set is all zeros.
type Timing struct {
	Count      int `json:"count"`
	AvgSeconds int `json:"avg_seconds"`
	P90Seconds int `json:"p90_seconds"`
}

// Summarize sums up ds; it sorts ds in place.
func Summarize(ds []time.Duration) Timing {
	n := len(ds)
	if n == 0 {
		return Timing{}
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	// Nearest rank: the ceil(0.9 n)-th smallest, in integers so 0.9 × 10 is 9.
	rank := (9*n + 9) / 10
	return Timing{Count: n, AvgSeconds: roundSeconds(sum / time.Duration(n)), P90Seconds: roundSeconds(ds[rank-1])}
}

func roundSeconds(d time.Duration) int { return int(d.Round(time.Second) / time.Second) }
