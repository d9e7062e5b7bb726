package roster

import (
	"fmt"
	"sort"
	"time"

	"budayang/backend/calendar"
)

// Village is one village with the cadres and assistants who come to the
// centre on market days (逢场天) in turn.
type Village struct {
	Name   string
	People []Person
}

// MarketInput is what the market-day rota is drafted from, as plain values:
// the market dates in order (from the calendar's MarketRule), the villages
// with their people, each person's absences and carried load (Person.Carry,
// the market duties they did before the period, less the least in their
// village), and how many of each village come each market day.
type MarketInput struct {
	Days       []string
	Villages   []Village
	PerVillage int
}

// MarketDuty is one village's place at the centre on one market day; a
// vacant place has StaffID "".
type MarketDuty struct {
	Date    string `json:"date"`
	Village string `json:"village"`
	StaffID string `json:"staff_id"`
	Name    string `json:"name"`
}

// MarketUnfilled is a village's market day with places nobody could take.
type MarketUnfilled struct {
	Date    string `json:"date"`
	Village string `json:"village"`
	Missing int    `json:"missing"`
	Reason  string `json:"reason"`
}

// MarketLoad is one person's market days this period and brought over.
type MarketLoad struct {
	StaffID string  `json:"staff_id"`
	Name    string  `json:"name"`
	Village string  `json:"village"`
	Count   int     `json:"count"`
	Carried float64 `json:"carried"`
}

// MarketRota is a drafted market-day rota.
type MarketRota struct {
	Duties   []MarketDuty     `json:"duties"`
	Unfilled []MarketUnfilled `json:"unfilled"`
	Load     []MarketLoad     `json:"load"`
}

// MarketPerVillageMax bounds how many of one village come on one day.
const MarketPerVillageMax = 5

// GenerateMarket drafts the market-day rota: on each market day each
// village sends PerVillage of its people, taking in turn the one with the
// least market load (carry included), never someone unavailable that day
// and never the same person twice a day. Within a village, people with the
// same absences and the same carry end within one market day of each other:
// the one picked always had no more load than the others available with
// them. Places nobody could take stay vacant and are named in Unfilled.
func GenerateMarket(in MarketInput) MarketRota {
	out := MarketRota{Duties: []MarketDuty{}, Unfilled: []MarketUnfilled{}, Load: []MarketLoad{}}
	villages := append([]Village(nil), in.Villages...)
	sort.Slice(villages, func(i, j int) bool { return villages[i].Name < villages[j].Name })
	count := map[string]int{}
	for _, date := range in.Days {
		for _, v := range villages {
			taken := map[string]bool{}
			missing, away := 0, 0
			for k := 0; k < in.PerVillage; k++ {
				best := -1
				away = 0
				for i, p := range v.People {
					if taken[p.ID] {
						continue
					}
					if _, off := p.unavailableOn(date); off {
						away++
						continue
					}
					if best < 0 || marketLighter(p, v.People[best], count) {
						best = i
					}
				}
				d := MarketDuty{Date: date, Village: v.Name}
				if best < 0 {
					missing++
				} else {
					p := v.People[best]
					d.StaffID, d.Name = p.ID, p.Name
					taken[p.ID] = true
					count[p.ID]++
				}
				out.Duties = append(out.Duties, d)
			}
			if missing > 0 {
				out.Unfilled = append(out.Unfilled, MarketUnfilled{Date: date, Village: v.Name, Missing: missing, Reason: marketReason(len(v.People), away)})
			}
		}
	}
	for _, v := range villages {
		ps := append([]Person(nil), v.People...)
		sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
		for _, p := range ps {
			out.Load = append(out.Load, MarketLoad{StaffID: p.ID, Name: p.Name, Village: v.Name, Count: count[p.ID], Carried: p.Carry})
		}
	}
	return out
}

// marketLighter orders candidates by carry plus market days so far, then id.
func marketLighter(a, b Person, count map[string]int) bool {
	la, lb := a.Carry+float64(count[a.ID]), b.Carry+float64(count[b.ID])
	if la != lb {
		return la < lb
	}
	return a.ID < b.ID
}

func marketReason(people, away int) string {
	if people == 0 {
		return "本村没有登记村社干部或代办员。"
	}
	if away > 0 {
		return fmt.Sprintf("本村可排人员不足：%d人当天请假或不可值班。", away)
	}
	return "本村人数少于每个逢场天需要的人数。"
}

// MarketDays lists the market dates from..to inclusive under rule.
func MarketDays(rule calendar.MarketRule, from, to time.Time) []string {
	var out []string
	for d := calendar.Date(from); !d.After(to); d = d.AddDate(0, 0, 1) {
		if rule.Matches(d) {
			out = append(out, calendar.FormatDate(d))
		}
	}
	return out
}
