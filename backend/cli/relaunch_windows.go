//go:build windows

package cli

import (
	"os"
	"os/exec"
)

// relaunchSelf starts a new run of this executable with its arguments;
// this process then exits (Windows has no exec).
func relaunchSelf() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	return exec.Command(exe, os.Args[1:]...).Start()
}
