package report_test

import (
	"context"
	"reflect"
	"testing"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/core/coretest"
	"budayang/backend/proxy"
	"budayang/backend/report"
	"budayang/backend/roster"
)

// TestService_Compliance reads the coming month's duty cover from a
// published roster: the fixture's clock is Wednesday 2026-11-25, so the
// month runs to 2026-12-24 and holds 8 weekend days; the plan published
// covers the first four.
func TestService_Compliance(t *testing.T) {
	st := coretest.Open(t)
	ctx := context.Background()
	st.Person("duty1", "值班甲", account.RoleDuty)
	st.Person("duty2", "值班乙", account.RoleDuty)
	shift := roster.Shift{Name: "周末白班", Days: []string{roster.DayWeekend}, Start: "08:00", End: "18:00", People: 1}
	if _, err := st.Core.Roster.SetSetup(ctx, st.Admin, roster.Setup{Shifts: []roster.Shift{shift}, Rules: roster.DefaultRules()}); err != nil {
		t.Fatal(err)
	}
	plan, err := st.Core.Roster.Generate(ctx, st.Admin, "2026-11-25", "2026-12-10")
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Unfilled) != 0 {
		t.Fatalf("draft left places vacant: %+v", plan.Unfilled)
	}
	if _, err := st.Core.Roster.Publish(ctx, st.Admin, plan.ID); err != nil {
		t.Fatal(err)
	}
	c, err := st.Core.Reports.Compliance(ctx, st.Admin)
	if err != nil {
		t.Fatal(err)
	}
	if c.From != "2026-11-25" || c.To != "2026-12-24" {
		t.Errorf("period: got %s..%s", c.From, c.To)
	}
	byCode := map[string]report.ComplianceLine{}
	for _, l := range c.Lines {
		byCode[l.Code] = l
	}
	duty := byCode[report.CodeDutyCover]
	if duty.Status != report.NotMet || duty.Required != 8 || duty.Actual != 4 {
		t.Errorf("duty cover: got %+v, want 4 of 8 places", duty)
	}
	var dates []string
	for _, g := range c.DutyGaps {
		dates = append(dates, g.Date)
		if g.ShiftName != "周末白班" || g.Missing != 1 {
			t.Errorf("gap: got %+v", g)
		}
	}
	if want := []string{"2026-12-12", "2026-12-13", "2026-12-19", "2026-12-20"}; !reflect.DeepEqual(dates, want) {
		t.Errorf("gaps on %v, want %v", dates, want)
	}
	// The fixture is a town of 42,000 with no clerk, no floor area, no terminal.
	for code, want := range map[string]string{"window_staff.pop_3_6wan": report.NotMet, "floor_area.town_street": report.NotMet,
		"terminals.town": report.NotMet, report.CodeVillagesNoData: report.Unknown} {
		if byCode[code].Status != want {
			t.Errorf("%s: got %+v, want %s", code, byCode[code], want)
		}
	}
	lists := 0
	for _, l := range c.Lines {
		if l.Code == report.CodeCatalogList {
			lists++
		}
	}
	if lists != len(report.PlanLists) {
		t.Errorf("got %d catalog lines, want %d", lists, len(report.PlanLists))
	}

	t.Run("AdminOnly", func(t *testing.T) {
		clerk := st.Person("clerk1", "李窗口", account.RoleClerk)
		if _, err := st.Core.Reports.Compliance(ctx, clerk); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("clerk: got %v, want forbidden", err)
		}
	})
}

// TestService_ComplianceCountsAssistantsByVillage reads task 12 from the
// proxy service's village registry: a village nobody covers is named.
func TestService_ComplianceCountsAssistantsByVillage(t *testing.T) {
	st := coretest.Open(t)
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"石桥村", "白鹤村"} {
		v, err := st.Core.Proxy.AddVillage(ctx, st.Admin, proxy.Village{Name: name, Room: "石桥村便民服务室"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	helper := st.Person("helper1", "代办甲", account.RoleAssistant)
	covered := ids[:1]
	if _, err := st.Core.Proxy.SetCard(ctx, st.Admin, helper.ID, proxy.CardInput{WorkPhone: "0851-1234567", VillageIDs: &covered}); err != nil {
		t.Fatal(err)
	}
	c, err := st.Core.Reports.Compliance(ctx, st.Admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Lines {
		if l.Code == report.CodeVillagesNoData {
			t.Fatalf("villages are recorded, yet the page says there are none: %+v", l)
		}
		if l.Code == report.CodeVillagesAssistants && (l.Status != report.NotMet || l.Required != 2 || l.Actual != 1) {
			t.Errorf("villages line: got %+v, want 1 of 2 covered", l)
		}
	}
	if !reflect.DeepEqual(c.ShortVillages, []string{"白鹤村"}) {
		t.Errorf("short villages: got %v, want [白鹤村]", c.ShortVillages)
	}
}
