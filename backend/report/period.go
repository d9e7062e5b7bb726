package report

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Group-by dimensions of the period report.
const (
	ByStaff      = "staff"
	ByWindow     = "window"
	ByLine       = "line"
	ByItem       = "item"
	ByDepartment = "department"
	ByVillage    = "village"
)

// validBy reports whether by is a dimension the period report groups by.
func validBy(by string) bool {
	switch by {
	case ByStaff, ByWindow, ByLine, ByItem, ByDepartment, ByVillage:
		return true
	}
	return false
}

// StaffRow is a staff member as the period report names them.
type StaffRow struct {
	ID    string
	Login string
	Name  string
	Role  string
	// Active staff appear in a report by staff even with nothing counted.
	Active bool
}

// PeriodTicket is a ticket of a day in the period. A ticket keeps one row
// through transfers, so a transferred ticket is served (and counted) once,
// by whoever completed it at the window where it ended.
type PeriodTicket struct {
	ID       string
	Number   string
	Day      string
	Line     string
	Status   string
	Window   int    // 0: at no window
	ServedBy string // login of whoever called it last; "" when never called
	// WaitSeconds is issue to call, HandleSeconds call to completion; -1
	// when the ticket never got that far.
	WaitSeconds   int
	HandleSeconds int
}

// TicketTally is the tickets of one group as the period report counts
// them: how many were served and not come, and the waits and handling
// times its Timings sum up.
type TicketTally struct {
	Served, NoShows int
	Waits, Handles  []time.Duration
}

// TicketTallies tally tickets by the fields a dimension groups them by
// (ServedBy, Window, Line; the rest of the key is empty).
type TicketTallies map[PeriodTicket]*TicketTally

// Add counts t in its group, by the same predicates as the drill-down.
func (ts TicketTallies) Add(t PeriodTicket) {
	key := PeriodTicket{ServedBy: t.ServedBy, Window: t.Window, Line: t.Line}
	x := ts[key]
	if x == nil {
		x = &TicketTally{}
		ts[key] = x
	}
	if isServed(t) {
		x.Served++
		if t.HandleSeconds >= 0 {
			x.Handles = append(x.Handles, time.Duration(t.HandleSeconds)*time.Second)
		}
	}
	if isNoShow(t) {
		x.NoShows++
	}
	if isWaited(t) {
		x.Waits = append(x.Waits, time.Duration(t.WaitSeconds)*time.Second)
	}
}

// PeriodCase is a case accepted or closed in the period.
type PeriodCase struct {
	ID            string
	Number        string
	ItemCode      string
	ItemName      string
	Department    string
	ResponsibleID string
	Status        string
	AcceptedDate  string // YYYY-MM-DD in Shanghai; "" when never accepted
	ClosedDate    string // "" while running
	// DueDate already includes the working days the case waited for
	// supplements (the cases service moves it when supplements arrive), so
	// a case paused for supplements is judged without the pause.
	DueDate string
}

// PeriodRating is a rating made in the period.
type PeriodRating struct {
	ID           string
	TicketNumber string
	Date         string
	Line         string
	Window       int
	StaffLogin   string
	Level        int
	// Upheld: an appeal against the rating was upheld, which voids it.
	Upheld bool
	// Rectification is the follow-up's status ("open", "done", "void"), ""
	// when none was opened.
	Rectification string
	// N is how many ratings the row stands for (the report's loader reads
	// them grouped, and a negative N takes ratings out of a group); 0 is one.
	N int
}

// ProxyRow is a proxy case (帮办代办) opened in the period.
type ProxyRow struct {
	ID         string
	Number     string
	OwnerID    string
	Village    string
	ItemCode   string
	ItemName   string
	Department string
	Channel    string
	State      string
	Date       string
}

// VisitRow is a home visit (上门服务) an assistant made in the period: only
// visits whose outcome is done count.
type VisitRow struct {
	ID      string
	OwnerID string
	Village string
	Date    string
}

// ShiftRow is a published duty assignment held in the period.
type ShiftRow struct {
	StaffID string
	Date    string
	Shift   string
}

// PeriodInput is everything a period report is computed from.
type PeriodInput struct {
	Staff   []StaffRow
	Lines   []LineName
	Windows []WindowName
	Tickets []PeriodTicket
	// TicketTallies are tickets counted by group without a row each: a
	// year's report reads half a million tickets, and keeping each as a
	// PeriodTicket cost more than reading it (BenchmarkPeriodReports). The
	// report's loader tallies as it reads; the drill-down keeps Tickets.
	// ComputePeriod counts both.
	TicketTallies TicketTallies
	Cases         []PeriodCase
	Ratings       []PeriodRating
	Proxy         []ProxyRow
	Visits        []VisitRow
	Shifts        []ShiftRow
}

// PeriodRow is one group's figures over the period.
//
// Served counts completed tickets; NoShows the tickets called and not come.
// Wait runs from issue to call over every called ticket, Handle from call
// to completion over served ones. CasesAccepted counts cases accepted in
// the period, CasesClosed those closed in it (completed, rejected, or
// otherwise finished), OnTime those closed on or before their due date —
// the date counted in working days by the calendar, with the time paused
// for supplements added back. Ratings count every rating except those voided
// by an upheld appeal (Voided); Good is level 3–5 and Bad 1–2, as on the
// dashboard; a bad
// rating is a complaint, FollowedUp counts the complaints whose
// rectification is done. ProxyCases are the proxy cases the person (or
// village, item, department) opened; HomeVisits the home visits the person
// (or village) made, outcome done. Shifts counts published duty assignments held. The rates are
// fractions in 0..1, 0 when nothing was counted.
type PeriodRow struct {
	Key           string  `json:"key"`
	Name          string  `json:"name"`
	Role          string  `json:"role,omitempty"`
	Served        int     `json:"served"`
	NoShows       int     `json:"no_shows"`
	Wait          Timing  `json:"wait"`
	Handle        Timing  `json:"handle"`
	CasesAccepted int     `json:"cases_accepted"`
	CasesClosed   int     `json:"cases_closed"`
	OnTime        int     `json:"on_time"`
	OnTimeRate    float64 `json:"on_time_rate"`
	Ratings       int     `json:"ratings"`
	Good          int     `json:"good"`
	Bad           int     `json:"bad"`
	Voided        int     `json:"voided"`
	GoodRate      float64 `json:"good_rate"`
	FollowedUp    int     `json:"followed_up"`
	ProxyCases    int     `json:"proxy_cases"`
	HomeVisits    int     `json:"home_visits"`
	Shifts        int     `json:"shifts"`
}

// Measures a drill-down opens (Evidence): the rows behind one number.
const (
	MeasureServed     = "served"
	MeasureNoShow     = "no_show"
	MeasureWait       = "wait"
	MeasureAccepted   = "cases_accepted"
	MeasureClosed     = "cases_closed"
	MeasureOnTime     = "on_time"
	MeasureLate       = "late"
	MeasureRatings    = "ratings"
	MeasureGood       = "good"
	MeasureBad        = "bad"
	MeasureVoided     = "voided"
	MeasureFollowedUp = "followed_up"
	MeasureProxy      = "proxy_cases"
	MeasureHomeVisits = "home_visits"
	MeasureShifts     = "shifts"
	goodLevel         = 3
	badLevel          = 2
	rectificationDone = "done"
	noGroup           = ""
)

// grouper names the group of each kind of row under one dimension; "" for
// a row outside every group of it (a case has no window).
type grouper struct {
	ticket func(PeriodTicket) string
	cases  func(PeriodCase) string
	rating func(PeriodRating) string
	proxy  func(ProxyRow) string
	visit  func(VisitRow) string
	shift  func(ShiftRow) string
}

func none[T any](T) string { return noGroup }

func groupers(in PeriodInput, by string) grouper {
	idOf := map[string]string{}
	for _, s := range in.Staff {
		idOf[s.Login] = s.ID
	}
	win := func(n int) string {
		if n == 0 {
			return noGroup
		}
		return strconv.Itoa(n)
	}
	switch by {
	case ByWindow:
		return grouper{
			ticket: func(t PeriodTicket) string { return win(t.Window) },
			cases:  none[PeriodCase], proxy: none[ProxyRow], visit: none[VisitRow], shift: none[ShiftRow],
			rating: func(r PeriodRating) string { return win(r.Window) },
		}
	case ByLine:
		return grouper{
			ticket: func(t PeriodTicket) string { return t.Line },
			cases:  none[PeriodCase], proxy: none[ProxyRow], visit: none[VisitRow], shift: none[ShiftRow],
			rating: func(r PeriodRating) string { return r.Line },
		}
	case ByItem:
		return grouper{
			ticket: none[PeriodTicket], rating: none[PeriodRating], visit: none[VisitRow], shift: none[ShiftRow],
			cases: func(c PeriodCase) string { return c.ItemCode },
			proxy: func(p ProxyRow) string { return p.ItemCode },
		}
	case ByDepartment:
		return grouper{
			ticket: none[PeriodTicket], rating: none[PeriodRating], visit: none[VisitRow], shift: none[ShiftRow],
			cases: func(c PeriodCase) string { return c.Department },
			proxy: func(p ProxyRow) string { return p.Department },
		}
	case ByVillage:
		return grouper{
			ticket: none[PeriodTicket], rating: none[PeriodRating], shift: none[ShiftRow], cases: none[PeriodCase],
			proxy: func(p ProxyRow) string { return p.Village },
			visit: func(v VisitRow) string { return v.Village },
		}
	}
	return grouper{
		ticket: func(t PeriodTicket) string { return idOf[t.ServedBy] },
		cases:  func(c PeriodCase) string { return c.ResponsibleID },
		rating: func(r PeriodRating) string { return idOf[r.StaffLogin] },
		proxy:  func(p ProxyRow) string { return p.OwnerID },
		visit:  func(v VisitRow) string { return v.OwnerID },
		shift:  func(s ShiftRow) string { return s.StaffID },
	}
}

// The predicates below say which rows each figure counts; the report and
// the drill-down both use them, so a number and its evidence agree.

func isServed(t PeriodTicket) bool { return t.Status == ticketCompleted }
func isNoShow(t PeriodTicket) bool { return t.Status == ticketNoShow }
func isWaited(t PeriodTicket) bool { return t.WaitSeconds >= 0 }

func (p Period) holds(date string) bool { return date != "" && date >= p.From && date <= p.To }

func isClosed(c PeriodCase) bool { return c.ClosedDate != "" && c.Status != caseTransferred }

// isOnTime: closed on or before the due date; a case without one (no
// time limit) is on time.
func isOnTime(c PeriodCase) bool {
	return isClosed(c) && (c.DueDate == "" || c.ClosedDate <= c.DueDate)
}

func counted(r PeriodRating) bool { return !r.Upheld }
func isGood(r PeriodRating) bool  { return counted(r) && r.Level >= goodLevel }
func isBad(r PeriodRating) bool   { return counted(r) && r.Level <= badLevel }
func isFollowedUp(r PeriodRating) bool {
	return isBad(r) && r.Rectification == rectificationDone
}

// ComputePeriod groups in by the dimension by (ByStaff when unknown) over
// the period p: one row per group with anything to count, in the order of
// the group's name. The tickets, ratings, proxy cases and duties of in are
// the period's (the loaders read only those, and only the fields by needs);
// a case may be accepted or closed outside p and counts for the end inside
// it. Under ByStaff every active staff member appears, even
// with nothing counted, so a quiet month shows as zeros rather than as a
// missing person.
func ComputePeriod(in PeriodInput, p Period, by string) []PeriodRow {
	g := groupers(in, by)
	rows := map[string]*PeriodRow{}
	waits, handles := map[string][]time.Duration{}, map[string][]time.Duration{}
	row := func(key string) *PeriodRow {
		r := rows[key]
		if r == nil {
			r = &PeriodRow{Key: key, Name: key}
			rows[key] = r
		}
		return r
	}
	if by == ByStaff || !validBy(by) {
		for _, s := range in.Staff {
			if !s.Active {
				continue
			}
			r := row(s.ID)
			r.Name, r.Role = s.Name, s.Role
		}
	}
	own := TicketTallies{}
	for _, t := range in.Tickets {
		own.Add(t)
	}
	for _, tallies := range []TicketTallies{own, in.TicketTallies} {
		for key, x := range tallies {
			k := g.ticket(key)
			if k == noGroup {
				continue
			}
			r := row(k)
			r.Served += x.Served
			r.NoShows += x.NoShows
			// appended into the report's own slices: Summarize sorts them
			waits[k] = append(waits[k], x.Waits...)
			handles[k] = append(handles[k], x.Handles...)
		}
	}
	for _, c := range in.Cases {
		k := g.cases(c)
		if k == noGroup {
			continue
		}
		if p.holds(c.AcceptedDate) {
			row(k).CasesAccepted++
		}
		if isClosed(c) && p.holds(c.ClosedDate) {
			r := row(k)
			r.CasesClosed++
			if isOnTime(c) {
				r.OnTime++
			}
		}
	}
	for _, x := range in.Ratings {
		k := g.rating(x)
		if k == noGroup {
			continue
		}
		r, n := row(k), x.N
		if n == 0 {
			n = 1
		}
		if !counted(x) {
			r.Voided += n
			continue
		}
		r.Ratings += n
		if isGood(x) {
			r.Good += n
		}
		if isBad(x) {
			r.Bad += n
		}
		if isFollowedUp(x) {
			r.FollowedUp += n
		}
	}
	for _, x := range in.Proxy {
		k := g.proxy(x)
		if k == noGroup {
			continue
		}
		row(k).ProxyCases++
	}
	for _, v := range in.Visits {
		k := g.visit(v)
		if k == noGroup {
			continue
		}
		row(k).HomeVisits++
	}
	for _, s := range in.Shifts {
		k := g.shift(s)
		if k == noGroup {
			continue
		}
		row(k).Shifts++
	}
	names := groupNames(in, by)
	staff := map[string]StaffRow{}
	if by == ByStaff || !validBy(by) {
		for _, s := range in.Staff {
			staff[s.ID] = s
		}
	}
	out := make([]PeriodRow, 0, len(rows))
	for k, r := range rows {
		if n, ok := names[k]; ok {
			r.Name = n
		}
		if s, ok := staff[k]; ok {
			r.Name, r.Role = s.Name, s.Role
		}
		r.Wait, r.Handle = Summarize(waits[k]), Summarize(handles[k])
		r.OnTimeRate = rate(r.OnTime, r.CasesClosed)
		r.GoodRate = rate(r.Good, r.Ratings)
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Key < out[j].Key
	})
	return out
}

func groupNames(in PeriodInput, by string) map[string]string {
	names := map[string]string{}
	switch by {
	case ByWindow:
		for _, w := range in.Windows {
			names[strconv.Itoa(w.Number)] = w.Name
		}
	case ByLine:
		for _, l := range in.Lines {
			names[l.Prefix] = l.Prefix + " " + l.Name
		}
	case ByItem:
		for _, c := range in.Cases {
			names[c.ItemCode] = c.ItemName
		}
		for _, x := range in.Proxy {
			names[x.ItemCode] = x.ItemName
		}
	}
	return names
}

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// statusNames word the states a drill-down row shows.
var statusNames = map[string]string{
	ticketCompleted: "已办结", ticketNoShow: "过号", ticketCalled: "办理中", ticketHeld: "挂起", ticketSkipped: "跳过",
	"rect:open": "整改中", "rect:done": "已整改", "rect:void": "整改撤销", "rect:": "",
}

// EvidenceRow is one ticket, case, rating, proxy case or duty behind a
// number. It carries no citizen's name, ID number or phone: numbers, dates
// and the service only.
type EvidenceRow struct {
	Kind   string `json:"kind"` // ticket, case, rating, proxy, shift
	ID     string `json:"id"`
	Number string `json:"number"`
	Date   string `json:"date"`
	Detail string `json:"detail"`
	// Value is the figure the row adds when it is a duration (seconds) or a
	// level; 0 otherwise.
	Value int `json:"value"`
}

// validMeasure reports whether m is a measure Evidence opens.
func validMeasure(m string) bool {
	switch m {
	case MeasureServed, MeasureNoShow, MeasureWait, MeasureAccepted, MeasureClosed, MeasureOnTime, MeasureLate,
		MeasureRatings, MeasureGood, MeasureBad, MeasureVoided, MeasureFollowedUp, MeasureProxy, MeasureHomeVisits, MeasureShifts:
		return true
	}
	return false
}

// ComputeEvidence lists the rows behind measure in group key of dimension
// by over p — exactly those ComputePeriod counts for that figure, in date
// and number order.
func ComputeEvidence(in PeriodInput, p Period, by, key, measure string) []EvidenceRow {
	g := groupers(in, by)
	out := []EvidenceRow{}
	for _, t := range in.Tickets {
		if g.ticket(t) != key || !p.holds(t.Day) {
			continue
		}
		e := EvidenceRow{Kind: "ticket", ID: t.ID, Number: t.Number, Date: t.Day, Detail: t.Line + " · " + statusNames[t.Status]}
		switch {
		case measure == MeasureServed && isServed(t):
			e.Value = max(t.HandleSeconds, 0)
		case measure == MeasureNoShow && isNoShow(t):
		case measure == MeasureWait && isWaited(t):
			e.Value = t.WaitSeconds
		default:
			continue
		}
		out = append(out, e)
	}
	for _, c := range in.Cases {
		if g.cases(c) != key {
			continue
		}
		e := EvidenceRow{Kind: "case", ID: c.ID, Number: c.Number, Detail: c.ItemName + " · 期限 " + c.DueDate}
		closedIn := isClosed(c) && p.holds(c.ClosedDate)
		switch {
		case measure == MeasureAccepted && p.holds(c.AcceptedDate):
			e.Date = c.AcceptedDate
		case measure == MeasureClosed && closedIn, measure == MeasureOnTime && closedIn && isOnTime(c),
			measure == MeasureLate && closedIn && !isOnTime(c):
			e.Date = c.ClosedDate
		default:
			continue
		}
		out = append(out, e)
	}
	for _, x := range in.Ratings {
		if g.rating(x) != key || !p.holds(x.Date) {
			continue
		}
		ok := map[string]bool{
			MeasureRatings: counted(x), MeasureGood: isGood(x), MeasureBad: isBad(x),
			MeasureVoided: !counted(x), MeasureFollowedUp: isFollowedUp(x),
		}[measure]
		if !ok {
			continue
		}
		out = append(out, EvidenceRow{Kind: "rating", ID: x.ID, Number: x.TicketNumber, Date: x.Date,
			Detail: strings.TrimSuffix(strconv.Itoa(x.Window)+"号窗口 · "+statusNames["rect:"+x.Rectification], " · "), Value: x.Level})
	}
	for _, x := range in.Proxy {
		if g.proxy(x) != key || !p.holds(x.Date) {
			continue
		}
		if measure != MeasureProxy {
			continue
		}
		out = append(out, EvidenceRow{Kind: "proxy", ID: x.ID, Number: x.Number, Date: x.Date, Detail: x.ItemName + " · " + x.Village})
	}
	for _, v := range in.Visits {
		if measure != MeasureHomeVisits || g.visit(v) != key || !p.holds(v.Date) {
			continue
		}
		out = append(out, EvidenceRow{Kind: "visit", ID: v.ID, Date: v.Date, Detail: v.Village})
	}
	for _, s := range in.Shifts {
		if measure != MeasureShifts || g.shift(s) != key || !p.holds(s.Date) {
			continue
		}
		out = append(out, EvidenceRow{Kind: "shift", Date: s.Date, Detail: s.Shift})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].Number < out[j].Number
	})
	return out
}
