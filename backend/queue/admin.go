package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/store"
	"budayang/backend/textlimit"
)

const lineCols = `id, prefix, name, opens, closes, daily_cap, warn_wait_minutes, active`

func scanLine(r rowScanner) (Line, error) {
	var l Line
	var active int
	err := r.Scan(&l.ID, &l.Prefix, &l.Name, &l.Opens, &l.Closes, &l.DailyCap, &l.WarnWaitMinutes, &active)
	l.Active = active == 1
	return l, err
}

// Line returns the line with prefix, or not found.
func (s *Service) Line(ctx context.Context, prefix string) (Line, error) {
	l, err := scanLine(s.db.Read().QueryRowContext(ctx, `SELECT `+lineCols+` FROM line WHERE prefix = ?`, strings.ToUpper(prefix)))
	return lineFrom(l, prefix, err)
}

// lineTx reads a line for a write. Every issue reads one, so the committed
// lines are kept in memory: only the writer goroutine fills or clears them
// (saving a line clears them at once and again after its commit), and they
// are filled from the read pool after a commit, so they never hold a line
// that a rolled-back write saved.
func (s *Service) lineTx(ctx context.Context, tx *store.Tx, prefix string) (Line, error) {
	if m := s.lines.Load(); m != nil {
		if l, ok := (*m)[prefix]; ok {
			return l, nil
		}
		return lineFrom(Line{}, prefix, sql.ErrNoRows)
	}
	tx.AfterCommit(func() { s.loadLines(context.WithoutCancel(ctx)) })
	l, err := scanLine(tx.QueryRowContext(ctx, `SELECT `+lineCols+` FROM line WHERE prefix = ?`, prefix))
	return lineFrom(l, prefix, err)
}

func (s *Service) loadLines(ctx context.Context) {
	list, err := s.Lines(ctx)
	if err != nil {
		return // read again at the next miss
	}
	m := make(map[string]Line, len(list))
	for _, l := range list {
		m[l.Prefix] = l
	}
	s.lines.Store(&m)
}

func lineFrom(l Line, prefix string, err error) (Line, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return Line{}, apperr.Errorf(apperr.NotFound, "没有“%s”这条业务线。", prefix)
	}
	if err != nil {
		return Line{}, fmt.Errorf("read line %s: %w", prefix, err)
	}
	return l, nil
}

// Lines returns every line by prefix.
func (s *Service) Lines(ctx context.Context) ([]Line, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT `+lineCols+` FROM line ORDER BY prefix`)
	if err != nil {
		return nil, fmt.Errorf("list lines: %w", err)
	}
	defer rows.Close()
	out := []Line{}
	for rows.Next() {
		l, err := scanLine(rows)
		if err != nil {
			return nil, fmt.Errorf("list lines: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

var hhmm = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

func (l *Line) validate() error {
	l.Prefix = strings.ToUpper(strings.TrimSpace(l.Prefix))
	l.Name = strings.TrimSpace(l.Name)
	switch {
	case len(l.Prefix) != 1 || l.Prefix < "A" || l.Prefix > "Z":
		return apperr.Errorf(apperr.Invalid, "业务线字母应为A到Z中的一个。")
	case l.Prefix == PriorityPrefix:
		return apperr.Errorf(apperr.Invalid, "字母V留给绿色通道，请换一个字母。")
	case l.Name == "":
		return apperr.Errorf(apperr.Invalid, "请填写业务线名称。")
	case !hhmm.MatchString(l.Opens) || !hhmm.MatchString(l.Closes) || l.Opens >= l.Closes:
		return apperr.Errorf(apperr.Invalid, "取号时间应为HH:MM格式，且开始早于结束。")
	case l.DailyCap < 0:
		return apperr.Errorf(apperr.Invalid, "每日取号上限不能为负数（0表示不限）。")
	case l.WarnWaitMinutes < 0:
		return apperr.Errorf(apperr.Invalid, "等候预警时间不能为负数。")
	}
	return textlimit.Check("业务线名称", l.Name, textlimit.Name)
}

// SaveLine creates a line or changes the one with the same prefix;
// administrators only.
func (s *Service) SaveLine(ctx context.Context, by account.Principal, l Line) (Line, error) {
	if by.Role != account.RoleAdmin {
		return Line{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以设置业务线。")
	}
	if err := l.validate(); err != nil {
		return Line{}, err
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		l, err = s.saveLineTx(ctx, tx, by.Actor(), l)
		return err
	})
	return l, err
}

func (s *Service) saveLineTx(ctx context.Context, tx *store.Tx, who audit.Actor, l Line) (Line, error) {
	siteID, err := s.siteIDTx(ctx, tx)
	if err != nil {
		return Line{}, err
	}
	s.lines.Store(nil)
	tx.AfterCommit(func() { s.lines.Store(nil) })
	ts := store.FormatTime(tx.Now)
	err = tx.QueryRowContext(ctx, `INSERT INTO line (id, site_id, prefix, name, opens, closes, daily_cap, warn_wait_minutes, active, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(prefix) DO UPDATE SET name = excluded.name, opens = excluded.opens, closes = excluded.closes,
			daily_cap = excluded.daily_cap, warn_wait_minutes = excluded.warn_wait_minutes, active = excluded.active,
			updated_at = excluded.updated_at, version = version + 1
		RETURNING id`,
		store.NewID(), siteID, l.Prefix, l.Name, l.Opens, l.Closes, l.DailyCap, l.WarnWaitMinutes, boolInt(l.Active), ts, ts).Scan(&l.ID)
	if err != nil {
		return Line{}, fmt.Errorf("save line %s: %w", l.Prefix, err)
	}
	if err := audit.Record(ctx, tx, who, "line.save", l.Prefix, fmt.Sprintf("%s %s-%s 上限%d", l.Name, l.Opens, l.Closes, l.DailyCap)); err != nil {
		return Line{}, err
	}
	if err := tx.Outbox(ctx, "line.save", l.ID, l); err != nil {
		return Line{}, err
	}
	s.publish(tx, QueueChanged, map[string]string{"line": l.Prefix})
	return l, nil
}

const windowCols = `id, number, name, lines, paused, pause_reason, coalesce(staff_id, ''), staff_name`

func scanWindow(r rowScanner) (Window, error) {
	var w Window
	var lines string
	var paused int
	err := r.Scan(&w.ID, &w.Number, &w.Name, &lines, &paused, &w.PauseReason, &w.StaffID, &w.StaffName)
	w.Paused = paused == 1
	w.Lines = []string{}
	if lines != "" {
		w.Lines = strings.Split(lines, ",")
	}
	return w, err
}

// Windows returns every window by number.
func (s *Service) Windows(ctx context.Context) ([]Window, error) {
	return listWindows(ctx, s.db.Read())
}

func listWindows(ctx context.Context, q querier) ([]Window, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+windowCols+` FROM service_window ORDER BY number`)
	if err != nil {
		return nil, fmt.Errorf("list windows: %w", err)
	}
	defer rows.Close()
	out := []Window{}
	for rows.Next() {
		w, err := scanWindow(rows)
		if err != nil {
			return nil, fmt.Errorf("list windows: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func (s *Service) windowTx(ctx context.Context, tx *store.Tx, n int) (Window, error) {
	w, err := scanWindow(tx.QueryRowContext(ctx, `SELECT `+windowCols+` FROM service_window WHERE number = ?`, n))
	if errors.Is(err, sql.ErrNoRows) {
		return Window{}, apperr.Errorf(apperr.NotFound, "没有%d号窗口。", n)
	}
	if err != nil {
		return Window{}, fmt.Errorf("read window %d: %w", n, err)
	}
	return w, nil
}

// SaveWindow creates a window or changes the one with the same number;
// administrators only. Lines must exist; empty means every line.
func (s *Service) SaveWindow(ctx context.Context, by account.Principal, w Window) (Window, error) {
	if by.Role != account.RoleAdmin {
		return Window{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以设置窗口。")
	}
	if w.Number < 1 || w.Number > 99 {
		return Window{}, apperr.Errorf(apperr.Invalid, "窗口编号应在1到99之间。")
	}
	w.Name = strings.TrimSpace(w.Name)
	if w.Name == "" {
		w.Name = fmt.Sprintf("%d号窗口", w.Number)
	}
	if err := textlimit.Check("窗口名称", w.Name, textlimit.Name); err != nil {
		return Window{}, err
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		for i, l := range w.Lines {
			w.Lines[i] = strings.ToUpper(strings.TrimSpace(l))
			if _, err := s.lineTx(ctx, tx, w.Lines[i]); err != nil {
				return err
			}
		}
		var err error
		w, err = s.saveWindowTx(ctx, tx, by.Actor(), w)
		return err
	})
	return w, err
}

func (s *Service) saveWindowTx(ctx context.Context, tx *store.Tx, who audit.Actor, w Window) (Window, error) {
	siteID, err := s.siteIDTx(ctx, tx)
	if err != nil {
		return Window{}, err
	}
	ts := store.FormatTime(tx.Now)
	if w.Lines == nil {
		w.Lines = []string{}
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO service_window (id, site_id, number, name, lines, created_at, updated_at) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(number) DO UPDATE SET name = excluded.name, lines = excluded.lines, updated_at = excluded.updated_at, version = version + 1
		RETURNING id, paused, pause_reason`,
		store.NewID(), siteID, w.Number, w.Name, strings.Join(w.Lines, ","), ts, ts).Scan(&w.ID, &w.Paused, &w.PauseReason)
	if err != nil {
		return Window{}, fmt.Errorf("save window %d: %w", w.Number, err)
	}
	if err := audit.Record(ctx, tx, who, "window.save", w.Name, strings.Join(w.Lines, ",")); err != nil {
		return Window{}, err
	}
	if err := tx.Outbox(ctx, "window.save", w.ID, w); err != nil {
		return Window{}, err
	}
	s.publish(tx, QueueChanged, map[string]int{"window": w.Number})
	return w, nil
}

// SeedTx gives a new site line A (综合受理) and windows 1 to n, so it can
// issue and call tickets at once.
func (s *Service) SeedTx(ctx context.Context, tx *store.Tx, windows int) error {
	if windows < 1 || windows > 99 {
		return apperr.Errorf(apperr.Invalid, "窗口数量应在1到99之间。")
	}
	if _, err := s.saveLineTx(ctx, tx, audit.System, Line{Prefix: "A", Name: "综合受理", Opens: "08:30", Closes: "17:30", WarnWaitMinutes: 30, Active: true}); err != nil {
		return err
	}
	for n := 1; n <= windows; n++ {
		if _, err := s.saveWindowTx(ctx, tx, audit.System, Window{Number: n, Name: fmt.Sprintf("%d号窗口", n)}); err != nil {
			return err
		}
	}
	return nil
}
