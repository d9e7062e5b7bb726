package cases_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"budayang/backend/cases"
)

var streamRe = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)

// pdfShows reports whether the page text of pdf has s within one line, as
// fpdf writes UTF-8 text: UTF-16BE in an escaped string, in deflated streams.
func pdfShows(t *testing.T, pdf []byte, s string) bool {
	t.Helper()
	var enc []byte
	for _, u := range utf16.Encode([]rune(s)) {
		enc = append(enc, byte(u>>8), byte(u))
	}
	esc := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, "\r", `\r`).Replace(string(enc))
	for _, m := range streamRe.FindAllSubmatch(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		page, _ := io.ReadAll(r)
		if bytes.Contains(page, []byte(esc)) {
			return true
		}
	}
	return false
}

// The one-time notice printed the clerks' internal 备注 under 补正说明; it
// prints the text written for the citizen, and never the internal note.
func TestDocuments_NoticePrintsTheCitizensText(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	req := lowBao()
	req.Received = []int{0, 1}
	req.Note = "申请人情绪激动需耐心"
	c := f.open(t, req)
	c = f.act(t, c.ID, cases.Action{Action: cases.ActRequestSupplements, Missing: []int{1},
		Note: "疑似代签须核实", SupplementNote: "户口簿本人页请重新复印"})
	if c.SupplementNote != "户口簿本人页请重新复印" || c.Note != "疑似代签须核实" {
		t.Fatalf("case: note %q, supplement_note %q", c.Note, c.SupplementNote)
	}
	pdf, _, err := f.c.Cases.Document(ctx, f.clerk, c.ID, cases.DocNotice)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text  string
		shown bool
	}{
		{"户口簿本人页请重新复印", true},
		{"补正说明", true},
		{"疑似代签须核实", false},
		{"申请人情绪激动需耐心", false},
	}
	for _, tt := range tests {
		if got := pdfShows(t, pdf, tt.text); got != tt.shown {
			t.Errorf("notice shows %q: got %v, want %v", tt.text, got, tt.shown)
		}
	}
}
