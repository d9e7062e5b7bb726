package citizen_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/citizen"
	"budayang/backend/clock"
)

func TestValidateID(t *testing.T) {
	// The service clock's today: Wednesday 25 November 2026, 09:00 Shanghai.
	today := time.Date(2026, 11, 25, 9, 0, 0, 0, clock.Shanghai)
	tests := []struct {
		name, in, want string
		ok             bool
		says           string // part of the refusal's sentence
	}{
		{"Valid", "11010519491231002X", "11010519491231002X", true, ""},
		{"LowerCaseX", "11010519491231002x", "11010519491231002X", true, ""},
		{"ValidDigitCheck", "511725198001010036", "511725198001010036", true, ""},
		{"LeapDay", "511725195602290025", "511725195602290025", true, ""},
		{"EarliestYear", "51172519000101003X", "51172519000101003X", true, ""},
		{"BornToday", "511725202611250036", "511725202611250036", true, ""},
		{"ErrWrongCheckDigit", "110105194912310021", "", false, "校验位"},
		{"ErrTooShort", "11010519491231002", "", false, "18位"},
		{"ErrLetterInBody", "1101051949123100AX", "", false, "数字"},
		{"ErrNoSuchDate", "110105194902300023", "", false, "不存在"},
		{"ErrFifteenDigitOldForm", "110105491231002", "", false, "18位"},
		{"ErrBornTomorrow", "511725202611260031", "", false, "晚于今天"},
		{"ErrBornIn2027", "511725202701010036", "", false, "晚于今天"},
		{"ErrBornIn2999", "511725299901010034", "", false, "晚于今天"},
		// 1899-01-01 exists; nobody born then comes to the window, so it is
		// refused as a typing mistake, saying why rather than "不存在".
		{"ErrBornIn1899", "511725189901010037", "", false, "早于1900年"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := citizen.ValidateID(tt.in, today)
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("got %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), tt.says) {
				t.Fatalf("got %q, %v; want invalid saying %q", got, err, tt.says)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"13812345678", "13812345678", true},
		{"138 1234 5678", "13812345678", true},
		{"+86 138-1234-5678", "13812345678", true},
		{"0818-7654321", "08187654321", true},
		{"(0818)7654321", "08187654321", true},
		{"028 8765 4321", "02887654321", true},
		{"0086 13812345678", "13812345678", true},
		{"10012345678", "", false},
		{"12812345678", "", false},
		{"1381234567", "", false},
		{"7654321", "", false},
		{"电话", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := citizen.NormalizePhone(tt.in)
			if tt.ok != (err == nil) || got != tt.want {
				t.Errorf("got %q, %v; want %q ok=%v", got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestMasks(t *testing.T) {
	tests := []struct{ got, want string }{
		{citizen.MaskName("张三"), "张*"},
		{citizen.MaskName("张小三"), "张*三"},
		{citizen.MaskName("欧阳小明"), "欧**明"},
		{citizen.MaskName("李"), "李"},
		{citizen.MaskPhone("13812345678"), "138****5678"},
		{citizen.MaskID("11010519491231002X"), "110105********002X"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// The rule served to the UI is the rule the host applies: the pattern, the
// separators and the prefixes as served give the same verdict as
// NormalizePhone, for the numbers the rating pad, the kiosk and the case form
// used to disagree on.
func TestPublicRules_PhoneIsTheHostsRule(t *testing.T) {
	r := citizen.PublicRules()
	pattern := regexp.MustCompile(r.Phone.Pattern)
	strip := regexp.MustCompile(r.Phone.Strip)
	apply := func(s string) bool {
		p := strip.ReplaceAllString(s, "")
		for _, prefix := range r.Phone.Prefixes {
			if strings.HasPrefix(p, prefix) {
				p = p[len(prefix):]
				break
			}
		}
		return pattern.MatchString(p)
	}
	for _, in := range []string{"13812345678", "0818-7654321", "08187654321", "(0818)7654321", "+86 138 1234 5678",
		"12812345678", "10012345678", "1381234567", "7654321", "0818-765432", ""} {
		_, err := citizen.NormalizePhone(in)
		if got, want := apply(in), err == nil; got != want {
			t.Errorf("%q: served rule says %v, host says %v", in, got, want)
		}
	}
	if r.IDNumber.Length != 18 || r.IDNumber.EarliestBirthYear != citizen.EarliestBirthYear {
		t.Errorf("id rule: got %+v", r.IDNumber)
	}
}
