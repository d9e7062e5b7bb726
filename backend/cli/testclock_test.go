package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"budayang/backend/cli"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A host on BUDAYANG_CLOCK says so in its log at start and in its status, so
// that nobody runs a centre on it by mistake; one on the wall clock does not.
func TestServe_TestClockSaysSo(t *testing.T) {
	tests := []struct {
		name  string
		clock string
		want  bool
	}{
		{"WallClock", "", false},
		{"TestClock", "2026-11-25T09:00:00+08:00", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, _ := net.Listen("tcp", "127.0.0.1:0")
			addr := ln.Addr().String()
			ln.Close()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan int, 1)
			stderr := &lockedBuffer{}
			go func() {
				done <- cli.Main(ctx, []string{"serve", "--data", t.TempDir(), "--addr", addr}, cli.Env{UI: fstest.MapFS{}, Stdout: &bytes.Buffer{}, Stderr: stderr,
					Getenv: func(k string) string {
						if k == "BUDAYANG_CLOCK" {
							return tt.clock
						}
						return ""
					}})
			}()
			defer func() { cancel(); <-done }()
			var status struct {
				TestClock *bool `json:"test_clock"`
			}
			deadline := time.Now().Add(10 * time.Second)
			for status.TestClock == nil && time.Now().Before(deadline) {
				if res, err := http.Get("http://" + addr + "/api/v1/status"); err == nil {
					_ = json.NewDecoder(res.Body).Decode(&status)
					res.Body.Close()
				} else {
					time.Sleep(20 * time.Millisecond)
				}
			}
			if status.TestClock == nil || *status.TestClock != tt.want {
				t.Errorf("status test_clock: got %v, want %v", status.TestClock, tt.want)
			}
			if got := strings.Contains(stderr.String(), "测试时钟"); got != tt.want {
				t.Errorf("log says 测试时钟: got %v, want %v; log:\n%s", got, tt.want, stderr.String())
			}
		})
	}
}
