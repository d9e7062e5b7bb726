// Command benchdesktop measures the desktop app the way a clerk meets it:
// cold start to a ready window (median of several launches under Xvfb) and
// the proportional memory of the app with its WebKit processes, after start
// and after an hour's worth of hall traffic. It then runs the Go benchmarks
// and writes everything, with the machine, to a Markdown file. Last, it serves
// a year of a large centre (budayang seed --scale year, cached under -year) and
// times start-up and the screens against the targets (year.go).
//
//	go run ./tools/benchdesktop -bin build/bin/budayang -out docs/benchmarks.md
//	go run ./tools/benchdesktop -bin build/bin/budayang -desktop=false   # the year only
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const password = "Bench-Admin-2024"

// pace spreads the hour-equivalent over a minute by default (60× compressed),
// so the window handles events and collects garbage as it would in use.
var pace time.Duration

func main() {
	bin := flag.String("bin", "build/bin/budayang", "desktop binary (built with the desktop tag)")
	out := flag.String("out", "docs/benchmarks.md", "Markdown report to write")
	runs := flag.Int("runs", 5, "cold starts to take the median of")
	requests := flag.Int("requests", 600, "HTTP requests in the hour-equivalent of use")
	gobench := flag.String("gobench", "./backend/...", "packages for go test -bench (empty: skip)")
	flag.DurationVar(&pace, "pace", 100*time.Millisecond, "pause between requests of the hour-equivalent")
	year := flag.String("year", "build/bench/year", "cache of the seeded year of data for the large-centre screens (empty: skip)")
	desktop := flag.Bool("desktop", true, "measure the desktop window and run the Go benchmarks (false: only the year, into its section of -out)")
	flag.Parse()
	if err := run(*bin, *out, *runs, *requests, *gobench, *desktop); err != nil {
		fmt.Fprintln(os.Stderr, "benchdesktop:", err)
		os.Exit(1)
	}
	if *year == "" {
		return
	}
	if err := runYear(*bin, *year, *out); err != nil {
		fmt.Fprintln(os.Stderr, "benchdesktop:", err)
		os.Exit(1)
	}
}

type report struct {
	starts, maps []time.Duration
	memStart     memory
	memHour      memory
	traffic      trafficResult
	goBench      string
	goBenchErr   error
}

// runYear measures the large centre's screens and writes their section of
// out.
func runYear(bin, cache, out string) error {
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	y, err := benchYear(bin, cache)
	if err != nil {
		return err
	}
	if err := replaceSection(out, y.markdown()); err != nil {
		return err
	}
	fmt.Printf("wrote the year's section of %s\n", out)
	return nil
}

func run(bin, out string, runs, requests int, gobench string, desktop bool) error {
	if !desktop {
		return nil
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "budayang-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	x, err := startXvfb(tmp)
	if err != nil {
		return err
	}
	defer x.stop()
	fmt.Printf("Xvfb on %s\n", x.display)

	data := filepath.Join(tmp, "data")
	initCmd := exec.Command(bin, "init", "--data", data, "--site", "渠县基准测试镇便民服务中心",
		"--kind", "town", "--population", "42000", "--floor-area", "320")
	initCmd.Env = append(os.Environ(), "BUDAYANG_ADMIN_PASSWORD="+password)
	if b, err := initCmd.CombinedOutput(); err != nil {
		return fmt.Errorf("init: %v: %s", err, b)
	}

	var r report
	for i := range runs {
		a, err := launch(bin, data, tmp, x.display, "")
		if err != nil {
			return fmt.Errorf("start %d: %w", i+1, err)
		}
		r.starts = append(r.starts, a.ready)
		r.maps = append(r.maps, a.mapped)
		fmt.Printf("start %d: window mapped %v, frontend ready %v\n", i+1, ms(a.mapped), ms(a.ready))
		if err := a.quit(); err != nil {
			return err
		}
	}

	addr, err := freeAddr()
	if err != nil {
		return err
	}
	a, err := launch(bin, data, tmp, x.display, addr)
	if err != nil {
		return fmt.Errorf("start for memory: %w", err)
	}
	defer a.quit()
	if err := a.signIn(x.display); err != nil {
		return err
	}
	time.Sleep(3 * time.Second)
	if err := windowSignedIn("http://" + addr); err != nil {
		return err
	}
	if r.memStart, err = measure(a.cmd.Process.Pid); err != nil {
		return err
	}
	fmt.Printf("memory after start: %s\n", r.memStart)
	if r.traffic, err = drive("http://"+addr, requests); err != nil {
		return err
	}
	fmt.Printf("hour-equivalent: %d requests in %v (p50 %v, p99 %v), %d changes pushed as events\n",
		r.traffic.n, r.traffic.total.Round(time.Millisecond), ms(r.traffic.p50), ms(r.traffic.p99), r.traffic.writes)
	time.Sleep(3 * time.Second)
	if r.memHour, err = measure(a.cmd.Process.Pid); err != nil {
		return err
	}
	fmt.Printf("memory after the hour-equivalent: %s\n", r.memHour)
	if err := a.quit(); err != nil {
		return err
	}

	if gobench != "" {
		cmd := exec.Command("go", "test", "-run", "XXX", "-bench", ".", "-benchmem", gobench)
		cmd.Stderr = os.Stderr
		b, err := cmd.Output()
		os.Stdout.Write(b)
		r.goBench = string(b)
		if err != nil {
			// Keep the desktop figures; say which packages did not build or pass.
			r.goBenchErr = fmt.Errorf("go test -bench %s: %w", gobench, err)
		}
	}
	if err := os.WriteFile(out, []byte(r.markdown(runs, requests)), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s\n", out)
	return r.goBenchErr
}

// xvfb is a virtual display that picked its own free number.
type xvfb struct {
	display string
	procs   []*exec.Cmd
}

func startXvfb(tmp string) (*xvfb, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1440x900x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{pw}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start Xvfb: %w", err)
	}
	pw.Close()
	line, err := bufio.NewReader(pr).ReadString('\n')
	pr.Close()
	if err != nil {
		cmd.Process.Kill()
		return nil, fmt.Errorf("Xvfb did not report a display: %w", err)
	}
	x := &xvfb{display: ":" + strings.TrimSpace(line), procs: []*exec.Cmd{cmd}}
	// A tray host, as on a clerk's desktop: the tray icon is part of the app.
	if path, err := exec.LookPath("trayer"); err == nil {
		t := exec.Command(path, "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24")
		t.Env = append(os.Environ(), "DISPLAY="+x.display)
		if t.Start() == nil {
			x.procs = append(x.procs, t)
		}
	}
	return x, nil
}

func (x *xvfb) stop() {
	for _, p := range slices.Backward(x.procs) {
		p.Process.Signal(syscall.SIGTERM)
		p.Wait()
	}
}

// app is one running desktop process.
type app struct {
	cmd           *exec.Cmd
	log           bytes.Buffer
	mapped, ready time.Duration
	done          chan error
	exited        bool
}

// launch starts the desktop app and waits for its window to map and its
// frontend to call Ready; the times are measured from just before exec.
func launch(bin, data, tmp, display, listen string) (*app, error) {
	readyFile := filepath.Join(tmp, "ready")
	os.Remove(readyFile)
	args := []string{"--data", data, "--ready-file", readyFile}
	if listen != "" {
		args = append(args, "--listen", listen)
	}
	a := &app{cmd: exec.Command(bin, args...), done: make(chan error, 1)}
	a.cmd.Env = append(os.Environ(), "DISPLAY="+display)
	a.cmd.Stdout, a.cmd.Stderr = &a.log, &a.log
	start := time.Now()
	if err := a.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { a.done <- a.cmd.Wait() }()

	mapped := make(chan time.Duration, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			cmd := exec.CommandContext(ctx, "xdotool", "search", "--onlyvisible", "--name", "不打烊")
			cmd.Env = a.cmd.Env
			if out, _ := cmd.Output(); len(bytes.TrimSpace(out)) > 0 {
				mapped <- time.Since(start)
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for a.ready == 0 {
		select {
		case <-ctx.Done():
			a.kill()
			return nil, fmt.Errorf("no ready file after 30 s; log:\n%s", a.log.String())
		case err := <-a.done:
			a.exited = true
			return nil, fmt.Errorf("app exited (%v); log:\n%s", err, a.log.String())
		case <-tick.C:
			if _, err := os.Stat(readyFile); err == nil {
				a.ready = time.Since(start)
			}
		}
	}
	select {
	case a.mapped = <-mapped:
	case <-ctx.Done():
		a.kill()
		return nil, errors.New("the window never showed as mapped")
	}
	return a, nil
}

// signIn types the admin's credentials into the login form, so the window
// sits on the signed-in home view, which refreshes on events, during the hour.
func (a *app) signIn(display string) error {
	xdo := func(args ...string) error {
		cmd := exec.Command("xdotool", args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("xdotool %v: %v: %s", args, err, b)
		}
		return nil
	}
	time.Sleep(time.Second)
	for _, args := range [][]string{
		{"search", "--onlyvisible", "--name", "不打烊", "windowfocus", "--sync"},
		{"type", "--delay", "20", "admin"}, {"key", "Tab"},
		{"type", "--delay", "20", password}, {"key", "Return"},
	} {
		if err := xdo(args...); err != nil {
			return err
		}
	}
	return nil
}

// windowSignedIn checks the audit log for the window's sign-in, made by
// typing into the login form (the check itself signs in a second time).
func windowSignedIn(base string) error {
	body, _ := json.Marshal(map[string]string{"user": "admin", "password": password, "workstation": "bench"})
	resp, err := http.Post(base+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	var s struct {
		Token string `json:"token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&s)
	resp.Body.Close()
	if err != nil || s.Token == "" {
		return fmt.Errorf("bench login failed (%d): %v", resp.StatusCode, err)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/audit?limit=50", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var page struct {
		Entries []struct {
			Action string `json:"action"`
		} `json:"entries"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return err
	}
	logins := 0
	for _, e := range page.Entries {
		if e.Action == "staff.login" {
			logins++
		}
	}
	if logins < 2 {
		return errors.New("the window did not sign in: typing into its login form left no staff.login in the audit log")
	}
	return nil
}

func (a *app) kill() {
	if !a.exited {
		a.cmd.Process.Kill()
		<-a.done
		a.exited = true
	}
}

// quit stops the app with SIGTERM, as the session manager would.
func (a *app) quit() error {
	if a.exited {
		return nil
	}
	a.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-a.done:
		a.exited = true
		if err != nil {
			return fmt.Errorf("app exit: %v; log:\n%s", err, a.log.String())
		}
		return nil
	case <-time.After(15 * time.Second):
		a.kill()
		return errors.New("app did not quit within 15 s of SIGTERM")
	}
}

// memory is the proportional set size of a process tree, by process name.
type memory struct {
	totalKB int
	byName  map[string]int
	count   map[string]int
}

func (m memory) String() string {
	parts := []string{fmt.Sprintf("%.1f MB total", mb(m.totalKB))}
	for _, name := range m.names() {
		parts = append(parts, fmt.Sprintf("%s ×%d %.1f MB", name, m.count[name], mb(m.byName[name])))
	}
	return strings.Join(parts, ", ")
}

func (m memory) names() []string {
	var names []string
	for n := range m.byName {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// measure sums Pss from /proc/PID/smaps_rollup over pid and its descendants
// (the WebKit web and network processes are children of the app).
func measure(pid int) (memory, error) {
	parents := map[int][]int{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return memory{}, err
	}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp, ok := ppid(p); ok {
			parents[pp] = append(parents[pp], p)
		}
	}
	m := memory{byName: map[string]int{}, count: map[string]int{}}
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = append(queue[1:], parents[p]...)
		kb, err := pss(p)
		if err != nil {
			continue // exited meanwhile
		}
		name := comm(p)
		m.totalKB += kb
		m.byName[name] += kb
		m.count[name]++
	}
	if m.totalKB == 0 {
		return m, fmt.Errorf("no Pss for pid %d", pid)
	}
	return m, nil
}

func ppid(pid int) (int, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name is in parentheses and may contain spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0, false
	}
	pp, err := strconv.Atoi(f[1])
	return pp, err == nil
}

// comm names a process by its executable (comm is cut at 15 bytes).
func comm(pid int) string {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil && len(b) > 0 {
		exe, _, _ := bytes.Cut(b, []byte{0})
		return filepath.Base(string(exe))
	}
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}

func pss(pid int) (int, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if f := strings.Fields(s.Text()); len(f) >= 2 && f[0] == "Pss:" {
			return strconv.Atoi(f[1])
		}
	}
	return 0, errors.New("no Pss line")
}

type trafficResult struct {
	n, writes     int
	total         time.Duration
	p50, p99      time.Duration
	byMethodCount map[string]int
}

// drive plays an hour of a town hall against the desktop's LAN door: other
// windows signing in and out, staff, site and compliance reads, the audit
// log paged back, the scheduler and backup pages, and now and then a change
// (new staff, a profile edit, a backup) that reaches the window as an event.
func drive(base string, n int) (trafficResult, error) {
	c := &http.Client{Timeout: 30 * time.Second}
	var lat []time.Duration
	res := trafficResult{byMethodCount: map[string]int{}}
	do := func(method, path, token string, body any, into any) (int, error) {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, base+path, rd)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		req.Header.Set("Content-Type", "application/json")
		t := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		lat = append(lat, time.Since(t))
		res.byMethodCount[method]++
		if resp.StatusCode >= 400 {
			return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		if into != nil {
			return resp.StatusCode, json.Unmarshal(b, into)
		}
		return resp.StatusCode, nil
	}
	type session struct {
		Token string `json:"token"`
	}
	login := func(user, pw, ws string) (string, error) {
		var s session
		_, err := do(http.MethodPost, "/api/v1/login", "", map[string]string{"user": user, "password": pw, "workstation": ws}, &s)
		return s.Token, err
	}
	start := time.Now()
	admin, err := login("admin", password, "窗口1")
	if err != nil {
		return res, err
	}
	var staff []string
	var auditBefore int
	for i := 0; len(lat) < n; i++ {
		var err error
		switch {
		case i%40 == 10:
			login := fmt.Sprintf("clerk%02d", len(staff)+1)
			role := []string{"clerk", "duty", "assistant"}[len(staff)%3]
			_, err = do(http.MethodPost, "/api/v1/staff", admin, map[string]string{
				"login": login, "name": fmt.Sprintf("工作人员%02d", len(staff)+1), "role": role, "password": "Window-Pass-01",
			}, nil)
			staff = append(staff, login)
			res.writes++
		case i%40 == 20 && len(staff) > 0:
			var tok string
			if tok, err = login(staff[i%len(staff)], "Window-Pass-01", fmt.Sprintf("窗口%d", 2+i%5)); err == nil {
				for _, p := range []string{"/api/v1/me", "/api/v1/site", "/api/v1/site/compliance", "/api/v1/me/preferences"} {
					if _, err = do(http.MethodGet, p, tok, nil, nil); err != nil {
						break
					}
				}
				if err == nil {
					_, err = do(http.MethodPost, "/api/v1/logout", tok, nil, nil)
				}
			}
		case i%60 == 30:
			_, err = do(http.MethodPut, "/api/v1/site", admin, map[string]any{
				"name": "渠县基准测试镇便民服务中心", "kind": "town", "population": 42000 + i, "floor_area_m2": 320,
			}, nil)
			res.writes++
		case i%100 == 50:
			_, err = do(http.MethodPost, "/api/v1/backups", admin, nil, nil)
			res.writes++
		case i%7 == 3:
			var page struct {
				Entries []struct {
					Seq int `json:"seq"`
				} `json:"entries"`
			}
			path := "/api/v1/audit?limit=50"
			if auditBefore > 1 {
				path += "&before=" + strconv.Itoa(auditBefore)
			}
			if _, err = do(http.MethodGet, path, admin, nil, &page); err == nil {
				auditBefore = 0
				if k := len(page.Entries); k == 50 {
					auditBefore = page.Entries[k-1].Seq
				}
			}
		default:
			paths := []string{"/api/v1/status", "/api/v1/staff", "/api/v1/site", "/api/v1/site/compliance",
				"/api/v1/jobs", "/api/v1/backups", "/api/v1/me"}
			_, err = do(http.MethodGet, paths[i%len(paths)], admin, nil, nil)
		}
		if err != nil {
			return res, err
		}
		time.Sleep(pace)
	}
	res.total = time.Since(start)
	res.n = len(lat)
	slices.Sort(lat)
	res.p50 = lat[len(lat)/2]
	res.p99 = lat[(len(lat)*99)/100]
	return res, nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string {
	f := float64(d) / float64(time.Millisecond)
	if f < 10 {
		return fmt.Sprintf("%.1f ms", f)
	}
	return fmt.Sprintf("%.0f ms", f)
}

func mb(kb int) float64 { return float64(kb) / 1024 }

func (r report) markdown(runs, requests int) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("# Benchmarks\n\n")
	w("Produced by `make bench` (`tools/benchdesktop`) on %s. Re-run it to refresh this file.\n\n",
		time.Now().Format("2006-01-02"))
	w("## Machine\n\n")
	w("| | |\n|---|---|\n")
	for _, row := range machine() {
		w("| %s | %s |\n", row[0], row[1])
	}
	w("\n## Desktop start-up\n\n")
	w("Cold start of `build/bin/budayang` under Xvfb (1440×900, trayer as tray host, software rendering),\n")
	w("an initialised site, %d launches one after another. *Mapped* is exec → the window is visible\n", runs)
	w("(`xdotool search --onlyvisible`, polled every few ms); *ready* is exec → the Vue app has mounted and\n")
	w("called `App.Ready()` (the `--ready-file` appears).\n\n")
	w("| launch | mapped | ready |\n|---|---|---|\n")
	for i := range r.starts {
		w("| %d | %s | %s |\n", i+1, ms(r.maps[i]), ms(r.starts[i]))
	}
	w("| **median** | **%s** | **%s** |\n\n", ms(median(r.maps)), ms(median(r.starts)))
	w("## Memory\n\n")
	w("Proportional set size (sum of `Pss` in `/proc/PID/smaps_rollup`) of the app and every descendant\n")
	w("process (the WebKit web and network processes). *After start*: signed in as admin, on the home view,\n")
	w("3 s after the ready call. *After 1 hour-equivalent*: the same window after %d HTTP requests from\n", requests)
	w("other hall workstations against `--listen` (logins and logouts of staff, staff, site and compliance\n")
	w("reads, audit log paging, scheduler and backup pages; %d changes — new staff, site edits, backups —\n", r.traffic.writes)
	w("each pushed to the window as a Wails event), paced %v apart so the hour passes in about a\n", pace)
	w("minute, then 3 s to settle.\n\n")
	w("| process | after start | after 1 hour-equivalent |\n|---|---|---|\n")
	for _, name := range r.memHour.names() {
		w("| %s ×%d | %.1f MB | %.1f MB |\n", name, r.memHour.count[name], mb(r.memStart.byName[name]), mb(r.memHour.byName[name]))
	}
	w("| **total** | **%.1f MB** | **%.1f MB** |\n\n", mb(r.memStart.totalKB), mb(r.memHour.totalKB))
	w("The hour-equivalent took %v of wall time; request latency over HTTP (pauses excluded) p50 %s, p99 %s\n",
		r.traffic.total.Round(time.Second), ms(r.traffic.p50), ms(r.traffic.p99))
	w("(logins include bcrypt, backups a `VACUUM INTO` and an integrity check).\n\n")
	w("For comparison, a bare Wails window of this stack (no app) maps in 0.15–0.27 s and uses about\n")
	w("300 MB across the app and its two WebKit processes on a similar machine (the foundation issue's trial).\n\n")
	if r.goBench != "" {
		w("## Go benchmarks\n\n`go test -run XXX -bench . -benchmem ./backend/...` (SQLite write latency through the store and others):\n\n```\n")
		for _, line := range strings.Split(r.goBench, "\n") {
			if strings.HasPrefix(line, "Benchmark") || strings.HasPrefix(line, "pkg:") || strings.HasPrefix(line, "FAIL") {
				w("%s\n", line)
			}
		}
		w("```\n")
		w("%s", hallNotes)
		w("%s", countyNotes)
		w("%s", reportNotes)
		if r.goBenchErr != nil {
			w("\n**Incomplete:** %v.\n", r.goBenchErr)
		}
	}
	return b.String()
}

func machine() [][2]string {
	cpu := "?"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	memTotal := "?"
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.Atoi(f[1])
				memTotal = fmt.Sprintf("%.1f GiB", float64(kb)/1024/1024)
			}
		}
	}
	cmdOut := func(name string, args ...string) string {
		b, err := exec.Command(name, args...).Output()
		if err != nil {
			return "?"
		}
		return strings.TrimSpace(string(b))
	}
	debian, _ := os.ReadFile("/etc/debian_version")
	return [][2]string{
		{"CPU", cpu},
		{"cores (nproc)", strconv.Itoa(runtime.NumCPU())},
		{"memory", memTotal},
		{"OS", "Debian " + strings.TrimSpace(string(debian)) + ", Linux " + cmdOut("uname", "-r")},
		{"Go", cmdOut("go", "version")},
		{"WebKitGTK", cmdOut("pkg-config", "--modversion", "webkit2gtk-4.1")},
	}
}

// hallNotes reads the hall and queue figures against their targets (the
// queue issue): p99 call-to-display under 50 ms, and an issue rate of at
// least half the raw insert rate.
const hallNotes = `
How to read the hall figures (` + "`BenchmarkHall_Load`" + `: the real ` + "`budayang serve`" + ` process on loopback, 50 displays on
the event stream; phase 1, 8 kiosks and the 20 windows' desks issue for 3 s; phase 2, 20 windows call
and complete for 3 s; single-row committed inserts into a fresh SQLite file on the same disk with the
store's durability, WAL and ` + "`synchronous=FULL`" + `, for 1.5 s before the load and 1.5 s after, averaged):

- *display-p99-ms* is the time from a window's call-next request leaving to each of the 50 displays
  receiving the call: the target is under 50 ms.
- *issue/raw* is the sustained issue rate over the raw insert rate: the target is at least 0.5. An
  issue is HTTP, the ticket, its counter, the audit line with its hash, the outbox row and the event
  to 50 streams, then the count of tickets ahead; a raw insert is one row. On this machine an fsync
  costs about 0.1 ms, so both are bound by CPU, which the host shares with the benchmark's own
  clients. What gets the issue to half the raw rate: group commit (` + "`store.Write`" + `) shares one commit
  among the writes waiting for it; the writer keeps only the writes (lines, settings, site id and
  sessions are kept in memory; the count ahead runs on the read pool after the commit); each event
  becomes SSE bytes once and reaches the 50 streams as one batch per 5 ms under load. With 28
  issuers the host is busy; with 8 it idles between round trips and the ratio is about 0.37.
  ` + "`BenchmarkQueue_IssueConcurrent`" + ` is the same issue path without HTTP.
`
