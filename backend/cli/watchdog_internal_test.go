package cli

import (
	"slices"
	"testing"
)

// The watchdog starts the same command without --watchdog, and checks the
// lock of the data directory the child will open.
func TestWatchdogArgs(t *testing.T) {
	for _, tt := range []struct {
		name      string
		args      []string
		wantRest  []string
		wantFound bool
		wantData  string
	}{
		{"Absent", []string{"--data", "/d"}, []string{"--data", "/d"}, false, "/d"},
		{"DoubleDash", []string{"--watchdog", "--listen", "0.0.0.0:8470"}, []string{"--listen", "0.0.0.0:8470"}, true, defaultDataDir()},
		{"SingleDashAndEquals", []string{"--addr", ":8470", "-watchdog", "-data=/srv/b"}, []string{"--addr", ":8470", "-data=/srv/b"}, true, "/srv/b"},
		{"DataBeforeWatchdog", []string{"-data", "/x", "--watchdog"}, []string{"-data", "/x"}, true, "/x"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rest, found := withoutWatchdog(tt.args)
			if found != tt.wantFound || !slices.Equal(rest, tt.wantRest) {
				t.Errorf("withoutWatchdog(%q) = %q, %v; want %q, %v", tt.args, rest, found, tt.wantRest, tt.wantFound)
			}
			if got := dataDirOf(rest); got != tt.wantData {
				t.Errorf("dataDirOf(%q) = %q, want %q", rest, got, tt.wantData)
			}
		})
	}
}
