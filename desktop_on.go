//go:build desktop

package main

import "budayang/app"

// With the desktop tag the binary opens the Wails window (see app/).
var desktop = app.Run
