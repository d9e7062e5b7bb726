// Package textlimit bounds the text people type into names and short notes,
// so one form cannot put megabytes into every display event, list and
// audit line. Lengths count characters, not bytes: a Chinese name is one
// character a glyph.
package textlimit

import (
	"unicode/utf8"

	"budayang/backend/apperr"
)

// Limits by kind of field, in characters.
const (
	// Name is a line's, window's, site's or time window's name.
	Name = 40
	// Reason is a short reason shown beside a record, such as why the
	// calendar differs on a day.
	Reason = 200
)

// Check returns an invalid error naming field when s has more than max
// characters.
func Check(field, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return apperr.Errorf(apperr.Invalid, "%s不能超过%d个字（现有%d个字）。", field, max, n)
	}
	return nil
}
