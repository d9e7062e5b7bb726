package queue

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/secret"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

// Issuing reads the lines from memory; every change to them must show at the
// next issue, and a line saved by a write that rolled back must never appear.
func TestIssue_SeesLineChanges(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	sealer, err := secret.New(secret.MemoryStore{Key: bytes.Repeat([]byte{7}, secret.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	s := NewService(db, clk, nil, nil, sealer)
	ctx := context.Background()
	err = db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO site (id, name, kind, population, created_at, updated_at) VALUES ('s1','测试镇','town',42000,'t','t')`); err != nil {
			return err
		}
		return s.SeedTx(ctx, tx, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	kiosk := audit.Actor{Login: "kiosk"}
	save := func(l Line) {
		t.Helper()
		if err := db.Write(ctx, func(tx *store.Tx) error { _, err := s.saveLineTx(ctx, tx, audit.System, l); return err }); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name   string
		change func()
		line   string
		want   string
	}{
		{"SeededLine", func() {}, "A", ""},
		{"NewLine", func() { save(Line{Prefix: "B", Name: "社保医保", Opens: "08:30", Closes: "17:30", Active: true}) }, "B", ""},
		{"StoppedInTheSameTransaction", func() {
			// What a group commit does when a line is saved and a ticket
			// issued one after the other.
			err := db.Write(ctx, func(tx *store.Tx) error {
				if _, err := s.saveLineTx(ctx, tx, audit.System, Line{Prefix: "B", Name: "社保医保", Opens: "08:30", Closes: "17:30", Active: false}); err != nil {
					return err
				}
				_, err := s.IssueTx(ctx, tx, kiosk, IssueRequest{Line: "B"})
				return err
			})
			if apperr.Code(err) != apperr.Conflict {
				t.Fatalf("issue on a line stopped earlier in the transaction: got %v, want conflict", err)
			}
		}, "B", ""},
		{"StoppedLine", func() { save(Line{Prefix: "A", Name: "综合受理", Opens: "08:30", Closes: "17:30", Active: false}) }, "A", apperr.Conflict},
		{"RolledBackLine", func() {
			err := db.Write(ctx, func(tx *store.Tx) error {
				if _, err := s.saveLineTx(ctx, tx, audit.System, Line{Prefix: "C", Name: "不动产", Opens: "08:30", Closes: "17:30", Active: true}); err != nil {
					return err
				}
				if _, err := s.lineTx(ctx, tx, "C"); err != nil {
					return err
				}
				return errors.New("undo")
			})
			if err == nil {
				t.Fatal("the write should have failed")
			}
		}, "C", apperr.NotFound},
		{"HoursChanged", func() { save(Line{Prefix: "B", Name: "社保医保", Opens: "10:00", Closes: "17:30", Active: true}) }, "B", apperr.Conflict},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change()
			// Twice: the first issue may fill the lines, the second reads them.
			for i := 0; i < 2; i++ {
				_, err := s.Issue(ctx, kiosk, IssueRequest{Line: st.line})
				if err == nil && st.want != "" || err != nil && apperr.Code(err) != st.want {
					t.Fatalf("issue %d on %s: got %v, want %q", i+1, st.line, err, st.want)
				}
			}
		})
	}
}
