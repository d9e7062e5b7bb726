//go:build !bindings

package app

import _ "embed"

// The Linux indicator takes a PNG.
//
//go:embed trayicon.png
var trayIcon []byte

// stopTray does nothing on Linux: the indicator goes with the process, and
// systray.Quit would stop the GTK loop Wails is shutting down.
func stopTray() {}
