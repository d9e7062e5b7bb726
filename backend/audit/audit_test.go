package audit_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

func record(t testing.TB, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		err := db.Write(ctx, func(tx *store.Tx) error {
			return audit.Record(ctx, tx, audit.Actor{Login: "clerk1", Workstation: "窗口1"}, "ticket.call", "A00"+string(rune('1'+i%9)), "")
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// site is a data directory whose database and audit log can be closed and
// opened again, as across a restart.
type site struct {
	t   *testing.T
	dir string
	clk *clock.Fixed
	db  *store.DB
	log *audit.Log
}

func openSite(t *testing.T) *site {
	s := &site{t: t, dir: t.TempDir(), clk: clock.NewFixed(storetest.Epoch)}
	s.open(audit.Options{})
	t.Cleanup(s.close)
	return s
}

func (s *site) open(opts audit.Options) {
	s.t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(s.dir, store.FileName), s.clk)
	if err != nil {
		s.t.Fatal(err)
	}
	log, err := audit.Open(ctx, db, storetest.AuditKey, opts)
	if err != nil {
		db.Close()
		s.t.Fatal(err)
	}
	s.db, s.log = db, log
}

func (s *site) close() {
	if s.db == nil {
		return
	}
	if err := s.log.Close(context.Background()); err != nil {
		s.t.Error(err)
	}
	if err := s.db.Close(); err != nil {
		s.t.Error(err)
	}
	s.db, s.log = nil, nil
}

func (s *site) reopen(opts audit.Options) {
	s.t.Helper()
	s.close()
	s.open(opts)
}

// tamper edits the file behind the application's back, as someone with the
// database file would: without the triggers.
func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range append([]string{"DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"}, stmts...) {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// plainHash is the unkeyed SHA-256 of the chain before it was keyed: what
// someone without the key can compute.
func plainHash(prev, at, actor, action, target, detail, ws string) string {
	h := sha256.New()
	for _, f := range []string{prev, at, actor, action, target, detail, ws} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rehash recomputes with plain SHA-256 every entry from seq on, as someone
// who edited an entry and repaired the chain after it would.
func rehash(t *testing.T, path string, from int64) {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var prev string
	if err := raw.QueryRow(`SELECT prev_hash FROM audit_log WHERE seq = ?`, from).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	rows, err := raw.Query(`SELECT seq, at, actor, action, target, detail, workstation FROM audit_log WHERE seq >= ? ORDER BY seq`, from)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		seq                                         int64
		at, actor, action, target, detail, ws, hash string
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.seq, &r.at, &r.actor, &r.action, &r.target, &r.detail, &r.ws); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	rows.Close()
	for _, r := range all {
		h := plainHash(prev, r.at, r.actor, r.action, r.target, r.detail, r.ws)
		if _, err := raw.Exec(`UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?`, prev, h, r.seq); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
}

func TestLog_Verify(t *testing.T) {
	tests := []struct {
		name     string
		tamper   []string
		rehash   int64
		brokenAt int64
		cut      bool
	}{
		{name: "Intact"},
		{name: "EditedEntry", tamper: []string{`UPDATE audit_log SET actor = 'someone' WHERE seq = 3`}, brokenAt: 3},
		{name: "DeletedEntry", tamper: []string{`DELETE FROM audit_log WHERE seq = 2`}, brokenAt: 3},
		{name: "DeletedFirstEntry", tamper: []string{`DELETE FROM audit_log WHERE seq = 1`}, brokenAt: 2},
		{name: "RehashedEdit", tamper: []string{`UPDATE audit_log SET detail = 'x' WHERE seq = 4`}, rehash: 4, brokenAt: 4, cut: true},
		{name: "RehashedEditOfNewest", tamper: []string{`UPDATE audit_log SET target = 'B001' WHERE seq = 5`}, rehash: 5, brokenAt: 5, cut: true},
		{name: "CutNewest", tamper: []string{`DELETE FROM audit_log WHERE seq >= 4`}, cut: true},
		{name: "CutNewestAndSequence", tamper: []string{`DELETE FROM audit_log WHERE seq >= 4`, `UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_log'`}, cut: true},
	}
	for _, restart := range []bool{false, true} {
		for _, tt := range tests {
			name := tt.name
			if restart {
				name += "/AfterRestart"
			}
			t.Run(name, func(t *testing.T) {
				s := openSite(t)
				record(t, s.db, 5)
				if restart {
					s.close()
				}
				path := filepath.Join(s.dir, store.FileName)
				if len(tt.tamper) > 0 {
					tamper(t, path, tt.tamper...)
				}
				if tt.rehash > 0 {
					rehash(t, path, tt.rehash)
				}
				if restart {
					s.open(audit.Options{})
				}
				st, err := s.log.Verify(context.Background(), false)
				if err != nil {
					t.Fatal(err)
				}
				var got int64
				if st.BrokenAt != nil {
					got = *st.BrokenAt
				}
				if got != tt.brokenAt || st.Cut != tt.cut || st.OK != (tt.brokenAt == 0 && !tt.cut) {
					t.Errorf("got broken at %d, cut %v, ok %v (%s); want broken at %d, cut %v", got, st.Cut, st.OK, st.Message, tt.brokenAt, tt.cut)
				}
				if !st.OK && !strings.Contains(st.Message, "审计") {
					t.Errorf("message %q does not say what is wrong", st.Message)
				}
			})
		}
	}
}

func TestLog_CutStaysReported(t *testing.T) {
	s := openSite(t)
	record(t, s.db, 5)
	tamper(t, filepath.Join(s.dir, store.FileName), `DELETE FROM audit_log WHERE seq >= 4`)
	// Entries written after the cut must not move the head past it: the
	// cut is still reported after a restart.
	record(t, s.db, 3)
	s.reopen(audit.Options{})
	st, err := s.log.Verify(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Cut || st.OK || st.HeadSeq != 5 {
		t.Errorf("got %+v, want the cut at head 5 reported", st)
	}
}

func TestLog_HeadBehindCatchesUp(t *testing.T) {
	s := openSite(t)
	record(t, s.db, 5)
	if err := s.log.Flush(); err != nil {
		t.Fatal(err)
	}
	headPath := filepath.Join(s.dir, audit.HeadFileName)
	old, err := os.ReadFile(headPath)
	if err != nil {
		t.Fatal(err)
	}
	record(t, s.db, 2)
	s.close()
	// A crash after the commit, before the head was written.
	if err := os.WriteFile(headPath, old, 0o600); err != nil {
		t.Fatal(err)
	}
	s.open(audit.Options{})
	st, err := s.log.Verify(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if !st.OK || st.HeadSeq != 7 || st.TailSeq != 7 {
		t.Errorf("got %+v, want intact with the head caught up to 7", st)
	}
	if info, err := os.Stat(headPath); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("head file: %v, mode %v; want 0600", err, info.Mode().Perm())
	}
}

func TestLog_HeadFile(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(t *testing.T, path string)
		cut   bool
		entry string
	}{
		{"Missing", func(t *testing.T, path string) { os.Remove(path) }, false, audit.ActionHeadMissing},
		{"Forged", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(`{"seq":3,"hash":"abc","mac":"def"}`), 0o600)
		}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openSite(t)
			record(t, s.db, 5)
			s.close()
			tt.edit(t, filepath.Join(s.dir, audit.HeadFileName))
			s.open(audit.Options{})
			st, err := s.log.Verify(context.Background(), false)
			if err != nil {
				t.Fatal(err)
			}
			if st.Cut != tt.cut {
				t.Errorf("cut: got %v (%s), want %v", st.Cut, st.Message, tt.cut)
			}
			if tt.entry != "" {
				newest, _ := s.log.List(context.Background(), 0, 1)
				if len(newest) != 1 || newest[0].Action != tt.entry {
					t.Errorf("newest entry: got %+v, want %s", newest, tt.entry)
				}
			}
		})
	}
}

func TestLog_RestoreRewinds(t *testing.T) {
	s := openSite(t)
	ctx := context.Background()
	record(t, s.db, 3)
	backup := filepath.Join(t.TempDir(), "b.db")
	if _, err := s.db.BackupTo(ctx, backup); err != nil {
		t.Fatal(err)
	}
	record(t, s.db, 4)
	s.close()
	if _, err := store.Restore(ctx, s.dir, backup, storetest.Epoch); err != nil {
		t.Fatal(err)
	}
	s.open(audit.Options{RestoredFrom: backup})
	st, err := s.log.Verify(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !st.OK || st.TailSeq != 4 {
		t.Errorf("got %+v, want intact with 4 entries", st)
	}
	newest, _ := s.log.List(ctx, 0, 1)
	if len(newest) != 1 || newest[0].Action != audit.ActionRestore || newest[0].Target != "b.db" || !strings.Contains(newest[0].Detail, "head was 7") {
		t.Errorf("newest entry: got %+v, want the restore from b.db recorded", newest)
	}
}

func TestLog_UnkeyedDatabaseIsRekeyed(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	path := filepath.Join(dir, store.FileName)
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Three entries as a build before the keyed chain wrote them.
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	prev := strings.Repeat("0", 64)
	for i, action := range []string{"site.setup", "staff.login", "ticket.issue"} {
		at := store.FormatTime(storetest.Epoch.Add(time.Duration(i) * time.Minute))
		h := plainHash(prev, at, "admin", action, "", "", "")
		if _, err := raw.Exec(`INSERT INTO audit_log (id, at, actor, action, prev_hash, hash) VALUES (?,?,?,?,?,?)`, store.NewID(), at, "admin", action, prev, h); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
	raw.Close()

	s := &site{t: t, dir: dir, clk: clock.NewFixed(storetest.Epoch)}
	s.open(audit.Options{})
	t.Cleanup(s.close)
	record(t, s.db, 2)
	st, err := s.log.Verify(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if !st.OK || st.TailSeq != 6 {
		t.Fatalf("got %+v, want 3 old entries, the rekey and 2 keyed ones, intact", st)
	}
	entries, _ := s.log.List(ctx, 0, 10)
	if entries[2].Seq != 4 || entries[2].Action != audit.ActionRekey {
		t.Errorf("entry 4: got %+v, want %s", entries[2], audit.ActionRekey)
	}
	// Entries after the rekey are keyed: one re-hashed without the key is
	// caught, however the old ones are hashed.
	s.close()
	tamper(t, path, `UPDATE audit_log SET actor = 'x' WHERE seq = 5`)
	rehash(t, path, 5)
	s.open(audit.Options{})
	st, err = s.log.Verify(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if st.BrokenAt == nil || *st.BrokenAt != 5 {
		t.Errorf("got %+v, want broken at 5", st)
	}
}

func TestLog_VerifyIsIncremental(t *testing.T) {
	s := openSite(t)
	ctx := context.Background()
	record(t, s.db, 300)
	first, err := s.log.Verify(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	record(t, s.db, 3)
	next, err := s.log.Verify(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.log.Verify(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	full, err := s.log.Verify(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name          string
		st            audit.Status
		checked       int64
		full, through bool
	}{
		{"First", first, 300, true, true},
		{"AfterThreeMore", next, 3, false, true},
		{"NothingNew", again, 0, false, true},
		{"Full", full, 303, true, true},
	} {
		if c.st.Checked != c.checked || c.st.Full != c.full || !c.st.OK {
			t.Errorf("%s: got %+v, want %d entries read, full %v", c.name, c.st, c.checked, c.full)
		}
	}
	// An entry already verified that is edited is found by the full walk.
	tamper(t, s.db.Path(), `UPDATE audit_log SET detail = 'x' WHERE seq = 120`)
	full, err = s.log.Verify(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if full.BrokenAt == nil || *full.BrokenAt != 120 {
		t.Errorf("full walk after an edit: got %+v, want broken at 120", full)
	}
}

func TestRecord_BoundsFields(t *testing.T) {
	db, _ := storetest.MustOpen(t)
	ctx := context.Background()
	huge := strings.Repeat("名", 1<<20)
	err := db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, audit.Actor{Login: huge, Workstation: huge}, "staff.update", huge, huge)
	})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := audit.New(db).List(ctx, 0, 1)
	for _, f := range []struct {
		name, got string
		max       int
	}{
		{"actor", e[0].Actor, audit.MaxActor},
		{"workstation", e[0].Workstation, audit.MaxWorkstation},
		{"target", e[0].Target, audit.MaxTarget},
		{"detail", e[0].Detail, audit.MaxDetail},
	} {
		if n := len([]rune(f.got)); n > f.max+16 || !strings.HasPrefix(f.got, strings.Repeat("名", f.max)+"…[+") {
			t.Errorf("%s: %d characters (%.20q…), want %d and a mark", f.name, n, f.got, f.max)
		}
	}
	st, err := audit.New(db).Verify(ctx, false)
	if err != nil || !st.OK {
		t.Errorf("verify: %+v, %v", st, err)
	}
}

func auditBytes(t *testing.T, db *store.DB) int64 {
	t.Helper()
	var n int64
	err := db.Read().QueryRow(`SELECT COALESCE(SUM(length(CAST(id||at||actor||action||target||detail||workstation||prev_hash||hash AS BLOB))), 0) FROM audit_log`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUnknownUser_FloodIsBounded(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	ctx := context.Background()
	name := strings.Repeat("x", 1<<20)
	fail := func(ws string) {
		err := db.Write(ctx, func(tx *store.Tx) error {
			return audit.UnknownUser(ctx, tx, audit.Actor{Login: name, Workstation: ws}, name)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	before := auditBytes(t, db)
	for i := 0; i < 500; i++ {
		fail(name + "@192.168.1.66")
		if i%100 == 99 {
			clk.Advance(10 * time.Second)
		}
	}
	if grew := auditBytes(t, db) - before; grew > 10_000 {
		t.Errorf("500 failed logins with 1 MB names from one address in one minute added %d bytes, want < 10 KB", grew)
	}
	entries, _ := audit.New(db).List(ctx, 0, 10)
	if len(entries) != 1 || entries[0].Action != audit.ActionLoginFailed {
		t.Fatalf("got %d entries, want the first failure only: %+v", len(entries), entries)
	}
	// The next minute's first failure records the count of the last one.
	clk.Advance(time.Minute)
	fail("kiosk@192.168.1.66")
	entries, _ = audit.New(db).List(ctx, 0, 10)
	if len(entries) != 3 || !strings.Contains(entries[1].Detail, "499 more attempts from 192.168.1.66") || entries[0].Workstation != "kiosk@192.168.1.66" {
		t.Errorf("got %+v, want the summary of 499 then the new failure", entries)
	}
}

func BenchmarkLog_VerifyAfterOneEntry(b *testing.B) {
	db, _ := storetest.MustOpen(b)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < 200_000; i++ {
			if err := audit.Record(ctx, tx, audit.Actor{Login: "clerk1", Workstation: "窗口1"}, "ticket.call", "A001", ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	log := audit.New(db)
	if _, err := log.Verify(ctx, true); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		record(b, db, 1)
		st, err := log.Verify(ctx, false)
		if err != nil || !st.OK || st.Checked != 1 {
			b.Fatalf("got %+v, %v", st, err)
		}
	}
}
