package textlimit_test

import (
	"strings"
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/textlimit"
)

func TestCheck_CountsCharacters(t *testing.T) {
	tests := []struct {
		name string
		s    string
		ok   bool
	}{
		{"Empty", "", true},
		{"ChineseAtLimit", strings.Repeat("窗", textlimit.Name), true},
		{"ChineseOverLimit", strings.Repeat("窗", textlimit.Name+1), false},
		{"Huge", strings.Repeat("x", 900<<10), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := textlimit.Check("窗口名称", tt.s, textlimit.Name)
			if (err == nil) != tt.ok {
				t.Fatalf("got %v, want ok=%v", err, tt.ok)
			}
			if err != nil && (apperr.Code(err) != apperr.Invalid || !strings.Contains(err.Error(), "窗口名称不能超过40个字")) {
				t.Errorf("got %q (%s)", err, apperr.Code(err))
			}
		})
	}
}
