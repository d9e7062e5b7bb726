//go:build bindings || !(linux || windows)

package app

// Without a tray (binding generation, other systems) closing the window quits.
func startTray(*App) {}

func stopTray() {}
