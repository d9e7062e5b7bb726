package watchdog_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/dirlock"
	"budayang/backend/watchdog"
)

// TestHelperChild is not a test: it is the watched program. Like budayang
// it holds the data directory's lock while it runs; it appends its process
// id to the directory's "pids" file, then runs until interrupted or until a
// "stop" file appears (both a clean exit 0). In mode "refuse" it exits 1 at
// once, as a program refusing its flags does; in mode "shown" it exits
// watchdog.ExitRefused a little later, as a desktop program whose start-up
// problem window was read and closed.
func TestHelperChild(t *testing.T) {
	dir := os.Getenv("WATCHDOG_TEST_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	switch os.Getenv("WATCHDOG_TEST_MODE") {
	case "refuse":
		os.Exit(1)
	case "shown":
		time.Sleep(300 * time.Millisecond) // the window stayed open, past Settled
		os.Exit(watchdog.ExitRefused)
	}
	lock, err := dirlock.Acquire(dir)
	if err != nil {
		os.Exit(1)
	}
	defer lock.Release()
	f, _ := os.OpenFile(filepath.Join(dir, "pids"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	f.Close()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	for {
		select {
		case <-sig:
			os.Exit(0)
		case <-time.After(20 * time.Millisecond):
		}
		if _, err := os.Stat(filepath.Join(dir, "stop")); err == nil {
			os.Exit(0)
		}
	}
}

type watched struct {
	dir  string
	done chan struct{} // closed once Run returned err
	err  error
	stop context.CancelFunc
}

func watch(t *testing.T, dir, mode string) *watched {
	t.Helper()
	return watchSettled(t, dir, mode, 5*time.Second)
}

func watchSettled(t *testing.T, dir, mode string, settled time.Duration) *watched {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := &watched{dir: dir, done: make(chan struct{}), stop: cancel}
	go func() {
		defer close(w.done)
		w.err = watchdog.Run(ctx, watchdog.Options{
			Command: func() *exec.Cmd {
				cmd := exec.Command(os.Args[0], "-test.run=^TestHelperChild$")
				cmd.Env = append(os.Environ(), "WATCHDOG_TEST_DIR="+dir, "WATCHDOG_TEST_MODE="+mode)
				return cmd
			},
			DataDir:    dir,
			Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
			MinBackoff: 200 * time.Millisecond,
			Settled:    settled,
		})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-w.done:
		case <-time.After(20 * time.Second):
		}
	})
	return w
}

// pids waits until the child has started n times and returns their ids.
func (w *watched) pids(t *testing.T, n int, within time.Duration) []int {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		raw, _ := os.ReadFile(filepath.Join(w.dir, "pids"))
		var out []int
		for _, f := range strings.Fields(string(raw)) {
			pid, _ := strconv.Atoi(f)
			out = append(out, pid)
		}
		if len(out) >= n {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("the child started %d times within %s, want %d", len(out), within, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (w *watched) result(t *testing.T) error {
	t.Helper()
	select {
	case <-w.done:
		return w.err
	case <-time.After(20 * time.Second):
		t.Fatal("the watchdog did not return within 20 s")
		return nil
	}
}

func TestRun(t *testing.T) {
	t.Run("KilledChildIsRestartedCleanExitIsNot", func(t *testing.T) {
		w := watch(t, t.TempDir(), "")
		first := w.pids(t, 1, 20*time.Second)[0]
		p, _ := os.FindProcess(first)
		if err := p.Kill(); err != nil { // kill -9
			t.Fatal(err)
		}
		second := w.pids(t, 2, 5*time.Second)[1]
		if second == first {
			t.Fatalf("restarted child has the killed one's pid %d", first)
		}
		os.WriteFile(filepath.Join(w.dir, "stop"), nil, 0o600)
		if err := w.result(t); err != nil {
			t.Errorf("after a clean exit: %v, want nil", err)
		}
		time.Sleep(300 * time.Millisecond)
		if got := w.pids(t, 2, 0); len(got) != 2 {
			t.Errorf("started %d times, want 2: a clean exit is not restarted", len(got))
		}
	})
	t.Run("SecondWatchdogOnTheDirectoryIsRefused", func(t *testing.T) {
		first := watch(t, t.TempDir(), "")
		first.pids(t, 1, 20*time.Second)
		err := watch(t, first.dir, "").result(t)
		if apperr.Code(err) != apperr.Conflict || !strings.Contains(apperr.Message(err), "正在被另一个不打烊进程使用") {
			t.Errorf("second watchdog: %v, want the data directory's lock conflict", err)
		}
		if got := first.pids(t, 1, 0); len(got) != 1 {
			t.Errorf("started %d children, want only the first watchdog's", len(got))
		}
	})
	t.Run("RefusalAtStartIsNotRestarted", func(t *testing.T) {
		err := watch(t, t.TempDir(), "refuse").result(t)
		if err == nil || !strings.Contains(apperr.Message(err), "退出码 1") {
			t.Errorf("got %v, want the start-up failure with its exit code", err)
		}
	})
	t.Run("ProblemShownInTheWindowIsNotRestarted", func(t *testing.T) {
		err := watchSettled(t, t.TempDir(), "shown", 100*time.Millisecond).result(t)
		if err == nil || !strings.Contains(apperr.Message(err), "已在窗口中说明原因") {
			t.Errorf("got %v, want no restart after the start-up problem window", err)
		}
	})
	t.Run("StoppingTheWatchdogStopsTheChild", func(t *testing.T) {
		w := watch(t, t.TempDir(), "")
		w.pids(t, 1, 20*time.Second)
		w.stop()
		if err := w.result(t); err != nil {
			t.Errorf("stopped watchdog: %v, want nil", err)
		}
		lock, err := dirlock.Acquire(w.dir)
		if err != nil {
			t.Fatalf("the child still holds the data directory after the watchdog stopped: %v", err)
		}
		lock.Release()
	})
}
