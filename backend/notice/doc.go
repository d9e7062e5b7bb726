// Package notice writes the printed documents of the window as PDF: the
// one-page guide of an item, the special lists, the one-time notice
// (一次性告知单), the acceptance receipt (受理回执) and the completion notice
// (办结通知书). A CJK TrueType font is embedded in the binary, so documents
// print the same on Windows as on Linux (see fonts/README.md).
package notice

import (
	"bytes"
	_ "embed"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"

	"budayang/backend/clock"
)

//go:embed fonts/wqy-microhei.ttf
var fontTTF []byte

const (
	family = "wqy"
	margin = 18.0
	pageW  = 210.0
	pageH  = 297.0
	bodyW  = pageW - 2*margin
)

// doc wraps fpdf with the few layouts the documents need.
type doc struct {
	pdf  *fpdf.Fpdf
	size float64 // body font size in points
}

func newDoc(size float64, footer string) *doc {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AddUTF8FontFromBytes(family, "", fontTTF)
	pdf.SetCreator("不打烊 Budayang", true)
	d := &doc{pdf: pdf, size: size}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin + 4)
		pdf.SetFont(family, "", 8)
		pdf.SetTextColor(110, 110, 110)
		pdf.CellFormat(bodyW/2, 4, footer, "", 0, "L", false, 0, "")
		pdf.CellFormat(bodyW/2, 4, fmt.Sprintf("第%d页", pdf.PageNo()), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	return d
}

func (d *doc) lh() float64 { return d.size * 0.55 }

func (d *doc) font(size float64) { d.pdf.SetFont(family, "", size) }

// titleSize is the font size of a document's title.
func (d *doc) titleSize() float64 { return d.size + 9 }

// titleLines sets the title font and wraps title to the body width: a guide
// title of 31 characters is wider than the page.
func (d *doc) titleLines(title string) []string {
	d.font(d.titleSize())
	return d.wrap(title, bodyW)
}

// title writes a centred heading, wrapped, with a rule under it.
func (d *doc) title(centre, title string) {
	d.font(d.size - 1)
	d.pdf.SetTextColor(90, 90, 90)
	for _, l := range d.wrap(centre, bodyW) {
		d.pdf.CellFormat(bodyW, 5, l, "", 1, "C", false, 0, "")
	}
	d.pdf.SetTextColor(0, 0, 0)
	lines := d.titleLines(title)
	if len(lines) == 1 {
		d.pdf.CellFormat(bodyW, 12, lines[0], "", 1, "C", false, 0, "")
	} else {
		d.pdf.Ln(1.5)
		for _, l := range lines {
			d.pdf.CellFormat(bodyW, 9, l, "", 1, "C", false, 0, "")
		}
		d.pdf.Ln(1.5)
	}
	y := d.pdf.GetY() + 1
	d.pdf.SetLineWidth(0.5)
	d.pdf.Line(margin, y, pageW-margin, y)
	d.pdf.SetLineWidth(0.2)
	d.pdf.SetY(y + 3)
}

// right writes one small line aligned right (a document number).
func (d *doc) right(text string) {
	d.font(d.size - 1)
	d.pdf.CellFormat(bodyW, d.lh(), text, "", 1, "R", false, 0, "")
}

// heading writes a section heading.
func (d *doc) heading(text string) {
	d.ensure(d.lh()*3 + 4)
	d.pdf.Ln(2)
	d.font(d.size + 1.5)
	d.pdf.SetFillColor(232, 238, 246)
	d.pdf.CellFormat(bodyW, d.lh()+2, " "+text, "", 1, "L", true, 0, "")
	d.pdf.Ln(1)
	d.font(d.size)
}

// para writes wrapped text with an optional indent for the first line.
func (d *doc) para(text string) {
	d.font(d.size)
	for _, l := range d.wrap(text, bodyW) {
		d.pdf.CellFormat(bodyW, d.lh(), l, "", 1, "L", false, 0, "")
	}
}

// list writes numbered lines, wrapped under their number.
func (d *doc) list(items []string) {
	d.font(d.size)
	for i, it := range items {
		num := fmt.Sprintf("%d.", i+1)
		for j, l := range d.wrap(it, bodyW-7) {
			if j == 0 {
				d.pdf.CellFormat(7, d.lh(), num, "", 0, "R", false, 0, "")
			} else {
				d.pdf.CellFormat(7, d.lh(), "", "", 0, "", false, 0, "")
			}
			d.pdf.CellFormat(bodyW-7, d.lh(), " "+l, "", 1, "L", false, 0, "")
		}
	}
}

// ensure starts a new page when less than h millimetres are left.
func (d *doc) ensure(h float64) {
	if d.pdf.GetY()+h > pageH-margin {
		d.pdf.AddPage()
	}
}

// wrap splits text into lines no wider than w millimetres in the current
// font (BreakLines; fpdf's SplitText loses the character at each break of
// UTF-8 text, so it is not used).
func (d *doc) wrap(text string, w float64) []string {
	return BreakLines(text, w, d.pdf.GetStringWidth)
}

// column of a table: header, width in mm, alignment.
type column struct {
	head  string
	w     float64
	align string
}

// table writes a bordered table whose cells wrap; the header repeats on a
// new page.
func (d *doc) table(cols []column, rows [][]string) {
	pad := 1.2
	header := func() {
		d.font(d.size)
		d.pdf.SetFillColor(240, 240, 240)
		x := margin
		y := d.pdf.GetY()
		for _, c := range cols {
			d.pdf.Rect(x, y, c.w, d.lh()+2*pad, "FD")
			d.pdf.SetXY(x, y+pad)
			d.pdf.CellFormat(c.w, d.lh(), c.head, "", 0, "C", false, 0, "")
			x += c.w
		}
		d.pdf.SetXY(margin, y+d.lh()+2*pad)
	}
	header()
	for _, row := range rows {
		cells := make([][]string, len(cols))
		n := 1
		for i, c := range cols {
			cells[i] = d.wrap(row[i], c.w-2*pad)
			if len(cells[i]) > n {
				n = len(cells[i])
			}
		}
		h := float64(n)*d.lh() + 2*pad
		if d.pdf.GetY()+h > pageH-margin-4 {
			d.pdf.AddPage()
			header()
		}
		x, y := margin, d.pdf.GetY()
		for i, c := range cols {
			d.pdf.Rect(x, y, c.w, h, "D")
			for j, l := range cells[i] {
				d.pdf.SetXY(x+pad, y+pad+float64(j)*d.lh())
				d.pdf.CellFormat(c.w-2*pad, d.lh(), l, "", 0, c.align, false, 0, "")
			}
			x += c.w
		}
		d.pdf.SetXY(margin, y+h)
	}
}

// fields writes label–value pairs two to a row in a bordered grid.
func (d *doc) fields(pairs [][2]string, wide map[string]bool) {
	labelW := 24.0
	half := bodyW / 2
	pad := 1.2
	i := 0
	for i < len(pairs) {
		row := [][2]string{pairs[i]}
		if !wide[pairs[i][0]] && i+1 < len(pairs) && !wide[pairs[i+1][0]] {
			row = append(row, pairs[i+1])
		}
		i += len(row)
		valueW := half - labelW
		if len(row) == 1 {
			valueW = bodyW - labelW
		}
		n := 1
		lines := make([][]string, len(row))
		for k, p := range row {
			lines[k] = d.wrap(p[1], valueW-2*pad)
			if len(lines[k]) > n {
				n = len(lines[k])
			}
		}
		h := float64(n)*d.lh() + 2*pad
		d.ensure(h)
		x, y := margin, d.pdf.GetY()
		d.font(d.size)
		for k, p := range row {
			d.pdf.SetFillColor(245, 245, 245)
			d.pdf.Rect(x, y, labelW, h, "FD")
			d.pdf.SetXY(x, y+pad)
			d.pdf.CellFormat(labelW, d.lh(), p[0], "", 0, "C", false, 0, "")
			d.pdf.Rect(x+labelW, y, valueW, h, "D")
			for j, l := range lines[k] {
				d.pdf.SetXY(x+labelW+pad, y+pad+float64(j)*d.lh())
				d.pdf.CellFormat(valueW-2*pad, d.lh(), l, "", 0, "L", false, 0, "")
			}
			x += labelW + valueW
		}
		d.pdf.SetXY(margin, y+h)
	}
}

// signatures writes the signing lines at the foot of a notice.
func (d *doc) signatures(left, right []string) {
	d.ensure(float64(max(len(left), len(right)))*(d.lh()+2) + 6)
	d.pdf.Ln(4)
	d.font(d.size)
	for i := 0; i < max(len(left), len(right)); i++ {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		d.pdf.CellFormat(bodyW/2, d.lh()+2, l, "", 0, "L", false, 0, "")
		d.pdf.CellFormat(bodyW/2, d.lh()+2, r, "", 1, "L", false, 0, "")
	}
}

func (d *doc) bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write pdf: %w", err)
	}
	return buf.Bytes(), nil
}

func (d *doc) pages() int { return d.pdf.PageNo() }

// onePage renders with body sizes from large to small until the document
// fits on one page; the smallest size is kept even when it does not.
func onePage(render func(size float64) *doc) ([]byte, error) {
	var d *doc
	for _, size := range []float64{10.5, 10, 9.5, 9, 8.5} {
		d = render(size)
		if d.pages() == 1 {
			break
		}
	}
	if err := d.pdf.Error(); err != nil {
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	return d.bytes()
}

// Date writes t's Shanghai date the way Chinese documents do: 2026年11月25日.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(clock.Shanghai).Format("2006年1月2日")
}

// DateTime writes t's Shanghai time: 2026年11月25日 09:30.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(clock.Shanghai).Format("2006年1月2日 15:04")
}
