package report_test

import (
	"testing"
	"time"

	"budayang/backend/report"
)

func secs(s ...int) []time.Duration {
	out := make([]time.Duration, len(s))
	for i, v := range s {
		out[i] = time.Duration(v) * time.Second
	}
	return out
}

func TestSummarize_NearestRank(t *testing.T) {
	tests := []struct {
		name string
		in   []time.Duration
		want report.Timing
	}{
		{"Empty", nil, report.Timing{}},
		{"One", secs(42), report.Timing{Count: 1, AvgSeconds: 42, P90Seconds: 42}},
		// ceil(0.9 × 10) = 9: the 9th smallest.
		{"TenUnsorted", secs(100, 10, 90, 20, 80, 30, 70, 40, 60, 50), report.Timing{Count: 10, AvgSeconds: 55, P90Seconds: 90}},
		// ceil(0.9 × 11) = 10: the 10th smallest.
		{"Eleven", secs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), report.Timing{Count: 11, AvgSeconds: 6, P90Seconds: 10}},
		// Ties at the top: 9th of 10 is one of the tied 300s.
		{"TiesAtTheRank", secs(60, 60, 60, 60, 60, 60, 60, 300, 300, 300), report.Timing{Count: 10, AvgSeconds: 132, P90Seconds: 300}},
		// Mean 100.5 s rounds half away from zero.
		{"MeanRounds", secs(100, 101), report.Timing{Count: 2, AvgSeconds: 101, P90Seconds: 101}},
		{"SubSecondRounds", []time.Duration{1400 * time.Millisecond, 1600 * time.Millisecond}, report.Timing{Count: 2, AvgSeconds: 2, P90Seconds: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := report.Summarize(tt.in); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
