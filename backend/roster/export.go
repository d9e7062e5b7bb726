package roster

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/calendar"
	"budayang/backend/clock"
	"budayang/backend/notice"
)

// Row is one place of a plan as printed and exported: the date, how the
// calendar reads it, the shift and who holds it.
type Row struct {
	Date    string
	Weekday string
	DayKind string
	Shift   string
	Start   string
	End     string
	Person  string
	Weight  float64
}

// Total is one person's duties in a plan (or a month of it) for the load
// summary: the count, the weight and what they carried over.
type Total struct {
	Name    string
	Count   int
	Weight  float64
	Carried float64
}

var weekdays = [...]string{"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"}

// dayKind says how the working calendar reads a date, as the notice board
// shows it: 工作日, 周末, the holiday's name, or 补班 for an adjusted workday
// (a weekend day worked for a holiday).
func dayKind(d calendar.Day) string {
	switch {
	case d.Workday && d.AdjustedWorkday:
		return "补班"
	case d.Workday:
		return "工作日"
	case d.Holiday != "":
		return d.Holiday
	}
	return "周末"
}

// rows reads the plan's places into Rows in time order, names resolved,
// together with each person's totals. month ("2006-01", or "" for the whole
// plan) keeps only its dates.
func (s *Service) rows(ctx context.Context, p Plan, month string) ([]Row, []Total, error) {
	setup, err := s.Setup(ctx)
	if err != nil {
		return nil, nil, err
	}
	shiftName := map[string]string{}
	for _, sh := range setup.Shifts {
		shiftName[sh.ID] = sh.Name
	}
	rules, err := s.cal.Rules(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	rs, err := s.db.Read().QueryContext(ctx, `SELECT id, name FROM staff`)
	if err != nil {
		return nil, nil, fmt.Errorf("roster names: %w", err)
	}
	for rs.Next() {
		var id, n string
		if err := rs.Scan(&id, &n); err != nil {
			rs.Close()
			return nil, nil, err
		}
		names[id] = n
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, nil, err
	}
	var out []Row
	tot := map[string]*Total{}
	for _, d := range p.Assignments {
		if month != "" && !strings.HasPrefix(d.Date, month+"-") {
			continue
		}
		date, _ := calendar.ParseDate(d.Date)
		cd := rules.Day(date)
		person := "（空缺）"
		if d.StaffID != "" {
			person = names[d.StaffID]
			t := tot[d.StaffID]
			if t == nil {
				t = &Total{Name: person}
				tot[d.StaffID] = t
			}
			t.Count++
			t.Weight += d.Weight
		}
		sh := shiftName[d.ShiftID]
		if sh == "" {
			sh = d.ShiftID
		}
		end := d.End.In(clock.Shanghai).Format("15:04")
		if calendar.FormatDate(d.End) != d.Date {
			end = "次日" + end
		}
		out = append(out, Row{Date: d.Date, Weekday: weekdays[cd.Weekday], DayKind: dayKind(cd), Shift: sh,
			Start: d.Start.In(clock.Shanghai).Format("15:04"), End: end, Person: person, Weight: d.Weight})
	}
	for _, l := range p.Load {
		if t := tot[l.StaffID]; t != nil {
			t.Carried = l.Carried
		} else if month == "" {
			tot[l.StaffID] = &Total{Name: names[l.StaffID], Carried: l.Carried}
		}
	}
	totals := make([]Total, 0, len(tot))
	for _, t := range tot {
		t.Weight = round2(t.Weight)
		totals = append(totals, *t)
	}
	sort.Slice(totals, func(i, j int) bool {
		if totals[i].Weight != totals[j].Weight {
			return totals[i].Weight > totals[j].Weight
		}
		return totals[i].Name < totals[j].Name
	})
	return out, totals, nil
}

// RowHeaders are the columns of the exported roster.
var RowHeaders = []string{"日期", "星期", "日子", "班次", "开始", "结束", "值班人员", "权重"}

// LoadHeaders are the columns of the load summary.
var LoadHeaders = []string{"值班人员", "值班次数", "本期权重", "上期结转", "合计"}

// ExportXLSX writes a plan as an Excel workbook, administrators only: one
// sheet a month named like 2026年10月 with a row per place, then the sheet
// 负荷汇总 with each person's count, weight and carry, and the fairness
// spread. The file name goes with it.
func (s *Service) ExportXLSX(ctx context.Context, by account.Principal, planID string) ([]byte, string, error) {
	if err := requireAdmin(by); err != nil {
		return nil, "", err
	}
	p, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, "", err
	}
	rows, totals, err := s.rows(ctx, p, "")
	if err != nil {
		return nil, "", err
	}
	f := excelize.NewFile()
	defer f.Close()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"E8EEF6"}, Pattern: 1}})
	sheet, line := "", 0
	for _, r := range rows {
		name := monthTitle(r.Date)
		if name != sheet {
			if sheet == "" {
				if err := f.SetSheetName("Sheet1", name); err != nil {
					return nil, "", err
				}
			} else if _, err := f.NewSheet(name); err != nil {
				return nil, "", err
			}
			sheet, line = name, 1
			if err := writeRow(f, sheet, line, bold, anyOf(RowHeaders)); err != nil {
				return nil, "", err
			}
			_ = f.SetColWidth(sheet, "A", "A", 12)
			_ = f.SetColWidth(sheet, "C", "D", 14)
			_ = f.SetColWidth(sheet, "G", "G", 14)
		}
		line++
		if err := writeRow(f, sheet, line, 0, []any{r.Date, r.Weekday, r.DayKind, r.Shift, r.Start, r.End, r.Person, r.Weight}); err != nil {
			return nil, "", err
		}
	}
	const summary = "负荷汇总"
	if sheet == "" {
		if err := f.SetSheetName("Sheet1", summary); err != nil {
			return nil, "", err
		}
	} else if _, err := f.NewSheet(summary); err != nil {
		return nil, "", err
	}
	if err := writeRow(f, summary, 1, bold, anyOf(LoadHeaders)); err != nil {
		return nil, "", err
	}
	_ = f.SetColWidth(summary, "A", "E", 12)
	lo, hi := 0.0, 0.0
	for i, t := range totals {
		sum := round2(t.Weight + t.Carried)
		if i == 0 || sum < lo {
			lo = sum
		}
		hi = max(hi, sum)
		if err := writeRow(f, summary, i+2, 0, []any{t.Name, t.Count, t.Weight, t.Carried, sum}); err != nil {
			return nil, "", err
		}
	}
	if err := writeRow(f, summary, len(totals)+3, bold, []any{"最大差距", "", "", "", round2(hi - lo)}); err != nil {
		return nil, "", err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, "", fmt.Errorf("write roster workbook: %w", err)
	}
	return buf.Bytes(), fmt.Sprintf("值班表%s至%s.xlsx", p.From, p.To), nil
}

func anyOf(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func writeRow(f *excelize.File, sheet string, line, style int, values []any) error {
	cell, _ := excelize.CoordinatesToCellName(1, line)
	if err := f.SetSheetRow(sheet, cell, &values); err != nil {
		return fmt.Errorf("roster sheet %s row %d: %w", sheet, line, err)
	}
	if style != 0 {
		end, _ := excelize.CoordinatesToCellName(len(values), line)
		return f.SetCellStyle(sheet, cell, end, style)
	}
	return nil
}

func monthTitle(date string) string {
	d, _ := calendar.ParseDate(date)
	return d.Format("2006年1月")
}

// PrintMonth renders one month of a plan ("2026-10") as the A4 sheet for
// the notice board: each place with its day and person, the duty phone and
// the month's load by person, so the fairness is on the wall too. Any
// staff member may print it; a draft prints marked as a draft.
func (s *Service) PrintMonth(ctx context.Context, planID, month string, centre notice.Centre) ([]byte, string, error) {
	m, err := time.ParseInLocation("2006-01", month, clock.Shanghai)
	if err != nil || m.Format("2006-01") != month {
		return nil, "", apperr.Errorf(apperr.Invalid, "月份应写成YYYY-MM，收到“%s”。", month)
	}
	p, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, "", err
	}
	if month < p.From[:7] || month > p.To[:7] {
		return nil, "", apperr.Errorf(apperr.Invalid, "%s不在这份排班的周期（%s至%s）之内。", month, p.From, p.To)
	}
	rows, totals, err := s.rows(ctx, p, month)
	if err != nil {
		return nil, "", err
	}
	setup, err := s.Setup(ctx)
	if err != nil {
		return nil, "", err
	}
	doc := notice.RosterMonth{Centre: centre, Month: m.Format("2006年1月"), Draft: p.Status != StatusPublished,
		DutyPhone: setup.DutyPhone, Printed: s.clock.Now()}
	for _, r := range rows {
		doc.Rows = append(doc.Rows, []string{r.Date[5:], r.Weekday, r.DayKind, r.Shift, r.Start + "–" + r.End, r.Person})
	}
	for _, t := range totals {
		doc.Load = append(doc.Load, []string{t.Name, fmt.Sprint(t.Count), fmt.Sprintf("%.2f", t.Weight)})
	}
	pdf, err := notice.RosterMonthPDF(doc)
	if err != nil {
		return nil, "", err
	}
	return pdf, fmt.Sprintf("值班表%s.pdf", m.Format("2006年1月")), nil
}
