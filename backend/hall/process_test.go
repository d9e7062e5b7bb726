package hall_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// These tests run the real budayang binary: a separate process on loopback
// over a real SQLite file, so kill -9 is a real crash.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func budayangBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "budayang-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "budayang")
		cmd := exec.Command("go", "build", "-o", binPath, "budayang")
		cmd.Dir = "../.."
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// officeHours is the clock the process starts at, so tickets can be taken
// whenever the test runs.
const officeHours = "2026-11-25T09:00:00+08:00"

type proc struct {
	t    testing.TB
	dir  string
	addr string
	cmd  *exec.Cmd
}

func initData(t testing.TB, windows int) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(budayangBinary(t), "init", "--data", dir, "--site", "测试镇便民服务中心", "--kind", "town", "--population", "42000",
		"--windows", fmt.Sprint(windows))
	cmd.Env = append(os.Environ(), "BUDAYANG_ADMIN_PASSWORD=Admin12345")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	return dir
}

func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startServe(t testing.TB, dir, addr string) *proc {
	t.Helper()
	return startServeAt(t, dir, addr, officeHours)
}

// startServeAt starts serve with its clock at moment (RFC 3339).
func startServeAt(t testing.TB, dir, addr, moment string) *proc {
	t.Helper()
	cmd := exec.Command(budayangBinary(t), "serve", "--data", dir, "--addr", addr)
	cmd.Env = append(os.Environ(), "BUDAYANG_CLOCK="+moment)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, dir: dir, addr: addr, cmd: cmd}
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + addr + "/api/v1/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("serve did not become healthy:\n%s", logs.String())
	return nil
}

func (p *proc) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
	}
}

var client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

func (p *proc) call(method, path, token, body string) (int, []byte, error) {
	req, err := http.NewRequest(method, "http://"+p.addr+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	switch {
	case strings.HasPrefix(token, "Device "):
		req.Header.Set("Authorization", token)
	case token != "":
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

func (p *proc) login(user, password string) string {
	p.t.Helper()
	code, body, err := p.call("POST", "/api/v1/login", "", fmt.Sprintf(`{"user":%q,"password":%q}`, user, password))
	if err != nil || code != 200 {
		p.t.Fatalf("login %s: %d %s %v", user, code, body, err)
	}
	var s struct{ Token string }
	json.Unmarshal(body, &s)
	return s.Token
}

func (p *proc) addWindows(token string, from, to int) {
	p.t.Helper()
	for n := from; n <= to; n++ {
		if code, body, err := p.call("PUT", fmt.Sprintf("/api/v1/windows/%d", n), token, `{"name":"","lines":[]}`); err != nil || code != 200 {
			p.t.Fatalf("add window %d: %d %s %v", n, code, body, err)
		}
	}
}

// pairKiosk pairs a kiosk through the API and returns its Authorization
// header value.
func (p *proc) pairKiosk(token string) string {
	p.t.Helper()
	code, body, err := p.call("POST", "/api/v1/devices/pairings", token, `{"kind":"kiosk"}`)
	var pr struct{ Code string }
	if err != nil || code != 201 || json.Unmarshal(body, &pr) != nil {
		p.t.Fatalf("pairing: %d %s %v", code, body, err)
	}
	code, body, err = p.call("POST", "/api/v1/devices/pair", "", `{"code":"`+pr.Code+`"}`)
	var cred struct{ Credential string }
	if err != nil || code != 201 || json.Unmarshal(body, &cred) != nil {
		p.t.Fatalf("pair: %d %s %v", code, body, err)
	}
	return "Device " + cred.Credential
}

type issued struct {
	ID     string `json:"id"`
	Number string `json:"number"`
}

func TestServe_ConcurrentWindowsNeverShareATicket(t *testing.T) {
	dir := initData(t, 20)
	p := startServe(t, dir, freeAddr(t))
	token := p.login("admin", "Admin12345")
	const tickets = 120
	for i := 0; i < tickets; i++ {
		if code, body, err := p.call("POST", "/api/v1/tickets", token, `{"line":"A"}`); err != nil || code != 201 {
			t.Fatalf("issue: %d %s %v", code, body, err)
		}
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for n := 1; n <= 20; n++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			<-start
			for {
				code, body, err := p.call("POST", fmt.Sprintf("/api/v1/windows/%d/call-next", n), token, "")
				if err != nil {
					t.Errorf("window %d: %v", n, err)
					return
				}
				if code == 204 {
					return
				}
				var out struct{ Ticket issued }
				if code != 200 || json.Unmarshal(body, &out) != nil {
					t.Errorf("window %d: %d %s", n, code, body)
					return
				}
				mu.Lock()
				seen[out.Ticket.Number]++
				mu.Unlock()
				if code, body, _ := p.call("POST", "/api/v1/tickets/"+out.Ticket.ID+"/complete", token, ""); code != 200 {
					t.Errorf("complete %s: %d %s", out.Ticket.Number, code, body)
					return
				}
			}
		}(n)
	}
	close(start)
	wg.Wait()
	if len(seen) != tickets {
		t.Errorf("called %d distinct tickets, want %d", len(seen), tickets)
	}
	for num, n := range seen {
		if n != 1 {
			t.Errorf("%s called by %d windows", num, n)
		}
	}
}

// kill -9 while kiosks issue and windows call: every ticket whose 201 was
// sent is there after restart, and no number is given twice.
func TestServe_KillDashNineLosesNoTicket(t *testing.T) {
	dir := initData(t, 4)
	addr := freeAddr(t)
	p := startServe(t, dir, addr)
	token := p.login("admin", "Admin12345")

	var mu sync.Mutex
	acked := map[string]string{} // number → id
	var stop atomic.Bool
	var wg sync.WaitGroup
	for k := 0; k < 4; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				code, body, err := p.call("POST", "/api/v1/tickets", token, `{"line":"A"}`)
				if err != nil {
					return // the process died mid-request: no 201, no promise
				}
				if code != 201 {
					t.Errorf("issue: %d %s", code, body)
					return
				}
				var tk issued
				json.Unmarshal(body, &tk)
				mu.Lock()
				if prev, dup := acked[tk.Number]; dup {
					t.Errorf("number %s given twice (%s, %s)", tk.Number, prev, tk.ID)
				}
				acked[tk.Number] = tk.ID
				mu.Unlock()
			}
		}()
	}
	for n := 1; n <= 4; n++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			for !stop.Load() {
				code, body, err := p.call("POST", fmt.Sprintf("/api/v1/windows/%d/call-next", n), token, "")
				if err != nil {
					return
				}
				if code == 200 {
					var out struct{ Ticket issued }
					json.Unmarshal(body, &out)
					p.call("POST", "/api/v1/tickets/"+out.Ticket.ID+"/complete", token, "")
				}
			}
		}(n)
	}
	time.Sleep(1500 * time.Millisecond)
	p.kill() // SIGKILL: no shutdown, no checkpoint
	stop.Store(true)
	wg.Wait()
	mu.Lock()
	n := len(acked)
	mu.Unlock()
	if n < 10 {
		t.Fatalf("only %d tickets issued before the kill; the test proves nothing", n)
	}

	p = startServe(t, dir, addr)
	token = p.login("admin", "Admin12345")
	code, body, err := p.call("GET", "/api/v1/tickets", token, "")
	if err != nil || code != 200 {
		t.Fatalf("list after restart: %d %v", code, err)
	}
	var stored []issued
	json.Unmarshal(body, &stored)
	byNumber := map[string]string{}
	for _, s := range stored {
		if _, dup := byNumber[s.Number]; dup {
			t.Errorf("number %s stored twice", s.Number)
		}
		byNumber[s.Number] = s.ID
	}
	for num, id := range acked {
		if byNumber[num] != id {
			t.Errorf("acknowledged ticket %s (%s) lost after kill -9", num, id)
		}
	}
	code, body, _ = p.call("POST", "/api/v1/tickets", token, `{"line":"A"}`)
	var next issued
	json.Unmarshal(body, &next)
	if code != 201 {
		t.Fatalf("issue after restart: %d %s", code, body)
	}
	if _, dup := byNumber[next.Number]; dup {
		t.Errorf("after restart the number %s was given again", next.Number)
	}
	t.Logf("%d tickets acknowledged before kill -9, %d stored, next %s", len(acked), len(stored), next.Number)
}

// The call reaches a display's event stream.
func TestServe_CallReachesDisplay(t *testing.T) {
	dir := initData(t, 3)
	p := startServe(t, dir, freeAddr(t))
	token := p.login("admin", "Admin12345")
	res, err := http.Get("http://" + p.addr + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	for l := range lines {
		if l == ": connected" {
			break
		}
	}
	p.call("POST", "/api/v1/tickets", token, `{"line":"A"}`)
	if code, body, _ := p.call("POST", "/api/v1/windows/3/call-next", token, ""); code != 200 {
		t.Fatalf("call: %d %s", code, body)
	}
	timeout := time.After(5 * time.Second)
	for {
		select {
		case l := <-lines:
			if strings.HasPrefix(l, "data: ") && strings.Contains(l, `"window":3`) && strings.Contains(l, `"A001"`) {
				return
			}
		case <-timeout:
			t.Fatal("no ticket:called event for A001 at window 3")
		}
	}
}
