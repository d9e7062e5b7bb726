package report

import (
	"bytes"
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"

	"budayang/backend/account"
	"budayang/backend/rank"
)

// The workbooks write numbers as numbers, so a sheet sums and sorts them:
// counts as integers, rates as fractions shown as percentages (0.0%), and
// durations as fractions of a day shown as minutes and seconds ([mm]:ss).
const (
	colCount = iota
	colPercent
	colDuration
	colText
)

type column struct {
	head string
	kind int
}

type sheet struct {
	f      *excelize.File
	name   string
	row    int
	styles map[int]int
}

func newSheet(f *excelize.File, name string, first bool) (*sheet, error) {
	if first {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return nil, err
	}
	s := &sheet{f: f, name: name, styles: map[int]int{}}
	formats := map[int]*excelize.Style{
		colCount:    {NumFmt: 1},
		colPercent:  {CustomNumFmt: ptr("0.0%")},
		colDuration: {CustomNumFmt: ptr("[mm]:ss")},
		colText:     {},
	}
	for k, st := range formats {
		id, err := f.NewStyle(st)
		if err != nil {
			return nil, err
		}
		s.styles[k] = id
	}
	return s, nil
}

func ptr(s string) *string { return &s }

// line writes a row of plain values (a title or a note).
func (s *sheet) line(values ...any) error {
	s.row++
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.f.SetSheetRow(s.name, cell, &values)
}

// table writes the header and the rows, each cell styled by its column.
func (s *sheet) table(cols []column, rows [][]any) error {
	heads := make([]any, len(cols))
	for i, c := range cols {
		heads[i] = c.head
	}
	if err := s.line(heads...); err != nil {
		return err
	}
	bold, err := s.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	a, _ := excelize.CoordinatesToCellName(1, s.row)
	b, _ := excelize.CoordinatesToCellName(len(cols), s.row)
	if err := s.f.SetCellStyle(s.name, a, b, bold); err != nil {
		return err
	}
	for _, r := range rows {
		if err := s.line(r...); err != nil {
			return err
		}
		for i, c := range cols {
			cell, _ := excelize.CoordinatesToCellName(i+1, s.row)
			if err := s.f.SetCellStyle(s.name, cell, cell, s.styles[c.kind]); err != nil {
				return err
			}
		}
	}
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		width := 10.0
		if c.kind == colText {
			width = 18
		}
		if err := s.f.SetColWidth(s.name, name, name, width); err != nil {
			return err
		}
	}
	return nil
}

// days is seconds as a fraction of a day, Excel's unit of time.
func days(seconds int) float64 { return float64(seconds) / 86400 }

func save(f *excelize.File) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

var byNames = map[string]string{
	ByStaff: "人员", ByWindow: "窗口", ByLine: "业务", ByItem: "事项", ByDepartment: "部门", ByVillage: "村（社区）",
}

// PeriodColumns are the period workbook's headers, in order.
var PeriodColumns = []string{"分组", "办结取号", "过号", "平均等候", "等候90%", "平均办理", "办理90%", "受理办件", "办结办件",
	"按时办结", "按时办结率", "有效评价", "好评", "差评", "申诉成立", "好评率", "差评已整改", "代办件", "上门代办", "值班班次"}

func periodTable(rows []PeriodRow) ([]column, [][]any) {
	kinds := []int{colText, colCount, colCount, colDuration, colDuration, colDuration, colDuration, colCount, colCount,
		colCount, colPercent, colCount, colCount, colCount, colCount, colPercent, colCount, colCount, colCount, colCount}
	cols := make([]column, len(PeriodColumns))
	for i, h := range PeriodColumns {
		cols[i] = column{head: h, kind: kinds[i]}
	}
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = []any{r.Name, r.Served, r.NoShows, days(r.Wait.AvgSeconds), days(r.Wait.P90Seconds), days(r.Handle.AvgSeconds),
			days(r.Handle.P90Seconds), r.CasesAccepted, r.CasesClosed, r.OnTime, r.OnTimeRate, r.Ratings, r.Good, r.Bad, r.Voided,
			r.GoodRate, r.FollowedUp, r.ProxyCases, r.HomeVisits, r.Shifts}
	}
	return cols, out
}

func notes(s *sheet, p Period) error {
	if err := s.line("时段", p.From+" 至 "+p.To); err != nil {
		return err
	}
	for _, n := range p.Notes {
		if err := s.line("说明", n); err != nil {
			return err
		}
	}
	return s.line()
}

// PeriodXLSX is the period report as an Excel workbook, with the file's
// name; who may see what is as for Period.
func (s *Service) PeriodXLSX(ctx context.Context, by account.Principal, q PeriodQuery, groupBy string) ([]byte, string, error) {
	r, err := s.Period(ctx, by, q, groupBy)
	if err != nil {
		return nil, "", err
	}
	f := excelize.NewFile()
	defer f.Close()
	sh, err := newSheet(f, "按"+byNames[r.By]+"统计", true)
	if err != nil {
		return nil, "", err
	}
	if err := notes(sh, r.Period); err != nil {
		return nil, "", err
	}
	cols, rows := periodTable(r.Rows)
	cols[0].head = byNames[r.By]
	if err := sh.table(cols, rows); err != nil {
		return nil, "", err
	}
	body, err := save(f)
	return body, fmt.Sprintf("统计报表-%s-%s至%s.xlsx", byNames[r.By], r.Period.From, r.Period.To), err
}

var medalNames = map[string]string{rank.Gold: "金牌", rank.Silver: "银牌", rank.Bronze: "铜牌"}

// RankingXLSX is the ranking as a workbook: a sheet for window staff and
// one for assistants; administrators only.
func (s *Service) RankingXLSX(ctx context.Context, by account.Principal, q PeriodQuery) ([]byte, string, error) {
	r, err := s.Ranking(ctx, by, q)
	if err != nil {
		return nil, "", err
	}
	f := excelize.NewFile()
	defer f.Close()
	cols := []column{{"名次", colCount}, {"奖牌", colText}, {"姓名", colText}, {"得分", colCount}, {"并列", colText}, {"工作量", colCount},
		{"有效评价", colCount}, {"好评", colCount}, {"办结办件", colCount}, {"按时办结", colCount}, {"差评", colCount}, {"是否参评", colText}}
	for i, part := range []struct {
		name   string
		ranked []rank.Ranked
	}{{"窗口人员", r.Window}, {"帮办代办员", r.Assistants}} {
		sh, err := newSheet(f, part.name, i == 0)
		if err != nil {
			return nil, "", err
		}
		if err := notes(sh, r.Period); err != nil {
			return nil, "", err
		}
		rows := make([][]any, len(part.ranked))
		for j, x := range part.ranked {
			tie, qual := "", "参评"
			if x.Tie {
				tie = "并列"
			}
			if !x.Qualified {
				qual = fmt.Sprintf("工作量不足 %d，不参评", rank.MinVolume)
			}
			rows[j] = []any{x.Rank, medalNames[x.Medal], x.Name, x.Score, tie, x.Volume, x.Rated, x.Good, x.Closed, x.OnTime, x.Complaints, qual}
		}
		if err := sh.table(cols, rows); err != nil {
			return nil, "", err
		}
	}
	body, err := save(f)
	return body, fmt.Sprintf("评星排名-%s至%s.xlsx", r.Period.From, r.Period.To), err
}

// DashboardXLSX is today's dashboard as a workbook; who may see what is as
// for Dashboard.
func (s *Service) DashboardXLSX(ctx context.Context, by account.Principal) ([]byte, string, error) {
	d, err := s.Dashboard(ctx, by)
	if err != nil {
		return nil, "", err
	}
	f := excelize.NewFile()
	defer f.Close()
	sh, err := newSheet(f, "今日概况", true)
	if err != nil {
		return nil, "", err
	}
	if err := sh.line("日期", d.Day); err != nil {
		return nil, "", err
	}
	good := 0.0
	if d.Ratings.GoodPercent != nil {
		good = *d.Ratings.GoodPercent / 100
	}
	summary := [][]any{
		{"取号", d.Tickets.Issued}, {"等候中", d.Tickets.Waiting}, {"已办结", d.Tickets.Served}, {"过号", d.Tickets.NoShow},
		{"平均等候", days(d.Wait.AvgSeconds)}, {"等候90%", days(d.Wait.P90Seconds)}, {"平均办理", days(d.Handling.AvgSeconds)}, {"办理90%", days(d.Handling.P90Seconds)},
		{"今日预约", d.Appointments.Today}, {"预约未到", d.Appointments.NoShow}, {"在办办件", d.Cases.Running}, {"临期办件", d.Cases.DueSoon},
		{"逾期办件", d.Cases.Overdue}, {"今日评价", d.Ratings.Today}, {"好评率", good}, {"待整改差评", d.FollowUps.Open},
	}
	kinds := []int{colCount, colCount, colCount, colCount, colDuration, colDuration, colDuration, colDuration,
		colCount, colCount, colCount, colCount, colCount, colCount, colPercent, colCount}
	for i, row := range summary {
		if err := sh.line(row...); err != nil {
			return nil, "", err
		}
		cell, _ := excelize.CoordinatesToCellName(2, sh.row)
		if err := f.SetCellStyle(sh.name, cell, cell, sh.styles[kinds[i]]); err != nil {
			return nil, "", err
		}
	}
	timing := []column{{"名称", colText}, {"办结", colCount}, {"平均等候", colDuration}, {"等候90%", colDuration}, {"平均办理", colDuration}, {"办理90%", colDuration}}
	if len(d.ByLine) > 0 {
		lines, err := newSheet(f, "按业务", false)
		if err != nil {
			return nil, "", err
		}
		rows := make([][]any, len(d.ByLine))
		for i, l := range d.ByLine {
			rows[i] = []any{l.Prefix + " " + l.Name, l.Served, days(l.Wait.AvgSeconds), days(l.Wait.P90Seconds), days(l.Handling.AvgSeconds), days(l.Handling.P90Seconds)}
		}
		if err := lines.table(timing, rows); err != nil {
			return nil, "", err
		}
	}
	if len(d.ByWindow) > 0 {
		wins, err := newSheet(f, "按窗口", false)
		if err != nil {
			return nil, "", err
		}
		rows := make([][]any, len(d.ByWindow))
		for i, w := range d.ByWindow {
			rows[i] = []any{w.Name, w.Served, days(w.Wait.AvgSeconds), days(w.Wait.P90Seconds), days(w.Handling.AvgSeconds), days(w.Handling.P90Seconds)}
		}
		if err := wins.table(timing, rows); err != nil {
			return nil, "", err
		}
	}
	body, err := save(f)
	return body, fmt.Sprintf("工作台-%s.xlsx", d.Day), err
}
