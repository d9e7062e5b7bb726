package cli

import (
	"context"

	"budayang/backend/dirlock"
	"budayang/backend/events"
)

// runWindow runs a window workstation (--hall): the hall host keeps the
// site, its sessions and its jobs, so the window opens no database of its
// own, runs no nightly backup or end-of-day, and keeps no copy of the
// catalog. Its data directory holds only the pin of the host it joined,
// locked while the window runs like every site's.
func runWindow(ctx context.Context, dataDir, host, join, ready string, env Env) error {
	lock, err := dirlock.Acquire(dataDir)
	if err != nil {
		return err
	}
	defer lock.Release()
	log := logger(env.Stderr)
	bus := events.NewBus()
	remote, err := joinHall(ctx, dataDir, host, join, bus, log, env)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go remote.Follow(ctx)
	return env.Desktop(ctx, DesktopOptions{Door: remote, Bus: bus, Log: log, DataDir: dataDir, Host: host,
		ReadyFile: ready, UseSession: remote.UseSession})
}
