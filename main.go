// Command budayang is the one binary of 不打烊: the desktop window, the
// headless hall server and the maintenance commands. It only wires the
// embedded frontend and the desktop door into backend/cli.
package main

import (
	"context"
	"embed"
	"io/fs"
	"os"

	"budayang/backend/cli"
)

//go:embed all:frontend/dist
var dist embed.FS

func main() {
	ui, err := fs.Sub(dist, "frontend/dist")
	if err != nil {
		panic(err)
	}
	os.Exit(cli.Main(context.Background(), os.Args[1:], cli.Env{UI: ui, Desktop: desktop}))
}
