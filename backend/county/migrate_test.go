package county

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// A county database written before history was keyed by entry keeps every
// record, every version and every delivery proof after the upgrade.
func TestOpenSQLite_UpgradeKeepsHistoryAndDeliveries(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	old, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"migrations/0001_county.sql", "migrations/0002_datasets.sql"} {
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if _, err := old.Exec(`PRAGMA user_version = 2;
		INSERT INTO site (id, name, kind, created_at, held) VALUES ('s1', '青山镇', 'town', '2026-11-30T00:00:00Z', 2);
		INSERT INTO applied VALUES ('s1', 'e1', 1), ('s1', 'e2', 2);
		INSERT INTO record VALUES ('s1', 'ticket', 't1', 2, '2026-11-30T08:01:00Z', '{"v":2}');
		INSERT INTO record_history VALUES ('s1', 'ticket', 't1', 1, 'e1', 1, 'issue', '2026-11-30T08:00:00Z', '{"v":1}'),
			('s1', 'ticket', 't1', 2, 'e2', 2, 'call', '2026-11-30T08:01:00Z', '{"v":2}');`); err != nil {
		t.Fatal(err)
	}
	old.Close()

	st, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	missing, err := st.Missing(ctx, "s1", []string{"e1", "e2", "e3"})
	if err != nil || len(missing) != 1 || missing[0] != "e3" {
		t.Fatalf("Missing after the upgrade = %v, %v; want [e3]", missing, err)
	}
	reply, err := st.Apply(ctx, "s1", PushRequest{Entries: []Entry{
		{Seq: 2, ID: "e2", Kind: "ticket.call", EntityID: "t1", Payload: `{"v":2}`, CreatedAt: "2026-11-30T08:01:00Z"},
		{Seq: 3, ID: "e3", Kind: "ticket.finish", EntityID: "t1", Payload: `{"v":3}`, CreatedAt: "2026-11-30T08:02:00Z"},
	}}, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	if err != nil || reply.Held != 3 {
		t.Fatalf("Apply after the upgrade: held %d, %v; want 3 (e2 was delivered before)", reply.Held, err)
	}
	recs, _, err := st.Records(ctx, "s1", "ticket", "", 10)
	if err != nil || len(recs) != 1 || recs[0].Version != 3 {
		t.Fatalf("records after the upgrade = %+v, %v; want t1 at version 3", recs, err)
	}
}
