package cli

import (
	"slices"
	"testing"
)

// After 重新加入大厅 the program starts again at the first-run screen: the
// hall the failed start named, in any spelling the flag package reads, is
// left out, and everything else kept.
func TestAgainAtFirstRun_LeavesOutTheHall(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"ShortcutCode", []string{"--hall", "CODE"}, []string{}},
		{"WithData", []string{"--data", `C:\不打烊`, "--hall", "CODE", "--ready-file", "r"}, []string{"--data", `C:\不打烊`, "--ready-file", "r"}},
		{"EqualsForm", []string{"--hall=CODE", "--data=D"}, []string{"--data=D"}},
		{"SingleDash", []string{"-hall", "CODE", "-data", "D"}, []string{"-data", "D"}},
		{"AddressAndJoin", []string{"--hall", "https://192.168.1.10:8470", "--join", "CODE", "--data", "D"}, []string{"--data", "D"}},
		{"SavedPin", []string{"--data", "D"}, []string{"--data", "D"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := againAtFirstRun(tt.args); !slices.Equal(got, tt.want) {
				t.Errorf("againAtFirstRun(%q) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}
