package county

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"budayang/backend/apperr"
	"budayang/backend/calendar"
	"budayang/backend/catalog"
)

// MaxListEntries bounds a departments or announcements dataset.
const MaxListEntries = 10000

// DatasetPreview is what publishing a payload would change against the
// latest published version of its kind. Exactly one of Holidays, Catalog
// and List is set, by kind.
type DatasetPreview struct {
	Kind string `json:"kind"`
	// Base is the latest version the payload is compared with, 0 when the
	// kind has never been published.
	Base int64 `json:"base"`
	// Same is true when the payload equals the latest version: publishing
	// it is refused.
	Same     bool           `json:"same"`
	Holidays []YearChange   `json:"holidays,omitempty"`
	Catalog  *CatalogChange `json:"catalog,omitempty"`
	List     *ListChange    `json:"list,omitempty"`
}

// YearChange is one year of a holidays dataset: how it changes and the
// dates it treats differently from the latest version (or from weekends
// only, for a year the latest version lacks).
type YearChange struct {
	Year int `json:"year"`
	// Change is added, replaced, removed or unchanged.
	Change  string               `json:"change"`
	Summary calendar.YearSummary `json:"summary"`
	Days    []calendar.DayChange `json:"days"`
}

// ItemRef names one catalog item in a preview.
type ItemRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// CatalogChange lists the items a catalog would add, remove and change.
type CatalogChange struct {
	Version string    `json:"version"`
	Items   int       `json:"items"`
	Added   []ItemRef `json:"added"`
	Removed []ItemRef `json:"removed"`
	Changed []ItemRef `json:"changed"`
}

// ListChange counts the entries of a list dataset (departments,
// announcements) added and removed, an entry being compared whole.
type ListChange struct {
	Entries int `json:"entries"`
	Added   int `json:"added"`
	Removed int `json:"removed"`
}

// normalizeDataset validates a payload of kind and returns it in the form
// sites receive (names trimmed, defaults filled, compact JSON). Errors:
// invalid, naming what is wrong.
func normalizeDataset(kind string, payload json.RawMessage) (json.RawMessage, error) {
	if !KnownDatasetKind(kind) {
		return nil, apperr.Errorf(apperr.Invalid, "数据集类型“%s”未知，应为 holidays、catalog、departments 或 announcements。", kind)
	}
	if len(bytes.TrimSpace(payload)) == 0 {
		return nil, apperr.Errorf(apperr.Invalid, "数据集内容是空的。")
	}
	switch kind {
	case DatasetHolidays:
		arrs, err := decodeArrangements(payload)
		if err != nil {
			return nil, err
		}
		return json.Marshal(arrs)
	case DatasetCatalog:
		c, err := decodeCatalog(payload)
		if err != nil {
			return nil, err
		}
		return json.Marshal(c)
	default:
		list, err := decodeList(kind, payload)
		if err != nil {
			return nil, err
		}
		return json.Marshal(list)
	}
}

// decodeArrangements reads a holidays payload: every year published, each
// valid and named once, sorted by year.
func decodeArrangements(payload []byte) ([]calendar.Arrangement, error) {
	var arrs []calendar.Arrangement
	if err := json.Unmarshal(payload, &arrs); err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "节假日安排应为 JSON 数组，每项是一年的安排（year、notice、holidays、workdays）。")
	}
	if len(arrs) == 0 {
		return nil, apperr.Errorf(apperr.Invalid, "节假日安排中没有任何年份。")
	}
	seen := map[int]bool{}
	for i := range arrs {
		if err := arrs[i].Validate(); err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "%d年：%s", arrs[i].Year, apperr.Message(err))
		}
		if seen[arrs[i].Year] {
			return nil, apperr.Errorf(apperr.Invalid, "%d年出现了两次。", arrs[i].Year)
		}
		seen[arrs[i].Year] = true
		arrs[i].Source = calendar.SourceCounty
	}
	sort.Slice(arrs, func(i, j int) bool { return arrs[i].Year < arrs[j].Year })
	return arrs, nil
}

func decodeCatalog(payload []byte) (catalog.Catalog, error) {
	var c catalog.Catalog
	if err := json.Unmarshal(payload, &c); err != nil {
		return catalog.Catalog{}, apperr.Errorf(apperr.Invalid, "事项清单不是正确的 JSON（格式同软件附带的 catalog.json）。")
	}
	if err := c.Validate(); err != nil {
		return catalog.Catalog{}, err
	}
	return c, nil
}

// decodeList reads a departments or announcements payload: a JSON array
// of objects.
func decodeList(kind string, payload []byte) ([]json.RawMessage, error) {
	var list []json.RawMessage
	if err := json.Unmarshal(payload, &list); err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "数据集 %s 应为 JSON 数组，每项是一个对象。", kind)
	}
	if len(list) > MaxListEntries {
		return nil, apperr.Errorf(apperr.Invalid, "数据集 %s 超过 %d 项。", kind, MaxListEntries)
	}
	for i, e := range list {
		var obj map[string]json.RawMessage
		if json.Unmarshal(e, &obj) != nil || obj == nil {
			return nil, apperr.Errorf(apperr.Invalid, "数据集 %s 的第 %d 项不是 JSON 对象。", kind, i+1)
		}
		if why := entryProblem(kind, e); why != "" {
			return nil, apperr.Errorf(apperr.Invalid, "数据集 %s 的第 %d 项%s", kind, i+1, why)
		}
		// Canonical form (keys sorted), so that an entry compares equal
		// across versions whatever the order its keys were written in.
		canon, err := json.Marshal(obj)
		if err != nil {
			return nil, err
		}
		list[i] = canon
	}
	return list, nil
}

// entryProblem says what a departments or announcements entry lacks for the
// sites to read it (see Department and Announcement), "" when nothing.
func entryProblem(kind string, e json.RawMessage) string {
	switch kind {
	case DatasetDepartments:
		var d Department
		if json.Unmarshal(e, &d) != nil {
			return "的字段类型不对（name、phone、address、hours 均为文字）。"
		}
		if strings.TrimSpace(d.Name) == "" {
			return "缺少部门名称（name）。"
		}
	case DatasetAnnouncements:
		var a Announcement
		if json.Unmarshal(e, &a) != nil {
			return "的字段不对：published_at、until 应为 RFC 3339 时间，title、body 为文字。"
		}
		if strings.TrimSpace(a.Title) == "" || a.PublishedAt.IsZero() {
			return "缺少标题（title）或发布时间（published_at）。"
		}
	}
	return ""
}

// latest returns the newest published version of kind with its payload, or
// a zero Dataset when there is none.
func (s *Service) latest(ctx context.Context, kind string) (Dataset, error) {
	all, err := s.Store.LatestDatasets(ctx)
	if err != nil {
		return Dataset{}, err
	}
	for _, d := range all {
		if d.Kind == kind {
			return s.Store.Dataset(ctx, kind, d.Version)
		}
	}
	return Dataset{}, nil
}

// PreviewDataset validates payload as PublishDataset would and says what
// publishing it would change. Nothing is stored. Errors: invalid.
func (s *Service) PreviewDataset(ctx context.Context, kind string, payload json.RawMessage) (DatasetPreview, error) {
	norm, err := normalizeDataset(kind, payload)
	if err != nil {
		return DatasetPreview{}, err
	}
	base, err := s.latest(ctx, kind)
	if err != nil {
		return DatasetPreview{}, err
	}
	p := DatasetPreview{Kind: kind, Base: base.Version, Same: base.Version > 0 && bytes.Equal(base.Payload, norm)}
	switch kind {
	case DatasetHolidays:
		p.Holidays, err = holidayChanges(base.Payload, norm)
	case DatasetCatalog:
		p.Catalog, err = catalogChanges(base.Payload, norm)
	default:
		p.List, err = listChanges(kind, base.Payload, norm)
	}
	if err != nil {
		return DatasetPreview{}, fmt.Errorf("preview %s: %w", kind, err)
	}
	return p, nil
}

func holidayChanges(old, next []byte) ([]YearChange, error) {
	var before []calendar.Arrangement
	if old != nil {
		if err := json.Unmarshal(old, &before); err != nil {
			return nil, err
		}
	}
	var after []calendar.Arrangement
	if err := json.Unmarshal(next, &after); err != nil {
		return nil, err
	}
	byYear := func(arrs []calendar.Arrangement) map[int]calendar.Arrangement {
		m := map[int]calendar.Arrangement{}
		for _, a := range arrs {
			m[a.Year] = a
		}
		return m
	}
	was, will := byYear(before), byYear(after)
	years := make([]int, 0, len(was)+len(will))
	for y := range was {
		years = append(years, y)
	}
	for y := range will {
		if _, ok := was[y]; !ok {
			years = append(years, y)
		}
	}
	sort.Ints(years)
	out := make([]YearChange, 0, len(years))
	for _, y := range years {
		a, had := was[y]
		b, has := will[y]
		yc := YearChange{Year: y, Days: calendar.DiffYear(y, before, after)}
		switch {
		case !had:
			yc.Change, yc.Summary = "added", b.Summary()
		case !has:
			yc.Change, yc.Summary = "removed", a.Summary()
		default:
			yc.Summary = b.Summary()
			yc.Change = "replaced"
			if bytes.Equal(canonical(a), canonical(b)) {
				yc.Change = "unchanged"
			}
		}
		out = append(out, yc)
	}
	return out, nil
}

// canonical is v's JSON for comparing two decoded values; values decoded
// from JSON always encode.
func canonical(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func catalogChanges(old, next []byte) (*CatalogChange, error) {
	var before, after catalog.Catalog
	if old != nil {
		if err := json.Unmarshal(old, &before); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal(next, &after); err != nil {
		return nil, err
	}
	out := &CatalogChange{Version: after.Version, Items: len(after.Items), Added: []ItemRef{}, Removed: []ItemRef{}, Changed: []ItemRef{}}
	was := map[string]catalog.Item{}
	for _, it := range before.Items {
		was[it.Code] = it
	}
	for _, it := range after.Items {
		old, ok := was[it.Code]
		switch {
		case !ok:
			out.Added = append(out.Added, ItemRef{it.Code, it.Name})
		case !bytes.Equal(canonical(old), canonical(it)):
			out.Changed = append(out.Changed, ItemRef{it.Code, it.Name})
		}
		delete(was, it.Code)
	}
	for _, it := range before.Items {
		if _, gone := was[it.Code]; gone {
			out.Removed = append(out.Removed, ItemRef{it.Code, it.Name})
		}
	}
	return out, nil
}

func listChanges(kind string, old, next []byte) (*ListChange, error) {
	var before []json.RawMessage
	if old != nil {
		var err error
		if before, err = decodeList(kind, old); err != nil {
			return nil, err
		}
	}
	after, err := decodeList(kind, next)
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	for _, e := range before {
		count[string(e)]++
	}
	out := &ListChange{Entries: len(after)}
	for _, e := range after {
		if count[string(e)] > 0 {
			count[string(e)]--
		} else {
			out.Added++
		}
	}
	for _, n := range count {
		out.Removed += n
	}
	return out, nil
}

// MaxNote bounds the note a version is published with, in characters.
const MaxNote = 200

// PublishDataset validates payload, refuses one equal to the latest
// version, stores it as the next version of kind, published by staff with
// note, and writes that to the audit log. Errors: invalid, conflict.
func (s *Service) PublishDataset(ctx context.Context, by Staff, kind, note string, payload json.RawMessage) (Dataset, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNote {
		return Dataset{}, apperr.Errorf(apperr.Invalid, "发布说明不能超过 %d 字。", MaxNote)
	}
	norm, err := normalizeDataset(kind, payload)
	if err != nil {
		return Dataset{}, err
	}
	base, err := s.latest(ctx, kind)
	if err != nil {
		return Dataset{}, err
	}
	if base.Version > 0 && bytes.Equal(base.Payload, norm) {
		return Dataset{}, apperr.Errorf(apperr.Conflict, "内容与已发布的第 %d 版相同，无需再发布。", base.Version)
	}
	d, err := s.Store.PublishDataset(ctx, Dataset{Kind: kind, Schema: DatasetSchema, Note: note, PublishedBy: by.Login, Payload: norm}, s.Clock.Now())
	if err != nil {
		return Dataset{}, err
	}
	if err := s.Store.Audit(ctx, AuditEvent{At: s.Clock.Now(), Event: "dataset_published", Remote: by.Remote,
		Detail: fmt.Sprintf("%s 第 %d 版（%s，%s）：%s", kind, d.Version, by.Login, d.Checksum[:12], note)}); err != nil {
		return Dataset{}, fmt.Errorf("audit dataset %s v%d: %w", kind, d.Version, err)
	}
	return d, nil
}
