package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"

	"budayang/backend/events"
	"budayang/backend/hall"
)

// desktopStart is what a desktop start learned before it failed, for the
// window that then says why (showProblem).
type desktopStart struct {
	// opened is set once the window was asked to open: its failures are
	// the window's own, with no problem window after them.
	opened bool
	// dataDir and ready are the start's --data and --ready-file; dataDir
	// is empty while the arguments are not yet read.
	dataDir, ready string
	// args are the start's arguments.
	args []string
	// rejoinable: what the window workstation holds of its hall is what
	// failed (see rejoinError), so forgetting the pin and joining the hall
	// again from the first-run screen is the way out.
	rejoinable bool
}

// rejoinError is a window workstation that cannot reach its hall with what
// it holds: a saved pin whose host presents another certificate or whose
// fingerprint is damaged, or — started by the Windows installer's shortcut,
// which keeps the join code it was given — an expired join code and no pin.
type rejoinError struct{ err error }

func (e *rejoinError) Error() string { return e.err.Error() }
func (e *rejoinError) Unwrap() error { return e.err }

// againAtFirstRun is args without --hall and --join (with their values):
// the start after forgetting the pin must reach the first-run screen, not
// the hall the failed start named.
func againAtFirstRun(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if strings.HasPrefix(args[i], "-") && (name == "hall" || name == "join") {
			if !hasValue {
				i++
			}
			continue
		}
		out = append(out, args[i])
	}
	return out
}

// shownError is a start-up error the problem window showed before the
// person closed it; the program exits watchdog.ExitRefused, so a watchdog
// does not open that window again and again.
type shownError struct{ err error }

func (e *shownError) Error() string { return e.err.Error() }
func (e *shownError) Unwrap() error { return e.err }

func shownInWindow(err error) bool {
	var se *shownError
	return errors.As(err, &se)
}

func needsRejoin(err error) bool {
	var re *rejoinError
	return errors.As(err, &re)
}

// runDesktop opens the desktop window. Started from the menu or a
// shortcut, nobody sees stderr: a start that fails before its window opens
// (the hall host's certificate changed, the data directory held by another
// process, a database of a newer version) opens the window anyway onto the
// start-up problem door, which says why. The error is still returned, for
// stderr and the exit code, once that window is closed.
func runDesktop(ctx context.Context, args []string, env Env) error {
	st := &desktopStart{}
	desktop := env.Desktop
	if desktop == nil {
		return openDesktop(ctx, args, env, st)
	}
	env.Desktop = func(ctx context.Context, opts DesktopOptions) error {
		st.opened = true
		return desktop(ctx, opts)
	}
	err := openDesktop(ctx, args, env, st)
	if err == nil || st.opened || st.dataDir == "" {
		return err
	}
	return showProblem(ctx, err, st, desktop, env)
}

// showProblem opens the window onto the door that shows cause, until the
// person closes it, and returns cause, marked as shown when the window
// opened. When the saved pin is what failed, the window offers to forget
// it: the program then starts again at its first-run screen.
func showProblem(ctx context.Context, cause error, st *desktopStart, desktop func(context.Context, DesktopOptions) error, env Env) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, quit := context.WithCancel(ctx)
	defer quit()
	log := logger(env.Stderr)
	msg := oneLine(cause)
	log.Error("could not start; the window says why", "err", msg)
	door := hall.NewProblem(msg, env.UI, log, quit)
	var rejoin atomic.Bool
	if st.rejoinable {
		door.AllowRejoin(st.dataDir, func() {
			rejoin.Store(true)
			quit()
		})
	}
	if err := desktop(ctx, DesktopOptions{Door: door, Bus: events.NewBus(), Log: log, DataDir: st.dataDir, ReadyFile: st.ready}); err != nil {
		log.Error("the window saying why the start failed did not open", "err", err)
		return cause
	}
	if !rejoin.Load() {
		return &shownError{cause}
	}
	fmt.Fprintln(env.Stdout, "已删除本机记录的大厅主机，正在重新打开不打烊：请在首次使用画面选“本机是大厅的窗口：加入大厅”")
	return startAgain(env, againAtFirstRun(st.args), "已删除本机记录的大厅主机")
}
