package report

import (
	"context"
	"database/sql"
	"fmt"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/rank"
)

// PeriodReport is the period report: the period as counted (with its
// notes), the dimension and one row per group.
type PeriodReport struct {
	Period Period      `json:"period"`
	By     string      `json:"by"`
	Rows   []PeriodRow `json:"rows"`
}

// Ranking is the gold, silver and bronze candidates over a period: window
// staff and assistants ranked apart (see Rank for the formula).
type Ranking struct {
	Period     Period        `json:"period"`
	MinVolume  int           `json:"min_volume"`
	Window     []rank.Ranked `json:"window"`
	Assistants []rank.Ranked `json:"assistants"`
}

// Evidence is the rows behind one number of a period report.
type Evidence struct {
	Period  Period        `json:"period"`
	By      string        `json:"by"`
	Key     string        `json:"key"`
	Measure string        `json:"measure"`
	Rows    []EvidenceRow `json:"rows"`
}

// periodInput resolves q and reads the period's rows for the report by
// groupBy in one read snapshot (key and full as for loadPeriod).
func (s *Service) periodInput(ctx context.Context, q PeriodQuery, groupBy, key string, full bool) (Period, PeriodInput, error) {
	tx, err := s.db.Read().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Period{}, PeriodInput{}, fmt.Errorf("period report: %w", err)
	}
	defer tx.Rollback()
	start, err := loadDataStart(ctx, tx)
	if err != nil {
		return Period{}, PeriodInput{}, fmt.Errorf("period report: data start: %w", err)
	}
	p, err := ResolvePeriod(q, s.clock.Now(), start)
	if err != nil {
		return Period{}, PeriodInput{}, err
	}
	in, err := loadPeriod(ctx, tx, p, groupBy, key, full)
	return p, in, err
}

// Period returns the period report grouped by groupBy ("" is by staff).
// An administrator sees every group; anyone else sees their own row of the
// report by staff only (a clerk checks their own figures, not colleagues').
// Errors: invalid period or dimension (with the sentence saying why),
// forbidden for another dimension to a non-administrator.
func (s *Service) Period(ctx context.Context, by account.Principal, q PeriodQuery, groupBy string) (PeriodReport, error) {
	if groupBy == "" {
		groupBy = ByStaff
	}
	if !validBy(groupBy) {
		return PeriodReport{}, apperr.Errorf(apperr.Invalid, "分组方式只能是 staff、window、line、item、department 或 village。")
	}
	if by.Role != account.RoleAdmin && groupBy != ByStaff {
		return PeriodReport{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以按窗口、业务、事项、部门或村统计；您可以查看本人的统计。")
	}
	key := ""
	if by.Role != account.RoleAdmin {
		key = by.ID
	}
	p, in, err := s.periodInput(ctx, q, groupBy, key, false)
	if err != nil {
		return PeriodReport{}, err
	}
	rows := ComputePeriod(in, p, groupBy)
	if by.Role != account.RoleAdmin {
		own := []PeriodRow{}
		for _, r := range rows {
			if r.Key == by.ID {
				own = append(own, r)
			}
		}
		rows = own
	}
	return PeriodReport{Period: p, By: groupBy, Rows: rows}, nil
}

// Ranking ranks window staff (clerks and administrators who served) and
// assistants over the period; administrators only.
func (s *Service) Ranking(ctx context.Context, by account.Principal, q PeriodQuery) (Ranking, error) {
	if by.Role != account.RoleAdmin {
		return Ranking{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以查看评星排名。")
	}
	p, in, err := s.periodInput(ctx, q, ByStaff, "", false)
	if err != nil {
		return Ranking{}, err
	}
	r := Ranking{Period: p, MinVolume: rank.MinVolume}
	r.Window, r.Assistants = RankRows(ComputePeriod(in, p, ByStaff))
	return r, nil
}

// RankRows ranks a report by staff: window staff (clerks, and anyone else
// who served a ticket or closed a case) among themselves, assistants among
// themselves; duty officers and administrators with no window work are left
// out.
func RankRows(rows []PeriodRow) (window, assistants []rank.Ranked) {
	var w, a []rank.Input
	for _, r := range rows {
		switch {
		case r.Role == account.RoleAssistant:
			a = append(a, RankInputOf(r))
		case r.Role == account.RoleClerk || r.Served+r.CasesClosed > 0:
			w = append(w, RankInputOf(r))
		}
	}
	return rank.Order(w), rank.Order(a)
}

// Evidence lists the rows behind measure in group key of the report by
// groupBy over the period. An administrator opens any number; anyone else
// only their own (groupBy staff, key their own ID). The rows carry no
// citizen's personal data. Errors: invalid measure, dimension or period;
// forbidden.
func (s *Service) Evidence(ctx context.Context, by account.Principal, q PeriodQuery, groupBy, key, measure string) (Evidence, error) {
	if groupBy == "" {
		groupBy = ByStaff
	}
	if !validBy(groupBy) {
		return Evidence{}, apperr.Errorf(apperr.Invalid, "分组方式只能是 staff、window、line、item、department 或 village。")
	}
	if !validMeasure(measure) {
		return Evidence{}, apperr.Errorf(apperr.Invalid, "不认识要查看的指标“%s”。", measure)
	}
	if key == "" {
		return Evidence{}, apperr.Errorf(apperr.Invalid, "请指明要查看哪个人员或分组的明细。")
	}
	if by.Role != account.RoleAdmin && (groupBy != ByStaff || key != by.ID) {
		return Evidence{}, apperr.Errorf(apperr.Forbidden, "您只能查看本人统计数字背后的明细。")
	}
	p, in, err := s.periodInput(ctx, q, groupBy, key, true)
	if err != nil {
		return Evidence{}, err
	}
	return Evidence{Period: p, By: groupBy, Key: key, Measure: measure, Rows: ComputeEvidence(in, p, groupBy, key, measure)}, nil
}
