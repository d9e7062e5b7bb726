package audit_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"budayang/backend/audit"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

func record(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		err := db.Write(ctx, func(tx *store.Tx) error {
			return audit.Record(ctx, tx, audit.Actor{Login: "clerk1", Workstation: "窗口1"}, "ticket.call", "A00"+string(rune('1'+i)), "")
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// tamper edits the file behind the application's back, as someone with the
// database file would: without the triggers.
func tamper(t *testing.T, db *store.DB, stmt string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete", stmt} {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestLog_Verify(t *testing.T) {
	tests := []struct {
		name   string
		tamper string
		want   int64
	}{
		{"Intact", "", 0},
		{"EditedEntry", `UPDATE audit_log SET actor = 'someone' WHERE seq = 3`, 3},
		{"DeletedEntry", `DELETE FROM audit_log WHERE seq = 2`, 3},
		{"DeletedFirstEntry", `DELETE FROM audit_log WHERE seq = 1`, 2},
		{"RehashedEdit", `UPDATE audit_log SET detail = 'x', hash = 'abc' WHERE seq = 4`, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := storetest.MustOpen(t)
			record(t, db, 5)
			if tt.tamper != "" {
				tamper(t, db, tt.tamper)
			}
			got, err := audit.New(db).Verify(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("broken at: got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestLog_List(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	record(t, db, 3)
	clk.Advance(time.Minute)
	log := audit.New(db)
	ctx := context.Background()
	all, err := log.List(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].Seq != 3 || all[2].Seq != 1 {
		t.Fatalf("got %+v, want seq 3,2,1", all)
	}
	if all[0].Actor != "clerk1" || all[0].Workstation != "窗口1" || all[0].At != store.FormatTime(storetest.Epoch) {
		t.Errorf("got %+v", all[0])
	}
	page, err := log.List(ctx, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 1 || page[0].Seq != 1 {
		t.Errorf("before 2: got %+v, want seq 1", page)
	}
}
