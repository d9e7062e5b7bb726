package notice

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"budayang/backend/catalog"
)

// Centre is the site as printed on its documents.
type Centre struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

func (c Centre) phone() string {
	if c.Phone == "" {
		return "（本中心电话未设置）"
	}
	return c.Phone
}

// Limit writes a time limit in working days.
func Limit(days int) string {
	if days == 0 {
		return "即时办结"
	}
	return strconv.Itoa(days) + "个工作日"
}

func levels(it catalog.Item) string {
	names := make([]string, len(it.Levels))
	for i, l := range it.Levels {
		names[i] = catalog.LevelName(l)
	}
	return strings.Join(names, "、")
}

func shortLevels(it catalog.Item) string {
	short := map[string]string{catalog.LevelVillage: "村", catalog.LevelTown: "镇", catalog.LevelCounty: "县"}
	names := make([]string, len(it.Levels))
	for i, l := range it.Levels {
		names[i] = short[l]
	}
	return strings.Join(names, "、")
}

func officePhone(office, phone string, pending bool) string {
	s := strings.TrimSpace(office + " " + phone)
	if pending {
		s += "（号码待县行政审批局公布）"
	}
	return s
}

func materialRows(ms []catalog.Material) [][]string {
	rows := make([][]string, len(ms))
	for i, m := range ms {
		need := "必需"
		if !m.Required {
			need = "视情况"
		}
		rows[i] = []string{strconv.Itoa(i + 1), m.Name, catalog.FormName(m.Form), strconv.Itoa(m.Count), need, m.Notes}
	}
	return rows
}

var materialCols = []column{
	{"序号", 11, "C"}, {"材料名称", 52, "L"}, {"形式", 22, "C"}, {"份数", 11, "C"}, {"要求", 15, "C"}, {"说明", bodyW - 111, "L"},
}

// GuidePDF writes the one-page guide of an item, with the site's note.
func GuidePDF(g catalog.Guide, c Centre, catalogVersion string, printed time.Time) ([]byte, error) {
	footer := fmt.Sprintf("%s · 清单版本 %s · 打印于 %s · 以县行政审批局最新发布为准", c.Name, catalogVersion, DateTime(printed))
	return onePage(func(size float64) *doc {
		d := newDoc(size, footer)
		d.title(c.Name, g.Name)
		d.font(d.size + 1)
		d.pdf.CellFormat(bodyW, d.lh()+1, "办 事 指 南", "", 1, "C", false, 0, "")
		d.pdf.Ln(1)
		decided := decidedBy(g.DecidedBy)
		pairs := [][2]string{
			{"事项编码", g.Code}, {"业务部门", g.Department},
			{"办理地点", levels(g.Item)}, {"承诺时限", Limit(g.LimitDays)},
			{"收费标准", g.Fee}, {"审批机关", decided},
			{"咨询电话", officePhone(g.Office, g.Phone, g.PhonePending)},
		}
		wide := map[string]bool{"咨询电话": true, "特色清单": true}
		if len(g.Tags) > 0 {
			pairs = append(pairs, [2]string{"特色清单", strings.Join(catalog.TagNames(g.Tags), "、")})
		}
		d.fields(pairs, wide)
		if g.Conditions != "" {
			d.heading("受理条件")
			d.para(g.Conditions)
		}
		d.heading("申请材料")
		if len(g.Materials) == 0 {
			d.para("无需提交材料。")
		} else {
			d.table(materialCols, materialRows(g.Materials))
		}
		d.heading("办理流程")
		d.list(g.Steps)
		d.heading("设定依据")
		d.list(g.Basis)
		if g.LocalNote != "" {
			d.heading("本中心提示")
			d.para(g.LocalNote)
		}
		d.pdf.Ln(2)
		d.font(d.size - 0.5)
		d.para(fmt.Sprintf("办事地址：%s　服务电话：%s　政务服务便民热线：12345", orDash(c.Address), c.phone()))
		return d
	})
}

func decidedBy(s string) string {
	if s == "" {
		return "受理地办理"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// ListPDF writes a special list (一件事一次办 …) or any list of items as a
// table a clerk can print or show.
func ListPDF(title string, items []catalog.Item, c Centre, catalogVersion string, printed time.Time) ([]byte, error) {
	footer := fmt.Sprintf("%s · 清单版本 %s · 打印于 %s", c.Name, catalogVersion, DateTime(printed))
	d := newDoc(10, footer)
	d.title(c.Name, title)
	d.right(fmt.Sprintf("共%d项", len(items)))
	rows := make([][]string, len(items))
	for i, it := range items {
		rows[i] = []string{strconv.Itoa(i + 1), it.Name, it.Department, shortLevels(it), Limit(it.LimitDays), officePhone(it.Office, it.Phone, false)}
	}
	d.table([]column{{"序号", 10, "C"}, {"事项名称", 64, "L"}, {"部门", 18, "C"}, {"层级", 14, "C"}, {"时限", 23, "C"}, {"业务股室及电话", bodyW - 129, "L"}}, rows)
	if err := d.pdf.Error(); err != nil {
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	return d.bytes()
}

// Material is one line of a case's checklist as printed.
type Material struct {
	catalog.Material
	Received bool
}

// Case is what the case documents print. Personal fields arrive masked
// (the paper leaves the counter); the name is printed in full because the
// document is addressed to the citizen.
type Case struct {
	Centre       Centre
	Number       string
	ItemCode     string
	ItemName     string
	Department   string
	Office       string
	OfficePhone  string
	PhonePending bool
	DecidedBy    string
	LimitDays    int
	Basis        []string
	CitizenName  string
	IDMasked     string
	PhoneMasked  string
	Clerk        string
	Responsible  string
	OpenedAt     time.Time
	AcceptedAt   time.Time
	DueDate      time.Time
	// DueUncounted are the years DueDate was counted through without their
	// legal holidays (their arrangement not yet loaded): the receipt says
	// the date moves for them.
	DueUncounted []int
	ClosedAt     time.Time
	Status       string
	StatusName   string
	Materials    []Material
	// SupplementNote is the text for the citizen under 补正说明; the
	// clerks' internal note never reaches a document.
	SupplementNote string
	Result         string
	Printed        time.Time
}

func (c Case) footer(kind string) string {
	return fmt.Sprintf("%s · %s · 办件编号 %s · 打印于 %s", c.Centre.Name, kind, c.Number, DateTime(c.Printed))
}

// Missing returns the materials not yet received, required ones first.
func (c Case) Missing() []catalog.Material {
	var req, opt []catalog.Material
	for _, m := range c.Materials {
		if m.Received {
			continue
		}
		if m.Required {
			req = append(req, m.Material)
		} else {
			opt = append(opt, m.Material)
		}
	}
	return append(req, opt...)
}

// OneTimeNoticePDF writes the one-time notice: every missing material with
// its notes, the legal basis, who to call, the clerk and the date.
func OneTimeNoticePDF(c Case) ([]byte, error) {
	missing := c.Missing()
	return onePage(func(size float64) *doc {
		d := newDoc(size, c.footer("一次性告知单"))
		d.title(c.Centre.Name, "一次性告知单")
		d.right("编号：" + c.Number + "-GZ")
		d.pdf.Ln(1)
		d.para(c.CitizenName + "：")
		d.para(fmt.Sprintf("　　您于%s到本中心申请办理“%s”事项。经审查，您提交的申请材料尚不齐全。按照一次性告知制度，现将需要补齐补正的全部材料一次性告知如下，请您备齐后再来办理，届时不再要求您提供本告知单以外的材料。",
			Date(c.OpenedAt), c.ItemName))
		d.heading(fmt.Sprintf("需补齐补正的材料（共%d项）", len(missing)))
		d.table(materialCols, materialRows(missing))
		if c.SupplementNote != "" {
			d.heading("补正说明")
			d.para(c.SupplementNote)
		}
		if len(c.Basis) > 0 {
			d.heading("办理依据")
			d.list(c.Basis)
		}
		d.heading("咨询与办理")
		d.fields([][2]string{
			{"办理地点", c.Centre.Name + addr(c.Centre.Address)},
			{"中心电话", c.Centre.phone()},
			{"业务部门", officePhone(c.Department+" "+c.Office, c.OfficePhone, c.PhonePending)},
			{"承诺时限", Limit(c.LimitDays) + "（自材料齐全受理之日起计算）"},
		}, map[string]bool{"办理地点": true, "业务部门": true, "承诺时限": true, "中心电话": true})
		d.signatures(
			[]string{"经办人：" + c.Clerk, "首问负责人：" + c.Responsible, "告知日期：" + Date(c.Printed)},
			[]string{"服务中心：（盖章）", "", "申请人签收：____________"},
		)
		return d
	})
}

func addr(a string) string {
	if a == "" {
		return ""
	}
	return "（" + a + "）"
}

// ReceiptPDF writes the acceptance receipt.
func ReceiptPDF(c Case) ([]byte, error) {
	return onePage(func(size float64) *doc {
		d := newDoc(size, c.footer("受理回执"))
		d.title(c.Centre.Name, "受理回执")
		d.right("编号：" + c.Number + "-SL")
		d.pdf.Ln(1)
		d.para(c.CitizenName + "：")
		d.para(fmt.Sprintf("　　您申请办理的“%s”事项，材料齐全、符合法定形式，本中心已于%s受理。承诺时限%s，%s。",
			c.ItemName, DateTime(c.AcceptedAt), Limit(c.LimitDays), DuePromise(c)))
		d.heading("受理信息")
		d.fields([][2]string{
			{"办件编号", c.Number}, {"事项编码", c.ItemCode},
			{"事项名称", c.ItemName},
			{"申请人", c.CitizenName}, {"身份证号", c.IDMasked},
			{"联系电话", c.PhoneMasked}, {"受理时间", DateTime(c.AcceptedAt)},
			{"承诺时限", Limit(c.LimitDays)}, {"预计办结", dueField(c)},
			{"受理人", c.Clerk}, {"首问负责人", c.Responsible},
			{"审批机关", decidedBy(c.DecidedBy)},
			{"业务部门", officePhone(c.Department+" "+c.Office, c.OfficePhone, c.PhonePending)},
		}, map[string]bool{"事项名称": true, "审批机关": true, "业务部门": true})
		var got [][]string
		for _, m := range c.Materials {
			if m.Received {
				got = append(got, []string{strconv.Itoa(len(got) + 1), m.Name, catalog.FormName(m.Form), strconv.Itoa(m.Count)})
			}
		}
		d.heading(fmt.Sprintf("已收材料（共%d项）", len(got)))
		if len(got) == 0 {
			d.para("本事项无需提交材料。")
		} else {
			d.table([]column{{"序号", 12, "C"}, {"材料名称", bodyW - 62, "L"}, {"形式", 30, "C"}, {"份数", 20, "C"}}, got)
		}
		d.pdf.Ln(2)
		d.para(fmt.Sprintf("请妥善保管本回执，凭回执和本人身份证查询办理进度、领取办理结果。查询电话：%s；政务服务便民热线：12345。", c.Centre.phone()))
		d.signatures(
			[]string{"受理人：" + c.Clerk, "受理日期：" + Date(c.AcceptedAt)},
			[]string{"服务中心：（盖章）", "申请人签收：____________"},
		)
		return d
	})
}

// DuePromise is the receipt's sentence of when the case is done, saying
// which years' legal holidays the date could not count yet.
func DuePromise(c Case) string {
	caveat := "如需补齐补正，补正期间不计入时限"
	if years := yearList(c.DueUncounted); years != "" {
		caveat = "此日期未计" + years + "年法定节假日，如遇节假日相应顺延；" + caveat
	}
	return fmt.Sprintf("预计%s前办结（%s）", Date(c.DueDate), caveat)
}

func dueField(c Case) string {
	if len(c.DueUncounted) > 0 {
		return Date(c.DueDate) + "（估算）"
	}
	return Date(c.DueDate)
}

func yearList(years []int) string {
	s := make([]string, len(years))
	for i, y := range years {
		s[i] = strconv.Itoa(y)
	}
	return strings.Join(s, "、")
}

// CompletionPDF writes the completion notice.
func CompletionPDF(c Case) ([]byte, error) {
	return onePage(func(size float64) *doc {
		d := newDoc(size, c.footer("办结通知书"))
		d.title(c.Centre.Name, "办结通知书")
		d.right("编号：" + c.Number + "-BJ")
		d.pdf.Ln(1)
		d.para(c.CitizenName + "：")
		result := c.Result
		if result == "" {
			result = "已办结"
		}
		d.para(fmt.Sprintf("　　您于%s申请办理的“%s”事项（办件编号%s），已于%s办结，办理结果：%s。请携带本人身份证和受理回执到%s领取办理结果；已通过银行发放的待遇或补贴，请留意到账情况。",
			Date(c.AcceptedAt), c.ItemName, c.Number, Date(c.ClosedAt), result, c.Centre.Name))
		onTime := "按期办结"
		if !c.DueDate.IsZero() && c.ClosedAt.In(c.DueDate.Location()).Format("2006-01-02") > c.DueDate.Format("2006-01-02") {
			onTime = "超期办结"
		}
		d.heading("办理情况")
		d.fields([][2]string{
			{"办件编号", c.Number}, {"事项编码", c.ItemCode},
			{"事项名称", c.ItemName},
			{"申请人", c.CitizenName}, {"身份证号", c.IDMasked},
			{"受理时间", DateTime(c.AcceptedAt)}, {"办结时间", DateTime(c.ClosedAt)},
			{"承诺时限", Limit(c.LimitDays)}, {"时限情况", onTime},
			{"经办人", c.Clerk}, {"首问负责人", c.Responsible},
			{"业务部门", officePhone(c.Department+" "+c.Office, c.OfficePhone, c.PhonePending)},
		}, map[string]bool{"事项名称": true, "业务部门": true})
		d.pdf.Ln(2)
		d.para(fmt.Sprintf("如对办理结果有疑问，请拨打%s咨询；欢迎对本次服务作出评价（好差评），或拨打12345政务服务便民热线反映。", c.Centre.phone()))
		d.signatures(
			[]string{"经办人：" + c.Clerk, "通知日期：" + Date(c.Printed)},
			[]string{"服务中心：（盖章）", "申请人签收：____________"},
		)
		return d
	})
}
