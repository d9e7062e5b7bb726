package citizen

import (
	"regexp"
	"strings"
)

// The phone rule, written once: the host checks with it and serves it (Rules)
// to every screen that hints while a number is typed, so the rating pad, the
// kiosk, bookings and cases accept the same numbers.
const (
	// PhonePattern matches a normalised phone: a mainland mobile (11 digits
	// starting 13–19) or a landline with its area code (0 and 9–11 digits).
	// It is written in the syntax Go and JavaScript share.
	PhonePattern = `^(?:1[3-9]\d{9}|0\d{2,3}\d{7,8})$`
	// PhoneStrip matches the separators removed before matching.
	PhoneStrip = `[\s()（）-]`
	// PhoneDescription is the sentence shown when a number does not match.
	PhoneDescription = "手机号应为13至19开头的11位数字（如13812345678），座机须带区号（如0818-7654321）。"
)

// PhonePrefixes are the country prefixes removed, after the separators.
var PhonePrefixes = []string{"+86", "0086"}

var (
	phoneRE = regexp.MustCompile(PhonePattern)
	stripRE = regexp.MustCompile(PhoneStrip)
)

// normalizePhone applies the rule: strip separators and one country prefix,
// then match. It returns the normalised number and whether it matched.
func normalizePhone(s string) (string, bool) {
	p := stripRE.ReplaceAllString(s, "")
	for _, prefix := range PhonePrefixes {
		if strings.HasPrefix(p, prefix) {
			p = p[len(prefix):]
			break
		}
	}
	return p, phoneRE.MatchString(p)
}

// PhoneRule is the phone rule as the UI applies it.
type PhoneRule struct {
	Pattern     string   `json:"pattern"`
	Strip       string   `json:"strip"`
	Prefixes    []string `json:"prefixes"`
	Description string   `json:"description"`
}

// IDRule is what the UI may hint about a resident ID number while it is
// typed; the check character and the birth date are the host's to judge.
type IDRule struct {
	Length            int `json:"length"`
	EarliestBirthYear int `json:"earliest_birth_year"`
}

// Rules are the citizen-field rules the UI reads from the host instead of
// keeping its own copies. They carry nothing personal.
type Rules struct {
	Phone    PhoneRule `json:"phone"`
	IDNumber IDRule    `json:"id_number"`
}

// PublicRules returns the rules.
func PublicRules() Rules {
	return Rules{
		Phone:    PhoneRule{Pattern: PhonePattern, Strip: PhoneStrip, Prefixes: PhonePrefixes, Description: PhoneDescription},
		IDNumber: IDRule{Length: idLength, EarliestBirthYear: EarliestBirthYear},
	}
}
