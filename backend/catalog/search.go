package catalog

import (
	"sort"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// Query filters and searches the catalog. Text matches the item name (as
// typed), its full pinyin, its pinyin initials or any mix of whole and
// partial syllables ("dibao", "db", "dbsq", "shb"), the code and the
// department; the other fields narrow the result to exact values.
type Query struct {
	Text       string
	Department string
	Tag        string
	Level      string
}

// maxQuery bounds the search text; longer text is cut, not refused.
const maxQuery = 40

// unit is one character of a name: what may stand for it in a query. Han
// characters stand for themselves and every reading; punctuation can be
// passed over.
type unit struct {
	alts []string
	skip bool
}

type entry struct {
	item    Item
	pos     int
	name    string
	units   []unit
	aliases []alias
}

// alias is a colloquial name of an item, indexed like the name.
type alias struct {
	text  string
	units []unit
}

type index struct {
	entries []entry
	byCode  map[string]int
}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	a.Heteronym = true
	return a
}()

func units(name string) []unit {
	var out []unit
	for _, r := range strings.ToLower(name) {
		switch {
		case unicode.Is(unicode.Han, r):
			alts := []string{string(r)}
			seen := map[string]bool{}
			for _, py := range pinyin.SinglePinyin(r, pinyinArgs) {
				if py != "" && !seen[py] {
					seen[py] = true
					alts = append(alts, py)
				}
			}
			out = append(out, unit{alts: alts})
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			out = append(out, unit{alts: []string{string(r)}})
		default:
			out = append(out, unit{skip: true})
		}
	}
	return out
}

func buildIndex(items []Item) *index {
	ix := &index{entries: make([]entry, len(items)), byCode: make(map[string]int, len(items))}
	for i, it := range items {
		e := entry{item: it, pos: i, name: strings.ToLower(it.Name), units: units(it.Name)}
		for _, a := range it.Aliases {
			e.aliases = append(e.aliases, alias{text: normalize(a), units: units(a)})
		}
		ix.entries[i] = e
		ix.byCode[it.Code] = i
	}
	return ix
}

// normalize lower-cases the query and drops what a person types between
// syllables (spaces, apostrophes).
func normalize(q string) string {
	q = strings.ToLower(strings.TrimSpace(q))
	q = strings.NewReplacer(" ", "", "'", "", "’", "", "　", "").Replace(q)
	if r := []rune(q); len(r) > maxQuery {
		q = string(r[:maxQuery])
	}
	return q
}

// matchCost reports whether q can be spelled by the units from i on, each
// unit giving its character or a non-empty prefix of one of its readings,
// and at what cost: the number of syllables given by more than an initial
// but less than the whole reading ("she" for 申 shen), which are how an
// unrelated item creeps in. With whole, q must use every unit to the end.
// It returns -1 when q cannot be spelled so.
func matchCost(q string, us []unit, i int, whole bool) int {
	if q == "" {
		if whole && i < len(us) && !allSkip(us[i:]) {
			return -1
		}
		return 0
	}
	if i == len(us) {
		return -1
	}
	u := us[i]
	if u.skip {
		return matchCost(q, us, i+1, whole)
	}
	best := -1
	for _, alt := range u.alts {
		for k := len(alt); k >= 1; k-- {
			if !strings.HasPrefix(q, alt[:k]) {
				continue
			}
			c := matchCost(q[k:], us, i+1, whole)
			if c < 0 {
				continue
			}
			if k > 1 && k < len(alt) {
				c++
			}
			if best < 0 || c < best {
				best = c
			}
			if alt[0] >= 0x80 {
				break // a Han character matches whole or not at all
			}
		}
		if best == 0 {
			break
		}
	}
	return best
}

func allSkip(us []unit) bool {
	for _, u := range us {
		if !u.skip {
			return false
		}
	}
	return true
}

// pinyinScore is the best pinyin match of q starting at any unit of us:
// whole syllables before partial ones, then earlier starts first; -1 is none.
func pinyinScore(q string, us []unit) int {
	best := -1
	for i := range us {
		if us[i].skip {
			continue
		}
		if c := matchCost(q, us, i, false); c >= 0 {
			if s := 10*c + i; best < 0 || s < best {
				best = s
			}
		}
	}
	return best
}

// Score tiers: lower ranks first.
const (
	scoreExact      = 0   // the name or an alias as typed
	scoreAliasSpelt = 1   // an alias spelt whole in pinyin or initials (sbk, shebaoka)
	scoreInName     = 10  // + position of the text in the name
	scoreInAlias    = 60  // the text inside an alias
	scorePinyin     = 100 // + 10 per partial syllable + start
	scoreCode       = 300
	scoreDepartment = 400
)

// score ranks a match: lower is better; -1 is no match.
func (e entry) score(q string) int {
	if q == "" {
		return 0
	}
	if e.name == q {
		return scoreExact
	}
	for _, a := range e.aliases {
		if a.text == q {
			return scoreExact
		}
	}
	for _, a := range e.aliases {
		if matchCost(q, a.units, 0, true) == 0 {
			return scoreAliasSpelt
		}
	}
	if p := strings.Index(e.name, q); p >= 0 {
		return scoreInName + len([]rune(e.name[:p]))
	}
	for _, a := range e.aliases {
		if strings.Contains(a.text, q) {
			return scoreInAlias
		}
	}
	best := pinyinScore(q, e.units)
	for _, a := range e.aliases {
		if s := pinyinScore(q, a.units); s >= 0 && (best < 0 || s < best) {
			best = s
		}
	}
	if best >= 0 {
		return scorePinyin + best
	}
	if strings.EqualFold(e.item.Code, q) || strings.HasPrefix(strings.ToLower(e.item.Code), q) {
		return scoreCode
	}
	if strings.Contains(strings.ToLower(e.item.Department), q) || strings.Contains(strings.ToLower(e.item.Office), q) {
		return scoreDepartment
	}
	return -1
}

func (ix *index) search(q Query) []Item {
	text := normalize(q.Text)
	type hit struct {
		score, pos int
	}
	var hits []hit
	for _, e := range ix.entries {
		if q.Department != "" && e.item.Department != q.Department {
			continue
		}
		if q.Tag != "" && !e.item.HasTag(q.Tag) {
			continue
		}
		if q.Level != "" && !e.item.HandledAt(q.Level) {
			continue
		}
		if s := e.score(text); s >= 0 {
			hits = append(hits, hit{s, e.pos})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score < hits[j].score
		}
		return hits[i].pos < hits[j].pos
	})
	out := make([]Item, len(hits))
	for i, h := range hits {
		out[i] = ix.entries[h.pos].item
	}
	return out
}
