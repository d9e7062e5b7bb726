// Package rank scores and orders people for the gold, silver and bronze
// service staff (金牌、银牌、铜牌) of the plan's section 三(四): one formula
// for a centre's period reports (backend/report) and the county's
// inspection view (backend/county), pure over plain figures.
package rank

import (
	"math"
	"sort"
)

// Medals given to the first three ranks.
const (
	Gold   = "gold"
	Silver = "silver"
	Bronze = "bronze"
)

// Input is one person's figures a rank is scored on.
type Input struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Volume is the work done: tickets served and cases closed for window
	// staff, proxy cases opened for assistants.
	Volume int `json:"volume"`
	// Rated and Good count ratings (upheld appeals excluded) and the good
	// ones among them.
	Rated int `json:"rated"`
	Good  int `json:"good"`
	// Closed and OnTime count cases closed and closed in time.
	Closed int `json:"closed"`
	OnTime int `json:"on_time"`
	// Complaints counts bad ratings not voided by an upheld appeal.
	Complaints int `json:"complaints"`
}

// Ranked is a person's place in a ranking.
type Ranked struct {
	Input
	// Score is in thousandths: 1000 is a perfect score before penalties.
	Score     int    `json:"score"`
	Qualified bool   `json:"qualified"`
	Rank      int    `json:"rank"` // 0 when not qualified
	Tie       bool   `json:"tie"`
	Medal     string `json:"medal,omitempty"`
}

// MinVolume is the least work that qualifies a person for a rank.
const MinVolume = 20

// Score weights, in thousandths, and the penalty per complaint.
const (
	weightGood       = 500
	weightOnTime     = 300
	weightVolume     = 200
	complaintPenalty = 50
)

// Order scores and ranks people for the gold, silver and bronze candidates
// (金牌、银牌、铜牌). The formula, the same for a centre's period reports and the county's
// inspection view, so a person ranks alike at both:
//
//	score = round(1000 × (0.5·G + 0.3·T + 0.2·V) / (weights present)) − 50·complaints
//
// where G is the good-rating rate (good ÷ rated, upheld appeals excluded), T
// the on-time rate (cases closed in time ÷ closed) and V the volume
// normalised to the busiest qualified person (volume ÷ highest volume). A
// rate with nothing to count (no ratings, no closed cases) is left out and
// the remaining weights are scaled back to 1000, so an assistant with no
// closed window cases is scored on ratings and volume alone. Each complaint
// (bad rating not voided on appeal) takes 50 off. Only people with at least
// MinVolume of work qualify; the others are listed after them, unranked.
//
// Ranks are competition ranks over the score: equal scores share a rank and
// are flagged as a tie, and the next rank skips (1, 1, 3). Gold goes to rank
// 1, silver to rank 2, bronze to rank 3, so tied people share a medal and a
// skipped rank gives none. Within equal scores people are listed by name,
// then key, so the order never depends on the input's.
func Order(people []Input) []Ranked {
	top := 0
	for _, p := range people {
		if p.Volume >= MinVolume && p.Volume > top {
			top = p.Volume
		}
	}
	out := make([]Ranked, len(people))
	for i, p := range people {
		r := Ranked{Input: p, Qualified: p.Volume >= MinVolume}
		if r.Qualified {
			r.Score = score(p, top)
		}
		out[i] = r
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Qualified != b.Qualified {
			return a.Qualified
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Key < b.Key
	})
	for i := range out {
		if !out[i].Qualified {
			break
		}
		switch {
		case i > 0 && out[i-1].Score == out[i].Score:
			out[i].Rank = out[i-1].Rank
			out[i].Tie, out[i-1].Tie = true, true
		default:
			out[i].Rank = i + 1
		}
	}
	for i := range out {
		switch out[i].Rank {
		case 1:
			out[i].Medal = Gold
		case 2:
			out[i].Medal = Silver
		case 3:
			out[i].Medal = Bronze
		}
	}
	return out
}

func score(p Input, top int) int {
	sum, weights := 0.0, 0.0
	if p.Rated > 0 {
		sum += weightGood * float64(p.Good) / float64(p.Rated)
		weights += weightGood
	}
	if p.Closed > 0 {
		sum += weightOnTime * float64(p.OnTime) / float64(p.Closed)
		weights += weightOnTime
	}
	if top > 0 {
		sum += weightVolume * float64(p.Volume) / float64(top)
		weights += weightVolume
	}
	if weights == 0 {
		return 0
	}
	return int(math.Round(1000*sum/weights)) - complaintPenalty*p.Complaints
}
