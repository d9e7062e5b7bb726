package report_test

import (
	"reflect"
	"testing"

	"budayang/backend/catalog"
	"budayang/backend/report"
	"budayang/backend/roster"
	"budayang/backend/site"
)

func TestSiteLines_HandMadeProfiles(t *testing.T) {
	tests := []struct {
		name        string
		profile     site.Profile
		clerks      int
		wantStatus  [3]string
		wantReq     [3]int
		wantAdvice  [3]bool
		wantCodes   [3]string
		wantActuals [3]int
	}{
		{"AreaCentreShortEverywhere",
			site.Profile{Kind: site.KindArea, Population: 65000, FloorAreaM2: 450, Terminals: 2}, 8,
			[3]string{report.NotMet, report.NotMet, report.NotMet}, [3]int{9, 500, 3}, [3]bool{true, true, true},
			[3]string{site.RuleStaffOver6Wan, site.RuleAreaArea, site.RuleTermArea}, [3]int{8, 450, 2}},
		{"SubCentreTownMeetsAll",
			site.Profile{Kind: site.KindTown, Population: 42000, FloorAreaM2: 320, Terminals: 2, SubCentre: true}, 7,
			[3]string{report.Met, report.Met, report.Met}, [3]int{7, 300, 2}, [3]bool{false, false, false},
			[3]string{site.RuleStaff3To6Wan, site.RuleAreaTown, site.RuleTermSubCentre}, [3]int{7, 320, 2}},
		{"TownshipWithoutTerminal",
			site.Profile{Kind: site.KindTownship, Population: 12000, FloorAreaM2: 200}, 5,
			[3]string{report.Met, report.Met, report.NotMet}, [3]int{5, 200, 1}, [3]bool{false, false, true},
			[3]string{site.RuleStaffUnder3Wan, site.RuleAreaTownship, site.RuleTermTown}, [3]int{5, 200, 0}},
		{"VillageRoomNoMinimums",
			site.Profile{Kind: site.KindVillage, Population: 3000}, 0,
			[3]string{report.Met, report.Met, report.Met}, [3]int{0, 0, 0}, [3]bool{false, false, false},
			[3]string{site.RuleStaffVillage, site.RuleAreaVillage, site.RuleTermVillage}, [3]int{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := report.SiteLines(site.Check(tt.profile, tt.clerks))
			if len(lines) != 3 {
				t.Fatalf("got %d lines, want 3", len(lines))
			}
			for i, l := range lines {
				if l.Status != tt.wantStatus[i] || l.Required != tt.wantReq[i] || l.Actual != tt.wantActuals[i] || l.Code != tt.wantCodes[i] {
					t.Errorf("line %d: got %+v, want %s %d/%d %s", i, l, tt.wantStatus[i], tt.wantActuals[i], tt.wantReq[i], tt.wantCodes[i])
				}
				if (l.Advice != "") != tt.wantAdvice[i] || l.Requirement == "" {
					t.Errorf("line %d: advice %q requirement %q", i, l.Advice, l.Requirement)
				}
			}
			if want := []int{7, 15, 6}; lines[0].Task != want[0] || lines[1].Task != want[1] || lines[2].Task != want[2] {
				t.Errorf("tasks: got %d %d %d, want 7 15 6", lines[0].Task, lines[1].Task, lines[2].Task)
			}
		})
	}
}

func TestVillageLine(t *testing.T) {
	t.Run("NoVillageData", func(t *testing.T) {
		l, short := report.VillageLine(nil, false)
		if l.Status != report.Unknown || l.Code != report.CodeVillagesNoData || l.Advice == "" || len(short) != 0 {
			t.Errorf("got %+v %v, want unknown with advice", l, short)
		}
	})
	t.Run("TwoShort", func(t *testing.T) {
		l, short := report.VillageLine([]report.VillageAssistants{{"新华村", 2}, {"石桥社区", 0}, {"白鹤村", 0}, {"双河村", 1}}, true)
		if l.Status != report.NotMet || l.Required != 4 || l.Actual != 2 || l.Params["short"] != 2 {
			t.Errorf("got %+v", l)
		}
		if want := []string{"白鹤村", "石桥社区"}; !reflect.DeepEqual(short, want) {
			t.Errorf("short: got %v, want %v", short, want)
		}
	})
	t.Run("AllCovered", func(t *testing.T) {
		l, short := report.VillageLine([]report.VillageAssistants{{"新华村", 1}}, true)
		if l.Status != report.Met || l.Advice != "" || len(short) != 0 {
			t.Errorf("got %+v %v", l, short)
		}
	})
}

func TestDutyCover(t *testing.T) {
	weekend := map[string]bool{roster.DayWeekend: true}
	evening := map[string]bool{roster.DayWorkdayEvening: true}
	days := []roster.Day{
		{Date: "2026-11-27", Kinds: evening}, // Friday
		{Date: "2026-11-28", Kinds: weekend},
		{Date: "2026-11-29", Kinds: weekend},
	}
	shifts := []roster.Shift{
		{ID: "eve", Name: "晚班", Days: []string{roster.DayWorkdayEvening}, People: 1},
		{ID: "day", Name: "白班", Days: []string{roster.DayWeekend}, People: 2},
	}
	t.Run("GapsAndVacantPlaces", func(t *testing.T) {
		held := []roster.Duty{
			{Date: "2026-11-27", ShiftID: "eve", StaffID: "p1"},
			{Date: "2026-11-28", ShiftID: "day", StaffID: "p2"},
			{Date: "2026-11-28", ShiftID: "day", StaffID: ""}, // vacant place
			{Date: "2026-11-29", ShiftID: "day", StaffID: "p3"},
			{Date: "2026-11-29", ShiftID: "day", StaffID: "p4"},
			{Date: "2026-11-29", ShiftID: "day", StaffID: "p5"}, // more than needed counts as full
		}
		l, gaps := report.DutyCover(days, shifts, held)
		if l.Status != report.NotMet || l.Required != 5 || l.Actual != 4 || l.Advice == "" {
			t.Errorf("line: got %+v, want 4 of 5 places", l)
		}
		want := []report.DutyGap{{Date: "2026-11-28", ShiftID: "day", ShiftName: "白班", Missing: 1}}
		if !reflect.DeepEqual(gaps, want) {
			t.Errorf("gaps: got %+v, want %+v", gaps, want)
		}
	})
	t.Run("NoPublishedRoster", func(t *testing.T) {
		l, gaps := report.DutyCover(days, shifts, nil)
		if l.Status != report.NotMet || l.Actual != 0 || len(gaps) != 3 {
			t.Errorf("got %+v, %d gaps, want 3", l, len(gaps))
		}
	})
	t.Run("AllCovered", func(t *testing.T) {
		held := []roster.Duty{{Date: "2026-11-27", ShiftID: "eve", StaffID: "a"},
			{Date: "2026-11-28", ShiftID: "day", StaffID: "b"}, {Date: "2026-11-28", ShiftID: "day", StaffID: "c"},
			{Date: "2026-11-29", ShiftID: "day", StaffID: "d"}, {Date: "2026-11-29", ShiftID: "day", StaffID: "e"}}
		l, gaps := report.DutyCover(days, shifts, held)
		if l.Status != report.Met || l.Advice != "" || len(gaps) != 0 {
			t.Errorf("got %+v %v", l, gaps)
		}
	})
	t.Run("NoShifts", func(t *testing.T) {
		l, _ := report.DutyCover(days, nil, nil)
		if l.Status != report.NotMet || l.Code != report.CodeDutyNoShifts {
			t.Errorf("got %+v", l)
		}
	})
}

func TestCatalogLines(t *testing.T) {
	lines := report.CatalogLines([]catalog.ListSummary{
		{Tag: catalog.TagOneThing, Count: 12}, {Tag: catalog.TagZeroMaterial, Count: 0},
		{Tag: catalog.TagCrossProvince, Count: 3}, {Tag: catalog.TagSelfService, Count: 9},
	})
	want := map[string]string{catalog.TagOneThing: report.Met, catalog.TagZeroMaterial: report.NotMet,
		catalog.TagCrossProvince: report.Met, catalog.TagSichuanCQ: report.NotMet, catalog.TagHighFrequency: report.NotMet}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d", len(lines), len(want))
	}
	for _, l := range lines {
		tag := l.Params["tag"].(string)
		if l.Status != want[tag] || l.Task != 3 || (l.Status == report.NotMet) != (l.Advice != "") {
			t.Errorf("%s: got %+v, want %s", tag, l, want[tag])
		}
	}
}
