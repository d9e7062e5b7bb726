package cli_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"budayang/backend/cli"
)

func TestCountyServe_ServesTheUIBesideTheAPI(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, withPassword, "county", "init", "--data", dir); r.code != 0 {
		t.Fatalf("county init: %+v", r)
	}
	addr := freeLoopback(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int)
	go func() {
		done <- cli.Main(ctx, []string{"county", "serve", "--data", dir, "--addr", addr, "--insecure-loopback-test"}, cli.Env{
			UI:     fstest.MapFS{"index.html": {Data: []byte("<div id=app>county ui</div>")}, "assets/app.js": {Data: []byte("js")}},
			Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }})
	}()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "县平台已启动") {
		if time.Now().After(deadline) {
			t.Fatalf("county serve did not start: %s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, tc := range []struct {
		name, path string
		status     int
		want       string
	}{
		{"the root opens the app", "/", 200, "county ui"},
		{"assets are served as files", "/assets/app.js", 200, "js"},
		{"the status says it is the county", "/api/v1/status", 200, `"role":"county"`},
		{"staff routes still want a session", "/api/v1/county/sites", 401, "请先登录县平台"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get("http://" + addr + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.want) {
				t.Fatalf("GET %s: %d %s, want %d with %q", tc.path, resp.StatusCode, b, tc.status, tc.want)
			}
		})
	}
}
