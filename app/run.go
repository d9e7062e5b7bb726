package app

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"

	"budayang/backend/cli"
)

//go:embed trayicon.png
var windowIcon []byte

// Title is the window title; the smoke test finds the window by it.
const Title = "不打烊 · 便民服务工作台"

// Run opens the window and blocks until it quits: from the tray, by closing
// the window (unless it hides to the tray), or when ctx ends (SIGTERM).
// It must be called on the main OS thread.
func Run(ctx context.Context, opts cli.DesktopOptions) error {
	a := New(opts)
	// The tray registers on the main thread before wails.Run, so both share
	// the one GTK main loop that Wails runs (see tray.go).
	startTray(a)
	closed := make(chan struct{})
	defer close(closed)
	go a.quitOnSignal(ctx, closed)
	err := wails.Run(&options.App{
		Title:            Title,
		Width:            1280,
		Height:           800,
		MinWidth:         1024,
		MinHeight:        700,
		BackgroundColour: &options.RGBA{R: 255, G: 255, B: 255, A: 255},
		// The hall handler serves the built UI (Wails injects its runtime
		// into index.html) and the same /api/v1 the LAN sees.
		AssetServer:   &assetserver.Options{Handler: opts.Door},
		OnStartup:     a.startup,
		OnBeforeClose: a.beforeClose,
		OnShutdown:    func(context.Context) { stopTray() },
		Bind:          []any{a},
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               instanceID(opts.DataDir),
			OnSecondInstanceLaunch: func(options.SecondInstanceData) { a.showWindow() },
		},
		Linux: &linux.Options{
			Icon:        windowIcon,
			ProgramName: "budayang",
			// Township PCs have old GPUs and drivers; software rendering
			// is what Wails picks when Linux options are absent (wails#2977).
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
		Windows: &windows.Options{},
	})
	if err != nil {
		return fmt.Errorf("run window: %w", err)
	}
	return nil
}

// instanceID keys the single-instance lock by data directory, so launching
// the app again for the same site brings the (possibly hidden) window back
// instead of opening a second one.
func instanceID(dataDir string) string {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(abs))
	return "cn.budayang." + hex.EncodeToString(sum[:6])
}

// quitOnSignal makes SIGINT/SIGTERM (ctx ends) quit rather than hide to the
// tray. Wails catches these signals too and closes the window, which asks
// beforeClose: once quitting is set that close quits. If beforeClose ran
// first and hid the window, quit again; if no close comes from Wails, quit
// ourselves. closed means the window has gone and GTK's loop with it.
func (a *App) quitOnSignal(ctx context.Context, closed <-chan struct{}) {
	select {
	case <-ctx.Done():
	case <-closed:
		return
	}
	a.mu.Lock()
	a.quitting = true
	justHidden := time.Since(a.closeHidAt) < time.Second
	a.mu.Unlock()
	if justHidden {
		a.quit()
		return
	}
	select {
	case <-closed:
	case <-time.After(3 * time.Second):
		a.quit()
	}
}
