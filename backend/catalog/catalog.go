// Package catalog is the one published list of items (一张清单, plan task 1)
// with their standard guides (办事指南, task 3): materials, steps, promised
// time limit, fees, legal basis, the department's office and phone (the map
// of high-frequency items), where an item is handled and its special lists
// (一件事一次办 …). The county owns the catalog and replaces it through sync;
// a site's own notes on items are kept apart, by item code, and survive
// every replacement. Search runs in memory over an index built at load.
package catalog

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"budayang/backend/apperr"
)

// Levels: where an item is handled.
const (
	LevelVillage = "village" // 村（社区）便民服务室
	LevelTown    = "town"    // 镇（乡、街道）便民服务中心
	LevelCounty  = "county"  // 县级部门或县政务服务中心
)

// LevelName is the Chinese name of a level.
func LevelName(level string) string {
	switch level {
	case LevelVillage:
		return "村（社区）便民服务室"
	case LevelTown:
		return "镇（乡、街道）便民服务中心"
	case LevelCounty:
		return "县级部门"
	}
	return level
}

// Tags: the special lists of plan task 3 and the high-frequency map.
const (
	TagOneThing      = "one-thing-once"    // 一件事一次办
	TagZeroMaterial  = "zero-material"     // 零材料提交
	TagCrossProvince = "cross-province"    // 跨省通办
	TagSichuanCQ     = "sichuan-chongqing" // 川渝通办
	TagHighFrequency = "high-frequency"    // 高频
	TagSelfService   = "self-service"      // 自助办理
)

// Tags lists every tag in display order.
var Tags = []string{TagOneThing, TagZeroMaterial, TagCrossProvince, TagSichuanCQ, TagHighFrequency, TagSelfService}

// TagName is the Chinese name of a tag.
func TagName(tag string) string {
	switch tag {
	case TagOneThing:
		return "一件事一次办"
	case TagZeroMaterial:
		return "零材料提交"
	case TagCrossProvince:
		return "跨省通办"
	case TagSichuanCQ:
		return "川渝通办"
	case TagHighFrequency:
		return "高频事项"
	case TagSelfService:
		return "自助办理"
	}
	return tag
}

// Forms of a material.
const (
	FormOriginal        = "original"          // 原件
	FormCopy            = "copy"              // 复印件
	FormOriginalAndCopy = "original_and_copy" // 原件及复印件
	FormElectronic      = "electronic"        // 电子证照（系统调取）
)

// FormName is the Chinese name of a form.
func FormName(form string) string {
	switch form {
	case FormOriginal:
		return "原件"
	case FormCopy:
		return "复印件"
	case FormOriginalAndCopy:
		return "原件及复印件"
	case FormElectronic:
		return "电子证照"
	}
	return form
}

// Material is one paper an item asks for.
type Material struct {
	Name     string `json:"name"`
	Form     string `json:"form"`
	Count    int    `json:"count"`
	Required bool   `json:"required"`
	Notes    string `json:"notes,omitempty"`
}

// UnmarshalJSON fills the defaults a catalog file may leave out: an
// original, one copy of it, required.
func (m *Material) UnmarshalJSON(b []byte) error {
	var raw struct {
		Name     string `json:"name"`
		Form     string `json:"form"`
		Count    int    `json:"count"`
		Required *bool  `json:"required"`
		Notes    string `json:"notes"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*m = Material{Name: raw.Name, Form: raw.Form, Count: raw.Count, Required: true, Notes: raw.Notes}
	if m.Form == "" {
		m.Form = FormOriginal
	}
	if m.Count == 0 {
		m.Count = 1
	}
	if raw.Required != nil {
		m.Required = *raw.Required
	}
	return nil
}

// Item is one government service item with its guide.
type Item struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Aliases are the names citizens and clerks say (社保卡, 低保, 上户口):
	// search finds the item by them as by its official name.
	Aliases    []string `json:"aliases,omitempty"`
	Department string   `json:"department"`
	// Office and Phone are the department's office and number (事项地图).
	Office string `json:"office"`
	Phone  string `json:"phone"`
	// Levels are where the item is accepted: village, town, county.
	Levels []string `json:"levels"`
	// DecidedBy names who decides when it is not the accepting site (a
	// county bureau approves what the town accepts).
	DecidedBy  string     `json:"decided_by,omitempty"`
	Conditions string     `json:"conditions,omitempty"`
	Materials  []Material `json:"materials"`
	Steps      []string   `json:"steps"`
	// LimitDays is the promised time limit in working days; 0 is done on
	// the spot (即办件).
	LimitDays int      `json:"limit_days"`
	Fee       string   `json:"fee"`
	Basis     []string `json:"basis"`
	Tags      []string `json:"tags"`
}

// HandledAt reports whether a site of level handles the item.
func (it Item) HandledAt(level string) bool {
	for _, l := range it.Levels {
		if l == level {
			return true
		}
	}
	return false
}

// HasTag reports whether the item is on the special list tag.
func (it Item) HasTag(tag string) bool {
	for _, t := range it.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// WhereHandled says in Chinese where the item is handled, for a refusal.
func (it Item) WhereHandled() string {
	names := make([]string, len(it.Levels))
	for i, l := range it.Levels {
		names[i] = LevelName(l)
	}
	where := strings.Join(names, "或")
	if it.Office != "" {
		where += "（" + it.Office
		if it.Phone != "" {
			where += "，电话" + it.Phone
		}
		where += "）"
	}
	return where
}

// PhonePending reports whether the phone is still the shipped placeholder
// (0818-XXXXXXX) the county has yet to replace.
func (it Item) PhonePending() bool { return strings.Contains(strings.ToUpper(it.Phone), "XXXX") }

// Summary is an item as a search result lists it.
type Summary struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Department   string   `json:"department"`
	Office       string   `json:"office"`
	Phone        string   `json:"phone"`
	PhonePending bool     `json:"phone_pending"`
	Levels       []string `json:"levels"`
	LimitDays    int      `json:"limit_days"`
	Tags         []string `json:"tags"`
}

// Summary returns the item's search-result form.
func (it Item) Summary() Summary {
	return Summary{Code: it.Code, Name: it.Name, Department: it.Department, Office: it.Office, Phone: it.Phone,
		PhonePending: it.PhonePending(), Levels: it.Levels, LimitDays: it.LimitDays, Tags: it.Tags}
}

// Catalog is a whole published list.
type Catalog struct {
	Version   string `json:"version"`
	Published string `json:"published"`
	Notes     string `json:"notes,omitempty"`
	Items     []Item `json:"items"`
}

func validLevel(l string) bool { return l == LevelVillage || l == LevelTown || l == LevelCounty }

func validTag(t string) bool { return TagName(t) != t }

func validForm(f string) bool { return FormName(f) != f }

// MaxAliases bounds the colloquial names of one item.
const MaxAliases = 12

// Validate checks a whole catalog before it replaces the one in use: unique
// codes, the fields every guide needs, known levels, tags and forms. The
// error names the item and the field.
func (c Catalog) Validate() error {
	if strings.TrimSpace(c.Version) == "" {
		return apperr.Errorf(apperr.Invalid, "事项清单缺少版本号。")
	}
	if len(c.Items) == 0 {
		return apperr.Errorf(apperr.Invalid, "事项清单是空的。")
	}
	seen := map[string]bool{}
	for i, it := range c.Items {
		where := fmt.Sprintf("第%d项（%s）", i+1, it.Code)
		switch {
		case strings.TrimSpace(it.Code) == "" || strings.ContainsAny(it.Code, " /?#"):
			return apperr.Errorf(apperr.Invalid, "%s的事项编码为空或含有空格、斜杠。", where)
		case seen[it.Code]:
			return apperr.Errorf(apperr.Invalid, "事项编码%s重复。", it.Code)
		case strings.TrimSpace(it.Name) == "" || utf8.RuneCountInString(it.Name) > 60:
			return apperr.Errorf(apperr.Invalid, "%s的事项名称为空或超过60字。", where)
		case strings.TrimSpace(it.Department) == "":
			return apperr.Errorf(apperr.Invalid, "%s缺少业务部门。", where)
		case len(it.Levels) == 0:
			return apperr.Errorf(apperr.Invalid, "%s缺少办理层级。", where)
		case it.LimitDays < 0 || it.LimitDays > 365:
			return apperr.Errorf(apperr.Invalid, "%s的承诺时限应在0到365个工作日之间。", where)
		case len(it.Steps) == 0:
			return apperr.Errorf(apperr.Invalid, "%s缺少办理流程。", where)
		}
		seen[it.Code] = true
		if len(it.Aliases) > MaxAliases {
			return apperr.Errorf(apperr.Invalid, "%s的俗称超过%d个。", where, MaxAliases)
		}
		for _, a := range it.Aliases {
			if strings.TrimSpace(a) == "" || utf8.RuneCountInString(a) > 20 {
				return apperr.Errorf(apperr.Invalid, "%s的俗称为空或超过20字。", where)
			}
		}
		for _, l := range it.Levels {
			if !validLevel(l) {
				return apperr.Errorf(apperr.Invalid, "%s的办理层级“%s”未知（应为village、town或county）。", where, l)
			}
		}
		for _, t := range it.Tags {
			if !validTag(t) {
				return apperr.Errorf(apperr.Invalid, "%s的标签“%s”未知。", where, t)
			}
		}
		for j, m := range it.Materials {
			if strings.TrimSpace(m.Name) == "" || !validForm(m.Form) || m.Count < 1 {
				return apperr.Errorf(apperr.Invalid, "%s的第%d份材料缺少名称，或形式、份数不正确。", where, j+1)
			}
		}
	}
	return nil
}
