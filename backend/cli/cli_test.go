package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"budayang/backend/cli"
	"budayang/backend/core"
	"budayang/backend/dirlock"
	"budayang/backend/hall"
	"budayang/backend/store"
	"budayang/backend/watchdog"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Main(context.Background(), args, cli.Env{
		UI:     fstest.MapFS{"index.html": {Data: []byte("ui")}},
		Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
	})
	return result{code, out.String(), errOut.String()}
}

var withPassword = map[string]string{"BUDAYANG_ADMIN_PASSWORD": "Admin12345"}

func initSite(t *testing.T, dir string) {
	t.Helper()
	r := run(t, withPassword, "init", "--data", dir, "--site", "测试镇便民服务中心", "--kind", "town", "--population", "42000")
	if r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
}

func TestMain_Errors(t *testing.T) {
	dir := t.TempDir()
	initSite(t, dir)
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	newer := t.TempDir()
	initSite(t, newer)
	raw, _ := sql.Open("sqlite3", filepath.Join(newer, store.FileName))
	raw.Exec("PRAGMA user_version = 99")
	raw.Close()

	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"UnknownCommand", nil, []string{"frobnicate"}, "未知命令"},
		{"UnknownFlag", nil, []string{"serve", "--nope"}, "参数错误"},
		{"ExtraArgument", nil, []string{"version", "x"}, "多余的参数"},
		{"InitWithoutPassword", nil, []string{"init", "--data", t.TempDir(), "--site", "x", "--kind", "town", "--population", "1"}, "BUDAYANG_ADMIN_PASSWORD"},
		{"InitBadKind", withPassword, []string{"init", "--data", t.TempDir(), "--site", "x", "--kind", "city", "--population", "1"}, "--kind"},
		{"InitNoSite", withPassword, []string{"init", "--data", t.TempDir(), "--kind", "town", "--population", "1"}, "--site"},
		{"InitTwice", withPassword, []string{"init", "--data", dir, "--site", "x", "--kind", "town", "--population", "1"}, "已完成初始设置"},
		{"UnwritableDataDir", withPassword, []string{"init", "--data", filepath.Join(file, "sub"), "--site", "x", "--kind", "town", "--population", "1"}, "无法创建数据目录"},
		{"NewerDataDir", nil, []string{"serve", "--data", newer, "--addr", "127.0.0.1:0"}, "更新版本"},
		{"BackupNoOut", nil, []string{"backup", "--data", dir}, "--out"},
		{"BackupEmptyDir", nil, []string{"backup", "--data", t.TempDir(), "--out", filepath.Join(t.TempDir(), "b.db")}, "没有数据库"},
		{"RestoreForeignFile", nil, []string{"restore", "--data", dir, "--from", file}, "不是不打烊的数据库文件"},
		{"DesktopNotBuilt", nil, []string{"--data", dir}, "budayang serve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.env, tt.args...)
			if r.code == 0 {
				t.Fatalf("exit 0, want non-zero; stdout %q", r.stdout)
			}
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tt.want) {
				t.Errorf("stderr %q: want one line containing %q", r.stderr, tt.want)
			}
		})
	}
}

func TestMain_HelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"serve", "-h"}} {
		r := run(t, nil, args...)
		if r.code != 0 || !strings.Contains(r.stdout, "budayang serve") {
			t.Errorf("%v: %+v", args, r)
		}
	}
	r := run(t, nil, "version")
	want := fmt.Sprintf("budayang %s (commit %s, schema %d)\n", core.Version, core.Commit, store.SchemaVersion())
	if r.code != 0 || r.stdout != want {
		t.Errorf("version: %+v, want %q", r, want)
	}
}

func TestMain_BackupRestore(t *testing.T) {
	dir := t.TempDir()
	initSite(t, dir)
	out := filepath.Join(t.TempDir(), "site.db")
	if r := run(t, nil, "backup", "--data", dir, "--out", out); r.code != 0 {
		t.Fatalf("backup: %+v", r)
	}
	// Break the live database, as a failing disk would.
	if err := os.WriteFile(filepath.Join(dir, store.FileName), bytes.Repeat([]byte("坏"), 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, store.FileName+"-wal"))
	os.Remove(filepath.Join(dir, store.FileName+"-shm"))
	r := run(t, nil, "backup", "--data", dir, "--out", filepath.Join(t.TempDir(), "again.db"))
	if r.code == 0 || !strings.Contains(r.stderr, "已损坏") {
		t.Fatalf("backup of a corrupt database: %+v", r)
	}
	if r := run(t, nil, "restore", "--data", dir, "--from", out); r.code != 0 || !strings.Contains(r.stdout, "原数据库保留为") {
		t.Fatalf("restore: %+v", r)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, store.FileName+".before-restore-*"))
	if len(matches) == 0 {
		t.Error("the corrupt file was not kept aside")
	}
	if r := run(t, withPassword, "init", "--data", dir, "--site", "x", "--kind", "town", "--population", "1"); !strings.Contains(r.stderr, "已完成初始设置") {
		t.Errorf("restored database lost its site: %+v", r)
	}
}

// serve starts cli.Main serve on a free loopback port until the test ends.
func serve(t *testing.T, dir string) (addr string, stop func() int) {
	t.Helper()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr = ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, []string{"serve", "--data", dir, "--addr", addr}, cli.Env{UI: fstest.MapFS{}, Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{},
			Getenv: func(k string) string {
				if k == "BUDAYANG_CLOCK" {
					return "2026-11-25T09:00:00+08:00" // inside office hours whenever the test runs
				}
				return ""
			}})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + addr + "/api/v1/status"); err == nil {
			res.Body.Close()
			return addr, func() int { cancel(); return <-done }
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	t.Fatal("serve did not answer within 10 s")
	return "", nil
}

func call(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	return res.StatusCode, buf.String()
}

func login(t *testing.T, addr string) string {
	t.Helper()
	code, body := call(t, "POST", "http://"+addr+"/api/v1/login", "", `{"user":"admin","password":"Admin12345"}`)
	var s struct{ Token string }
	if code != 200 || json.Unmarshal([]byte(body), &s) != nil {
		t.Fatalf("login: %d %s", code, body)
	}
	return s.Token
}

// hallHost starts a hall host with a site of its own and returns its
// address and the admin's join code.
func hallHost(t *testing.T) (addr, joinCode string) {
	t.Helper()
	dir := t.TempDir()
	initSite(t, dir)
	addr, stop := serve(t, dir)
	t.Cleanup(func() { stop() })
	code, body := call(t, "GET", "http://"+addr+"/api/v1/hall/join-code", login(t, addr), "")
	var jc struct{ Code string }
	if json.Unmarshal([]byte(body), &jc); code != 200 || jc.Code == "" {
		t.Fatalf("join code: %d %s", code, body)
	}
	return addr, jc.Code
}

// A corrupt database at start puts serve into recovery: the status says so
// and lists the backups, a restore brings the site back without a restart,
// and the damaged file is kept.
func TestServe_CorruptDatabaseRecovery(t *testing.T) {
	dir := t.TempDir()
	initSite(t, dir)
	addr, stop := serve(t, dir)
	token := login(t, addr)
	if code, body := call(t, "POST", "http://"+addr+"/api/v1/backups", token, ""); code != 201 {
		t.Fatalf("backup: %d %s", code, body)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exit %d", code)
	}
	os.WriteFile(filepath.Join(dir, store.FileName), bytes.Repeat([]byte{0xff}, 8192), 0o600)
	os.Remove(filepath.Join(dir, store.FileName+"-wal"))
	os.Remove(filepath.Join(dir, store.FileName+"-shm"))

	addr, stop = serve(t, dir)
	defer stop()
	_, body := call(t, "GET", "http://"+addr+"/api/v1/status", "", "")
	var st struct {
		Recovery struct {
			Error   string
			Backups []struct{ Name string }
		}
	}
	json.Unmarshal([]byte(body), &st)
	if !strings.Contains(st.Recovery.Error, "已损坏") || len(st.Recovery.Backups) != 1 {
		t.Fatalf("status in recovery: %s", body)
	}
	if code, _ := call(t, "POST", "http://"+addr+"/api/v1/login", "", `{"user":"admin","password":"Admin12345"}`); code != 409 {
		t.Errorf("login in recovery: got %d, want 409", code)
	}
	if code, body := call(t, "POST", "http://"+addr+"/api/v1/recovery/restore", "", `{"backup":"nope.db"}`); code != 404 {
		t.Errorf("restore of an unknown backup: %d %s", code, body)
	}
	code, body := call(t, "POST", "http://"+addr+"/api/v1/recovery/restore", "", `{"backup":"`+st.Recovery.Backups[0].Name+`"}`)
	if code != 200 {
		t.Fatalf("restore: %d %s", code, body)
	}
	login(t, addr)
	matches, _ := filepath.Glob(filepath.Join(dir, store.FileName+".before-restore-*"))
	if len(matches) == 0 {
		t.Error("the damaged file was not kept")
	}
}

// A window workstation (--hall) answers its window's calls from the hall
// host: a ticket issued at the host is called from the window.
func TestDesktop_WindowJoinsHallHost(t *testing.T) {
	hostDir := t.TempDir()
	initSite(t, hostDir)
	addr, stop := serve(t, hostDir)
	defer stop()
	if code, body := call(t, "POST", "http://"+addr+"/api/v1/tickets", login(t, addr), `{"line":"A"}`); code != 201 {
		t.Fatalf("issue at the host: %d %s", code, body)
	}
	var got struct {
		status int
		body   string
	}
	desktop := func(ctx context.Context, opts cli.DesktopOptions) error {
		if opts.Host != "http://"+addr {
			t.Errorf("host %q", opts.Host)
		}
		_, body := opts.Door.Invoke(ctx, "POST", "/api/v1/login", `{"user":"admin","password":"Admin12345"}`, "", "窗口2")
		var s struct{ Token string }
		json.Unmarshal([]byte(body), &s)
		got.status, got.body = opts.Door.Invoke(ctx, "POST", "/api/v1/windows/2/call-next", "", s.Token, "窗口2")
		return nil
	}
	var errOut bytes.Buffer
	code := cli.Main(context.Background(), []string{"--data", t.TempDir(), "--hall", "http://" + addr},
		cli.Env{UI: fstest.MapFS{}, Desktop: desktop, Stdout: &bytes.Buffer{}, Stderr: &errOut})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if got.status != 200 || !strings.Contains(got.body, `"A001"`) {
		t.Errorf("call next from the window: %d %s", got.status, got.body)
	}
}

func TestDesktop_HallAndListenConflict(t *testing.T) {
	r := run(t, nil, "--data", t.TempDir(), "--hall", "http://127.0.0.1:1", "--listen", "127.0.0.1:0")
	if r.code == 0 || !strings.Contains(r.stderr, "不能同时使用") {
		t.Errorf("got %+v", r)
	}
}

// A window joins a hall host on the LAN with the admin's join code, which
// pins the host's certificate; later starts name the host by its https
// address, and plain http to another machine is refused.
func TestDesktop_WindowJoinsWithCode(t *testing.T) {
	addr, joinCode := hallHost(t)
	env := func(desktop func(context.Context, cli.DesktopOptions) error, errOut *bytes.Buffer) cli.Env {
		return cli.Env{UI: fstest.MapFS{}, Desktop: desktop, Stdout: &bytes.Buffer{}, Stderr: errOut,
			Getenv: func(k string) string {
				if k == "BUDAYANG_CLOCK" {
					return "2026-11-25T09:00:00+08:00"
				}
				return ""
			}}
	}
	health := func(t *testing.T) func(context.Context, cli.DesktopOptions) error {
		return func(ctx context.Context, opts cli.DesktopOptions) error {
			if status, body := opts.Door.Invoke(ctx, "POST", "/api/v1/login", `{"user":"admin","password":"Admin12345"}`, "", "窗口2"); status != 200 {
				t.Errorf("login through the window: %d %s", status, body)
			}
			return nil
		}
	}
	winDir := t.TempDir()
	// The hall host keeps the site: while the window runs, its data
	// directory holds the pin and the lock, and no database (nor the backups
	// and end-of-day jobs a database would bring), its door follows the
	// signed-in session, and it names the host by its address.
	window := func(t *testing.T) func(context.Context, cli.DesktopOptions) error {
		return func(ctx context.Context, opts cli.DesktopOptions) error {
			if err := health(t)(ctx, opts); err != nil {
				return err
			}
			entries, err := os.ReadDir(winDir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if strings.Join(names, " ") != dirlock.FileName+" "+hall.PinFile {
				t.Errorf("the window's data directory holds %q, want only the lock and the pin", names)
			}
			if opts.UseSession == nil {
				t.Error("the window's door is not told who signs in")
			}
			// The tray names the host, never the join code it was reached by.
			if opts.Host != "https://"+addr {
				t.Errorf("the window names its host %q, want https://%s", opts.Host, addr)
			}
			return nil
		}
	}
	for _, tt := range []struct{ name, hall string }{
		{"JoinCode", joinCode},
		{"PinnedAddress", "https://" + addr},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var errOut bytes.Buffer
			if code := cli.Main(context.Background(), []string{"--data", winDir, "--hall", tt.hall}, env(window(t), &errOut)); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if fi, err := os.Stat(filepath.Join(winDir, hall.PinFile)); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("pin file: %v, want mode 0600", err)
			}
		})
	}
	// The installer's shortcut keeps the join code: once it has expired,
	// the window uses the host it pinned; a window without a pin is told
	// the code expired and offered 重新加入大厅 (ShortcutWithExpiredCode).
	later := func(desktop func(context.Context, cli.DesktopOptions) error, errOut *bytes.Buffer) cli.Env {
		e := env(desktop, errOut)
		e.Getenv = func(k string) string {
			if k == "BUDAYANG_CLOCK" {
				return "2026-11-27T09:00:00+08:00"
			}
			return ""
		}
		return e
	}
	t.Run("ExpiredCodeOnceJoined", func(t *testing.T) {
		var errOut bytes.Buffer
		if code := cli.Main(context.Background(), []string{"--data", winDir, "--hall", joinCode}, later(window(t), &errOut)); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
	})
	// On Windows the window's shortcut is `budayang.exe --hall CODE` for
	// good. A window whose hall host was reinstalled (a new certificate),
	// or that lost its pin, starts with that expired code: the problem
	// window offers 重新加入大厅, which starts again without the code, at the
	// first-run screen; there the person joins the new host with its code,
	// and from then on the shortcut's old code opens the new host.
	t.Run("ShortcutWithExpiredCode", func(t *testing.T) {
		newAddr, newCode := hallHost(t)
		dir := t.TempDir()
		shortcut := []string{"--data", dir, "--hall", joinCode}
		var errOut bytes.Buffer
		var shown []shownProblem
		e := later(problemWindow(t, &shown, "rejoin"), &errOut)
		firstRuns := 0
		e.Relaunch = func(again []string) error {
			if want := []string{"--data", dir}; !slices.Equal(again, want) {
				t.Errorf("started again with %q, want %q: without the shortcut's code", again, want)
			}
			joinNewHost := func(ctx context.Context, opts cli.DesktopOptions) error {
				firstRuns++
				if status, body := opts.Door.Invoke(ctx, "POST", "/api/v1/setup/join-hall", `{"code":"`+newCode+`"}`, "", ""); opts.Host != "" || status != 200 {
					t.Errorf("started again as %q; joining from the first-run screen: %d %s", opts.Host, status, body)
				}
				return nil
			}
			e := env(joinNewHost, &errOut)
			e.Relaunch = func([]string) error { return nil }
			if code := cli.Main(context.Background(), again, e); code != 0 {
				return fmt.Errorf("the start at the first-run screen failed: %s", errOut.String())
			}
			return nil
		}
		if code := cli.Main(context.Background(), shortcut, e); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		if len(shown) != 1 || !strings.Contains(shown[0].Error, "已于") || !shown[0].CanRejoin {
			t.Fatalf("the window showed %+v, want the expired code and 重新加入大厅", shown)
		}
		if firstRuns != 1 {
			t.Fatalf("%d first-run screens after 重新加入大厅, want 1", firstRuns)
		}
		opened := ""
		newHostWindow := func(ctx context.Context, opts cli.DesktopOptions) error {
			opened = opts.Host
			return health(t)(ctx, opts)
		}
		if code := cli.Main(context.Background(), shortcut, later(newHostWindow, &errOut)); code != 0 || opened != "https://"+newAddr {
			t.Errorf("the shortcut afterwards: exit %d, opened %q, want the new host https://%s: %s", code, opened, newAddr, errOut.String())
		}
	})
	t.Run("HTTPSWithoutPin", func(t *testing.T) {
		var errOut bytes.Buffer
		if code := cli.Main(context.Background(), []string{"--data", t.TempDir(), "--hall", "https://" + addr}, env(problemWindow(t, new([]shownProblem), "quit"), &errOut)); code == 0 || !strings.Contains(errOut.String(), "加入码") {
			t.Errorf("exit %d: %s", code, errOut.String())
		}
	})
	t.Run("PlainHTTPOnTheLAN", func(t *testing.T) {
		var errOut bytes.Buffer
		if code := cli.Main(context.Background(), []string{"--data", t.TempDir(), "--hall", "http://192.168.1.10:8470"}, env(problemWindow(t, new([]shownProblem), "quit"), &errOut)); code == 0 || !strings.Contains(errOut.String(), "加入码") {
			t.Errorf("exit %d: %s", code, errOut.String())
		}
	})
}

// A computer set up by one person without a command line: the menu's plain
// `budayang` opens the first-run screen, which joins the hall with the
// admin's join code; the program then starts again by itself and, as every
// plain start after, opens as the hall's window. A saved pin whose host now
// shows another certificate is refused with the sentence saying so.
func TestDesktop_JoinFromFirstRunScreen(t *testing.T) {
	addr, joinCode := hallHost(t)
	env := func(desktop func(context.Context, cli.DesktopOptions) error, out, errOut *bytes.Buffer) cli.Env {
		return cli.Env{UI: fstest.MapFS{}, Desktop: desktop, Stdout: out, Stderr: errOut,
			Getenv: func(k string) string {
				if k == "BUDAYANG_CLOCK" {
					return "2026-11-25T09:00:00+08:00"
				}
				return ""
			}}
	}
	winDir := t.TempDir()
	args := []string{"--data", winDir}
	var out, errOut bytes.Buffer
	var relaunched, windows int
	asWindow := func(ctx context.Context, opts cli.DesktopOptions) error {
		windows++
		if opts.Host != "https://"+addr || opts.UseSession == nil {
			t.Errorf("started again as host %q (follows sessions: %v), want the hall's window at https://%s", opts.Host, opts.UseSession != nil, addr)
		}
		if status, body := opts.Door.Invoke(ctx, "POST", "/api/v1/login", `{"user":"admin","password":"Admin12345"}`, "", "窗口2"); status != 200 {
			t.Errorf("login through the window: %d %s", status, body)
		}
		return nil
	}
	firstRun := func(ctx context.Context, opts cli.DesktopOptions) error {
		if opts.Host != "" {
			t.Errorf("first start opened as a window of %q, want the first-run screen", opts.Host)
		}
		if status, body := opts.Door.Invoke(ctx, "GET", "/api/v1/setup", "", "", ""); status != 200 || !strings.Contains(body, `"join_hall":true`) {
			t.Errorf("setup state: %d %s, want the join choice offered", status, body)
		}
		if status, body := opts.Door.Invoke(ctx, "POST", "/api/v1/setup/join-hall", `{"code":"`+joinCode+`"}`, "", ""); status != 200 {
			t.Errorf("join from the first-run screen: %d %s", status, body)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(5 * time.Second):
			return fmt.Errorf("the window stayed open after joining the hall")
		}
	}
	e := env(firstRun, &out, &errOut)
	e.Relaunch = func(again []string) error {
		relaunched++
		if !slices.Equal(again, args) {
			t.Errorf("started again with %q, want %q", again, args)
		}
		lock, err := dirlock.Acquire(winDir)
		if err != nil {
			t.Errorf("started again before the data directory was released: %v", err)
		} else {
			lock.Release()
		}
		if cli.Main(context.Background(), args, env(asWindow, &out, &errOut)) != 0 {
			return fmt.Errorf("the second start failed: %s", errOut.String())
		}
		return nil
	}
	if code := cli.Main(context.Background(), args, e); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if relaunched != 1 || windows != 1 {
		t.Fatalf("started again %d times and opened %d windows, want 1 and 1", relaunched, windows)
	}
	for _, want := range []string{"正在以大厅的窗口重新打开", "本机已加入大厅主机 https://" + addr} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout %q does not say %q", out.String(), want)
		}
	}

	t.Run("PlainStartAfterwards", func(t *testing.T) {
		windows = 0
		var out, errOut bytes.Buffer
		if code := cli.Main(context.Background(), args, env(asWindow, &out, &errOut)); code != 0 || windows != 1 {
			t.Errorf("exit %d, %d windows: %s", code, windows, errOut.String())
		}
	})
	// The host was reinstalled: the window, started from the menu, says so
	// and offers 重新加入大厅, which forgets the host and starts again at the
	// first-run screen with its join choice.
	t.Run("HostWithAnotherCertificate", func(t *testing.T) {
		reinstalled := func(t *testing.T) string {
			dir := t.TempDir()
			other, err := hall.LoadIdentity(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if err := hall.SavePin(dir, hall.Pin{Host: "https://" + addr, Fingerprint: hex.EncodeToString(other.Fingerprint)}); err != nil {
				t.Fatal(err)
			}
			return dir
		}
		const sentence = "证书与加入时记录的不一致"
		t.Run("Rejoin", func(t *testing.T) {
			dir := reinstalled(t)
			var out, errOut bytes.Buffer
			var shown []shownProblem
			e := env(problemWindow(t, &shown, "rejoin"), &out, &errOut)
			firstRuns := 0
			e.Relaunch = func(again []string) error {
				if want := []string{"--data", dir}; !slices.Equal(again, want) {
					t.Errorf("started again with %q, want %q", again, want)
				}
				if _, err := os.Stat(filepath.Join(dir, hall.PinFile)); err == nil {
					t.Error("started again with the pin still saved")
				}
				offersJoin := func(ctx context.Context, opts cli.DesktopOptions) error {
					firstRuns++
					if status, body := opts.Door.Invoke(ctx, "GET", "/api/v1/setup", "", "", ""); opts.Host != "" || status != 200 || !strings.Contains(body, `"join_hall":true`) {
						t.Errorf("started again as %q with setup %d %s, want the first-run screen offering to join", opts.Host, status, body)
					}
					return nil
				}
				if code := cli.Main(context.Background(), []string{"--data", dir}, env(offersJoin, &out, &errOut)); code != 0 {
					return fmt.Errorf("the second start failed: %s", errOut.String())
				}
				return nil
			}
			if code := cli.Main(context.Background(), []string{"--data", dir}, e); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if len(shown) != 1 || !strings.Contains(shown[0].Error, sentence) || !shown[0].CanRejoin {
				t.Errorf("the window showed %+v, want the certificate sentence and 重新加入大厅", shown)
			}
			if firstRuns != 1 || !strings.Contains(errOut.String(), sentence) {
				t.Errorf("%d first-run screens after rejoining; stderr %q", firstRuns, errOut.String())
			}
		})
		t.Run("Quit", func(t *testing.T) {
			dir := reinstalled(t)
			var out, errOut bytes.Buffer
			var shown []shownProblem
			e := env(problemWindow(t, &shown, "quit"), &out, &errOut)
			e.Relaunch = func([]string) error { return fmt.Errorf("started again after 退出") }
			if code := cli.Main(context.Background(), []string{"--data", dir}, e); code != watchdog.ExitRefused || !strings.Contains(errOut.String(), sentence) {
				t.Errorf("exit %d: %s", code, errOut.String())
			}
			if len(shown) != 1 || !shown[0].CanRejoin {
				t.Errorf("the window showed %+v", shown)
			}
			if _, err := os.Stat(filepath.Join(dir, hall.PinFile)); err != nil {
				t.Errorf("退出 forgot the pin: %v", err)
			}
		})
	})
	t.Run("HallHostDoesNotOfferJoining", func(t *testing.T) {
		var out, errOut bytes.Buffer
		hostWindow := func(ctx context.Context, opts cli.DesktopOptions) error {
			if status, body := opts.Door.Invoke(ctx, "POST", "/api/v1/setup/join-hall", `{"code":"`+joinCode+`"}`, "", ""); status != 403 {
				t.Errorf("join on a hall host (--listen): %d %s, want 403", status, body)
			}
			return nil
		}
		if code := cli.Main(context.Background(), []string{"--data", t.TempDir(), "--listen", "127.0.0.1:0"}, env(hostWindow, &out, &errOut)); code != 0 {
			t.Errorf("exit %d: %s", code, errOut.String())
		}
	})
}
