package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"budayang/backend/hall"
)

// The local door lets a command on the host reach the running program, which
// holds the data directory: at start the program writes a random key and the
// loopback address it answers on into these 0600 files, and removes them on
// exit. Whoever can read the data directory — the host's operator — can call
// the /api/v1/local/ routes; nobody on the LAN can.
const (
	LocalKeyFile  = "control.key"
	LocalAddrFile = "control.addr"
)

// localDoor is the running program's side.
type localDoor struct {
	dir string
	key string
	ln  net.Listener
	srv *http.Server
}

func newLocalKey() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// openLocalDoor serves the /api/v1/local/ routes of local() on a loopback
// port of its own (the desktop window may listen on no port at all, and a
// hall host's --listen address may not be loopback) and publishes the port
// and key in dir.
func openLocalDoor(dir, key string, local func() http.Handler, log *slog.Logger) (*localDoor, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("local door: %w", err)
	}
	d := &localDoor{dir: dir, key: key, ln: ln}
	d.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := local()
		if h == nil || !strings.HasPrefix(r.URL.Path, "/api/v1/local/") {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})}
	if err := writePrivate(filepath.Join(dir, LocalKeyFile), key); err != nil {
		ln.Close()
		return nil, err
	}
	if err := writePrivate(filepath.Join(dir, LocalAddrFile), ln.Addr().String()); err != nil {
		ln.Close()
		os.Remove(filepath.Join(dir, LocalKeyFile))
		return nil, err
	}
	go func() {
		if err := d.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("local door stopped", "err", err)
		}
	}()
	return d, nil
}

// close stops the door and removes its files.
func (d *localDoor) close() {
	os.Remove(filepath.Join(d.dir, LocalKeyFile))
	os.Remove(filepath.Join(d.dir, LocalAddrFile))
	_ = d.srv.Close()
}

// writePrivate replaces path with a file only its owner can read: a file
// left behind with wider permissions is removed first, not reused.
func writePrivate(path, content string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("local door: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("local door: %w", err)
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		return fmt.Errorf("local door: %w", err)
	}
	return f.Close()
}

// callLocalDoor sends one JSON request through the running program's local
// door in dir. It reports reached=false, with no error, when no program is
// running there (no files, or files left by one that is gone).
func callLocalDoor(ctx context.Context, dir, path, body string) (reached bool, status int, answer []byte, err error) {
	key, kerr := os.ReadFile(filepath.Join(dir, LocalKeyFile))
	addr, aerr := os.ReadFile(filepath.Join(dir, LocalAddrFile))
	if kerr != nil || aerr != nil {
		return false, 0, nil, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+strings.TrimSpace(string(addr))+path, strings.NewReader(body))
	if err != nil {
		return false, 0, nil, fmt.Errorf("local door: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(hall.LocalKeyHeader, strings.TrimSpace(string(key)))
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return false, 0, nil, nil
		}
		return true, 0, nil, fmt.Errorf("local door: %w", err)
	}
	defer res.Body.Close()
	buf, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil {
		return true, 0, nil, fmt.Errorf("local door: %w", err)
	}
	return true, res.StatusCode, buf, nil
}
