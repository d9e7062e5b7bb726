package notice_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"budayang/backend/notice"
)

// cjkWidth measures a Han character or full-width mark as 1 and anything
// else as 0.5, like a CJK font at one em per ideograph.
func cjkWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if utf8.RuneLen(r) > 1 {
			w++
		} else {
			w += 0.5
		}
	}
	return w
}

const (
	closing = "。，、；：？！）》」』”’"
	opening = "《（「『“‘"
)

func TestBreakLines(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float64
		want  []string // nil: only the rules are checked
	}{
		{"FitsOnOneLine", "办事指南", 10, []string{"办事指南"}},
		{"HanBreaksAnywhere", "一二三四五六七八", 3, []string{"一二三", "四五六", "七八"}},
		// A naive break after 4 characters would start the line with "，".
		{"ClosingStaysWithTheCharacterBefore", "一二三四，五六七八", 4, []string{"一二三", "四，五六", "七八"}},
		{"FullStopAtTheLineEnd", "请带户口簿。谢谢", 6, []string{"请带户口簿。", "谢谢"}},
		// A naive break after 3 characters would end the line with "《".
		{"OpeningStaysWithTheCharacterAfter", "依据《社会保险法》第十条", 3, []string{"依据", "《社会", "保险", "法》第", "十条"}},
		{"BracketedTitle", "城乡居民养老保险参保人死亡待遇申领（丧葬补助金、个人账户余额）", 16, nil},
		{"LatinWordsStayWhole", "请携带 ID card 原件", 5, nil},
		{"NumberStaysWhole", "缴费20260101起算", 5, nil},
		{"NewlineBreaks", "第一行\n第二行", 10, []string{"第一行", "第二行"}},
		{"EmptyParagraphKept", "甲\n\n乙", 10, []string{"甲", "", "乙"}},
		{"RunTooWideIsCut", "https://example.com/abcdefghij", 4, nil},
		{"QuotedPhrase", "申请人称“材料已交”。", 5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := notice.BreakLines(tt.text, tt.width, cjkWidth)
			if tt.want != nil && strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if joined := strings.Join(got, ""); strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(strings.ReplaceAll(tt.text, "\n", ""), " ", "") {
				t.Errorf("lost or added characters: %q from %q", got, tt.text)
			}
			for i, l := range got {
				if w := cjkWidth(l); w > tt.width {
					t.Errorf("line %d %q is %v wide, more than %v", i, l, w, tt.width)
				}
				if l == "" {
					continue
				}
				first, _ := utf8.DecodeRuneInString(l)
				last, _ := utf8.DecodeLastRuneInString(l)
				if strings.ContainsRune(closing, first) {
					t.Errorf("line %d %q starts with closing punctuation", i, l)
				}
				if strings.ContainsRune(opening, last) {
					t.Errorf("line %d %q ends with opening punctuation", i, l)
				}
			}
		})
	}
}
