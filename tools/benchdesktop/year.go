package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// yearClock is the moment the year's data is seeded for and served at: a
// Wednesday morning, so the day is a working day with the hall open and
// the seeded data (and this file) the same on every machine and day.
const yearClock = "2026-11-25T10:00:00+08:00"

const clerkPassword = "Seed-Clerk-2024"

// yearTargets are the targets.
const (
	screenTarget  = 200 * time.Millisecond
	startTarget   = 2 * time.Second
	backupTarget  = 60 * time.Second
	screenSamples = 5
)

// yearRow is one measured step; target 0 means none is set.
type yearRow struct {
	what, calls string
	first, med  time.Duration
	target      time.Duration
}

type yearResult struct {
	seedTime  time.Duration // 0: the cached seed was used
	dbBytes   int64
	counts    string
	rows      []yearRow
	startRows []yearRow
}

// seedYear returns a data directory holding the year's data, seeding it
// into cache (build/bench/year/seeded) on the first run or when the binary's
// schema changed, and copying it to a fresh run directory each time, so
// every run measures the same data.
func seedYear(bin, cache string) (run string, seedTime time.Duration, err error) {
	ver, err := exec.Command(bin, "version").Output()
	if err != nil {
		return "", 0, fmt.Errorf("version: %w", err)
	}
	// The commit is left out: every commit would seed again, not only a new schema.
	line := regexp.MustCompile(`commit [^,]*, `).ReplaceAllString(strings.TrimSpace(string(ver)), "")
	marker := fmt.Sprintf("%s scale=year clock=%s\n", line, yearClock)
	seeded := filepath.Join(cache, "seeded")
	if b, err := os.ReadFile(filepath.Join(cache, "seeded.ok")); err != nil || string(b) != marker {
		os.RemoveAll(cache)
		env := append(os.Environ(), "BUDAYANG_ADMIN_PASSWORD="+password, "BUDAYANG_CLOCK="+yearClock)
		init := exec.Command(bin, "init", "--data", seeded, "--site", "渠县基准测试镇便民服务中心", "--kind", "town",
			"--population", "86000", "--floor-area", "900", "--windows", "8")
		init.Env = env
		if b, err := init.CombinedOutput(); err != nil {
			return "", 0, fmt.Errorf("init: %v: %s", err, b)
		}
		start := time.Now()
		seed := exec.Command(bin, "seed", "--data", seeded, "--scale", "year")
		seed.Env = env
		seed.Stdout, seed.Stderr = os.Stdout, os.Stderr
		if err := seed.Run(); err != nil {
			return "", 0, fmt.Errorf("seed: %w", err)
		}
		seedTime = time.Since(start)
		if err := os.WriteFile(filepath.Join(cache, "seeded.ok"), []byte(marker), 0o644); err != nil {
			return "", 0, err
		}
	}
	run = filepath.Join(cache, "run")
	os.RemoveAll(run)
	if b, err := exec.Command("cp", "-a", seeded, run).CombinedOutput(); err != nil {
		return "", 0, fmt.Errorf("copy seeded data: %v: %s", err, b)
	}
	return run, seedTime, nil
}

// client is a staff member's HTTP session against the served API.
type client struct {
	base  string
	token string
	http  *http.Client
}

func (c *client) do(method, path string, body, into any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if into != nil {
		return json.Unmarshal(b, into)
	}
	return nil
}

func (c *client) login(user, pw string) error {
	var s struct {
		Token string `json:"token"`
	}
	if err := c.do(http.MethodPost, "/api/v1/login", map[string]string{"user": user, "password": pw, "workstation": "基准测试"}, &s); err != nil {
		return err
	}
	c.token = s.Token
	return nil
}

// screen requests paths at once, as the view does on opening, and returns
// the time until the last answer.
func (c *client) screen(paths ...string) (time.Duration, error) {
	start := time.Now()
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() { errs[i] = c.do(http.MethodGet, p, nil, nil) })
	}
	wg.Wait()
	return time.Since(start), errors.Join(errs...)
}

// sample opens a screen screenSamples times: the first answer (caches
// cold) and the median.
func (c *client) sample(what string, paths ...string) (yearRow, error) {
	var ds []time.Duration
	for range screenSamples {
		d, err := c.screen(paths...)
		if err != nil {
			return yearRow{}, fmt.Errorf("%s: %w", what, err)
		}
		ds = append(ds, d)
	}
	row := yearRow{what: what, calls: strings.Join(paths, " + "), first: ds[0], med: median(ds), target: screenTarget}
	fmt.Printf("%s: first %s, median %s\n", what, ms(row.first), ms(row.med))
	return row, nil
}

// homeCalls are the API calls of the signed-in home screen: the app's
// status and rules, the session's staff and preferences, the site card,
// the compliance card and the clerk's due cases.
var homeCalls = []string{"/api/v1/status", "/api/v1/rules", "/api/v1/me", "/api/v1/me/preferences", "/api/v1/site",
	"/api/v1/site/compliance", "/api/v1/cases/due?scope=mine"}

// benchYear serves the year's data with the real binary over loopback and
// opens the screens the issue names, timing their API calls.
func benchYear(bin, cache string) (yearResult, error) {
	var res yearResult
	data, seedTime, err := seedYear(bin, cache)
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(data)
	res.seedTime = seedTime
	if st, err := os.Stat(filepath.Join(data, "budayang.db")); err == nil {
		res.dbBytes = st.Size()
	}
	addr, err := freeAddr()
	if err != nil {
		return res, err
	}
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr)
	cmd.Env = append(os.Environ(), "BUDAYANG_CLOCK="+yearClock)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	base := "http://" + addr
	hc := &http.Client{Timeout: 120 * time.Second}
	for {
		resp, err := hc.Get(base + "/api/v1/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Since(start) > 60*time.Second {
			return res, fmt.Errorf("serve not ready after 60 s; log:\n%s", log.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	ready := time.Since(start)
	clerk := &client{base: base, http: hc}
	t := time.Now()
	if err := clerk.login("clerk01", clerkPassword); err != nil {
		return res, err
	}
	signedIn := time.Since(t)
	home, err := clerk.screen(homeCalls...)
	if err != nil {
		return res, err
	}
	total := time.Since(start)
	res.startRows = []yearRow{
		{what: "process start → `/api/v1/health` answers", first: ready},
		{what: "sign-in (`POST /api/v1/login`, bcrypt)", first: signedIn},
		{what: "home screen's calls, at once", calls: strings.Join(homeCalls, " + "), first: home},
		{what: "**start-up to the signed-in home screen**", first: total, target: startTarget},
	}
	fmt.Printf("start-up: health %s, login %s, home %s, total %s\n", ms(ready), ms(signedIn), ms(home), ms(total))

	admin := &client{base: base, http: hc}
	if err := admin.login("admin", password); err != nil {
		return res, err
	}
	// Mid-morning: the hall has issued its first hundred tickets today.
	for i := range 100 {
		line := string(rune('A' + i%5))
		if err := clerk.do(http.MethodPost, "/api/v1/tickets", map[string]string{"line": line}, nil); err != nil {
			return res, err
		}
	}
	// A citizen of one of clerk01's cases, read in full by its holder.
	var mine []struct {
		ID string `json:"id"`
	}
	if err := clerk.do(http.MethodGet, "/api/v1/cases?mine=1&limit=1", nil, &mine); err != nil || len(mine) == 0 {
		return res, fmt.Errorf("find a case of clerk01: %v", err)
	}
	var full struct {
		CitizenName string `json:"citizen_name"`
		IDNumber    string `json:"id_number"`
	}
	if err := clerk.do(http.MethodGet, "/api/v1/cases/"+mine[0].ID, nil, &full); err != nil {
		return res, err
	}
	today, _ := time.Parse(time.RFC3339, yearClock)
	monthFrom := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())
	// The month grid starts on the Monday on or before the 1st and shows six weeks.
	gridFrom := monthFrom.AddDate(0, 0, -((int(monthFrom.Weekday()) + 6) % 7))
	gridTo := gridFrom.AddDate(0, 0, 41)
	from, to := gridFrom.Format("2006-01-02"), gridTo.Format("2006-01-02")
	screens := []struct {
		what string
		c    *client
		path []string
	}{
		{"queue view", clerk, []string{"/api/v1/windows", "/api/v1/lines", "/api/v1/hall", "/api/v1/tickets"}},
		{"case search by name", clerk, []string{"/api/v1/cases?limit=200&name=" + url.QueryEscape(full.CitizenName)}},
		{"case search by ID number", clerk, []string{"/api/v1/cases?limit=200&id_number=" + url.QueryEscape(full.IDNumber)}},
		{"cases list (all, newest 200)", clerk, []string{"/api/v1/cases?limit=200"}},
		{"cases list (open, newest 200)", clerk, []string{"/api/v1/cases?limit=200&open=1"}},
		{"home: due cases of all (`scope=all`)", clerk, []string{"/api/v1/cases/due?scope=all"}},
		{"audit page (newest 50, verified)", admin, []string{"/api/v1/audit?limit=50"}},
		{"calendar month (6-week grid + its bookings)", clerk, []string{"/api/v1/calendar?from=" + from + "&to=" + to, "/api/v1/bookings?from=" + from + "&to=" + to}},
		// Not in the list: the ratings page reads every rating.
		{"ratings page, bad ones (centre head)", admin, []string{"/api/v1/ratings?bad=1"}},
		{"ratings page, a clerk's own", clerk, []string{"/api/v1/ratings"}},
		// Issue 14: the dashboard is read again after every event (target under 100 ms).
		{"dashboard, centre head (full)", admin, []string{"/api/v1/reports/dashboard"}},
		{"dashboard, clerk (compact)", clerk, []string{"/api/v1/reports/dashboard"}},
		{"compliance page", admin, []string{"/api/v1/reports/compliance"}},
	}
	for _, s := range screens {
		row, err := s.c.sample(s.what, s.path...)
		if err != nil {
			return res, err
		}
		// The report names the kind of value searched for, not a citizen.
		row.calls = strings.NewReplacer(url.QueryEscape(full.CitizenName), "姓名", url.QueryEscape(full.IDNumber), "身份证号码").Replace(row.calls)
		res.rows = append(res.rows, row)
	}
	t = time.Now()
	if err := admin.do(http.MethodGet, "/api/v1/audit?limit=50&verify=full", nil, nil); err != nil {
		return res, err
	}
	walk := time.Since(t)
	fmt.Printf("audit, whole chain: %s\n", ms(walk))
	res.rows = append(res.rows, yearRow{what: "audit page asking for the whole chain (`verify=full`; the nightly job's walk)", calls: "/api/v1/audit?limit=50&verify=full",
		first: walk, med: walk})
	t = time.Now()
	if err := admin.do(http.MethodPost, "/api/v1/jobs/backup/run", nil, nil); err != nil {
		return res, err
	}
	backup := time.Since(t)
	fmt.Printf("nightly backup: %s\n", ms(backup))
	res.rows = append(res.rows, yearRow{what: "nightly backup (`POST /api/v1/jobs/backup/run`)", calls: "VACUUM INTO, integrity check, keep 14", first: backup, med: backup, target: backupTarget})
	return res, nil
}

func (y yearResult) markdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("## A year of a large centre\n\n")
	w("Measured %s.\n\n", time.Now().Format("2006-01-02"))
	w("`budayang seed --scale year` (package `backend/seed`) fills a data directory set up for eight windows with\n")
	w("500,000 tickets over 250 working days, 100,000 cases with their materials and history, 200,000 ratings\n")
	w("(bad ones with rectifications), 50,000 bookings and 2,000,000 audit lines, personal fields sealed and the\n")
	w("audit chain signed with the directory's own key; the clock is fixed at %s (`BUDAYANG_CLOCK`),\n", yearClock)
	w("so the data is the same on every run (its shape: [seed.md](seed.md)). It is seeded once into `build/bench/year/seeded`\n")
	w("and copied for each run.\n")
	if y.seedTime > 0 {
		w("This run seeded it in %s.\n", y.seedTime.Round(time.Second))
	} else {
		w("This run used the cached seed.\n")
	}
	w("Database file: %.0f MB.\n\n", float64(y.dbBytes)/1e6)
	w("The real `budayang serve` on loopback; the clerk `clerk01` signs in. Start-up:\n\n")
	w("| step | time | target |\n|---|---|---|\n")
	for _, r := range y.startRows {
		tgt := ""
		if r.target > 0 {
			tgt = "< " + ms(r.target) + " " + verdict(r.first, r.target)
		}
		w("| %s | %s | %s |\n", r.what, ms(r.first), tgt)
	}
	w("\nEach screen's API calls, made at once as the view makes them, %d times: the first answer (caches cold)\n", screenSamples)
	w("and the median. The queue view is mid-morning with 100 tickets issued today.\n\n")
	w("| screen | API calls | first | median | target |\n|---|---|---|---|---|\n")
	for _, r := range y.rows {
		tgt := "—"
		if r.target > 0 {
			tgt = "< " + ms(r.target) + " " + verdict(r.med, r.target)
		}
		w("| %s | `%s` | %s | %s | %s |\n", r.what, r.calls, ms(r.first), ms(r.med), tgt)
	}
	w("%s", yearNotes)
	return b.String()
}

func verdict(d, target time.Duration) string {
	if d < target {
		return "✓"
	}
	return "✗"
}

// replaceSection puts body (starting with its "## " heading) into the
// Markdown file at path in place of the section with the same heading, or
// at the end.
func replaceSection(path, body string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	heading, _, _ := strings.Cut(body, "\n")
	lines := strings.SplitAfter(string(old), "\n")
	var out []string
	skip := false
	done := false
	for _, l := range lines {
		if strings.HasPrefix(l, "## ") {
			skip = strings.TrimSpace(l) == heading
			if skip && !done {
				out = append(out, body)
				done = true
			}
		}
		if !skip {
			out = append(out, l)
		}
	}
	if !done {
		out = append(out, "\n", body)
	}
	return os.WriteFile(path, []byte(strings.Join(slices.Clip(out), "")), 0o644)
}

// yearNotes records what the first measurement of the year found and what
// was changed (the large-centre issue), with the figures before the change
// on the same machine, so a regression is seen against them.
const yearNotes = `
What the first run found, and the figures before the change (same data, same machine, 2026-11-30):

- *Start-up* 2.8 s (over the 2 s target): Open ran ` + "`PRAGMA quick_check`" + `, which reads every page of the 1.4 GB
  file (1.5–2.8 s here). A file over 256 MB now gets the header and schema checks; the nightly backup
  reads every page and checks its copy. Start-up also looked for the first entry of the keyed audit chain
  and for rows still to seal by reading the 2,000,000 audit lines and every ticket, booking and rating
  (0.5 s); each of those searches now has a partial index holding only what it looks for. Now about 0.1 s.
- *Cases list* 253 ms: every case read its materials with a query of its own (200 queries a page) and
  the newest-first page sorted all 100,000 cases. Materials now come in one query per list, the page from
  the index ` + "`case_created`" + `. Now 4 ms.
- *Case search by ID number* 37 ms: ` + "`id_index = ?`" + ` could not use the partial index ` + "`case_id_index`" + ` (the
  planner cannot prove a bound value is not ''), so every case was read; the query now says ` + "`id_index <> ''`" + `.
  Now under 1 ms. *Search by name* did not exist; it now goes through a keyed hash of the whole name
  (` + "`name_index`" + `, migration 0010), like the ID number.
- *Audit page* 6.6 s on the first visit after a start: verification began again from the first of the
  2,000,000 lines. A verification now leaves a checkpoint signed with the audit key (` + "`audit.verified`" + `
  beside the head file) and the first one after a start continues from it; the nightly job still walks
  the whole chain (the row above). Now 3 ms.
- *Working-day questions* loaded the calendar's settings, arrangements, extended hours and closures on
  every call (881 µs each, ` + "`BenchmarkService_NextWorkday`" + `); the rules are now kept until a calendar change
  commits (0.4 µs).
- *Nightly backup* 6.9 s, within its target, unchanged.
`
