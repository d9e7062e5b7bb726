// Package apperr gives errors a code that decides the HTTP status and a
// Chinese sentence that the user sees. Only internal errors are logged with
// their detail.
package apperr

import (
	"errors"
	"fmt"
)

// Codes shared by every service.
const (
	Invalid      = "invalid"
	Unauthorized = "unauthorized"
	Forbidden    = "forbidden"
	NotFound     = "not_found"
	Conflict     = "conflict"
	Locked       = "locked"
	Unavailable  = "unavailable"
	TooLarge     = "too_large"
	DiskFull     = "disk_full"
	Internal     = "internal"
	// Unsupported refuses a request body that is not JSON.
	Unsupported = "unsupported_media_type"
)

// Error is an application error: a code and the sentence shown to the user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted sentence.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Code returns the code of the first *Error in err's chain, or Internal.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Message returns the user sentence of the first *Error in err's chain, or a
// generic sentence for internal errors so no detail leaks to the user.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请稍后重试；如反复出现请联系管理员。"
}

// Status maps a code to its HTTP status.
func Status(code string) int {
	switch code {
	case Invalid:
		return 400
	case Unauthorized:
		return 401
	case Forbidden:
		return 403
	case NotFound:
		return 404
	case Conflict:
		return 409
	case Locked:
		return 423
	case Unavailable, DiskFull:
		return 503
	case Unsupported:
		return 415
	case TooLarge:
		return 413
	default:
		return 500
	}
}
