//go:build !desktop

package main

import (
	"context"

	"budayang/backend/cli"
)

// Without the desktop tag the binary has no window (tests, a county server);
// `budayang serve` still serves the whole UI.
var desktop func(ctx context.Context, opts cli.DesktopOptions) error
