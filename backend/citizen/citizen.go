// Package citizen checks and masks what a citizen tells the window: phone
// numbers, names and resident ID numbers (GB 11643). Masked forms are what
// every screen but the handling clerk's shows (PIPL: minimal exposure).
package citizen

import (
	"strings"
	"time"
	"unicode/utf8"

	"budayang/backend/apperr"
	"budayang/backend/clock"
)

// NormalizePhone strips spaces, dashes, brackets and a +86/0086 prefix and
// checks the result against PhonePattern: a mainland mobile (11 digits
// starting 13–19) or a landline with its area code (0xx-xxxxxxxx). It returns
// an invalid apperr otherwise.
func NormalizePhone(s string) (string, error) {
	if p, ok := normalizePhone(s); ok {
		return p, nil
	}
	return "", apperr.Errorf(apperr.Invalid, "电话号码“%s”格式不正确：%s", s, PhoneDescription)
}

// MaskPhone shows the first three and last four digits: 138****5678.
func MaskPhone(p string) string {
	if len(p) < 8 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// MaskName keeps the first and last character of a name and hides the rest:
// 张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	switch len(r) {
	case 0:
		return ""
	case 1:
		return string(r)
	case 2:
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10X98765432"

const idLength = 18

// EarliestBirthYear is the first birth year ValidateID accepts: nobody born
// before it comes to the window, so an earlier year is a typing mistake.
const EarliestBirthYear = 1900

// ValidateID checks an 18-character resident ID number: 17 digits, a birth
// date that exists, is not before EarliestBirthYear and not after today (in
// Asia/Shanghai), and the GB 11643 (ISO 7064 MOD 11-2) check character,
// accepting a lower-case x. It returns the upper-cased number.
func ValidateID(s string, today time.Time) (string, error) {
	id := strings.ToUpper(strings.TrimSpace(s))
	if utf8.RuneCountInString(id) != idLength {
		return "", apperr.Errorf(apperr.Invalid, "身份证号码应为%d位，收到%d位。", idLength, utf8.RuneCountInString(id))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return "", apperr.Errorf(apperr.Invalid, "身份证号码前17位必须是数字。")
		}
		sum += int(c-'0') * idWeights[i]
	}
	birth := id[6:14]
	switch {
	case !validBirth(birth):
		return "", apperr.Errorf(apperr.Invalid, "身份证号码中的出生日期%s不存在。", birth)
	case atoi(birth[0:4]) < EarliestBirthYear:
		return "", apperr.Errorf(apperr.Invalid, "身份证号码中的出生日期%s早于%d年，请核对。", birth, EarliestBirthYear)
	case birth > today.In(clock.Shanghai).Format("20060102"):
		return "", apperr.Errorf(apperr.Invalid, "身份证号码中的出生日期%s晚于今天，请核对。", birth)
	}
	if want := idCheck[sum%11]; id[17] != want {
		return "", apperr.Errorf(apperr.Invalid, "身份证号码校验位不正确，请核对后重新输入。")
	}
	return id, nil
}

func validBirth(s string) bool {
	y := atoi(s[0:4])
	m := atoi(s[4:6])
	d := atoi(s[6:8])
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days[2] = 29
	}
	return d <= days[m]
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// MaskID shows the first six (the region) and last four characters:
// 511725********123X.
func MaskID(id string) string {
	if len(id) != 18 {
		return strings.Repeat("*", len(id))
	}
	return id[:6] + strings.Repeat("*", 8) + id[14:]
}
