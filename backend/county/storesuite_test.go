package county_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/county"
	"budayang/backend/county/countytest"
	"budayang/backend/store/storetest"
)

// storeKind opens one implementation of county.Store for a test, with a
// second handle on the same database for reading what the Store interface
// does not show (the record history).
type storeKind struct {
	name string
	open func(t testing.TB) (county.Store, *sql.DB)
}

var storeKinds = []storeKind{
	{"sqlite", func(t testing.TB) (county.Store, *sql.DB) {
		path := filepath.Join(t.TempDir(), county.FileName)
		st, err := county.OpenSQLite(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st, rawDB(t, "sqlite3", "file:"+path+"?_busy_timeout=10000")
	}},
	{"postgres", func(t testing.TB) (county.Store, *sql.DB) {
		dsn := countytest.PostgresDSN(t)
		st, err := county.OpenPostgres(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st, rawDB(t, "pgx", dsn)
	}},
}

func rawDB(t testing.TB, driver, dsn string) *sql.DB {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// eachStore runs the specification fn against every Store implementation.
func eachStore(t *testing.T, fn func(t *testing.T, st county.Store, raw *sql.DB)) {
	for _, k := range storeKinds {
		t.Run(k.name, func(t *testing.T) {
			st, raw := k.open(t)
			fn(t, st, raw)
		})
	}
}

var now = storetest.Epoch

// enrolled registers and enrolls a site with credential cred.
func enrolled(t *testing.T, st county.Store, id string) county.Site {
	t.Helper()
	ctx := context.Background()
	if err := st.CreateSite(ctx, id, "站点"+id, "town", "code-"+id, now, now.Add(county.CodeTTL)); err != nil {
		t.Fatal(err)
	}
	site, err := st.Enroll(ctx, "code-"+id, []byte("cred-"+id), now)
	if err != nil {
		t.Fatal(err)
	}
	return site
}

func entry(seq int64, kind, entity, payload string) county.Entry {
	return county.Entry{Seq: seq, ID: fmt.Sprintf("e%d", seq), Kind: kind, EntityID: entity, Payload: payload, CreatedAt: stamp(now.Add(time.Duration(seq) * time.Second))}
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func wantCode(t *testing.T, err error, code, sentence string) {
	t.Helper()
	if apperr.Code(err) != code || !strings.Contains(apperr.Message(err), sentence) {
		t.Fatalf("error %v (%s), want %s with %q", err, apperr.Code(err), code, sentence)
	}
}

func TestStore_AdminAndSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		ctx := context.Background()
		if h, err := st.AdminHash(ctx, "admin"); err != nil || h != "" {
			t.Fatalf("no admin yet: %q %v", h, err)
		}
		for _, h := range []string{"hash-1", "hash-2"} {
			if err := st.SetAdmin(ctx, "admin", h); err != nil {
				t.Fatal(err)
			}
		}
		if h, err := st.AdminHash(ctx, "admin"); err != nil || h != "hash-2" {
			t.Fatalf("admin hash %q %v, want the last one set", h, err)
		}
		if err := st.AddSession(ctx, "tok", "admin", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, token string
			at          time.Time
			want        string
		}{
			{"a live session gives its login", "tok", now, "admin"},
			{"an expired session gives nothing", "tok", now.Add(time.Hour), ""},
			{"an unknown token gives nothing", "other", now, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got, err := st.Session(ctx, tc.token, tc.at); err != nil || got != tc.want {
					t.Fatalf("Session: %q %v, want %q", got, err, tc.want)
				}
			})
		}
	})
}

func TestStore_EnrolmentCredentialAndRevoke(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		ctx := context.Background()
		for _, id := range []string{"s1", "s2"} {
			if err := st.CreateSite(ctx, id, "青山镇"+id, "town", "code-"+id, now, now.Add(county.CodeTTL)); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.CreateSite(ctx, "s1", "重复", "town", "code-x", now, now.Add(county.CodeTTL)); err == nil {
			t.Fatal("a second site with the same id was created")
		}
		t.Run("an unenrolled site has no credential", func(t *testing.T) {
			_, _, err := st.Credential(ctx, "s1")
			wantCode(t, err, apperr.NotFound, "没有这个站点")
		})
		for _, tc := range []struct {
			name, code string
			at         time.Time
			want       string
		}{
			{"an unknown code", "nope", now, "不认识"},
			{"an expired code", "code-s2", now.Add(county.CodeTTL + time.Second), "过期"},
		} {
			t.Run(tc.name+" is refused", func(t *testing.T) {
				_, err := st.Enroll(ctx, tc.code, []byte("c"), tc.at)
				wantCode(t, err, apperr.Invalid, tc.want)
			})
		}
		t.Run("a code enrolls its site once", func(t *testing.T) {
			site, err := st.Enroll(ctx, "code-s1", []byte("cred-1"), now)
			if err != nil || site.ID != "s1" || site.Name != "青山镇s1" || site.Kind != "town" {
				t.Fatalf("Enroll: %+v %v", site, err)
			}
			_, err = st.Enroll(ctx, "code-s1", []byte("cred-2"), now)
			wantCode(t, err, apperr.Invalid, "用过")
			cred, revoked, err := st.Credential(ctx, "s1")
			if err != nil || string(cred) != "cred-1" || revoked {
				t.Fatalf("Credential: %q %v %v", cred, revoked, err)
			}
		})
		t.Run("revoke refuses the site and is idempotent", func(t *testing.T) {
			for range 2 {
				if err := st.Revoke(ctx, "s1", now); err != nil {
					t.Fatal(err)
				}
			}
			if _, revoked, err := st.Credential(ctx, "s1"); err != nil || !revoked {
				t.Fatalf("after revoke: %v %v", revoked, err)
			}
			wantCode(t, st.Revoke(ctx, "nope", now), apperr.NotFound, "没有这个站点")
			sites, err := st.Sites(ctx)
			if err != nil || len(sites) != 2 || sites[0].ID != "s1" || !sites[0].Revoked || sites[0].EnrolledAt == nil ||
				!sites[0].EnrolledAt.Equal(now) || sites[1].Revoked || sites[1].EnrolledAt != nil {
				t.Fatalf("sites: %+v %v", sites, err)
			}
		})
	})
}

func TestStore_NoncesAndSkew(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		ctx := context.Background()
		enrolled(t, st, "s1")
		later := now.Add(time.Hour)
		for _, tc := range []struct {
			name, site, nonce string
			at, keepFrom      time.Time
			fresh             bool
		}{
			{"a new nonce is fresh", "s1", "n1", now, now.Add(-time.Minute), true},
			{"the same nonce again is a replay", "s1", "n1", now, now.Add(-time.Minute), false},
			{"another site's nonce is its own", "s2", "n1", now, now.Add(-time.Minute), true},
			{"a nonce older than keepFrom is forgotten", "s1", "n1", later, later.Add(-time.Minute), true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if fresh, err := st.SeeNonce(ctx, tc.site, tc.nonce, tc.at, tc.keepFrom); err != nil || fresh != tc.fresh {
					t.Fatalf("SeeNonce: %v %v, want %v", fresh, err, tc.fresh)
				}
			})
		}
		t.Run("the skew is kept beside the site", func(t *testing.T) {
			if err := st.NoteSkew(ctx, "s1", -42); err != nil {
				t.Fatal(err)
			}
			if sites, err := st.Sites(ctx); err != nil || sites[0].SkewSeconds != -42 {
				t.Fatalf("sites: %+v %v", sites, err)
			}
		})
	})
}

// history lists a record's history as "version:entry" lines.
func history(t *testing.T, raw *sql.DB, site, kind, id string) string {
	t.Helper()
	rows, err := raw.Query(`SELECT version, entry_id FROM record_history WHERE site_id = '` + site + `' AND kind = '` + kind + `' AND id = '` + id + `' ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v int64
		var e string
		if err := rows.Scan(&v, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d:%s", v, e))
	}
	return strings.Join(out, " ")
}

func TestStore_Apply(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, raw *sql.DB) {
		ctx := context.Background()
		enrolled(t, st, "s1")
		big := `{"x":"` + strings.Repeat("a", 64<<10) + `"}`
		batch := county.PushRequest{Pending: 7, Dead: 1, Entries: []county.Entry{
			entry(5, "ticket.call", "t-1", `{"v":5}`), // out of order: applied by seq
			entry(1, "case.accept", "c-1", `{"v":1}`),
			entry(2, "ticket.issue", "t-2", `{"v":2}`),
			entry(3, "ticket.issue", "t-1", `{"v":3}`),
			entry(4, "ticket.issue", "t-3", `{"id_number":"110101********7777"}`),
			{Seq: 6, ID: "", Kind: "ticket.issue", EntityID: "t-9", Payload: `{}`},
			entry(7, "ticket", "", `{}`),
			entry(8, "ticket.issue", "t-9", big),
			entry(9, "ticket.issue", "t-9", `[1,2]`),
			entry(10, "ticket.issue", "t-9", `{"id_number":"11010119900307777X"}`),
			entry(11, "case.accept", "c-2", `{"v":11}`),
		}}
		reply, err := st.Apply(ctx, "s1", batch, now)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("every entry is acked, the unstorable ones with their reason", func(t *testing.T) {
			reasons := map[int64]string{}
			for _, r := range reply.Rejected {
				reasons[r.Seq] = r.Reason
			}
			want := map[int64]string{6: "缺少编号", 7: "缺少编号", 8: "64 KB", 9: "不是 JSON 对象", 10: "未遮蔽的身份证号"}
			if reply.AckedThrough != 11 || len(reasons) != len(want) {
				t.Fatalf("reply %+v", reply)
			}
			for seq, w := range want {
				if !strings.Contains(reasons[seq], w) {
					t.Errorf("seq %d: %q, want %q", seq, reasons[seq], w)
				}
			}
		})
		t.Run("Held counts the distinct entries taken", func(t *testing.T) {
			if reply.Held != 6 {
				t.Fatalf("held %d, want 6", reply.Held)
			}
		})
		t.Run("a retried batch changes nothing", func(t *testing.T) {
			again, err := st.Apply(ctx, "s1", batch, now)
			if err != nil || again.Held != 6 || again.AckedThrough != 11 || len(again.Rejected) != 5 {
				t.Fatalf("retry: %+v %v", again, err)
			}
			if h := history(t, raw, "s1", "ticket", "t-1"); h != "1:e3 2:e5" {
				t.Fatalf("t-1 history %q", h)
			}
		})
		t.Run("a later change is the next version, repeated ids count once", func(t *testing.T) {
			e := entry(12, "ticket.finish", "t-1", `{"v":12}`)
			r, err := st.Apply(ctx, "s1", county.PushRequest{Entries: []county.Entry{e, e, entry(5, "ticket.call", "t-1", `{"v":5}`)}}, now)
			if err != nil || r.Held != 7 || r.AckedThrough != 12 {
				t.Fatalf("reply %+v %v", r, err)
			}
			if h := history(t, raw, "s1", "ticket", "t-1"); h != "1:e3 2:e5 3:e12" {
				t.Fatalf("t-1 history %q", h)
			}
			recs, _, err := st.Records(ctx, "s1", "ticket", "", 10)
			if err != nil || len(recs) != 3 || recs[0].ID != "t-1" || recs[0].Version != 3 || string(recs[0].Data.(json.RawMessage)) != `{"v":12}` ||
				!recs[0].UpdatedAt.Equal(now.Add(12*time.Second)) {
				t.Fatalf("records %+v %v", recs, err)
			}
		})
		t.Run("the site shows its counts and last sync", func(t *testing.T) {
			later := now.Add(time.Minute)
			if _, err := st.Apply(ctx, "s1", county.PushRequest{Pending: 3, Dead: 2}, later); err != nil {
				t.Fatal(err)
			}
			sites, err := st.Sites(ctx)
			if err != nil || sites[0].Records != 5 || sites[0].Pending != 3 || sites[0].Dead != 2 || !sites[0].LastSyncAt.Equal(later) {
				t.Fatalf("sites %+v %v", sites, err)
			}
		})
		t.Run("an unknown site's batch is refused whole", func(t *testing.T) {
			if _, err := st.Apply(ctx, "nope", county.PushRequest{Entries: []county.Entry{entry(1, "case.accept", "c-9", `{}`)}}, now); err == nil {
				t.Fatal("applied for an unknown site")
			}
		})
	})
}

// TestStore_ApplyConcurrently is what 400 sites pushing at once, and a
// site's batch retried while its first delivery is still running, ask of a
// store with concurrent writers.
func TestStore_ApplyConcurrently(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, raw *sql.DB) {
		ctx := context.Background()
		const sites, perBatch = 12, 40
		for i := range sites {
			enrolled(t, st, fmt.Sprintf("s%02d", i))
		}
		// Each site sends one batch twice at once, and a second batch
		// touching the same records in the opposite order, also twice.
		batch := func(first int64, reverse bool) county.PushRequest {
			var es []county.Entry
			for i := range int64(perBatch) {
				rec := i % 10
				if reverse {
					rec = 9 - rec
				}
				es = append(es, entry(first+i, "ticket.issue", fmt.Sprintf("t-%d", rec), `{}`))
			}
			return county.PushRequest{Entries: es}
		}
		var wg sync.WaitGroup
		errs := make(chan error, sites*4)
		for i := range sites {
			site := fmt.Sprintf("s%02d", i)
			for _, req := range []county.PushRequest{batch(1, false), batch(1, false), batch(1+perBatch, true), batch(1+perBatch, true)} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := st.Apply(ctx, site, req, now); err != nil {
						errs <- fmt.Errorf("%s: %w", site, err)
					}
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for i := range sites {
			site := fmt.Sprintf("s%02d", i)
			reply, err := st.Apply(ctx, site, county.PushRequest{}, now)
			if err != nil || reply.Held != 2*perBatch {
				t.Fatalf("%s held %d %v, want %d", site, reply.Held, err, 2*perBatch)
			}
			recs, _, err := st.Records(ctx, site, "", "", 100)
			if err != nil || len(recs) != 10 {
				t.Fatalf("%s records %d %v", site, len(recs), err)
			}
			for _, r := range recs {
				if r.Version != 2*perBatch/10 {
					t.Fatalf("%s %s version %d, want %d", site, r.ID, r.Version, 2*perBatch/10)
				}
			}
			var n, distinct int
			if err := raw.QueryRow(`SELECT count(*), count(DISTINCT entry_id) FROM record_history WHERE site_id = '`+site+`'`).Scan(&n, &distinct); err != nil || n != 2*perBatch || distinct != n {
				t.Fatalf("%s history %d rows, %d entries, %v", site, n, distinct, err)
			}
		}
	})
}

func TestStore_Missing(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		ctx := context.Background()
		enrolled(t, st, "s1")
		enrolled(t, st, "s2")
		if _, err := st.Apply(ctx, "s1", county.PushRequest{Entries: []county.Entry{entry(1, "case.accept", "c", `{}`), entry(2, "case.accept", "c", `{}`)}}, now); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, site string
			ids        []string
			want       string
		}{
			{"those not held, in the order asked", "s1", []string{"e9", "e1", "e3", "e2"}, "e9 e3"},
			{"another site's entries are not this site's", "s2", []string{"e1"}, "e1"},
			{"nothing asked, nothing missing", "s1", nil, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := st.Missing(ctx, tc.site, tc.ids)
				if err != nil || got == nil || strings.Join(got, " ") != tc.want {
					t.Fatalf("Missing: %#v %v, want %q", got, err, tc.want)
				}
			})
		}
	})
}

func TestStore_RecordsPaging(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		ctx := context.Background()
		enrolled(t, st, "s1")
		var es []county.Entry
		for i, r := range []string{"case.accept c-2", "ticket.issue t-b", "case.accept c-1", "ticket.issue t-a", "ticket.issue T-z", "appointment.book a-1"} {
			kind, id, _ := strings.Cut(r, " ")
			es = append(es, entry(int64(i+1), kind, id, `{}`))
		}
		if _, err := st.Apply(ctx, "s1", county.PushRequest{Entries: es}, now); err != nil {
			t.Fatal(err)
		}
		pages := func(kind string, limit int) (string, []string) {
			var ids, cursors []string
			after := ""
			for range 10 {
				recs, next, err := st.Records(ctx, "s1", kind, after, limit)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range recs {
					ids = append(ids, r.Kind+"/"+r.ID)
				}
				if next == "" {
					break
				}
				cursors = append(cursors, next)
				after = next
			}
			return strings.Join(ids, " "), cursors
		}
		for _, tc := range []struct {
			name, kind string
			limit      int
			want       string
			cursors    []string
		}{
			{"one kind, in id order (bytewise), page by page", "ticket", 2, "ticket/T-z ticket/t-a ticket/t-b", []string{"ticket\nt-a"}},
			{"all kinds, by kind then id", "", 4, "appointment/a-1 case/c-1 case/c-2 ticket/T-z ticket/t-a ticket/t-b", []string{"ticket\nT-z"}},
			{"a kind with no records", "booking", 5, "", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, cursors := pages(tc.kind, tc.limit)
				var want []string
				for _, c := range tc.cursors {
					want = append(want, base64.RawURLEncoding.EncodeToString([]byte(c)))
				}
				if got != tc.want || strings.Join(cursors, ",") != strings.Join(want, ",") {
					t.Fatalf("pages %q cursors %q, want %q %q", got, cursors, tc.want, want)
				}
			})
		}
		t.Run("a forged cursor is refused", func(t *testing.T) {
			_, _, err := st.Records(ctx, "s1", "", "not a cursor!", 5)
			wantCode(t, err, apperr.Invalid, "游标")
		})
	})
}

func TestStore_Audit(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		ctx := context.Background()
		for i, ev := range []string{"enrolled", "refused", "revoked"} {
			if err := st.Audit(ctx, county.AuditEvent{At: now.Add(time.Duration(i) * time.Minute), SiteID: "s1", Event: ev, Detail: "细节", Remote: "10.0.0.5"}); err != nil {
				t.Fatal(err)
			}
		}
		log, err := st.AuditLog(ctx, 2)
		if err != nil || len(log) != 2 || log[0].Event != "revoked" || log[1].Event != "refused" || !log[0].At.Equal(now.Add(2*time.Minute)) ||
			log[0].Detail != "细节" || log[0].Remote != "10.0.0.5" || log[0].SiteID != "s1" {
			t.Fatalf("audit log %+v %v", log, err)
		}
	})
}

func TestStore_Datasets(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		ctx := context.Background()
		if list, err := st.LatestDatasets(ctx); err != nil || list == nil || len(list) != 0 {
			t.Fatalf("nothing published: %#v %v", list, err)
		}
		publish := func(kind, payload string, at time.Time) county.Dataset {
			d, err := st.PublishDataset(ctx, county.Dataset{Kind: kind, Schema: county.DatasetSchema, Note: "说明", PublishedBy: "admin", Payload: []byte(payload)}, at)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		h1 := publish(county.DatasetHolidays, `[1]`, now)
		h2 := publish(county.DatasetHolidays, `[1,2]`, now.Add(time.Hour))
		c1 := publish(county.DatasetCatalog, `{"items":[]}`, now)
		t.Run("versions count up per kind, with checksum and size", func(t *testing.T) {
			if h1.Version != 1 || h2.Version != 2 || c1.Version != 1 || h2.Checksum != county.Checksum([]byte(`[1,2]`)) || h2.Size != 5 ||
				h2.Payload != nil || !h2.PublishedAt.Equal(now.Add(time.Hour)) {
				t.Fatalf("published %+v %+v %+v", h1, h2, c1)
			}
		})
		t.Run("the latest of each kind, without payloads", func(t *testing.T) {
			list, err := st.LatestDatasets(ctx)
			if err != nil || len(list) != 2 || list[0].Kind != county.DatasetCatalog || list[1].Kind != county.DatasetHolidays ||
				list[1].Version != 2 || list[1].Size != 5 || list[1].Checksum != h2.Checksum || list[1].Payload != nil ||
				list[1].Note != "说明" || list[1].PublishedBy != "admin" || !list[1].PublishedAt.Equal(h2.PublishedAt) {
				t.Fatalf("latest %+v %v", list, err)
			}
		})
		t.Run("one version whole", func(t *testing.T) {
			d, err := st.Dataset(ctx, county.DatasetHolidays, 1)
			if err != nil || string(d.Payload) != `[1]` || d.Checksum != county.Checksum([]byte(`[1]`)) || d.Schema != county.DatasetSchema || d.Size != 3 {
				t.Fatalf("dataset %+v %v", d, err)
			}
		})
		t.Run("an unpublished version is NotFound", func(t *testing.T) {
			_, err := st.Dataset(ctx, county.DatasetHolidays, 3)
			wantCode(t, err, apperr.NotFound, "第 3 版")
		})
	})
}

func TestPostgres_Migrations(t *testing.T) {
	dsn := countytest.PostgresDSN(t)
	ctx := context.Background()
	t.Run("reopening keeps the data and migrates nothing twice", func(t *testing.T) {
		st, err := county.OpenPostgres(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetAdmin(ctx, "admin", "h"); err != nil {
			t.Fatal(err)
		}
		st.Close()
		st, err = county.OpenPostgres(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if h, err := st.AdminHash(ctx, "admin"); err != nil || h != "h" {
			t.Fatalf("after reopening: %q %v", h, err)
		}
	})
	t.Run("a database from a newer build is refused", func(t *testing.T) {
		if _, err := rawDB(t, "pgx", dsn).Exec(`UPDATE county_schema SET version = 99`); err != nil {
			t.Fatal(err)
		}
		if _, err := county.OpenPostgres(ctx, dsn); err == nil || !strings.Contains(err.Error(), "upgrade budayang") {
			t.Fatalf("open a newer schema: %v", err)
		}
	})
	t.Run("an unreachable server is a sentence", func(t *testing.T) {
		_, err := county.OpenPostgres(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
		wantCode(t, err, apperr.Invalid, "连不上")
	})
}

// PostgreSQL text holds no NUL and no invalid UTF-8, which SQLite stores:
// such an entry is rejected alone rather than failing its whole batch, so a
// site is never stuck resending it.
func TestPostgres_ApplyRejectsUnstorableText(t *testing.T) {
	st, _ := storeKinds[1].open(t)
	enrolled(t, st, "s1")
	reply, err := st.Apply(context.Background(), "s1", county.PushRequest{Entries: []county.Entry{
		entry(1, "case.accept", "c-1", "{\"a\":\"\xff\"}"),
		entry(2, "case.accept", "c-\x00", `{}`),
		entry(3, "case.accept", "c-3", `{}`),
	}}, now)
	if err != nil || reply.Held != 1 || len(reply.Rejected) != 2 || !strings.Contains(reply.Rejected[0].Reason, "无法保存的字符") || reply.Rejected[1].Seq != 2 {
		t.Fatalf("reply %+v %v", reply, err)
	}
}
