package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"budayang/backend/cli"
	"budayang/backend/store"
	"budayang/backend/watchdog"
)

// TestHelperServe is not a test: it is the other process of the lock tests,
// a `budayang serve` on the directory in BUDAYANG_TEST_SERVE_DIR until it is
// interrupted.
func TestHelperServe(t *testing.T) {
	dir := os.Getenv("BUDAYANG_TEST_SERVE_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	os.Exit(cli.Main(context.Background(), []string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, cli.Env{}))
}

// serveElsewhere starts serve on dir in another process — flock locks
// belong to an open file, so only another process shows what a second
// program sees — and returns once it serves.
func serveElsewhere(t *testing.T, dir string) (stop func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServe$")
	cmd.Env = append(os.Environ(), "BUDAYANG_TEST_SERVE_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	t.Cleanup(stop)
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "不打烊已启动") {
				ready <- true
			}
		}
		close(ready)
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("the serving process ended before it served")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the serving process did not start within 20 s")
	}
	return stop
}

func TestDataDirLock(t *testing.T) {
	dir := t.TempDir()
	initSite(t, dir)
	backup := filepath.Join(t.TempDir(), "site.db")
	stop := serveElsewhere(t, dir)

	t.Run("BackupWhileServing", func(t *testing.T) {
		if r := run(t, nil, "backup", "--data", dir, "--out", backup); r.code != 0 {
			t.Fatalf("backup: %+v", r)
		}
	})
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"RestoreWhileServing", nil, []string{"restore", "--data", dir, "--from", backup}},
		{"SecondServe", nil, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}},
		{"InitWhileServing", withPassword, []string{"init", "--data", dir, "--site", "x", "--kind", "town", "--population", "1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.env, tt.args...)
			if r.code == 0 || !strings.Contains(r.stderr, "数据目录 "+dir+" 正在被另一个不打烊进程使用") {
				t.Errorf("got %+v, want refused naming the directory", r)
			}
		})
	}
	// Started from the menu while another process holds the directory, the
	// window opens to say so; joining a hall again would not help.
	t.Run("DesktopWhileServing", func(t *testing.T) {
		var out, errOut bytes.Buffer
		var shown []shownProblem
		code := cli.Main(context.Background(), []string{"--data", dir}, problemEnv(problemWindow(t, &shown, "quit"), &out, &errOut))
		want := "数据目录 " + dir + " 正在被另一个不打烊进程使用"
		if code != watchdog.ExitRefused || !strings.Contains(errOut.String(), want) {
			t.Errorf("exit %d: %s", code, errOut.String())
		}
		if len(shown) != 1 || !strings.Contains(shown[0].Error, want) || shown[0].CanRejoin {
			t.Errorf("the window showed %+v, want the lock sentence without 重新加入大厅", shown)
		}
	})
	// The hall host's menu entry runs under the watchdog, which refuses a
	// held directory before it starts anything: its window says so too.
	t.Run("DesktopWatchdogWhileServing", func(t *testing.T) {
		var out, errOut bytes.Buffer
		var shown []shownProblem
		code := cli.Main(context.Background(), []string{"--watchdog", "--data", dir, "--listen", "127.0.0.1:0"}, problemEnv(problemWindow(t, &shown, "quit"), &out, &errOut))
		if code != watchdog.ExitRefused || len(shown) != 1 || !strings.Contains(shown[0].Error, "正在被另一个不打烊进程使用") || shown[0].CanRejoin {
			t.Errorf("exit %d, the window showed %+v: %s", code, shown, errOut.String())
		}
	})
	t.Run("RestoreOnceStopped", func(t *testing.T) {
		stop()
		if r := run(t, nil, "restore", "--data", dir, "--from", backup); r.code != 0 {
			t.Fatalf("restore after the server stopped: %+v", r)
		}
		// The restore rewound the audit log on purpose and says so.
		raw, err := sql.Open("sqlite3", filepath.Join(dir, store.FileName))
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var action, target string
		if err := raw.QueryRow(`SELECT action, target FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&action, &target); err != nil {
			t.Fatal(err)
		}
		if action != "audit.restore" || target != "site.db" {
			t.Errorf("newest audit entry: %s %s, want audit.restore site.db", action, target)
		}
	})
}
