package roster_test

import (
	"fmt"
	"reflect"
	"testing"

	"pgregory.net/rapid"

	"budayang/backend/calendar"
	"budayang/backend/roster"
)

func TestMarketDays_FollowTheCalendarRule(t *testing.T) {
	from, _ := calendar.ParseDate("2026-10-01")
	to, _ := calendar.ParseDate("2026-12-31")
	tests := []struct {
		name string
		rule calendar.MarketRule
		want []string
	}{
		{"逢1、4、7 (solar) in October", calendar.MarketRule{Kind: calendar.MarketSolar, Days: []int{1, 4, 7, 11, 14, 17, 21, 24, 27, 31}},
			[]string{"2026-10-01", "2026-10-04", "2026-10-07", "2026-10-11", "2026-10-14", "2026-10-17", "2026-10-21", "2026-10-24", "2026-10-27", "2026-10-31"}},
		// The new moons of Q4 2026 fall on 10 October (23:50 Beijing time),
		// 9 November and 9 December; the full-moon-side 十五 two weeks on.
		{"农历初一、十五 (lunar)", calendar.MarketRule{Kind: calendar.MarketLunar, Days: []int{1, 15}},
			[]string{"2026-10-10", "2026-10-24", "2026-11-09", "2026-11-23", "2026-12-09", "2026-12-23"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := roster.MarketDays(tc.rule, from, to)
			if tc.rule.Kind == calendar.MarketSolar {
				got = got[:min(len(got), len(tc.want))]
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("market days: got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGenerateMarket_TakesEachVillageInTurn(t *testing.T) {
	from, _ := calendar.ParseDate("2026-10-01")
	to, _ := calendar.ParseDate("2026-10-31")
	days := roster.MarketDays(calendar.MarketRule{Kind: calendar.MarketSolar, Days: []int{1, 4, 7, 11, 14, 17, 21, 24, 27, 31}}, from, to)
	in := roster.MarketInput{Days: days, PerVillage: 1, Villages: []roster.Village{
		{Name: "石桥村", People: []roster.Person{{ID: "a1", Name: "王村长"}, {ID: "a2", Name: "李代办"}, {ID: "a3", Name: "张文书",
			Unavailable: []roster.Unavailability{{From: "2026-10-01", To: "2026-10-15", Reason: "培训"}}}}},
		{Name: "白鹤村", People: []roster.Person{{ID: "b1", Name: "赵书记", Carry: 1}, {ID: "b2", Name: "钱代办"}}},
		{Name: "空村", People: nil},
	}}
	r := roster.GenerateMarket(in)
	t.Run("each village sends one a market day", func(t *testing.T) {
		if len(r.Duties) != 3*len(days) {
			t.Fatalf("got %d places, want %d", len(r.Duties), 3*len(days))
		}
	})
	t.Run("turns go round, the trainee joins when back", func(t *testing.T) {
		var shiqiao, baihe []string
		for _, d := range r.Duties {
			switch d.Village {
			case "石桥村":
				shiqiao = append(shiqiao, d.StaffID)
			case "白鹤村":
				baihe = append(baihe, d.StaffID)
			}
		}
		// Until 15 October a3 is away; from the 17th they catch up first.
		want := []string{"a1", "a2", "a1", "a2", "a1", "a3", "a3", "a2", "a3", "a1"}
		if !reflect.DeepEqual(shiqiao, want) {
			t.Errorf("石桥村: got %v, want %v", shiqiao, want)
		}
		// b1 carried one market day over, so b2 goes first.
		if baihe[0] != "b2" || baihe[1] != "b1" {
			t.Errorf("白鹤村 starts %v, want b2 then b1", baihe[:2])
		}
	})
	t.Run("a village with nobody is named unfilled", func(t *testing.T) {
		if len(r.Unfilled) != len(days) || r.Unfilled[0].Village != "空村" || r.Unfilled[0].Reason != "本村没有登记村社干部或代办员。" {
			t.Errorf("unfilled: %+v", r.Unfilled)
		}
	})
}

// TestGenerateMarket_Properties holds the drafter to its contract on random
// villages: exactly PerVillage places a village a market day, nobody on a
// day they are unavailable, nobody twice a day, a vacancy only when
// everyone free that day is already taken, and within a village people with
// the same absences and the same carry within one market day of each other.
func TestGenerateMarket_Properties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		start, _ := calendar.ParseDate("2026-10-01")
		var days []string
		for i := 0; i < 92; i++ {
			if rapid.IntRange(0, 2).Draw(t, "market") == 0 {
				days = append(days, calendar.FormatDate(start.AddDate(0, 0, i)))
			}
		}
		per := rapid.IntRange(1, 3).Draw(t, "per")
		var villages []roster.Village
		for v := 0; v < rapid.IntRange(1, 4).Draw(t, "villages"); v++ {
			vil := roster.Village{Name: fmt.Sprintf("村%d", v)}
			for i := 0; i < rapid.IntRange(0, 6).Draw(t, "people"); i++ {
				p := roster.Person{ID: fmt.Sprintf("v%dp%d", v, i), Carry: float64(rapid.IntRange(0, 1).Draw(t, "carry"))}
				if rapid.IntRange(0, 2).Draw(t, "away") == 0 {
					a := rapid.IntRange(0, 80).Draw(t, "from")
					p.Unavailable = []roster.Unavailability{{From: calendar.FormatDate(start.AddDate(0, 0, a)),
						To: calendar.FormatDate(start.AddDate(0, 0, a+rapid.IntRange(0, 20).Draw(t, "len"))), Reason: "请假"}}
				}
				vil.People = append(vil.People, p)
			}
			villages = append(villages, vil)
		}
		r := roster.GenerateMarket(roster.MarketInput{Days: days, Villages: villages, PerVillage: per})
		if len(r.Duties) != per*len(days)*len(villages) {
			t.Fatalf("got %d places, want %d", len(r.Duties), per*len(days)*len(villages))
		}
		count := map[string]int{}
		byDay := map[string]map[string]bool{}
		vacant := map[string]int{}
		for _, d := range r.Duties {
			k := d.Date + "|" + d.Village
			if d.StaffID == "" {
				vacant[k]++
				continue
			}
			if byDay[k] == nil {
				byDay[k] = map[string]bool{}
			}
			if byDay[k][d.StaffID] {
				t.Fatalf("%s twice on %s", d.StaffID, d.Date)
			}
			byDay[k][d.StaffID] = true
			count[d.StaffID]++
		}
		for _, v := range villages {
			for _, date := range days {
				free := 0
				for _, p := range v.People {
					off := false
					for _, u := range p.Unavailable {
						if u.From <= date && date <= u.To {
							off = true
						}
					}
					if off && byDay[date+"|"+v.Name][p.ID] {
						t.Fatalf("%s on %s while unavailable", p.ID, date)
					}
					if !off {
						free++
					}
				}
				if n := vacant[date+"|"+v.Name]; n > 0 && free != per-n {
					t.Fatalf("%s %s: %d vacant with %d free people", v.Name, date, n, free)
				}
			}
			group := map[string][]int{}
			for _, p := range v.People {
				k := fmt.Sprintf("%s|%v", roster.AvailabilityKey(p), p.Carry)
				group[k] = append(group[k], count[p.ID])
			}
			for k, cs := range group {
				lo, hi := cs[0], cs[0]
				for _, c := range cs {
					lo, hi = min(lo, c), max(hi, c)
				}
				if hi-lo > 1 {
					t.Fatalf("%s group %s: market days %v differ by more than one", v.Name, k, cs)
				}
			}
		}
	})
}
