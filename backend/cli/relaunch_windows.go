//go:build windows

package cli

import (
	"os"
	"os/exec"
	"strconv"
	"time"
)

// relaunchAfter names, in the new run's environment, the process that
// started it and is about to exit.
const relaunchAfter = "BUDAYANG_RELAUNCH_AFTER"

// relaunchSelf starts a new run of this executable with args;
// this process then exits (Windows has no exec). The new run waits for
// this one to be gone (awaitRelauncher): until then the window's
// single-instance lock would send it to this closing window instead.
func relaunchSelf(args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), relaunchAfter+"="+strconv.Itoa(os.Getpid()))
	return cmd.Start()
}

// awaitRelauncher waits, for at most 10 s, until the run that started this
// one (relaunchSelf) has exited.
func awaitRelauncher() {
	pid, err := strconv.Atoi(os.Getenv(relaunchAfter))
	os.Unsetenv(relaunchAfter)
	if err != nil {
		return
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return // already gone
	}
	done := make(chan struct{})
	go func() {
		_, _ = p.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
}
