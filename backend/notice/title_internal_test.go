package notice

import (
	"strings"
	"testing"

	"budayang/backend/catalog"
)

// The guide of SB-003 drew its 31-character title from −4.6 to 599.9 pt on a
// 595.3 pt page; every built-in title now wraps within the margins, at every
// body size onePage tries, and loses no character.
func TestTitle_FitsBetweenTheMargins(t *testing.T) {
	c, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var sb003 string
	for _, it := range c.Items {
		if it.Code == "SB-003" {
			sb003 = it.Name
		}
	}
	for _, size := range []float64{10.5, 10, 9.5, 9, 8.5} {
		d := newDoc(size, "")
		d.font(d.titleSize())
		if w := d.pdf.GetStringWidth(sb003); w <= bodyW {
			t.Fatalf("size %v: SB-003's title is %.1f mm on one line, within %.1f mm; the test needs a title too wide for one", size, w, bodyW)
		}
		for _, it := range c.Items {
			lines := d.titleLines(it.Name)
			for _, l := range lines {
				if w := d.pdf.GetStringWidth(l); w > bodyW {
					t.Errorf("size %v: %s title line %q is %.1f mm, wider than %.1f mm", size, it.Code, l, w, bodyW)
				}
			}
			if got := strings.Join(lines, ""); got != it.Name {
				t.Errorf("size %v: %s title printed as %q, want %q", size, it.Code, got, it.Name)
			}
			if it.Code == "SB-003" && len(lines) < 2 {
				t.Errorf("size %v: SB-003's title on %d line, want it wrapped", size, len(lines))
			}
		}
	}
}
