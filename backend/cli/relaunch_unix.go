//go:build !windows

package cli

import (
	"os"
	"syscall"
)

// relaunchSelf replaces this process with a new run of its executable
// with args: the same process id, so a watchdog or the desktop's launcher
// goes on following it. It returns only on failure.
func relaunchSelf(args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	return syscall.Exec(exe, append([]string{os.Args[0]}, args...), os.Environ())
}

// awaitRelauncher has nothing to wait for: exec left no other process.
func awaitRelauncher() {}
