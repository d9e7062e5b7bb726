package notice

import (
	"time"
)

// RosterMonth is one month of the duty roster as posted on the notice
// board. Rows are date (MM-DD), weekday, kind of day, shift, hours and
// person; Load rows are person, duties and weight in the month.
type RosterMonth struct {
	Centre    Centre
	Month     string // 2026年10月
	Draft     bool
	DutyPhone string
	Rows      [][]string
	Load      [][]string
	Printed   time.Time
}

// RosterMonthPDF writes the month's roster on A4 with the load by person
// under it, the weights showing how evenly the duty is shared.
func RosterMonthPDF(r RosterMonth) ([]byte, error) {
	title := r.Month + "值班表"
	if r.Draft {
		title += "（草稿）"
	}
	d := newDoc(10, r.Centre.Name+" · "+title+" · 打印于"+DateTime(r.Printed))
	d.title(r.Centre.Name, title)
	phone := r.DutyPhone
	if phone == "" {
		phone = r.Centre.phone()
	}
	d.para("非工作时间请拨打值班电话：" + phone)
	d.pdf.Ln(2)
	d.table([]column{
		{"日期", 18, "C"}, {"星期", 14, "C"}, {"日子", 26, "C"}, {"班次", 40, "L"}, {"时间", 32, "C"}, {"值班人员", bodyW - 130, "L"},
	}, r.Rows)
	d.heading("本月值班负荷")
	d.para("默认权重：工作日晚班0.5，周末及逢场天1，法定节假日加倍，春节三倍；差距越小越公平。")
	d.table([]column{{"值班人员", 60, "L"}, {"值班次数", 40, "C"}, {"权重合计", bodyW - 100, "C"}}, r.Load)
	if err := d.pdf.Error(); err != nil {
		return nil, err
	}
	return d.bytes()
}
