package roster

import (
	"fmt"
	"sort"
	"strings"

	"budayang/backend/account"
)

// Input is everything the generator needs, as plain values.
type Input struct {
	Rules  Rules
	Shifts []Shift
	People []Person
	Days   []Day
	// Held are duties already published next to the period; the rules count
	// them (rest after last night's duty, a run of days) but they are not
	// part of the draft.
	Held  []Duty
	NewID func() string
}

// Unfilled is a shift on a date with places nobody could take.
type Unfilled struct {
	Date    string `json:"date"`
	ShiftID string `json:"shift_id"`
	Missing int    `json:"missing"`
	Reason  string `json:"reason"`
}

// Load is a person's weighted duty this period; Carried is what they
// brought over from the previous one.
type Load struct {
	StaffID string  `json:"staff_id"`
	Weight  float64 `json:"weight"`
	Carried float64 `json:"carried"`
}

// Draft is a generated roster: every place of every shift, vacant ones with
// StaffID "" and named in Unfilled.
type Draft struct {
	Duties   []Duty
	Unfilled []Unfilled
	Load     []Load
}

// Generate drafts a roster that breaks no hard rule. Each place goes to the
// eligible person with the least load so far (carry included), so among
// people with the same availability the loads stay within one duty's
// weight of each other; a last pass moves duties from the most to the
// least loaded of such a group where the rules allow, for the cases the
// rules made the first pass skip someone.
func Generate(in Input) Draft {
	c := NewChecker(in.Rules, in.People, in.Held)
	load := map[string]float64{}
	count := map[string]int{}
	order := append([]Person(nil), in.People...)
	sort.Slice(order, func(i, j int) bool { return order[i].ID < order[j].ID })
	shifts := append([]Shift(nil), in.Shifts...)
	sort.SliceStable(shifts, func(i, j int) bool { return shifts[i].Start < shifts[j].Start })
	var out Draft
	for _, day := range in.Days {
		for _, s := range shifts {
			if !s.Applies(day) {
				continue
			}
			missing := 0
			why := newTally()
			for k := 0; k < s.People; k++ {
				d := s.DutyOn(day)
				d.ID = in.NewID()
				best := -1
				for i, p := range order {
					if s.Role != "" && p.Role != s.Role {
						continue
					}
					if best >= 0 && !lighter(p, order[best], load, count) {
						continue
					}
					d.StaffID = p.ID
					if v := c.Check(d, s); v != nil {
						why.add(v.Rule)
						continue
					}
					best = i
				}
				d.StaffID = ""
				if best >= 0 {
					d.StaffID = order[best].ID
					c.Add(d)
					load[d.StaffID] += d.Weight
					count[d.StaffID]++
				} else {
					missing++
				}
				out.Duties = append(out.Duties, d)
			}
			if missing > 0 {
				out.Unfilled = append(out.Unfilled, Unfilled{Date: day.Date, ShiftID: s.ID, Missing: missing, Reason: why.reason(s, len(order))})
			}
		}
	}
	rebalance(in, c, out.Duties, load)
	for _, p := range order {
		out.Load = append(out.Load, Load{StaffID: p.ID, Weight: round2(load[p.ID]), Carried: p.Carry})
	}
	return out
}

// lighter orders candidates: least load with carry, then fewest duties,
// then id, so the draft is the same for the same input.
func lighter(a, b Person, load map[string]float64, count map[string]int) bool {
	la, lb := a.Carry+load[a.ID], b.Carry+load[b.ID]
	if la != lb {
		return la < lb
	}
	if count[a.ID] != count[b.ID] {
		return count[a.ID] < count[b.ID]
	}
	return a.ID < b.ID
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

// AvailabilityKey groups people the fairness bound compares: the same role
// and the same declared absences.
func AvailabilityKey(p Person) string {
	var b strings.Builder
	b.WriteString(p.Role)
	us := append([]Unavailability(nil), p.Unavailable...)
	sort.Slice(us, func(i, j int) bool { return us[i].From < us[j].From })
	for _, u := range us {
		fmt.Fprintf(&b, "|%s~%s", u.From, u.To)
	}
	return b.String()
}

// rebalance moves duties from the most to the least loaded person of a
// group of equal availability while that narrows the gap and breaks no
// rule. It ends: every move lowers the sum of squared loads.
func rebalance(in Input, c *Checker, duties []Duty, load map[string]float64) {
	shifts := map[string]Shift{}
	for _, s := range in.Shifts {
		shifts[s.ID] = s
	}
	groups := map[string][]Person{}
	for _, p := range in.People {
		k := AvailabilityKey(p)
		groups[k] = append(groups[k], p)
	}
	maxW := 0.0
	for _, d := range duties {
		if d.Weight > maxW {
			maxW = d.Weight
		}
	}
	for _, g := range groups {
		for iter := 0; iter < 10*len(duties)+10; iter++ {
			sort.Slice(g, func(i, j int) bool {
				li, lj := g[i].Carry+load[g[i].ID], g[j].Carry+load[g[j].ID]
				if li != lj {
					return li < lj
				}
				return g[i].ID < g[j].ID
			})
			if len(g) < 2 {
				break
			}
			lo, hi := g[0], g[len(g)-1]
			gap := (hi.Carry + load[hi.ID]) - (lo.Carry + load[lo.ID])
			if gap <= maxW+1e-9 || !moveOne(c, shifts, duties, load, hi, lo, gap) {
				break
			}
		}
	}
}

func moveOne(c *Checker, shifts map[string]Shift, duties []Duty, load map[string]float64, from, to Person, gap float64) bool {
	for i := range duties {
		d := duties[i]
		if d.StaffID != from.ID || d.Weight >= gap-1e-9 {
			continue
		}
		c.Remove(d)
		moved := d
		moved.StaffID = to.ID
		if c.Check(moved, shifts[d.ShiftID]) == nil {
			c.Add(moved)
			duties[i] = moved
			load[from.ID] -= d.Weight
			load[to.ID] += d.Weight
			return true
		}
		c.Add(d)
	}
	return false
}

// Spread is max − min load (carry included) within each group of equal
// availability, the largest over the groups.
func Spread(people []Person, load map[string]float64) float64 {
	lo, hi := map[string]float64{}, map[string]float64{}
	worst := 0.0
	for _, p := range people {
		k := AvailabilityKey(p)
		l := p.Carry + load[p.ID]
		if v, ok := lo[k]; !ok || l < v {
			lo[k] = l
		}
		if v, ok := hi[k]; !ok || l > v {
			hi[k] = l
		}
		if hi[k]-lo[k] > worst {
			worst = hi[k] - lo[k]
		}
	}
	return worst
}

type tally struct {
	byRule map[string]int
}

func newTally() *tally { return &tally{byRule: map[string]int{}} }

func (t *tally) add(rule string) { t.byRule[rule]++ }

var ruleNames = []struct{ rule, name string }{
	{RuleUnavailable, "请假或不可值班"},
	{RulePerDay, "当天已有值班"},
	{RuleRest, "两班间隔不足"},
	{RuleConsecutive, "连续值班天数已满"},
	{RuleOverlap, "时间重叠"},
}

// reason says in Chinese why a place stayed empty.
func (t *tally) reason(s Shift, people int) string {
	if people == 0 {
		return "没有可排班的人员。"
	}
	if s.Role != "" && len(t.byRule) == 0 {
		return fmt.Sprintf("没有岗位为“%s”的人员。", account.RoleName(s.Role))
	}
	var parts []string
	for _, r := range ruleNames {
		if n := t.byRule[r.rule]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s%d人次", r.name, n))
		}
	}
	return "可排人员都不能再排：" + strings.Join(parts, "，") + "。"
}
