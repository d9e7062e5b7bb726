// Package watchdog keeps a hall's program running: it starts the program as
// a child process and starts it again when it dies, so a crash or a killed
// process does not leave the hall without its host until someone notices.
// A clean shutdown (exit 0) is not restarted, and neither is a program that
// refuses to start (a sentence and a non-zero exit within its first
// seconds), since starting it again would only repeat the sentence.
package watchdog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/dirlock"
)

// ExitRefused is the exit code of a desktop program that could not start,
// said why in its window and was closed by the person who read it: it is
// never restarted, however long that window stayed open, since starting
// it again would only show the same window.
const ExitRefused = 3

// ErrRefusedShown is Run's answer once the child exited ExitRefused: the
// person has read why in the child's window already.
var ErrRefusedShown = apperr.Errorf(apperr.Invalid, "程序未能启动，已在窗口中说明原因，看门狗不再重启；请按窗口里的提示处理后再启动")

// Options configure Run.
type Options struct {
	// Command returns the child's command, afresh for each start.
	Command func() *exec.Cmd
	// DataDir is the child's data directory. Before each start the
	// watchdog checks that no other process holds its lock, so a second
	// watchdog (or a program already running on the directory) is refused
	// instead of restarting a child that cannot start.
	DataDir string
	Log     *slog.Logger
	// MinBackoff is the pause before a restart; it doubles after each child
	// that dies before Settled, up to MaxBackoff. Zero values mean 1 s and
	// 30 s.
	MinBackoff, MaxBackoff time.Duration
	// Settled is how long a child must run to count as started: a first
	// start that exits non-zero sooner is a refusal, not a crash. A child
	// that ran this long restarts after MinBackoff again. Zero means 10 s.
	Settled time.Duration
	// StopTimeout is how long a child asked to stop may take before it is
	// killed. Zero means 15 s.
	StopTimeout time.Duration
}

// Run starts the child and restarts it whenever it dies, until the child
// exits 0 or ctx ends (then the child is asked to stop and Run returns nil).
// It returns an apperr.Conflict sentence when the data directory is held by
// another process, and an error naming the exit code when the first start
// fails within Settled.
func Run(ctx context.Context, o Options) error {
	o.defaults()
	backoff := o.MinBackoff
	for first := true; ; first = false {
		if err := checkFree(o.DataDir); err != nil {
			return err
		}
		cmd := o.Command()
		started := time.Now()
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("start %s: %w", cmd.Path, err)
		}
		o.Log.Info("watchdog started the program", "pid", cmd.Process.Pid)
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		var err error
		select {
		case err = <-exited:
		case <-ctx.Done():
			o.stop(cmd, exited)
			return nil
		}
		ran := time.Since(started)
		if err == nil {
			o.Log.Info("the program shut down cleanly; the watchdog stops too")
			return nil
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return fmt.Errorf("wait for the program: %w", err)
		}
		if ee.Exited() && ee.ExitCode() == ExitRefused {
			return ErrRefusedShown
		}
		if first && ran < o.Settled && ee.Exited() && ee.ExitCode() != 0 {
			return apperr.Errorf(apperr.Invalid, "程序启动失败（退出码 %d），看门狗不再重启；请按上面的提示处理后再启动", ee.ExitCode())
		}
		if ran >= o.Settled {
			backoff = o.MinBackoff
		}
		o.Log.Warn("the program died; the watchdog restarts it", "state", ee.ProcessState.String(), "ran", ran.Round(time.Millisecond), "after", backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return nil
		}
		if ran < o.Settled {
			backoff = min(2*backoff, o.MaxBackoff)
		}
	}
}

func (o *Options) defaults() {
	if o.MinBackoff == 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.Settled == 0 {
		o.Settled = 10 * time.Second
	}
	if o.StopTimeout == 0 {
		o.StopTimeout = 15 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
}

// checkFree refuses a data directory another process holds.
func checkFree(dir string) error {
	lock, err := dirlock.Acquire(dir)
	if err != nil {
		return err
	}
	return lock.Release()
}

// stop asks the child to shut down as on Ctrl+C, and kills it when it does
// not within StopTimeout (or when the platform cannot send the interrupt).
func (o *Options) stop(cmd *exec.Cmd, exited <-chan error) {
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		_ = cmd.Process.Kill()
	}
	select {
	case <-exited:
	case <-time.After(o.StopTimeout):
		_ = cmd.Process.Kill()
		<-exited
	}
}
