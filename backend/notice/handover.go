package notice

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// HandoverCase is one proxy case on a handover list, the villager already
// masked by the caller.
type HandoverCase struct {
	Number      string
	CitizenName string
	IDMasked    string
	PhoneMasked string
	ItemName    string
	Village     string
	// Materials are the collected lines, each with its note.
	Materials []string
}

// Handover is a market-day handover batch (代办件交接清单).
type Handover struct {
	Centre    string
	Number    string
	Assistant string
	Room      string
	Place     string
	At        time.Time
	Cases     []HandoverCase
}

// HandoverPDF writes the list an assistant and the centre sign when the
// assistant hands a batch of proxy cases over: one row per case with its
// materials, the villagers masked, signature lines for both sides.
func HandoverPDF(h Handover) ([]byte, error) {
	d := newDoc(11, fmt.Sprintf("%s · 交接单 %s · 打印于 %s", h.Centre, h.Number, DateTime(h.At)))
	d.title(h.Centre, "代办件交接清单")
	d.right("交接单号：" + h.Number)
	d.pdf.Ln(1)
	d.fields([][2]string{
		{"代办员", h.Assistant}, {"便民服务室", orDash(h.Room)},
		{"交接地点", orDash(h.Place)}, {"交接时间", DateTime(h.At)},
		{"代办件数", strconv.Itoa(len(h.Cases)) + "件"},
	}, map[string]bool{"代办件数": true})
	d.heading("交接明细")
	rows := make([][]string, len(h.Cases))
	for i, c := range h.Cases {
		rows[i] = []string{strconv.Itoa(i + 1), c.Number, c.CitizenName + "\n" + c.IDMasked + "\n" + c.PhoneMasked,
			c.ItemName + "\n" + orDash(c.Village), orDash(strings.Join(c.Materials, "\n"))}
	}
	d.table([]column{{"序号", 10, "C"}, {"代办件号", 36, "C"}, {"群众", 44, "L"}, {"事项", 36, "L"}, {"所交材料", bodyW - 126, "L"}}, rows)
	d.pdf.Ln(2)
	d.para("以上代办件及所列材料经双方当面清点无误。群众姓名、身份证号码和电话按规定脱敏打印。")
	d.signatures(
		[]string{"移交人（代办员）：____________", "日期：____________"},
		[]string{"接收人（中心窗口）：____________", "日期：____________"},
	)
	if err := d.pdf.Error(); err != nil {
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	return d.bytes()
}
