//go:build linux

package hall_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/hall"
	"budayang/backend/store/storetest"
)

// A full disk is simulated with RLIMIT_FSIZE in a child process: every
// file write past the limit fails, as it would with ENOSPC. The clerk is
// told the disk is full, not 系统内部错误, and the health check says so.
func TestHealth_DiskFull(t *testing.T) {
	if dir := os.Getenv("BUDAYANG_HALL_FULL_DISK"); dir != "" {
		diskFullChild(dir)
		return
	}
	dir := t.TempDir()
	c, err := openCoreAt(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hall.New(c, nil))
	res, err := http.Post(srv.URL+"/api/v1/setup", "application/json", strings.NewReader(setupBody))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("setup: %v %v", res, err)
	}
	srv.Close()
	c.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestHealth_DiskFull$", "-test.v")
	cmd.Env = append(os.Environ(), "BUDAYANG_HALL_FULL_DISK="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	for _, want := range []string{
		`health-before 200 {"site_ready":true,"status":"ok"`,
		`login 503 {"code":"disk_full","error":"磁盘已满`,
		`health-after 503 {"reason":"数据目录无法写入`,
		`"status":"degraded"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output lacks %q:\n%s", want, out)
		}
	}
}

func openCoreAt(dir string) (*core.Core, error) {
	return core.Open(context.Background(), core.Options{DataDir: dir, Clock: clock.NewFixed(storetest.Epoch), PasswordCost: bcrypt.MinCost})
}

func diskFullChild(dir string) {
	c, err := openCoreAt(dir)
	if err != nil {
		fmt.Println("open:", err)
		return
	}
	defer c.Close()
	srv := httptest.NewServer(hall.New(c, nil))
	defer srv.Close()
	say := func(what string, res *http.Response, err error) {
		if err != nil {
			fmt.Println(what, "error", err)
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Println(what, res.StatusCode, strings.TrimSpace(string(b)))
	}
	res, err := http.Get(srv.URL + "/api/v1/health")
	say("health-before", res, err)
	signal.Ignore(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 1, Max: 1}); err != nil {
		fmt.Println("setrlimit:", err)
		return
	}
	res, err = http.Post(srv.URL+"/api/v1/login", "application/json", strings.NewReader(loginBody))
	say("login", res, err)
	res, err = http.Get(srv.URL + "/api/v1/health")
	say("health-after", res, err)
}
