package cli

import (
	"context"
	"time"

	"budayang/backend/dirlock"
	"budayang/backend/events"
	"budayang/backend/hall"
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
	// host may be the join code the shortcut keeps; the window names the
	// host by its address.
	return env.Desktop(ctx, DesktopOptions{Door: remote, Bus: bus, Log: log, DataDir: dataDir, Host: remote.Host(),
		ReadyFile: ready, UseSession: remote.UseSession})
}

// savedPinForCode returns the pin saved in dataDir once code has expired:
// the installer's shortcut keeps the join code it was given (budayang.exe
// --hall CODE), and the window goes on using the host it pinned with it —
// or the host it joined later, from the first-run screen after 重新加入大厅,
// which the shortcut's old code does not know. ok is false while code is
// still valid (joining again refreshes the pin), for a code that does not
// parse, and when no pin is saved.
func savedPinForCode(dataDir, code string, now time.Time) (hall.Pin, bool, error) {
	if !codeExpired(code, now) {
		return hall.Pin{}, false, nil
	}
	return hall.LoadPin(dataDir)
}

// codeExpired reports whether code is a join code that expired before now.
func codeExpired(code string, now time.Time) bool {
	jc, err := hall.ParseJoinCode(code, time.Time{})
	return err == nil && now.After(jc.Expires)
}
