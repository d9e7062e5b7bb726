// Command bindgen exists for the Wails CLI only: `wails generate module`,
// run in this directory (see `make bindings`), builds it with the bindings
// tag and runs it, and wails.Run then writes frontend/wailsjs for the bound
// App instead of opening a window. The product binary's main package cannot
// serve: it opens the site database before it reaches wails.Run.
package main

import (
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"

	"budayang/app"
	"budayang/backend/cli"
)

func main() {
	err := wails.Run(&options.App{Title: app.Title, Bind: []any{app.New(cli.DesktopOptions{})}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "bindgen:", err)
		os.Exit(1)
	}
}
