package countysync_test

import (
	"bytes"
	"context"
	"database/sql"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"budayang/backend/cli"
	"budayang/backend/clock"
	"budayang/backend/county"
	"budayang/backend/hall"
	"budayang/backend/store"
)

// countyChildEnv carries, one a line, the arguments a re-executed test
// binary runs `budayang` with.
const countyChildEnv = "BUDAYANG_TEST_CLI_CHILD"

// lockedBuffer is an output the child writes while the test reads.
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

// countyProcess runs `budayang county serve` as a process of its own: the
// binary in BUDAYANG_BIN when set, otherwise this test binary through the
// same cli.Main.
func countyProcess(t *testing.T, dir, addr string) *exec.Cmd {
	t.Helper()
	args := []string{"county", "serve", "--data", dir, "--addr", addr}
	var cmd *exec.Cmd
	if bin := os.Getenv("BUDAYANG_BIN"); bin != "" {
		cmd = exec.Command(bin, args...)
	} else {
		cmd = exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), countyChildEnv+"="+strings.Join(args, "\n"))
	}
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitFor(t, 10*time.Second, "county serve starts", func() bool { return strings.Contains(out.String(), "县平台已启动") })
	return cmd
}

// runCLI runs one `budayang` command in this process and returns stdout.
func runCLI(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	env := cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
		if k == "BUDAYANG_ADMIN_PASSWORD" {
			return "county-pass-1"
		}
		return ""
	}}
	if code := cli.Main(context.Background(), args, env); code != 0 {
		t.Fatalf("budayang %s: %s", strings.Join(args, " "), errOut.String())
	}
	return out.String()
}

// TestPush_CountyProcessKilledMidIngestThenRestarted: the county process
// is killed with SIGKILL while a backlog of many batches is being applied,
// then started again; the site's retries complete the backlog and the
// county holds exactly the site's records, each change once.
func TestPush_CountyProcessKilledMidIngestThenRestarted(t *testing.T) {
	ctx := context.Background()
	cdir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	runCLI(t, "county", "init", "--data", cdir)
	lines := strings.Split(strings.TrimSpace(runCLI(t, "county", "code", "--data", cdir, "--site", "青山镇", "--kind", "town", "--addr", addr)), "\n")
	code := lines[len(lines)-1]

	child := countyProcess(t, cdir, addr)
	s := newSite(t)
	if s.cfg, err = s.sync.Enroll(ctx, "https://"+addr, code); err != nil {
		t.Fatal(err)
	}
	s.sync.Batch = 250
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < 3000; i++ {
			id := "t-" + strconv.Itoa(i%900)
			if err := tx.Outbox(ctx, "ticket.issue", id, map[string]any{"change": i, "pad": strings.Repeat("字", 100)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := s.expected(t)

	db, err := sql.Open("sqlite3", "file:"+filepath.Join(cdir, county.FileName)+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	applied := func() (n int) {
		_ = db.QueryRow(`SELECT count(*) FROM record_history`).Scan(&n)
		return n
	}
	pushed := make(chan error, 1)
	go func() { pushed <- s.sync.Push(ctx) }()
	waitFor(t, 15*time.Second, "the county applies the first batch", func() bool { return applied() > 0 })
	if err := child.Process.Kill(); err != nil { // SIGKILL, mid-ingest
		t.Fatal(err)
	}
	_ = child.Wait()
	if err := <-pushed; err == nil {
		t.Fatal("the push reported success though the county was killed during it")
	}
	got := applied()
	db.Close()
	if got == 0 || got >= 3000 || got%250 != 0 {
		t.Fatalf("the killed county holds %d changes: want whole batches, not all", got)
	}
	t.Logf("killed with %d of 3000 changes applied, %d pending at the site", got, s.pending(t))

	child = countyProcess(t, cdir, addr)
	if err := s.sync.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	st, err := county.OpenSQLite(ctx, filepath.Join(cdir, county.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &countyUnderTest{store: st, dir: cdir, svc: &county.Service{Store: st, Clock: clock.System{}}}
	assertCountyHolds(t, c, s, want, 3000)
}

// TestPush_CountyProcessRestoredFromABackup is the restore with the real
// process: an online copy of the county's database while it serves, more
// pushes, the process stopped, the copy put back, the process started
// again; the site's next push finds the gap and fills it.
func TestPush_CountyProcessRestoredFromABackup(t *testing.T) {
	ctx := context.Background()
	cdir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	runCLI(t, "county", "init", "--data", cdir)
	lines := strings.Split(strings.TrimSpace(runCLI(t, "county", "code", "--data", cdir, "--site", "青山镇", "--kind", "town", "--addr", addr)), "\n")
	child := countyProcess(t, cdir, addr)
	s := newSite(t)
	if s.cfg, err = s.sync.Enroll(ctx, "https://"+addr, lines[len(lines)-1]); err != nil {
		t.Fatal(err)
	}
	changes := map[string][]int{}
	next := 0
	push := func(n int) {
		t.Helper()
		err := s.db.Write(ctx, func(tx *store.Tx) error {
			for i := 0; i < n; i++ {
				id := "t-" + strconv.Itoa(next%40)
				if err := tx.Outbox(ctx, "ticket.issue", id, map[string]any{"change": next}); err != nil {
					return err
				}
				changes["ticket/"+id] = append(changes["ticket/"+id], next)
				next++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.sync.Push(ctx); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(cdir, county.FileName)
	backup := filepath.Join(t.TempDir(), "county-backup.db")

	push(120)
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`VACUUM INTO ?`, backup); err != nil {
		t.Fatal(err)
	}
	db.Close()
	push(200)
	child.Process.Kill()
	_ = child.Wait()
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	copyFile(t, backup, path)
	child = countyProcess(t, cdir, addr)
	push(15)
	child.Process.Kill()
	_ = child.Wait()

	st, err := county.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &countyUnderTest{store: st, dir: cdir, svc: &county.Service{Store: st, Clock: clock.System{}}}
	want := map[string]int{}
	for k, ch := range changes {
		want[k] = ch[len(ch)-1]
	}
	assertCountyHolds(t, c, s, want, 335)
	assertHistoryInOrder(t, c, s.cfg.SiteID, changes)
}

// TestPush_CountyProcessOnAnotherCertificateRefused: the county process
// comes back on a new key at the same address. The site refuses it with a
// sentence naming both fingerprints, in its status too, keeps its rows, and
// the county audits the refusal.
func TestPush_CountyProcessOnAnotherCertificateRefused(t *testing.T) {
	ctx := context.Background()
	cdir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	runCLI(t, "county", "init", "--data", cdir)
	lines := strings.Split(strings.TrimSpace(runCLI(t, "county", "code", "--data", cdir, "--site", "青山镇", "--kind", "town", "--addr", addr)), "\n")
	pinned, err := hall.LoadIdentity(cdir)
	if err != nil {
		t.Fatal(err)
	}
	child := countyProcess(t, cdir, addr)
	s := newSite(t)
	if s.cfg, err = s.sync.Enroll(ctx, "https://"+addr, lines[len(lines)-1]); err != nil {
		t.Fatal(err)
	}
	child.Process.Kill()
	_ = child.Wait()
	for _, f := range []string{hall.CertFile, hall.KeyFile} {
		if err := os.Remove(filepath.Join(cdir, f)); err != nil {
			t.Fatal(err)
		}
	}
	child = countyProcess(t, cdir, addr)
	other, err := hall.LoadIdentity(cdir)
	if err != nil {
		t.Fatal(err)
	}
	s.write(t, 3, 3)
	err = s.sync.Push(ctx)
	st, serr := s.sync.Status(ctx)
	if err == nil || serr != nil || st.Online || st.Pending != 3 {
		t.Fatalf("push to the county on another key: %v; status %+v %v", err, st, serr)
	}
	for _, fp := range [][]byte{pinned.Fingerprint, other.Fingerprint} {
		short := county.ShortFingerprint(fp)
		if !strings.Contains(err.Error(), short) || !strings.Contains(st.LastError, short) {
			t.Errorf("refusal %q / last_error %q does not name %s", err, st.LastError, short)
		}
	}
	cs, err := county.OpenSQLite(ctx, filepath.Join(cdir, county.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	// The county process writes it as the handshake fails on its side.
	waitFor(t, 5*time.Second, "the county audits the refused certificate", func() bool {
		log, err := cs.AuditLog(ctx, 1)
		return err == nil && len(log) == 1 && log[0].Event == "tls_refused" && log[0].Remote == "127.0.0.1"
	})
}
