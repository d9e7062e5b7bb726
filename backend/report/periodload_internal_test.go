package report

import (
	"testing"
	"time"

	"budayang/backend/store"
)

// TestSeconds_AgreesWithTimeParse checks the loaders' own timestamp reader
// against the standard library across days, months, leap years and the
// half-second rounding.
func TestSeconds_AgreesWithTimeParse(t *testing.T) {
	base := time.Date(2024, 2, 28, 23, 59, 58, 400*int(time.Millisecond), time.UTC)
	for _, d := range []time.Duration{0, 499 * time.Millisecond, 500 * time.Millisecond, 2 * time.Second,
		26 * time.Hour, 40 * 24 * time.Hour, 400 * 24 * time.Hour} {
		from, to := store.FormatTime(base), store.FormatTime(base.Add(d))
		want := int(base.Add(d).Sub(base).Round(time.Second) / time.Second)
		if got := seconds([]byte(from), []byte(to)); got != want {
			t.Errorf("%s → %s: got %d s, want %d", from, to, got, want)
		}
	}
	if got := seconds(nil, []byte(store.FormatTime(base))); got != -1 {
		t.Errorf("NULL start: got %d, want -1", got)
	}
	if got := seconds([]byte("2024-02-28 23:59:58"), []byte(store.FormatTime(base))); got != -1 {
		t.Errorf("another layout: got %d, want -1", got)
	}
}
