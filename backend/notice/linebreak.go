package notice

import (
	"strings"

	"github.com/rivo/uniseg"
)

// BreakLines splits text into lines no wider than maxW as measure reports
// widths. Lines break only where the Unicode line-breaking rules (UAX #14)
// allow, so closing punctuation (。，、）》” …) stays with the character
// before it and opening punctuation (《（“ …) with the one after; a Latin word
// or a number stays whole. A newline always breaks. A run with no break
// opportunity that is wider than maxW on its own (a long URL) is cut between
// characters. Spaces at a line's end are dropped.
func BreakLines(text string, maxW float64, measure func(string) float64) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, breakParagraph(para, maxW, measure)...)
	}
	return out
}

func breakParagraph(para string, maxW float64, measure func(string) float64) []string {
	if para == "" {
		return []string{""}
	}
	var lines []string
	line := ""
	state := -1
	for rest := para; rest != ""; {
		var seg string
		seg, rest, _, state = uniseg.FirstLineSegmentInString(rest, state)
		if line != "" && measure(strings.TrimRight(line+seg, " ")) > maxW {
			lines = append(lines, strings.TrimRight(line, " "))
			line = ""
		}
		if line == "" {
			// A segment too wide for a line of its own is cut; its last
			// piece starts the next line.
			for measure(strings.TrimRight(seg, " ")) > maxW {
				head := fitPrefix(seg, maxW, measure)
				lines = append(lines, head)
				seg = seg[len(head):]
			}
		}
		line += seg
	}
	return append(lines, strings.TrimRight(line, " "))
}

// fitPrefix returns the longest prefix of s, at least one character, no
// wider than maxW.
func fitPrefix(s string, maxW float64, measure func(string) float64) string {
	end := 0
	for i, r := range s {
		next := i + len(string(r))
		if end > 0 && measure(s[:next]) > maxW {
			break
		}
		end = next
	}
	return s[:end]
}
