package county_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"budayang/backend/calendar"
	"budayang/backend/county"
)

// pushInspectionSet pushes a small county by hand, through Store.Apply as
// sites push, at the fixed clock (Wednesday 2026-11-25 09:00 Shanghai):
//
//   - sA, a town of 42,000 (7 window staff required) with two active
//     clerks (c1, c2), an inactive one and its admin; tickets of the day:
//     one waiting, one re-queued after a skip, two completed (one of them
//     transferred on the way, so pushed three times), one no-show, and one
//     completed the day before; cases: two running past their due date
//     (accepted, transferred), one paused for supplements past it, one due
//     today, two closed the day before (one late, one on time only in
//     Shanghai time); ratings: a good one and a bad one today (the bad one
//     made at 00:30 Shanghai, still 24 Nov in UTC) whose follow-up is past
//     its deadline, a bad one the evening before, one appealed and upheld,
//     an older one with a follow-up not yet due; a published plan covering
//     today and one of the weekend's two places, and a draft filling the
//     other.
//   - sB, a township of 12,000 with five clerks and no roster, last heard
//     25 hours ago.
//   - sC, registered and enrolled, never heard from.
func pushInspectionSet(t *testing.T, st county.Store) {
	t.Helper()
	ctx := context.Background()
	for _, id := range []string{"sA", "sB", "sC"} {
		enrolled(t, st, id)
	}
	var es []county.Entry
	add := func(kind, entity, payload string) {
		es = append(es, entry(int64(len(es)+1), kind, entity, payload))
	}
	add("site.setup", "sA", `{"id":"sA","name":"青山镇便民服务中心","kind":"town","population":42000}`)
	add("staff.create", "a1", `{"id":"a1","login":"admin","name":"管理员","role":"admin","active":true}`)
	add("staff.create", "sA-1", `{"id":"sA-1","login":"c1","name":"张一","role":"clerk","active":true}`)
	add("staff.create", "sA-2", `{"id":"sA-2","login":"c2","name":"李二","role":"clerk","active":true}`)
	add("staff.create", "sA-3", `{"id":"sA-3","login":"c3","name":"王三","role":"clerk","active":true}`)
	add("staff.update", "sA-3", `{"id":"sA-3","login":"c3","name":"王三","role":"clerk","active":false}`)
	ticket := func(id, status, day, by string) {
		add("ticket.x", id, fmt.Sprintf(`{"id":%q,"status":%q,"day":%q,"served_by":%q}`, id, status, day, by))
	}
	ticket("t1", "waiting", "2026-11-25", "")
	ticket("t2", "skipped", "2026-11-25", "c2")
	ticket("t3", "completed", "2026-11-25", "c1")
	ticket("t4", "called", "2026-11-25", "c2")
	ticket("t4", "waiting", "2026-11-25", "")
	ticket("t4", "completed", "2026-11-25", "c1")
	ticket("t5", "no_show", "2026-11-25", "c2")
	ticket("t6", "completed", "2026-11-24", "c1")
	kase := func(id, status, due, by, closed string) {
		c := fmt.Sprintf(`{"id":%q,"status":%q,"due_date":%q,"responsible_id":%q`, id, status, due, by)
		if closed != "" {
			c += fmt.Sprintf(`,"closed_at":%q`, closed)
		}
		add("case.x", id, c+"}")
	}
	kase("k1", "accepted", "2026-11-24", "sA-1", "")
	kase("k2", "transferred", "2026-11-20", "sA-2", "")
	kase("k3", "awaiting_supplements", "2026-11-20", "sA-1", "")
	kase("k4", "accepted", "2026-11-25", "sA-1", "")
	kase("k5", "completed", "2026-11-23", "sA-1", "2026-11-24T03:00:00Z")
	kase("k6", "completed", "2026-11-24", "sA-1", "2026-11-23T17:00:00.5Z")
	add("rating.submit", "r1", `{"id":"r1","staff_login":"c1","level":5,"created_at":"2026-11-25T00:30:00Z"}`)
	add("rating.submit", "r2", `{"id":"r2","staff_login":"c1","level":1,"created_at":"2026-11-24T16:30:00Z","rectification":{"status":"open","due_date":"2026-11-24"}}`)
	add("rating.submit", "r3", `{"id":"r3","staff_login":"c2","level":2,"created_at":"2026-11-24T15:00:00Z","rectification":{"status":"done","due_date":"2026-11-20"}}`)
	add("rating.appeal_decide", "r4", `{"id":"r4","staff_login":"c2","level":1,"created_at":"2026-11-25T00:10:00Z","appeal":{"status":"upheld"},"rectification":{"status":"void","due_date":"2026-11-20"}}`)
	add("rating.submit", "r5", `{"id":"r5","staff_login":"c2","level":2,"created_at":"2026-11-20T02:00:00Z","rectification":{"status":"open","due_date":"2026-11-30"}}`)
	add("duty.plan", "p1", `{"id":"p1","status":"published","from":"2026-11-23","to":"2026-11-29","places":[
		{"date":"2026-11-25","shift_id":"x","places":1,"filled":1},{"date":"2026-11-28","shift_id":"x","places":1,"filled":1},
		{"date":"2026-11-29","shift_id":"x","places":1,"filled":0}]}`)
	add("duty.plan", "p2", `{"id":"p2","status":"draft","from":"2026-11-29","to":"2026-11-29","places":[{"date":"2026-11-29","shift_id":"x","places":1,"filled":1}]}`)
	if _, err := st.Apply(ctx, "sA", county.PushRequest{Entries: es}, now); err != nil {
		t.Fatal(err)
	}
	es = nil
	add("site.setup", "sB", `{"id":"sB","name":"白鹤乡便民服务中心","kind":"township","population":12000}`)
	for i := range 5 {
		add("staff.create", fmt.Sprintf("sB-%d", i), fmt.Sprintf(`{"id":"sB-%d","login":"b%d","name":"乙%d","role":"clerk","active":true}`, i, i, i))
	}
	if _, err := st.Apply(ctx, "sB", county.PushRequest{Entries: es}, now.Add(-25*time.Hour)); err != nil {
		t.Fatal(err)
	}
}

func TestStore_Inspection(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		pushInspectionSet(t, st)
		c := newCounty(t, st)
		in, err := c.svc.Inspect(context.Background(), "2026-11-25")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(in.Weekend, []string{"2026-11-28", "2026-11-29"}) {
			t.Errorf("weekend %v", in.Weekend)
		}
		if len(in.Sites) != 3 {
			t.Fatalf("sites %+v", in.Sites)
		}
		a, b, cc := in.Sites[0], in.Sites[1], in.Sites[2]
		t.Run("a site's day: tickets, cases, ratings", func(t *testing.T) {
			got := []int{a.Issued, a.Waiting, a.Served, a.Overdue, a.Ratings, a.BadRatings, a.LateFollowUps}
			if want := []int{5, 2, 2, 2, 2, 1, 1}; !reflect.DeepEqual(got, want) {
				t.Errorf("sA issued, waiting, served, overdue, ratings, bad, late follow-ups: got %v, want %v", got, want)
			}
		})
		t.Run("duty cover today and at the weekend, drafts not counted", func(t *testing.T) {
			today := county.DutyCover{Dates: []string{"2026-11-25"}, Places: 1, Filled: 1, Rostered: true, Covered: true}
			weekend := county.DutyCover{Dates: []string{"2026-11-28", "2026-11-29"}, Places: 2, Filled: 1, Rostered: true}
			if !reflect.DeepEqual(a.DutyToday, today) || !reflect.DeepEqual(a.DutyWeekend, weekend) {
				t.Errorf("sA duty: got %+v %+v", a.DutyToday, a.DutyWeekend)
			}
			if b.DutyToday.Rostered || b.DutyToday.Covered {
				t.Errorf("sB without a roster: got %+v", b.DutyToday)
			}
		})
		t.Run("staffing against 5/7/9 from the pushed profile and staff", func(t *testing.T) {
			got := [][]int{{a.WindowStaff, a.WindowStaffMin}, {b.WindowStaff, b.WindowStaffMin}, {cc.WindowStaff, cc.WindowStaffMin}}
			if want := [][]int{{2, 7}, {5, 5}, {0, 5}}; !reflect.DeepEqual(got, want) || a.StaffingOK || !b.StaffingOK || cc.ProfileKnown {
				t.Errorf("staff, minimum of sA, sB, sC: got %v, want %v (%+v)", got, want, cc)
			}
		})
		t.Run("silent sites and flags", func(t *testing.T) {
			for _, tc := range []struct {
				si   county.SiteInspection
				want string
			}{
				{a, "overdue followups duty understaffed"},
				{b, "silent duty"},
				{cc, "silent duty understaffed"},
			} {
				if got := strings.Join(tc.si.Flags, " "); got != tc.want {
					t.Errorf("%s flags %q, want %q", tc.si.SiteID, got, tc.want)
				}
			}
		})
		t.Run("county totals", func(t *testing.T) {
			want := county.InspectionTotals{Sites: 3, Issued: 5, Waiting: 2, Served: 2, Overdue: 2, Ratings: 2, BadRatings: 1, LateFollowUps: 1,
				Silent: 2, DutyUncovered: 3, Understaffed: 2}
			if in.Totals != want {
				t.Errorf("totals %+v, want %+v", in.Totals, want)
			}
		})
		t.Run("the day before sees that day's ticket only", func(t *testing.T) {
			prev, err := c.svc.Inspect(context.Background(), "2026-11-24")
			if err != nil || prev.Sites[0].Issued != 1 || prev.Sites[0].Served != 1 || prev.Sites[0].Overdue != 1 {
				t.Errorf("2026-11-24: %+v %v", prev.Sites[0], err)
			}
		})
	})
}

func TestStore_RankingRows(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		pushInspectionSet(t, st)
		from, _ := calendar.ParseDate("2026-11-20")
		to, _ := calendar.ParseDate("2026-11-25")
		rows, err := st.RankingRows(context.Background(), from, to)
		if err != nil {
			t.Fatal(err)
		}
		served := map[string]int{}
		for _, c := range rows.Served {
			served[c.SiteID+"/"+c.Key] = c.N
		}
		if want := map[string]int{"sA/c1": 3}; !reflect.DeepEqual(served, want) {
			t.Errorf("served %v, want %v", served, want)
		}
		if want := []county.CaseFigures{{SiteID: "sA", ResponsibleID: "sA-1", Closed: 2, OnTime: 1}}; !reflect.DeepEqual(rows.Cases, want) {
			t.Errorf("cases %+v, want %+v", rows.Cases, want)
		}
		rated := map[string]county.RatingFigures{}
		for _, r := range rows.Ratings {
			rated[r.StaffLogin] = r
		}
		want := map[string]county.RatingFigures{
			"c1": {SiteID: "sA", StaffLogin: "c1", Rated: 2, Good: 1, Bad: 1},
			"c2": {SiteID: "sA", StaffLogin: "c2", Rated: 2, Good: 0, Bad: 2},
		}
		if !reflect.DeepEqual(rated, want) {
			t.Errorf("ratings %+v, want %+v", rated, want)
		}
	})
}

func TestCountyAPI_Inspection(t *testing.T) {
	eachStore(t, func(t *testing.T, st county.Store, _ *sql.DB) {
		pushInspectionSet(t, st)
		c := newCounty(t, st)
		token := c.login()
		for _, tc := range []struct {
			name, token, path string
			status            int
			want              string
		}{
			{"today by default", token, "/api/v1/county/inspection", 200, `"date":"2026-11-25"`},
			{"a date", token, "/api/v1/county/inspection?date=2026-11-24", 200, `"issued":1`},
			{"a malformed date", token, "/api/v1/county/inspection?date=25/11", 400, "YYYY-MM-DD"},
			{"a future date", token, "/api/v1/county/inspection?date=2026-11-26", 400, "未来"},
			{"no session sees no inspection", "", "/api/v1/county/inspection", 401, "请先登录"},
			{"an unknown token sees no inspection", "feedface", "/api/v1/county/inspection", 401, "请先登录"},
			{"the last 30 days by default", token, "/api/v1/county/ranking", 200, `"from":"2026-10-27","to":"2026-11-25"`},
			{"a period", token, "/api/v1/county/ranking?from=2026-11-20&to=2026-11-25", 200, `"staff_id":"sA-1"`},
			{"a period backwards", token, "/api/v1/county/ranking?from=2026-11-25&to=2026-11-20", 400, "早于"},
			{"a period into the future", token, "/api/v1/county/ranking?from=2026-11-20&to=2026-12-25", 400, "还没有到"},
			{"a period over a year", token, "/api/v1/county/ranking?from=2025-01-01&to=2026-11-25", 400, "最长366天"},
			{"half a period", token, "/api/v1/county/ranking?from=2026-11-20", 400, "YYYY-MM-DD"},
			{"no session sees no ranking", "", "/api/v1/county/ranking", 401, "请先登录"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, body := c.do("GET", tc.path, tc.token, "")
				if code != tc.status || !strings.Contains(body, tc.want) {
					t.Fatalf("got %d %s, want %d with %q", code, body, tc.status, tc.want)
				}
			})
		}
		t.Run("the ranking names each person with their site", func(t *testing.T) {
			_, body := c.do("GET", "/api/v1/county/ranking?from=2026-11-20&to=2026-11-25", token, "")
			var rk county.Ranking
			if err := json.Unmarshal([]byte(body), &rk); err != nil {
				t.Fatal(err)
			}
			if len(rk.People) != 2 || rk.People[0].Name != "张一" || rk.People[0].SiteName != "站点sA" || rk.People[0].Volume != 5 ||
				rk.People[0].Qualified || rk.People[1].Name != "李二" || rk.People[1].Complaints != 2 {
				t.Fatalf("ranking %+v", rk.People)
			}
		})
	})
}
