package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"budayang/backend/watchdog"
)

// watchdogFlag, given to serve or to the desktop window, runs the command
// under a watchdog that starts it again when it dies (see
// backend/watchdog): how a hall host started at logon stays up.
const watchdogFlag = "--watchdog"

// withoutWatchdog returns args without --watchdog (or -watchdog) and
// whether it was there.
func withoutWatchdog(args []string) ([]string, bool) {
	out := make([]string, 0, len(args))
	found := false
	for _, a := range args {
		if a == watchdogFlag || a == watchdogFlag[1:] {
			found = true
			continue
		}
		out = append(out, a)
	}
	return out, found
}

// dataDirOf finds the --data flag in args as the flag package reads it, or
// the default data directory.
func dataDirOf(args []string) string {
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "data" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return defaultDataDir()
}

// runWatchdog runs this same program with cmd and args (without
// --watchdog) as the watched child, until the child shuts down cleanly or
// this process is interrupted.
func runWatchdog(ctx context.Context, cmd string, args []string, env Env) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this program: %w", err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	childArgs := args
	if cmd != "" {
		childArgs = append([]string{cmd}, args...)
	}
	return watchdog.Run(ctx, watchdog.Options{
		Command: func() *exec.Cmd {
			c := exec.Command(exe, childArgs...)
			c.Stdin, c.Stdout, c.Stderr = nil, env.Stdout, env.Stderr
			return c
		},
		DataDir: dataDirOf(args),
		Log:     logger(env.Stderr),
	})
}
