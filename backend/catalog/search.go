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
	item  Item
	pos   int
	name  string
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
		ix.entries[i] = entry{item: it, pos: i, name: strings.ToLower(it.Name), units: units(it.Name)}
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

// matchFrom reports whether q can be spelled by the units from i on, each
// unit giving its character or a non-empty prefix of one of its readings.
func matchFrom(q string, us []unit, i int) bool {
	if q == "" {
		return true
	}
	if i == len(us) {
		return false
	}
	u := us[i]
	if u.skip {
		return matchFrom(q, us, i+1)
	}
	for _, alt := range u.alts {
		for k := len(alt); k >= 1; k-- {
			if strings.HasPrefix(q, alt[:k]) {
				if len(q) == k || matchFrom(q[k:], us, i+1) {
					return true
				}
			}
			if alt[0] >= 0x80 {
				break // a Han character matches whole or not at all
			}
		}
	}
	return false
}

// score ranks a match: lower is better; -1 is no match.
func (e entry) score(q string) int {
	if q == "" {
		return 0
	}
	if p := strings.Index(e.name, q); p >= 0 {
		return p
	}
	for i := range e.units {
		if e.units[i].skip {
			continue
		}
		if matchFrom(q, e.units, i) {
			return 100 + i
		}
	}
	if strings.EqualFold(e.item.Code, q) || strings.HasPrefix(strings.ToLower(e.item.Code), q) {
		return 300
	}
	if strings.Contains(strings.ToLower(e.item.Department), q) || strings.Contains(strings.ToLower(e.item.Office), q) {
		return 400
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
