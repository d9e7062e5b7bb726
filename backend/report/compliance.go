package report

import (
	"fmt"
	"sort"

	"budayang/backend/catalog"
	"budayang/backend/roster"
	"budayang/backend/site"
)

// Standing of one requirement.
const (
	Met     = "met"
	NotMet  = "not_met"
	Unknown = "unknown" // the site holds no data to check it against
)

// Codes of the compliance lines the site package does not already name
// (window staff, floor area and terminals carry site's rule codes).
const (
	CodeVillagesNoData     = "villages.no_data"
	CodeVillagesAssistants = "villages.assistants"
	CodeDutyNoShifts       = "duty.no_shifts"
	CodeDutyCover          = "duty.cover"
	CodeCatalogList        = "catalog.list"
)

// ComplianceLine is one requirement of the plan and how the site stands:
// Required and Actual in the line's unit (persons, m², terminals, villages,
// duty places, items), Status met, not met or unknown, and what to do about
// it. Code and Params let the UI word the line in the reader's language;
// Requirement and Advice are the same in Chinese (Advice empty when met).
type ComplianceLine struct {
	Code        string         `json:"code"`
	Task        int            `json:"task"`
	Status      string         `json:"status"`
	Required    int            `json:"required"`
	Actual      int            `json:"actual"`
	Params      map[string]any `json:"params"`
	Requirement string         `json:"requirement"`
	Advice      string         `json:"advice"`
}

// DutyGap is a shift on a date with places nobody holds in a published
// roster.
type DutyGap struct {
	Date      string `json:"date"`
	ShiftID   string `json:"shift_id"`
	ShiftName string `json:"shift_name"`
	Missing   int    `json:"missing"`
}

// VillageAssistants is one village (村/社区) and its active assistants.
type VillageAssistants struct {
	Village    string `json:"village"`
	Assistants int    `json:"assistants"`
}

// Compliance is the site against the plan, one line per requirement, with
// the duty gaps of From..To and the villages short of an assistant behind
// their lines.
type Compliance struct {
	Lines         []ComplianceLine `json:"lines"`
	From          string           `json:"from"`
	To            string           `json:"to"`
	DutyGaps      []DutyGap        `json:"duty_gaps"`
	ShortVillages []string         `json:"short_villages"`
}

func status(ok bool) string {
	if ok {
		return Met
	}
	return NotMet
}

// SiteLines turns the site's own checks (task 7 window staff, task 15 floor
// area, task 6 terminals) into compliance lines with what to do.
func SiteLines(c site.Compliance) []ComplianceLine {
	line := func(task int, r site.Requirement, advice string) ComplianceLine {
		l := ComplianceLine{Code: r.Code, Task: task, Status: status(r.OK), Required: r.Required, Actual: r.Actual,
			Params: map[string]any{"min": r.Required, "short": r.Required - r.Actual}, Requirement: r.Rule}
		if !r.OK {
			l.Advice = advice
		}
		return l
	}
	staff, area, term := c.WindowStaff, c.FloorArea, c.Terminals
	return []ComplianceLine{
		line(7, staff, fmt.Sprintf("增配%d名窗口专职人员（在人员管理中新增综合窗口工作人员）。", staff.Required-staff.Actual)),
		line(15, area, fmt.Sprintf("场地面积还差%d m²：整合办公资源扩建场地，并在站点设置中更新面积。", area.Required-area.Actual)),
		line(6, term, fmt.Sprintf("还需进驻%d台自助设备：协调县级有关部门进驻，并在站点设置中更新数量。", term.Required-term.Actual)),
	}
}

// VillageLine checks task 12, every village with at least one assistant.
// known false means the site records no villages to check against.
func VillageLine(villages []VillageAssistants, known bool) (ComplianceLine, []string) {
	short := []string{}
	if !known {
		return ComplianceLine{Code: CodeVillagesNoData, Task: 12, Status: Unknown, Params: map[string]any{},
			Requirement: "各村（社区）明确最低1—2名专职代办员",
			Advice:      "本站尚未登记村（社区）名单及代办员所属村，无法核对；登记后此项自动核对。"}, short
	}
	for _, v := range villages {
		if v.Assistants < 1 {
			short = append(short, v.Village)
		}
	}
	sort.Strings(short)
	l := ComplianceLine{Code: CodeVillagesAssistants, Task: 12, Status: status(len(short) == 0), Required: len(villages),
		Actual: len(villages) - len(short), Params: map[string]any{"short": len(short)}, Requirement: "各村（社区）明确最低1—2名专职代办员"}
	if len(short) > 0 {
		l.Advice = fmt.Sprintf("%d个村（社区）还没有代办员：为其指定专职代办员。", len(short))
	}
	return l, short
}

// DutyCover checks task 11 over days: every place of every shift that
// applies on a day is held in a published roster. held are the published
// duties with a person; a vacant place does not count.
func DutyCover(days []roster.Day, shifts []roster.Shift, held []roster.Duty) (ComplianceLine, []DutyGap) {
	gaps := []DutyGap{}
	const requirement = "工作时间外（含周末、节假日）安排人员值班轮岗"
	if len(shifts) == 0 {
		return ComplianceLine{Code: CodeDutyNoShifts, Task: 11, Status: NotMet, Params: map[string]any{}, Requirement: requirement,
			Advice: "尚未设置值班班次：在排班中设置班次，再生成并发布排班。"}, gaps
	}
	type key struct{ date, shift string }
	have := map[key]int{}
	for _, d := range held {
		if d.StaffID != "" {
			have[key{d.Date, d.ShiftID}]++
		}
	}
	need, filled := 0, 0
	for _, day := range days {
		for _, s := range shifts {
			if !s.Applies(day) {
				continue
			}
			got := min(have[key{day.Date, s.ID}], s.People)
			need += s.People
			filled += got
			if got < s.People {
				gaps = append(gaps, DutyGap{Date: day.Date, ShiftID: s.ID, ShiftName: s.Name, Missing: s.People - got})
			}
		}
	}
	l := ComplianceLine{Code: CodeDutyCover, Task: 11, Status: status(len(gaps) == 0), Required: need, Actual: filled,
		Params: map[string]any{"gaps": len(gaps), "short": need - filled}, Requirement: requirement}
	if len(gaps) > 0 {
		l.Advice = fmt.Sprintf("未来一个月有%d个班次缺%d人：生成或调整排班并发布。", len(gaps), need-filled)
	}
	return l, gaps
}

// PlanLists are the special lists task 3 asks every site to publish, with
// the high-frequency item map.
var PlanLists = []string{catalog.TagOneThing, catalog.TagZeroMaterial, catalog.TagCrossProvince, catalog.TagSichuanCQ, catalog.TagHighFrequency}

// CatalogLines checks task 3: each of PlanLists holds at least one item of
// the loaded catalog.
func CatalogLines(lists []catalog.ListSummary) []ComplianceLine {
	count := map[string]int{}
	for _, l := range lists {
		count[l.Tag] = l.Count
	}
	out := make([]ComplianceLine, 0, len(PlanLists))
	for _, tag := range PlanLists {
		name := catalog.TagName(tag)
		req := fmt.Sprintf("梳理公布“%s”特色事项清单", name)
		if tag == catalog.TagHighFrequency {
			req = "制作高频政务服务事项地图"
		}
		l := ComplianceLine{Code: CodeCatalogList, Task: 3, Status: status(count[tag] > 0), Required: 1, Actual: count[tag],
			Params: map[string]any{"tag": tag}, Requirement: req}
		if count[tag] == 0 {
			l.Advice = fmt.Sprintf("事项清单中没有“%s”事项：请县平台同步最新事项清单，或导入含此标签的清单。", name)
		}
		out = append(out, l)
	}
	return out
}
