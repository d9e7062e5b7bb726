package store_test

import (
	"os/signal"
	"syscall"
)

// Without ignoring SIGXFSZ the kernel kills the process at the limit instead
// of failing the write.
func signalIgnoreXFSZ() { signal.Ignore(syscall.SIGXFSZ) }
