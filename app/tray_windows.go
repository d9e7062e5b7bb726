//go:build !bindings

package app

import (
	_ "embed"

	"github.com/getlantern/systray"
)

// The Windows notification area takes an .ico.
//
//go:embed trayicon.ico
var trayIcon []byte

// stopTray removes the notification icon so no ghost icon stays behind
// after the window has quit.
func stopTray() { systray.Quit() }
