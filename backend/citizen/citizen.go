// Package citizen checks and masks what a citizen tells the window: phone
// numbers, names and resident ID numbers (GB 11643). Masked forms are what
// every screen but the handling clerk's shows (PIPL: minimal exposure).
package citizen

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"budayang/backend/apperr"
)

var (
	mobile   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landline = regexp.MustCompile(`^0\d{2,3}\d{7,8}$`)
)

// NormalizePhone strips spaces, dashes and a +86/0086 prefix and checks the
// result is a mainland mobile (11 digits starting 13–19) or a landline with
// its area code (0xx-xxxxxxxx). It returns an invalid apperr otherwise.
func NormalizePhone(s string) (string, error) {
	p := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", "（", "", "）", "").Replace(strings.TrimSpace(s))
	p = strings.TrimPrefix(p, "+86")
	if strings.HasPrefix(p, "0086") {
		p = p[4:]
	}
	if mobile.MatchString(p) || landline.MatchString(p) {
		return p, nil
	}
	return "", apperr.Errorf(apperr.Invalid, "电话号码“%s”格式不正确：手机号应为11位（如13812345678），座机须带区号（如0818-7654321）。", s)
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

// ValidateID checks an 18-character resident ID number: 17 digits, a birth
// date that exists, and the GB 11643 (ISO 7064 MOD 11-2) check character,
// accepting a lower-case x. It returns the upper-cased number.
func ValidateID(s string) (string, error) {
	id := strings.ToUpper(strings.TrimSpace(s))
	if utf8.RuneCountInString(id) != 18 {
		return "", apperr.Errorf(apperr.Invalid, "身份证号码应为18位，收到%d位。", utf8.RuneCountInString(id))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return "", apperr.Errorf(apperr.Invalid, "身份证号码前17位必须是数字。")
		}
		sum += int(c-'0') * idWeights[i]
	}
	if !validBirth(id[6:14]) {
		return "", apperr.Errorf(apperr.Invalid, "身份证号码中的出生日期%s不存在。", id[6:14])
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
	if y < 1900 || m < 1 || m > 12 || d < 1 {
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
