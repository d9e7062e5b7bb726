package queue

import (
	"context"
	"time"
)

// LineView is a line as the hall display shows it.
type LineView struct {
	Prefix  string `json:"prefix"`
	Name    string `json:"name"`
	Waiting int    `json:"waiting"`
	// LongestWaitMinutes is how long the first waiting ticket has waited;
	// Warn is set past the line's warning time.
	LongestWaitMinutes int  `json:"longest_wait_minutes"`
	Warn               bool `json:"warn"`
}

// WindowView is a window as the hall display shows it.
type WindowView struct {
	Window
	Current *Ticket `json:"current"`
}

// HallView is the whole hall at one moment: no personal data, ticket numbers
// only.
type HallView struct {
	Day     string       `json:"day"`
	Lines   []LineView   `json:"lines"`
	Windows []WindowView `json:"windows"`
	// Calls are the calls still live, newest first (see liveCalls): the
	// display's headline is the first, and a call leaves the display when
	// its ticket leaves the window.
	Calls []Ticket `json:"calls"`
}

// Hall returns the hall's state now.
func (s *Service) Hall(ctx context.Context) (HallView, error) {
	now := s.clock.Now()
	day := Day(now)
	q := s.db.Read()
	lines, err := s.Lines(ctx)
	if err != nil {
		return HallView{}, err
	}
	windows, err := listWindows(ctx, q)
	if err != nil {
		return HallView{}, err
	}
	open, err := openTickets(ctx, q, day)
	if err != nil {
		return HallView{}, err
	}
	serving, err := queryTickets(ctx, q, `day = ? AND status = 'called' ORDER BY called_at DESC, number`, day)
	if err != nil {
		return HallView{}, err
	}
	v := HallView{Day: day, Lines: []LineView{}, Windows: []WindowView{}, Calls: liveCalls(serving, windows)}
	for _, l := range lines {
		if !l.Active {
			continue
		}
		lv := LineView{Prefix: l.Prefix, Name: l.Name}
		for _, t := range open {
			if t.Line != l.Prefix || !Callable(t, Window{Lines: []string{l.Prefix}}, now) && t.TargetWindow == nil {
				continue
			}
			lv.Waiting++
			if m := int(now.Sub(t.QueuedAt) / time.Minute); m > lv.LongestWaitMinutes {
				lv.LongestWaitMinutes = m
			}
		}
		lv.Warn = l.WarnWaitMinutes > 0 && lv.LongestWaitMinutes >= l.WarnWaitMinutes
		v.Lines = append(v.Lines, lv)
	}
	for _, w := range windows {
		wv := WindowView{Window: w}
		for _, t := range serving {
			if t.Window != nil && *t.Window == w.Number {
				p := publicTicket(t)
				wv.Current = &p
			}
		}
		v.Windows = append(v.Windows, wv)
	}
	return v, nil
}

// liveCalls are the calls a hall may still announce, in serving's order: a
// ticket being served (status called) at a window that exists and is not
// paused. A ticket completed, skipped, held or transferred is no longer
// called, so its call ends with it; a paused window calls no one.
func liveCalls(serving []Ticket, windows []Window) []Ticket {
	open := make(map[int]bool, len(windows))
	for _, w := range windows {
		open[w.Number] = !w.Paused
	}
	calls := []Ticket{}
	for _, t := range serving {
		if t.Status == Called && t.Window != nil && open[*t.Window] {
			calls = append(calls, publicTicket(t))
		}
	}
	return calls
}
