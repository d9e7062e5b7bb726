package cli

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"budayang/backend/hall"
)

// rejoinAsWindow is a desktop window whose first-run screen may join a hall
// host (POST /api/v1/setup/join-hall): once it has, the window closes, the
// site is closed and its data directory released, and the program starts
// again, which finds the saved pin and opens as the hall's window.
type rejoinAsWindow struct {
	// quit ends the desktop window's context, which closes the window.
	quit context.CancelFunc
	// args are the program's arguments, to start again with.
	args []string
	mu   sync.Mutex
	pin  *hall.Pin
}

// joinedFunc is what the site's server calls once the pin is saved; nil
// for a nil r, which offers no joining.
func (r *rejoinAsWindow) joinedFunc() func(hall.Pin) {
	if r == nil {
		return nil
	}
	return func(pin hall.Pin) {
		r.mu.Lock()
		r.pin = &pin
		r.mu.Unlock()
		r.quit()
	}
}

// requested reports whether the window joined a hall before it closed.
func (r *rejoinAsWindow) requested() bool {
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pin != nil
}

// relaunch starts the program again with r.args, through
// env.Relaunch when set. Call it only once the site is closed.
func (r *rejoinAsWindow) relaunch(env Env, log *slog.Logger) error {
	r.mu.Lock()
	pin := *r.pin
	r.mu.Unlock()
	log.Info("joined a hall host from the first-run screen; starting again as its window", "host", pin.Host)
	fmt.Fprintf(env.Stdout, "已加入大厅主机 %s（证书指纹 %s），正在以大厅的窗口重新打开\n", pin.Host, pin.Short())
	return startAgain(env, r.args, "已加入大厅")
}

// startAgain starts the program again with args, through env.Relaunch
// when set; done says, should that fail, what was done before.
func startAgain(env Env, args []string, done string) error {
	if env.Relaunch != nil {
		return env.Relaunch(args)
	}
	if err := relaunchSelf(args); err != nil {
		return fmt.Errorf("%s，但未能重新打开不打烊（%v），请从菜单再次打开“不打烊”", done, err)
	}
	return nil
}
