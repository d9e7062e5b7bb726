//go:build tools

// Package tools pins the Wails CLI used for `make bindings`. The CLI's own
// module (v2.9.2) needs a newer golang.org/x/tools than it requires to compile
// with current Go, so it is built from here: make builds build/tools/wails with
// `go build github.com/wailsapp/wails/v2/cmd/wails`.
package tools

import _ "github.com/wailsapp/wails/v2/cmd/wails"
