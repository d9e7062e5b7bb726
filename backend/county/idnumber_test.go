package county

import (
	"regexp"
	"testing"

	"pgregory.net/rapid"
)

// The scan must refuse exactly what the regexp it replaced refused.
var fullIDNumberRE = regexp.MustCompile(`\b\d{17}[\dXx]\b`)

func TestHasFullIDNumber_AgreesWithTheRegexp(t *testing.T) {
	cases := []string{
		`{"id":"11010119900307123X"}`, `{"id":"110101199003071234"}`, `{"id":"110101********1234"}`,
		`{"id":"1101011990030712345"}`, `{"id":"a110101199003071234"}`, `身份证110101199003071234号`,
		`{"id":"11010119900307123x"}`, `{"id":"1101011990030712X4"}`, `110101199003071234`, ``, `_110101199003071234`,
	}
	for _, c := range cases {
		if got, want := hasFullIDNumber(c), fullIDNumberRE.MatchString(c); got != want {
			t.Errorf("hasFullIDNumber(%q) = %v, the regexp says %v", c, got, want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		// Mostly digits, so that runs of 17 to 19 come up often.
		s := rapid.StringOfN(rapid.SampledFrom([]rune("01234567890123456789012345678901234567890123456789Xx_a\" 号*")), 10, 60, -1).Draw(t, "s")
		if got, want := hasFullIDNumber(s), fullIDNumberRE.MatchString(s); got != want {
			t.Fatalf("hasFullIDNumber(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}
