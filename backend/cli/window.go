package cli

import (
	"context"
	"encoding/hex"
	"strings"
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
	return env.Desktop(ctx, DesktopOptions{Door: remote, Bus: bus, Log: log, DataDir: dataDir, Host: host,
		ReadyFile: ready, UseSession: remote.UseSession})
}

// savedPinForCode returns the pin this window saved when it joined with
// code, once code has expired: the installer's shortcut keeps the join code
// it was given (budayang.exe --hall CODE), and the window goes on using the
// host it pinned then. ok is false while code is still valid (joining again
// refreshes the pin), for a code that does not parse, and when no pin of
// the code's host is saved.
func savedPinForCode(dataDir, code string, now time.Time) (hall.Pin, bool, error) {
	jc, err := hall.ParseJoinCode(code, time.Time{})
	if err != nil || !now.After(jc.Expires) {
		return hall.Pin{}, false, nil
	}
	saved, ok, err := hall.LoadPin(dataDir)
	if err != nil || !ok {
		return hall.Pin{}, false, err
	}
	if !strings.HasPrefix(strings.ToLower(saved.Fingerprint), hex.EncodeToString(jc.Pin)) {
		return hall.Pin{}, false, nil
	}
	return saved, true, nil
}
