package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/cli"
	"budayang/backend/core"
)

func accountAttempt(password string) account.Attempt {
	return account.Attempt{Login: "admin", Password: password, Workstation: "lan", Addr: "192.168.1.66"}
}

// lockOut makes five wrong tries for admin from one address.
func lockOut(t *testing.T, c *core.Core) {
	t.Helper()
	ctx := context.Background()
	for range 5 {
		c.Accounts.LoginAt(ctx, accountAttempt("wrong-pass"))
	}
	if _, err := c.Accounts.LoginAt(ctx, accountAttempt("Admin12345")); apperr.Code(err) != apperr.Locked {
		t.Fatalf("not locked out: %v", err)
	}
}

// With the program stopped, reset-password opens the database itself: the
// locked-out sole administrator gets back in with the new password.
func TestAdminResetPassword_ProgramStopped(t *testing.T) {
	dir := t.TempDir()
	initSite(t, dir)
	c, err := core.Open(context.Background(), core.Options{DataDir: dir, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	lockOut(t, c)
	c.Close()

	if r := run(t, map[string]string{"BUDAYANG_ADMIN_PASSWORD": "12345678"}, "admin", "reset-password", "--data", dir, "--login", "admin"); r.code == 0 || !strings.Contains(r.stderr, "太常见") {
		t.Errorf("a common password: %+v", r)
	}
	if r := run(t, nil, "admin", "reset-password", "--data", dir); r.code == 0 || !strings.Contains(r.stderr, "--login") {
		t.Errorf("no --login: %+v", r)
	}
	var out, errOut strings.Builder
	code := cli.Main(context.Background(), []string{"admin", "reset-password", "--data", dir, "--login", "admin"}, cli.Env{
		Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader("Hai-Tang 2026\n"),
		Getenv: func(string) string { return "" },
	})
	if code != 0 || !strings.Contains(out.String(), "已重置") || strings.Contains(out.String(), "运行中") {
		t.Fatalf("reset from stdin: %d %q %q", code, out.String(), errOut.String())
	}
	c, err = core.Open(context.Background(), core.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Accounts.LoginAt(context.Background(), accountAttempt("Hai-Tang 2026")); err != nil {
		t.Errorf("login from the locked address after the reset: %v", err)
	}
}

// While the program runs it holds the data directory; reset-password goes
// through its local door, and the person's open sessions end.
func TestAdminResetPassword_ThroughRunningProgram(t *testing.T) {
	dir := t.TempDir()
	initSite(t, dir)
	addr, stop := serve(t, dir)
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	token := login(t, addr)
	for _, f := range []string{cli.LocalKeyFile, cli.LocalAddrFile} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v, want a 0600 file", f, err, st)
		}
	}
	r := run(t, map[string]string{"BUDAYANG_ADMIN_PASSWORD": "Hai-Tang 2026"}, "admin", "reset-password", "--data", dir, "--login", "admin")
	if r.code != 0 || !strings.Contains(r.stdout, "运行中") {
		t.Fatalf("reset through the running program: %+v", r)
	}
	if code, _ := call(t, "GET", "http://"+addr+"/api/v1/me", token, ""); code != 401 {
		t.Errorf("the session opened before the reset: %d, want 401", code)
	}
	if code, body := call(t, "POST", "http://"+addr+"/api/v1/login", "", `{"user":"admin","password":"Hai-Tang 2026"}`); code != 200 {
		t.Errorf("login with the new password: %d %s", code, body)
	}
	r = run(t, map[string]string{"BUDAYANG_ADMIN_PASSWORD": "Hai-Tang 2027"}, "admin", "reset-password", "--data", dir, "--login", "nobody")
	if r.code == 0 || !strings.Contains(r.stderr, "找不到") {
		t.Errorf("unknown login through the door: %+v", r)
	}
	stopped = true
	if code := stop(); code != 0 {
		t.Fatalf("serve exit %d", code)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(filepath.Join(dir, cli.LocalKeyFile)); os.IsNotExist(err) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Error("the key file outlived the program")
}
