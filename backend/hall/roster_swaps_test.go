package hall_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"budayang/backend/clock"
)

// publishedSeptember is the roster site with the second half of September
// 2026 drafted and published, and its duties.
func publishedSeptember(t *testing.T) (rosterFixture, string, []assignment) {
	t.Helper()
	fx := rosterSite(t)
	code, plan := fx.h.do("POST", "/api/v1/roster/plans", fx.admin, `{"from":"2026-09-16","to":"2026-09-30"}`)
	if code != 201 {
		t.Fatalf("generate: %d %v", code, plan)
	}
	id := plan["id"].(string)
	code, plan = fx.h.do("POST", "/api/v1/roster/plans/"+id+"/publish", fx.admin, "")
	if code != 200 {
		t.Fatalf("publish: %d %v", code, plan)
	}
	return fx, id, assignments(t, plan)
}

func (fx rosterFixture) has(staffID string) bool {
	for _, id := range fx.ids {
		if id == staffID {
			return true
		}
	}
	return false
}

func (fx rosterFixture) login(t *testing.T, staffID string) string {
	t.Helper()
	for l, id := range fx.ids {
		if id == staffID {
			return l
		}
	}
	t.Fatalf("no login for staff %s", staffID)
	return ""
}

// evening is the first workday evening duty from date on held by one of
// the fixture's people (not the head).
func (fx rosterFixture) evening(t *testing.T, as []assignment, date string) assignment {
	t.Helper()
	for _, a := range as {
		if a.date >= date && a.shift == "evening" {
			if fx.has(a.staff) {
				return a
			}
		}
	}
	t.Fatalf("no evening duty from %s", date)
	return assignment{}
}

// freeAround is a login other than those excluded with no duty from the day
// before date to the day after, so giving them a duty on date keeps the
// rules.
func (fx rosterFixture) freeAround(t *testing.T, as []assignment, date string, exclude ...string) string {
	t.Helper()
	d, _ := time.Parse("2006-01-02", date)
	near := map[string]bool{}
	for _, a := range as {
		for _, k := range []int{-1, 0, 1} {
			if a.date == d.AddDate(0, 0, k).Format("2006-01-02") {
				near[a.staff] = true
			}
		}
	}
	skip := map[string]bool{}
	for _, l := range exclude {
		skip[l] = true
	}
	for _, l := range []string{"duty1", "duty2", "duty3", "duty4", "duty5", "duty6", "clerk1"} {
		if !skip[l] && !near[fx.ids[l]] {
			return l
		}
	}
	t.Fatalf("nobody free around %s", date)
	return ""
}

// setClock moves the clock to at and signs everyone in again, since a
// jump of days ends idle sessions.
func (fx *rosterFixture) setClock(at time.Time) {
	fx.h.core.Clock.(*clock.Fixed).Set(at)
	login := func(user, password string) string {
		code, out := fx.h.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"user":%q,"password":%q}`, user, password))
		if code != 200 {
			fx.h.t.Fatalf("login %s: %d %v", user, code, out)
		}
		return out["token"].(string)
	}
	fx.admin = login("admin", "Admin12345")
	for l := range fx.tokens {
		fx.tokens[l] = login(l, "Passw0rd123")
	}
}

func sept(day, hour, minute int) time.Time {
	return time.Date(2026, 9, day, hour, minute, 0, 0, clock.Shanghai)
}

func TestAPI_RosterSwaps(t *testing.T) {
	fx, planID, as := publishedSeptember(t)
	h := fx.h
	a := fx.evening(t, as, "2026-09-17")
	holder := fx.login(t, a.staff)
	taker := fx.freeAround(t, as, a.date, holder)
	onLeave := fx.freeAround(t, as, a.date, holder, taker)
	if code, out := h.do("POST", "/api/v1/staff/"+fx.ids[onLeave]+"/unavailable", fx.tokens[onLeave], fmt.Sprintf(`{"from":%q,"to":%q,"reason":"年假"}`, a.date, a.date)); code != 201 {
		t.Fatalf("leave: %d %v", code, out)
	}
	propose := func(login, aid, with string) (int, map[string]any) {
		return h.do("POST", "/api/v1/roster/swaps", fx.tokens[login], fmt.Sprintf(`{"assignment_id":%q,"with_staff_id":%q}`, aid, with))
	}

	t.Run("RefusedProposals", func(t *testing.T) {
		cases := []struct {
			name, token, body string
			want              int
			says              string
		}{
			{"MalformedJSON", fx.tokens[holder], `{"assignment_id":`, 400, ""},
			{"MissingFields", fx.tokens[holder], `{}`, 400, "assignment_id"},
			{"UnknownDuty", fx.tokens[holder], fmt.Sprintf(`{"assignment_id":"nope","with_staff_id":%q}`, fx.ids[taker]), 404, "nope"},
			{"UnknownColleague", fx.tokens[holder], fmt.Sprintf(`{"assignment_id":%q,"with_staff_id":"nobody"}`, a.id), 404, "没有这位工作人员"},
			{"WithSelf", fx.tokens[holder], fmt.Sprintf(`{"assignment_id":%q,"with_staff_id":%q}`, a.id, a.staff), 400, "自己"},
			{"NotYourDuty", fx.tokens[taker], fmt.Sprintf(`{"assignment_id":%q,"with_staff_id":%q}`, a.id, fx.ids[onLeave]), 403, "本人"},
			{"RuleBrokenAtProposal", fx.tokens[holder], fmt.Sprintf(`{"assignment_id":%q,"with_staff_id":%q}`, a.id, fx.ids[onLeave]), 409, "不可值班日期"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				code, out := h.do("POST", "/api/v1/roster/swaps", tc.token, tc.body)
				if code != tc.want || out["error"] == nil || !strings.Contains(out["error"].(string), tc.says) {
					t.Fatalf("got %d %v, want %d saying %q", code, out, tc.want, tc.says)
				}
			})
		}
		if n := fx.count(t, "roster_swap"); n != 0 {
			t.Fatalf("refused proposals stored %d swaps", n)
		}
	})

	var swapID string
	t.Run("ProposeAcceptApprove", func(t *testing.T) {
		code, sw := propose(holder, a.id, fx.ids[taker])
		if code != 201 || sw["status"] != "proposed" || sw["assignment_id"] != a.id || sw["to_staff_id"] != fx.ids[taker] || sw["shift"] != "工作日晚班" {
			t.Fatalf("propose: %d %v", code, sw)
		}
		swapID = sw["id"].(string)
		base := "/api/v1/roster/swaps/" + swapID
		if code, out := propose(holder, a.id, fx.ids[taker]); code != 409 || !strings.Contains(out["error"].(string), "待处理") {
			t.Errorf("duplicate proposal: %d %v", code, out)
		}
		if code, out := h.do("POST", base+"/approve", fx.admin, ""); code != 409 || !strings.Contains(out["error"].(string), "还没有同意") {
			t.Errorf("approve before the colleague accepts: %d %v", code, out)
		}
		for _, l := range []string{holder, onLeave} {
			if code, out := h.do("POST", base+"/accept", fx.tokens[l], ""); code != 403 {
				t.Errorf("%s accepting a swap offered to %s: %d %v", l, taker, code, out)
			}
		}
		if code, out := h.do("POST", base+"/accept", fx.tokens[taker], ""); code != 200 || out["status"] != "accepted" {
			t.Fatalf("accept: %d %v", code, out)
		}
		if code, _ := h.do("POST", base+"/approve", fx.tokens[taker], ""); code != 403 {
			t.Errorf("the colleague approving: %d, want 403", code)
		}
		if code, out := h.do("POST", base+"/approve", fx.admin, ""); code != 200 || out["status"] != "approved" {
			t.Fatalf("approve: %d %v", code, out)
		}
		_, plan := h.do("GET", "/api/v1/roster/plans/"+planID, fx.tokens[holder], "")
		for _, x := range assignments(t, plan) {
			if x.id == a.id && x.staff != fx.ids[taker] {
				t.Errorf("after approval the duty is %s's, want %s's", x.staff, taker)
			}
		}
		hist := plan["history"].([]any)
		last := hist[len(hist)-1].(map[string]any)
		if last["action"] != "swap" || !strings.Contains(last["detail"].(string), a.staff+" → "+fx.ids[taker]) {
			t.Errorf("history does not keep the swap: %v", last)
		}
		for _, act := range []string{"decline", "cancel"} {
			if code, out := h.do("POST", base+"/"+act, fx.admin, ""); code != 409 && code != 403 {
				t.Errorf("%s an approved swap: %d %v", act, code, out)
			}
		}
		var audits, outbox int
		db := h.core.DB.Read()
		_ = db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'roster.swap_%'`).Scan(&audits)
		_ = db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind LIKE 'roster.swap_%'`).Scan(&outbox)
		if audits != 3 || outbox != 3 {
			t.Errorf("audit lines %d, outbox rows %d, want 3 each (propose, accept, approve)", audits, outbox)
		}
	})

	t.Run("RuleBrokenAtApprovalAfterAChange", func(t *testing.T) {
		b := fx.evening(t, as, "2026-09-24")
		giver := fx.login(t, b.staff)
		other := fx.freeAround(t, as, b.date, giver)
		code, sw := propose(giver, b.id, fx.ids[other])
		if code != 201 {
			t.Fatalf("propose: %d %v", code, sw)
		}
		base := "/api/v1/roster/swaps/" + sw["id"].(string)
		if code, out := h.do("POST", base+"/accept", fx.tokens[other], ""); code != 200 {
			t.Fatalf("accept: %d %v", code, out)
		}
		// Since accepting, the colleague has declared leave that day.
		if code, out := h.do("POST", "/api/v1/staff/"+fx.ids[other]+"/unavailable", fx.tokens[other], fmt.Sprintf(`{"from":%q,"to":%q,"reason":"病假"}`, b.date, b.date)); code != 201 {
			t.Fatalf("leave: %d %v", code, out)
		}
		code, out := h.do("POST", base+"/approve", fx.admin, "")
		if code != 409 || !strings.Contains(out["error"].(string), "不可值班日期") || !strings.Contains(out["error"].(string), "病假") {
			t.Fatalf("approve over new leave: %d %v, want 409 naming the rule", code, out)
		}
		_, plan := h.do("GET", "/api/v1/roster/plans/"+planID, fx.admin, "")
		for _, x := range assignments(t, plan) {
			if x.id == b.id && x.staff != b.staff {
				t.Error("a refused approval changed the duty")
			}
		}
		if code, out := h.do("POST", base+"/decline", fx.tokens[giver], ""); code != 403 {
			t.Errorf("the proposer declining: %d %v, want 403 (they cancel)", code, out)
		}
		if code, out := h.do("POST", base+"/decline", fx.admin, ""); code != 200 || out["status"] != "declined" {
			t.Fatalf("the head declines: %d %v", code, out)
		}
	})

	t.Run("CancelAndLists", func(t *testing.T) {
		c := fx.evening(t, as, "2026-09-29")
		giver := fx.login(t, c.staff)
		other := fx.freeAround(t, as, c.date, giver)
		code, sw := propose(giver, c.id, fx.ids[other])
		if code != 201 {
			t.Fatalf("propose: %d %v", code, sw)
		}
		base := "/api/v1/roster/swaps/" + sw["id"].(string)
		if code, _ := h.do("POST", base+"/cancel", fx.tokens[other], ""); code != 403 {
			t.Errorf("the colleague cancelling: %d, want 403", code)
		}
		if code, out := h.do("POST", base+"/cancel", fx.tokens[giver], ""); code != 200 || out["status"] != "cancelled" {
			t.Fatalf("cancel: %d %v", code, out)
		}
		if code, out := h.do("POST", base+"/accept", fx.tokens[other], ""); code != 409 {
			t.Errorf("accepting a cancelled swap: %d %v", code, out)
		}
		if code, out := h.do("POST", "/api/v1/roster/swaps/nope/accept", fx.tokens[other], ""); code != 404 {
			t.Errorf("unknown swap: %d %v", code, out)
		}
		_, all := h.do("GET", "/api/v1/roster/swaps", fx.admin, "")
		if n := len(all["swaps"].([]any)); n != 3 {
			t.Errorf("the head sees %d swaps, want all 3", n)
		}
		_, mine := h.do("GET", "/api/v1/roster/swaps", fx.tokens[taker], "")
		for _, x := range mine["swaps"].([]any) {
			m := x.(map[string]any)
			if m["from_staff_id"] != fx.ids[taker] && m["to_staff_id"] != fx.ids[taker] {
				t.Errorf("%s sees a swap not theirs: %v", taker, m)
			}
		}
		_, open := h.do("GET", "/api/v1/roster/swaps?open=1", fx.admin, "")
		if n := len(open["swaps"].([]any)); n != 0 {
			t.Errorf("open swaps: %d, want none", n)
		}
		code, duties := h.do("GET", "/api/v1/roster/my-duties", fx.tokens[taker], "")
		found := false
		for _, x := range duties["duties"].([]any) {
			m := x.(map[string]any)
			found = found || (m["id"] == a.id && m["begun"] == false)
		}
		if code != 200 || !found {
			t.Errorf("the taker's duties do not hold the swapped duty: %d %v", code, duties)
		}
	})
}

func TestAPI_RosterHandover(t *testing.T) {
	fx, _, as := publishedSeptember(t)
	h := fx.h
	// An evening duty whose next duty is one person's, not the head's.
	var a, next assignment
	for from := "2026-09-16"; next.id == ""; from = a.date + "~" {
		a = fx.evening(t, as, from)
		var following []assignment
		for _, x := range as {
			if x.start.After(a.start) && (len(following) == 0 || x.start.Before(following[0].start)) {
				following = []assignment{x}
			} else if len(following) > 0 && x.start.Equal(following[0].start) {
				following = append(following, x)
			}
		}
		if len(following) == 1 && fx.has(following[0].staff) {
			next = following[0]
		}
	}
	giver, receiver := fx.login(t, a.staff), fx.login(t, next.staff)
	bystander := fx.freeAround(t, as, a.date, giver, receiver)
	body := fmt.Sprintf(`{"assignment_id":%q,"note":"群众王某来电咨询低保，已登记，明天请回电。"}`, a.id)

	fx.setClock(a.start.Add(-time.Hour))
	if code, out := h.do("POST", "/api/v1/roster/handovers", fx.tokens[giver], body); code != 409 {
		t.Fatalf("a handover before the duty began: %d %v", code, out)
	}
	fx.setClock(a.end.Add(-30 * time.Minute))
	for name, tc := range map[string]struct {
		token, body string
		want        int
	}{
		"MalformedJSON": {fx.tokens[giver], `{"note":`, 400},
		"NoNote":        {fx.tokens[giver], fmt.Sprintf(`{"assignment_id":%q,"note":"  "}`, a.id), 400},
		"UnknownDuty":   {fx.tokens[giver], `{"assignment_id":"nope","note":"x"}`, 404},
		"NotTheirDuty":  {fx.tokens[bystander], body, 403},
	} {
		t.Run(name, func(t *testing.T) {
			if code, out := h.do("POST", "/api/v1/roster/handovers", tc.token, tc.body); code != tc.want || out["error"] == nil {
				t.Fatalf("got %d %v, want %d with the reason", code, out, tc.want)
			}
		})
	}
	if n := fx.count(t, "roster_handover"); n != 0 {
		t.Fatalf("refused handovers stored %d", n)
	}
	code, ho := h.do("POST", "/api/v1/roster/handovers", fx.tokens[giver], body)
	if code != 201 || ho["acked_at"] != nil {
		t.Fatalf("handover: %d %v", code, ho)
	}
	rs := ho["receivers"].([]any)
	if len(rs) != 1 || rs[0].(map[string]any)["staff_id"] != next.staff || ho["next_start"] != next.start.Format(time.RFC3339) {
		t.Fatalf("the next duty's person receives it: %v", ho)
	}
	if code, out := h.do("POST", "/api/v1/roster/handovers", fx.tokens[giver], body); code != 409 {
		t.Errorf("a second handover for the duty: %d %v", code, out)
	}
	pending := func(login string) int {
		token := fx.admin
		if login != "" {
			token = fx.tokens[login]
		}
		_, out := h.do("GET", "/api/v1/roster/handovers?pending=1", token, "")
		return len(out["handovers"].([]any))
	}
	if pending(receiver) != 1 || pending("") != 1 || pending(bystander) != 0 {
		t.Errorf("pending: receiver %d, head %d, bystander %d; want 1, 1, 0", pending(receiver), pending(""), pending(bystander))
	}
	ack := "/api/v1/roster/handovers/" + ho["id"].(string) + "/ack"
	for _, token := range []string{fx.tokens[giver], fx.tokens[bystander], fx.admin} {
		if code, out := h.do("POST", ack, token, ""); code != 403 {
			t.Errorf("acknowledged by someone not on the next duty: %d %v", code, out)
		}
	}
	if code, out := h.do("POST", "/api/v1/roster/handovers/nope/ack", fx.tokens[receiver], ""); code != 404 {
		t.Errorf("unknown handover: %d %v", code, out)
	}
	code, out := h.do("POST", ack, fx.tokens[receiver], "")
	if code != 200 || out["acked_at"] == nil {
		t.Fatalf("acknowledge: %d %v", code, out)
	}
	code, out = h.do("POST", ack, fx.tokens[receiver], "")
	if code != 409 || !strings.Contains(out["error"].(string), "无需再次确认") {
		t.Errorf("acknowledged twice: %d %v", code, out)
	}
	if pending(receiver) != 0 || pending("") != 0 {
		t.Error("an acknowledged handover is still pending")
	}
	var audits, outbox int
	db := h.core.DB.Read()
	_ = db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action IN ('roster.handover','roster.handover_ack')`).Scan(&audits)
	_ = db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind IN ('roster.handover','roster.handover_ack')`).Scan(&outbox)
	if audits != 2 || outbox != 2 {
		t.Errorf("audit lines %d, outbox rows %d, want 2 each", audits, outbox)
	}
}
