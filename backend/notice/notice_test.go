package notice_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"budayang/backend/catalog"
	"budayang/backend/clock"
	"budayang/backend/notice"
)

var (
	printed = time.Date(2026, 11, 25, 10, 30, 0, 0, clock.Shanghai)
	centre  = notice.Centre{Name: "渠县测试镇便民服务中心", Phone: "0818-7654321", Address: "测试镇人民路1号"}
)

func sampleCase(t *testing.T) notice.Case {
	t.Helper()
	c, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var it catalog.Item
	for _, x := range c.Items {
		if x.Code == "MZ-001" {
			it = x
		}
	}
	ms := make([]notice.Material, len(it.Materials))
	for i, m := range it.Materials {
		ms[i] = notice.Material{Material: m, Received: i%2 == 0}
	}
	return notice.Case{
		Centre: centre, Number: "20261125-001", ItemCode: it.Code, ItemName: it.Name, Department: it.Department,
		Office: it.Office, OfficePhone: it.Phone, PhonePending: it.PhonePending(), DecidedBy: it.DecidedBy, LimitDays: it.LimitDays, Basis: it.Basis,
		CitizenName: "张小三", IDMasked: "511725********123X", PhoneMasked: "138****5678", Clerk: "李窗口", Responsible: "李窗口",
		OpenedAt: printed, AcceptedAt: printed, DueDate: time.Date(2027, 1, 8, 0, 0, 0, 0, clock.Shanghai), ClosedAt: printed.AddDate(0, 0, 20),
		Materials: ms, SupplementNote: "户口簿复印件不清晰，请重新复印户主页及本人页。", Result: "审核确认，纳入农村最低生活保障", Printed: printed,
	}
}

var pageRe = regexp.MustCompile(`/Type /Page\b`)

// Each document is a one-page PDF with the CJK font embedded. Set
// BUDAYANG_PDF_DIR to keep the files (pdftoppm -png -r 80 turns them into
// pictures to look at).
func TestDocuments(t *testing.T) {
	c, _ := catalog.Builtin()
	g := catalog.Guide{Item: c.Items[0], LocalNote: "每月逢三、六、九赶场天上午，社保专干在中心坐班。"}
	var longest catalog.Item
	for _, it := range c.Items {
		if len(it.Materials)+len(it.Steps) > len(longest.Materials)+len(longest.Steps) {
			longest = it
		}
	}
	docs := map[string]func() ([]byte, error){
		"guide": func() ([]byte, error) { return notice.GuidePDF(g, centre, c.Version, printed) },
		"guide-longest": func() ([]byte, error) {
			return notice.GuidePDF(catalog.Guide{Item: longest}, centre, c.Version, printed)
		},
		"one-time": func() ([]byte, error) { return notice.OneTimeNoticePDF(sampleCase(t)) },
		"receipt":  func() ([]byte, error) { return notice.ReceiptPDF(sampleCase(t)) },
		"receipt-estimated": func() ([]byte, error) {
			c := sampleCase(t)
			c.DueUncounted = []int{2027}
			return notice.ReceiptPDF(c)
		},
		"completion": func() ([]byte, error) { return notice.CompletionPDF(sampleCase(t)) },
	}
	out := os.Getenv("BUDAYANG_PDF_DIR")
	for name, render := range docs {
		t.Run(name, func(t *testing.T) {
			b, err := render()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Fatal("not a PDF")
			}
			if n := len(pageRe.FindAll(b, -1)); n != 1 {
				t.Errorf("got %d pages, want 1", n)
			}
			if !bytes.Contains(b, []byte("/FontFile2")) {
				t.Error("TrueType font not embedded")
			}
			if out != "" {
				os.WriteFile(filepath.Join(out, name+".pdf"), b, 0o644)
			}
		})
	}
	t.Run("EveryBuiltinGuideFitsOnePage", func(t *testing.T) {
		if testing.Short() {
			t.Skip("renders every guide")
		}
		for _, it := range c.Items {
			b, err := notice.GuidePDF(catalog.Guide{Item: it, LocalNote: "本中心备注：逢场天上午专人值守。"}, centre, c.Version, printed)
			if err != nil {
				t.Fatalf("%s: %v", it.Code, err)
			}
			if n := len(pageRe.FindAll(b, -1)); n != 1 {
				t.Errorf("%s %s: %d pages", it.Code, it.Name, n)
			}
		}
	})
	t.Run("list", func(t *testing.T) {
		var items []catalog.Item
		for _, it := range c.Items {
			if it.HasTag(catalog.TagHighFrequency) {
				items = append(items, it)
			}
		}
		b, err := notice.ListPDF("高频事项清单", items, centre, c.Version, printed)
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatalf("list: %v", err)
		}
		if out != "" {
			os.WriteFile(filepath.Join(out, "list.pdf"), b, 0o644)
		}
	})
}

// A due date counted through a year whose holidays are not loaded yet is
// promised to the citizen with that said.
func TestDuePromise(t *testing.T) {
	due := time.Date(2027, 1, 6, 0, 0, 0, 0, clock.Shanghai)
	for _, tc := range []struct {
		name  string
		years []int
		want  string
	}{
		{"Counted", nil, "预计2027年1月6日前办结（如需补齐补正，补正期间不计入时限）"},
		{"YearNotLoaded", []int{2027}, "预计2027年1月6日前办结（此日期未计2027年法定节假日，如遇节假日相应顺延；如需补齐补正，补正期间不计入时限）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := notice.DuePromise(notice.Case{DueDate: due, DueUncounted: tc.years}); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
