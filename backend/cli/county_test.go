package cli_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"budayang/backend/cli"
	"budayang/backend/county"
	"budayang/backend/county/countytest"
	"budayang/backend/countysync"
)

func freeLoopback(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// syncBuffer is a buffer the serving goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestCounty_InitCodeServeAndEnroll(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testCountyLifecycle(t, nil) })
	t.Run("postgres", func(t *testing.T) {
		dsn := countytest.PostgresDSN(t)
		db := []string{"--db", dsn}
		cdir := testCountyLifecycle(t, db)
		t.Run("the data directory keeps the certificate, no database and no URL", func(t *testing.T) {
			entries, _ := os.ReadDir(cdir)
			for _, e := range entries {
				b, _ := os.ReadFile(filepath.Join(cdir, e.Name()))
				if e.Name() == county.FileName || bytes.Contains(b, []byte(dsn)) || bytes.Contains(b, []byte("postgres://")) {
					t.Fatalf("%s in the data directory", e.Name())
				}
			}
		})
		t.Run("without --db the directory is no county", func(t *testing.T) {
			if r := run(t, nil, "county", "code", "--data", cdir, "--site", "x", "--kind", "town"); r.code == 0 || !strings.Contains(r.stderr, "还不是县平台数据目录") {
				t.Fatalf("code without --db: %+v", r)
			}
		})
		t.Run("BUDAYANG_COUNTY_DB stands for --db", func(t *testing.T) {
			if r := run(t, map[string]string{"BUDAYANG_COUNTY_DB": dsn}, "county", "code", "--data", cdir, "--site", "红河乡", "--kind", "town"); r.code != 0 {
				t.Fatalf("code with BUDAYANG_COUNTY_DB: %+v", r)
			}
		})
		t.Run("--db takes only a postgres URL", func(t *testing.T) {
			if r := run(t, withPassword, "county", "init", "--data", t.TempDir(), "--db", "mysql://x@h/db"); r.code == 0 || !strings.Contains(r.stderr, "postgres://") {
				t.Fatalf("init with a mysql URL: %+v", r)
			}
		})
	})
}

// testCountyLifecycle sets up a county with db (the --db flag, or nil for
// SQLite), serves it, enrolls a site, and returns the county's directory.
func testCountyLifecycle(t *testing.T, db []string) string {
	cdir, sdir := t.TempDir(), t.TempDir()
	addr := freeLoopback(t)

	t.Run("init needs the admin password and prints the certificate fingerprint", func(t *testing.T) {
		if r := run(t, nil, append([]string{"county", "init", "--data", cdir}, db...)...); r.code == 0 || !strings.Contains(r.stderr, "BUDAYANG_ADMIN_PASSWORD") {
			t.Fatalf("init without a password: %+v", r)
		}
		r := run(t, withPassword, append([]string{"county", "init", "--data", cdir}, db...)...)
		if r.code != 0 || !strings.Contains(r.stdout, "指纹 SHA-256") {
			t.Fatalf("county init: %+v", r)
		}
	})
	t.Run("plain HTTP is refused off loopback", func(t *testing.T) {
		r := run(t, nil, append([]string{"county", "serve", "--data", cdir, "--addr", "0.0.0.0:0", "--insecure-loopback-test"}, db...)...)
		if r.code == 0 || !strings.Contains(r.stderr, "回环") {
			t.Fatalf("insecure off loopback: %+v", r)
		}
	})

	r := run(t, nil, append([]string{"county", "code", "--data", cdir, "--site", "青山镇", "--kind", "town", "--addr", addr}, db...)...)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) < 2 {
		t.Fatalf("county code: %+v", r)
	}
	code := lines[len(lines)-1]

	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int)
	go func() {
		done <- cli.Main(ctx, append([]string{"county", "serve", "--data", cdir, "--addr", addr}, db...), cli.Env{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }})
	}()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "县平台已启动：https://") {
		if time.Now().After(deadline) {
			t.Fatalf("county serve did not start: %s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Run("serve speaks HTTPS only", func(t *testing.T) {
		resp, err := http.Get("http://" + addr + "/api/v1/county/sites")
		if err == nil && resp.StatusCode < 400 {
			t.Fatalf("plain HTTP answered %d", resp.StatusCode)
		}
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
		resp, err = client.Get("https://" + addr + "/api/v1/county/sites")
		if err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("HTTPS without a session: %v %v", resp, err)
		}
	})
	t.Run("enroll pins the county and keeps the credential beside the database", func(t *testing.T) {
		r := run(t, nil, "enroll", "--data", sdir, "--code", code)
		if r.code != 0 || !strings.Contains(r.stdout, "已登记到县平台 https://"+addr) {
			t.Fatalf("enroll: %+v", r)
		}
		for _, f := range []string{countysync.ConfigFile, countysync.CredentialFile} {
			if st, err := os.Stat(filepath.Join(sdir, f)); err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("%s: %v %v", f, st, err)
			}
		}
		if r := run(t, nil, "enroll", "--data", t.TempDir(), "--code", code); r.code == 0 || !strings.Contains(r.stderr, "用过") {
			t.Fatalf("second use of the code: %+v", r)
		}
	})
	return cdir
}
