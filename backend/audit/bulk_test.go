package audit_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"budayang/backend/audit"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

func appendLines(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	lines := make([]audit.Line, n)
	for i := range lines {
		lines[i] = audit.Line{At: store.FormatTime(storetest.Epoch.Add(-time.Duration(n-i) * time.Minute)),
			Who: audit.Actor{Login: "clerk01", Workstation: "1号窗口"}, Action: "ticket.call", Target: fmt.Sprintf("A%03d", i%1000)}
	}
	if err := db.Write(ctx, func(tx *store.Tx) error { return audit.Append(ctx, tx, lines) }); err != nil {
		t.Fatal(err)
	}
}

func TestAppend_ChainsLikeRecord(t *testing.T) {
	s := openSite(t)
	ctx := context.Background()
	record(t, s.db, 2)
	appendLines(t, s.db, 500)
	record(t, s.db, 2)
	st, err := s.log.Verify(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if !st.OK || st.Checked != 504 || st.HeadSeq != 504 {
		t.Fatalf("after append: %+v, want 504 entries intact with the head at the newest", st)
	}
	// The head file followed the appended lines: a restart finds no cut.
	s.reopen(audit.Options{})
	if st, err = s.log.Verify(ctx, true); err != nil || !st.OK {
		t.Fatalf("after restart: %+v, %v", st, err)
	}
}

func TestLog_VerifyResumesAfterRestart(t *testing.T) {
	tests := []struct {
		name    string
		damage  func(t *testing.T, s *site)
		checked int64
		full    bool
		ok      bool
	}{
		{name: "FromCheckpoint", damage: func(*testing.T, *site) {}, checked: 2, ok: true},
		{name: "CheckpointMissing", damage: func(t *testing.T, s *site) {
			if err := os.Remove(filepath.Join(s.dir, audit.VerifiedFileName)); err != nil {
				t.Fatal(err)
			}
		}, checked: 302, full: true, ok: true},
		{name: "CheckpointForged", damage: func(t *testing.T, s *site) {
			// Moved back to entry 1 without the key: the MAC no longer matches.
			path := filepath.Join(s.dir, audit.VerifiedFileName)
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			forged := []byte(`{"seq":1,` + string(raw[len(`{"seq":300,`):]))
			if err := os.WriteFile(path, forged, 0o600); err != nil {
				t.Fatal(err)
			}
		}, checked: 302, full: true, ok: true},
		{name: "CheckpointEntryEdited", damage: func(t *testing.T, s *site) {
			tamper(t, filepath.Join(s.dir, store.FileName), `UPDATE audit_log SET hash = 'x' WHERE seq = 300`)
		}, checked: 300, full: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openSite(t)
			ctx := context.Background()
			record(t, s.db, 300)
			if st, err := s.log.Verify(ctx, false); err != nil || !st.OK {
				t.Fatalf("first verification: %+v, %v", st, err)
			}
			s.close()
			tt.damage(t, s)
			s.open(audit.Options{})
			record(t, s.db, 2)
			st, err := s.log.Verify(ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			if st.Checked != tt.checked || st.Full != tt.full || st.OK != tt.ok {
				t.Errorf("got %d entries read, full %v, ok %v (%s); want %d, full %v, ok %v", st.Checked, st.Full, st.OK, st.Message, tt.checked, tt.full, tt.ok)
			}
		})
	}
}
