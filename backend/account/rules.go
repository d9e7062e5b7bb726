package account

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"budayang/backend/apperr"
)

// Limits on what a person may choose.
const (
	MinLoginLen    = 2
	MaxLoginLen    = 32
	MaxNameLen     = 32 // runes: a name goes into every display event
	MaxPasswordLen = 72 // bytes: bcrypt reads no further
)

// reservedLogins are names the system or a device speaks as in the audit log
// and on the LAN; a person holding one could pass for them.
var reservedLogins = map[string]bool{
	"kiosk": true, "system": true, "scheduler": true, "device": true, "county": true, "root": true,
	"display": true, "rating": true, "rater": true, "host": true, "local": true, "localhost": true,
	"api": true, "setup": true, "sync": true, "recovery": true, "budayang": true, "nobody": true,
	"anonymous": true, "guest": true, "administrator": true, "superuser": true, "sysadmin": true,
}

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords are the passwords tried first by anyone guessing, lower case.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(commonPasswordList) {
		m[p] = true
	}
	return m
}()

// ValidateLogin returns an apperr sentence when login is not a safe login
// name: 2–32 ASCII letters, digits, '.', '_' or '-', starting with a letter
// or digit, and not a name reserved for the system or a device. ASCII only
// keeps full-width and zero-width look-alikes of another login out.
func ValidateLogin(login string) error {
	if len(login) < MinLoginLen || len(login) > MaxLoginLen {
		return apperr.Errorf(apperr.Invalid, "登录名须为%d–%d个字符。", MinLoginLen, MaxLoginLen)
	}
	for i, r := range login {
		ok := r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || i > 0 && strings.ContainsRune("._-", r))
		if !ok {
			return apperr.Errorf(apperr.Invalid, "登录名只能使用英文字母、数字和“. _ -”，并以字母或数字开头。")
		}
	}
	if reservedLogins[strings.ToLower(login)] {
		return apperr.Errorf(apperr.Invalid, "登录名“%s”为系统保留，请换一个。", login)
	}
	return nil
}

// ValidateName returns an apperr sentence when a staff member's name is
// empty, longer than MaxNameLen characters, or holds control or invisible
// formatting characters (which could hide or reorder text on the display).
func ValidateName(name string) error {
	if name == "" {
		return apperr.Errorf(apperr.Invalid, "请填写姓名。")
	}
	if utf8.RuneCountInString(name) > MaxNameLen {
		return apperr.Errorf(apperr.Invalid, "姓名最多%d个字。", MaxNameLen)
	}
	for _, r := range name {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return apperr.Errorf(apperr.Invalid, "姓名含有不可见字符或控制字符。")
		}
	}
	return nil
}

// ValidatePassword returns an apperr sentence when password is too weak for
// login: shorter than MinPasswordLen, blank, the login itself (or nothing but
// it repeated), one character repeated, a run such as 12345678 or abcdefgh,
// or one of the common passwords tried first by anyone guessing.
func ValidatePassword(login, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return apperr.Errorf(apperr.Invalid, "密码至少需要%d位。", MinPasswordLen)
	}
	if len(password) > MaxPasswordLen {
		return apperr.Errorf(apperr.Invalid, "密码过长（最多%d个字节）。", MaxPasswordLen)
	}
	if strings.TrimSpace(password) == "" {
		return apperr.Errorf(apperr.Invalid, "密码不能全是空格。")
	}
	lower := strings.ToLower(password)
	if l := strings.ToLower(strings.TrimSpace(login)); l != "" && strings.TrimSpace(strings.ReplaceAll(lower, l, "")) == "" {
		return apperr.Errorf(apperr.Invalid, "密码不能与登录名相同。")
	}
	if commonPasswords[lower] || oneRun(lower) {
		return apperr.Errorf(apperr.Invalid, "这个密码太常见，很容易被猜中，请换一个。")
	}
	return nil
}

// oneRun reports whether p is one character repeated or a run that climbs or
// falls by one at every step (11111111, 12345678, 87654321, abcdefgh).
func oneRun(p string) bool {
	rs := []rune(p)
	for _, step := range []rune{0, 1, -1} {
		run := true
		for i := 1; i < len(rs) && run; i++ {
			run = rs[i]-rs[i-1] == step
		}
		if run {
			return true
		}
	}
	return false
}
