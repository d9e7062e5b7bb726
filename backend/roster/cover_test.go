package roster_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"budayang/backend/account"
	"budayang/backend/core/coretest"
	"budayang/backend/roster"
)

// TestService_Cover: every change to a plan sends the county the plan's
// places per date and shift, filled or not, with no staff id in it. The
// fixture's clock is Wednesday 2026-11-25; the weekend shift takes one
// person, so 2026-11-28..29 hold one place each.
func TestService_Cover(t *testing.T) {
	st := coretest.Open(t)
	ctx := context.Background()
	duty := st.Person("duty1", "值班甲", account.RoleDuty)
	shift := roster.Shift{Name: "周末白班", Days: []string{roster.DayWeekend}, Start: "08:00", End: "18:00", People: 1}
	if _, err := st.Core.Roster.SetSetup(ctx, st.Admin, roster.Setup{Shifts: []roster.Shift{shift}, Rules: roster.DefaultRules()}); err != nil {
		t.Fatal(err)
	}
	plan, err := st.Core.Roster.Generate(ctx, st.Admin, "2026-11-25", "2026-11-29")
	if err != nil {
		t.Fatal(err)
	}
	last := func(t *testing.T) (roster.Cover, string) {
		t.Helper()
		var payload string
		if err := st.Core.DB.Read().QueryRow(`SELECT payload FROM outbox WHERE kind = ? AND entity_id = ? ORDER BY seq DESC LIMIT 1`,
			roster.CoverKind, plan.ID).Scan(&payload); err != nil {
			t.Fatal(err)
		}
		var c roster.Cover
		if err := json.Unmarshal([]byte(payload), &c); err != nil {
			t.Fatal(err)
		}
		return c, payload
	}
	places := func(filled int) []roster.CoverPlace {
		sid := plan.Assignments[0].ShiftID
		return []roster.CoverPlace{{Date: "2026-11-28", ShiftID: sid, Places: 1, Filled: 1}, {Date: "2026-11-29", ShiftID: sid, Places: 1, Filled: filled}}
	}
	t.Run("the draft is sent when generated", func(t *testing.T) {
		c, payload := last(t)
		if c.Status != roster.StatusDraft || c.From != "2026-11-25" || c.To != "2026-11-29" || !reflect.DeepEqual(c.Places, places(1)) {
			t.Fatalf("cover %+v", c)
		}
		if strings.Contains(payload, duty.ID) {
			t.Fatalf("the cover names a staff member: %s", payload)
		}
	})
	t.Run("publishing sends it published", func(t *testing.T) {
		if _, err := st.Core.Roster.Publish(ctx, st.Admin, plan.ID); err != nil {
			t.Fatal(err)
		}
		if c, _ := last(t); c.Status != roster.StatusPublished || !reflect.DeepEqual(c.Places, places(1)) {
			t.Fatalf("cover %+v", c)
		}
	})
	t.Run("a place left vacant after publishing is sent unfilled", func(t *testing.T) {
		if _, err := st.Core.Roster.Assign(ctx, st.Admin, plan.ID, plan.Assignments[1].ID, ""); err != nil {
			t.Fatal(err)
		}
		if c, _ := last(t); c.Status != roster.StatusPublished || !reflect.DeepEqual(c.Places, places(0)) {
			t.Fatalf("cover %+v", c)
		}
	})
}
