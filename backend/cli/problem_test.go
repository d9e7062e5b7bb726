package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"budayang/backend/cli"
	"budayang/backend/hall"
	"budayang/backend/store"
	"budayang/backend/watchdog"
)

// shownProblem is what the start-up problem window shows: GET
// /api/v1/status's "problem".
type shownProblem struct {
	Error     string `json:"error"`
	CanRejoin bool   `json:"can_rejoin"`
}

// problemWindow stands in for the desktop window of a start that failed:
// it records what the window shows, then presses press ("quit" or
// "rejoin") and waits for the window to be closed, as the person would.
func problemWindow(t *testing.T, shown *[]shownProblem, press string) func(context.Context, cli.DesktopOptions) error {
	return func(ctx context.Context, opts cli.DesktopOptions) error {
		status, body := opts.Door.Invoke(ctx, "GET", "/api/v1/status", "", "", "")
		var st struct{ Problem *shownProblem }
		if status != 200 || json.Unmarshal([]byte(body), &st) != nil || st.Problem == nil {
			t.Errorf("the window shows status %d %s, want the start-up problem", status, body)
			return nil
		}
		*shown = append(*shown, *st.Problem)
		status, body = opts.Door.Invoke(ctx, "POST", "/api/v1/login", `{"user":"admin","password":"Admin12345"}`, "", "窗口2")
		var refused struct{ Error string }
		if json.Unmarshal([]byte(body), &refused); status != 503 || refused.Error != st.Problem.Error {
			t.Errorf("login at the problem window: %d %s, want refused with the sentence", status, body)
		}
		if status, body := opts.Door.Invoke(ctx, "POST", "/api/v1/problem/"+press, "", "", ""); status != 200 {
			t.Errorf("pressing %s: %d %s", press, status, body)
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(5 * time.Second):
			return fmt.Errorf("the problem window stayed open after %s", press)
		}
	}
}

func problemEnv(desktop func(context.Context, cli.DesktopOptions) error, out, errOut *bytes.Buffer) cli.Env {
	return cli.Env{UI: fstest.MapFS{}, Desktop: desktop, Stdout: out, Stderr: errOut,
		Relaunch: func([]string) error { return fmt.Errorf("started again, which this start must not") }}
}

// A desktop start that fails before its window opens — nobody sees stderr
// when the program is started from the menu — opens the window anyway, to
// say why; closing it ends the program with the error, as before. Only a
// window workstation's unusable pin is offered 重新加入大厅.
func TestDesktop_StartupProblemWindow(t *testing.T) {
	newer := t.TempDir()
	initSite(t, newer)
	raw, _ := sql.Open("sqlite3", filepath.Join(newer, store.FileName))
	raw.Exec("PRAGMA user_version = 99")
	raw.Close()
	badPin := t.TempDir()
	os.WriteFile(filepath.Join(badPin, hall.PinFile), []byte("{半个文件"), 0o600)
	badFingerprint := t.TempDir()
	hall.SavePin(badFingerprint, hall.Pin{Host: "https://192.168.1.10:8470", Fingerprint: "zz"})

	tests := []struct {
		name       string
		dir        string
		want       string
		canRejoin  bool
		pinRemains bool
	}{
		{"NewerDatabase", newer, "更新版本", false, false},
		{"UnreadablePin", badPin, "无法读取", true, true},
		{"DamagedFingerprint", badFingerprint, "证书指纹无法使用", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			var shown []shownProblem
			code := cli.Main(context.Background(), []string{"--data", tt.dir}, problemEnv(problemWindow(t, &shown, "quit"), &out, &errOut))
			if code != watchdog.ExitRefused || !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("exit %d, stderr %q: want %d (no watchdog restart) saying %q", code, errOut.String(), watchdog.ExitRefused, tt.want)
			}
			if len(shown) != 1 || !strings.Contains(shown[0].Error, tt.want) || shown[0].CanRejoin != tt.canRejoin {
				t.Fatalf("the window showed %+v, want one problem saying %q, rejoin offered %v", shown, tt.want, tt.canRejoin)
			}
			if last := strings.TrimSpace(errOut.String()[strings.LastIndex(strings.TrimSpace(errOut.String()), "\n")+1:]); !strings.Contains(last, shown[0].Error) {
				t.Errorf("stderr's last line %q does not carry the window's sentence %q", last, shown[0].Error)
			}
			if _, err := os.Stat(filepath.Join(tt.dir, hall.PinFile)); (err == nil) != tt.pinRemains {
				t.Errorf("pin file after quitting: %v, want kept %v", err, tt.pinRemains)
			}
		})
	}
	t.Run("HeadlessServeKeepsStderr", func(t *testing.T) {
		r := run(t, nil, "serve", "--data", newer, "--addr", "127.0.0.1:0")
		if r.code != 1 || !strings.Contains(r.stderr, "更新版本") {
			t.Errorf("got %+v", r)
		}
	})
	// No window could say it, so a watchdog may try again.
	t.Run("ProblemWindowThatCannotOpen", func(t *testing.T) {
		noDisplay := func(context.Context, cli.DesktopOptions) error { return fmt.Errorf("no display") }
		var out, errOut bytes.Buffer
		if code := cli.Main(context.Background(), []string{"--data", newer}, problemEnv(noDisplay, &out, &errOut)); code != 1 || !strings.Contains(errOut.String(), "更新版本") {
			t.Errorf("exit %d: %s", code, errOut.String())
		}
	})
	t.Run("WindowFailureIsNotAStartupProblem", func(t *testing.T) {
		windows := 0
		failing := func(context.Context, cli.DesktopOptions) error {
			windows++
			return fmt.Errorf("no display")
		}
		var out, errOut bytes.Buffer
		if code := cli.Main(context.Background(), []string{"--data", t.TempDir()}, problemEnv(failing, &out, &errOut)); code != 1 || windows != 1 {
			t.Errorf("exit %d after %d windows: %s", code, windows, errOut.String())
		}
	})
}
