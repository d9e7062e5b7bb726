package report

import (
	"math"
	"sort"
	"strconv"
	"time"

	"budayang/backend/roster"
)

// Ticket, booking and case states as their tables store them.
const (
	ticketWaiting   = "waiting"
	ticketCalled    = "called"
	ticketHeld      = "held"
	ticketSkipped   = "skipped"
	ticketCompleted = "completed"
	ticketNoShow    = "no_show"
	ticketUnserved  = "unserved"

	bookingBooked    = "booked"
	bookingCheckedIn = "checked_in"
	bookingCancelled = "cancelled"
	bookingNoShow    = "no_show"

	caseAccepted            = "accepted"
	caseTransferred         = "transferred"
	caseAwaitingSupplements = "awaiting_supplements"
)

// TicketRow is one of the day's tickets. A ticket keeps one row through
// transfers, so it is issued, waits and is served once, in the line and at
// the window where it ends.
type TicketRow struct {
	Line        string
	Status      string
	Window      int // 0: at no window
	Transferred bool
	IssuedAt    time.Time
	CalledAt    time.Time // zero: never called
	CompletedAt time.Time // zero: not completed
}

// BookingRow is one of the day's appointments.
type BookingRow struct {
	Status  string
	SlotEnd time.Time
}

// CaseRow is a case whose deadline may be running.
type CaseRow struct {
	Status  string
	DueDate string // YYYY-MM-DD; "" when no deadline is set
}

// RatingRow is one of the day's ratings. Upheld is set when an appeal
// against it was upheld, which voids a bad rating.
type RatingRow struct {
	Level  int
	Upheld bool
}

// LineName is a line's prefix and name.
type LineName struct {
	Prefix string
	Name   string
}

// WindowName is a window's number and name.
type WindowName struct {
	Number int
	Name   string
}

// DashboardInput is everything the dashboard is computed from.
type DashboardInput struct {
	Now time.Time
	// Today and NextWorkday are dates (YYYY-MM-DD) in Shanghai; a running
	// case due on or before NextWorkday is due soon.
	Today, NextWorkday string
	// Lines and Windows are listed in this order, with zeros when idle;
	// a line that has tickets but is not listed is added by its prefix.
	Lines    []LineName
	Windows  []WindowName
	Tickets  []TicketRow
	Bookings []BookingRow
	Cases    []CaseRow
	Ratings  []RatingRow
	// FollowUps are the due dates of the open rectifications of bad
	// ratings.
	FollowUps []string
	// Compact leaves out the figures by line and by window.
	Compact bool
}

// TicketCounts are the day's tickets by what became of them. Waiting
// counts tickets in the queue, a skipped one waiting to be called again
// included; NoShow those skipped too often, Unserved those left at the
// end of the day; Transferred how many of the day's tickets were sent on
// (each counted once whatever its state).
type TicketCounts struct {
	Issued      int `json:"issued"`
	Waiting     int `json:"waiting"`
	Serving     int `json:"serving"`
	Held        int `json:"held"`
	Served      int `json:"served"`
	NoShow      int `json:"no_show"`
	Unserved    int `json:"unserved"`
	Transferred int `json:"transferred"`
}

// LineFigures are one line's tickets and times.
type LineFigures struct {
	Prefix   string `json:"prefix"`
	Name     string `json:"name"`
	Issued   int    `json:"issued"`
	Waiting  int    `json:"waiting"`
	Served   int    `json:"served"`
	Wait     Timing `json:"wait"`
	Handling Timing `json:"handling"`
}

// WindowFigures are one window's served tickets and times.
type WindowFigures struct {
	Number   int    `json:"number"`
	Name     string `json:"name"`
	Served   int    `json:"served"`
	Wait     Timing `json:"wait"`
	Handling Timing `json:"handling"`
}

// AppointmentCounts are the day's appointments. Today counts every one not
// cancelled; NoShow those marked so and those whose slot ended with nobody
// checking in (check-in closes when the slot ends); Open those still to
// come.
type AppointmentCounts struct {
	Today     int `json:"today"`
	CheckedIn int `json:"checked_in"`
	Open      int `json:"open"`
	NoShow    int `json:"no_show"`
	Cancelled int `json:"cancelled"`
}

// CaseCounts are the cases under a deadline (限时办结). Running counts the
// cases whose clock runs (accepted, or at a department); Overdue those past
// their deadline, DueSoon those due today or on the next working day;
// Paused those waiting for supplements, whose clock stands still.
type CaseCounts struct {
	Running int `json:"running"`
	DueSoon int `json:"due_soon"`
	Overdue int `json:"overdue"`
	Paused  int `json:"paused"`
}

// RatingCounts are the day's ratings: Good the top three grades, Bad the
// lowest two less those voided by an upheld appeal (Voided). GoodPercent is
// Good out of Good and Bad, to one decimal; nil without ratings.
type RatingCounts struct {
	Today       int      `json:"today"`
	Good        int      `json:"good"`
	Bad         int      `json:"bad"`
	Voided      int      `json:"voided"`
	GoodPercent *float64 `json:"good_percent"`
}

// FollowUpCounts are the open rectifications of bad ratings, all of them
// and those past their deadline.
type FollowUpCounts struct {
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
}

// Dashboard is the centre today. Wait runs from issue to the call that is
// serving or served the ticket (so a transferred ticket's wait includes its
// first service); Handling from that call to completion. Both count the
// tickets a window has taken (called, held, completed), not those skipped.
type Dashboard struct {
	Day          string            `json:"day"`
	At           time.Time         `json:"at"`
	Compact      bool              `json:"compact"`
	Tickets      TicketCounts      `json:"tickets"`
	Wait         Timing            `json:"wait"`
	Handling     Timing            `json:"handling"`
	ByLine       []LineFigures     `json:"by_line"`
	ByWindow     []WindowFigures   `json:"by_window"`
	Appointments AppointmentCounts `json:"appointments"`
	Cases        CaseCounts        `json:"cases"`
	Ratings      RatingCounts      `json:"ratings"`
	FollowUps    FollowUpCounts    `json:"follow_ups"`
	Duty         roster.Board      `json:"duty"`
}

type timings struct{ wait, handling []time.Duration }

func (t *timings) add(w, h time.Duration, hasW, hasH bool) {
	if hasW {
		t.wait = append(t.wait, w)
	}
	if hasH {
		t.handling = append(t.handling, h)
	}
}

// ComputeDashboard computes the dashboard from in; Duty is left for the
// caller.
func ComputeDashboard(in DashboardInput) Dashboard {
	d := Dashboard{Day: in.Today, At: in.Now, Compact: in.Compact, ByLine: []LineFigures{}, ByWindow: []WindowFigures{}}
	var all timings
	lineAt := map[string]int{}
	lineTimes := map[string]*timings{}
	for _, l := range in.Lines {
		lineAt[l.Prefix] = len(d.ByLine)
		d.ByLine = append(d.ByLine, LineFigures{Prefix: l.Prefix, Name: l.Name})
		lineTimes[l.Prefix] = &timings{}
	}
	winAt := map[int]int{}
	winTimes := map[int]*timings{}
	for _, w := range in.Windows {
		winAt[w.Number] = len(d.ByWindow)
		d.ByWindow = append(d.ByWindow, WindowFigures{Number: w.Number, Name: w.Name})
		winTimes[w.Number] = &timings{}
	}
	for _, t := range in.Tickets {
		li, ok := lineAt[t.Line]
		if !ok {
			li = len(d.ByLine)
			lineAt[t.Line] = li
			d.ByLine = append(d.ByLine, LineFigures{Prefix: t.Line, Name: t.Line})
			lineTimes[t.Line] = &timings{}
		}
		lf := &d.ByLine[li]
		d.Tickets.Issued++
		lf.Issued++
		if t.Transferred {
			d.Tickets.Transferred++
		}
		switch t.Status {
		case ticketWaiting, ticketSkipped:
			d.Tickets.Waiting++
			lf.Waiting++
		case ticketCalled:
			d.Tickets.Serving++
		case ticketHeld:
			d.Tickets.Held++
		case ticketCompleted:
			d.Tickets.Served++
			lf.Served++
		case ticketNoShow:
			d.Tickets.NoShow++
		case ticketUnserved:
			d.Tickets.Unserved++
		}
		taken := t.Status == ticketCalled || t.Status == ticketHeld || t.Status == ticketCompleted
		hasW := taken && !t.CalledAt.IsZero()
		hasH := hasW && t.Status == ticketCompleted && !t.CompletedAt.IsZero()
		w, h := nonNegative(t.CalledAt.Sub(t.IssuedAt)), nonNegative(t.CompletedAt.Sub(t.CalledAt))
		all.add(w, h, hasW, hasH)
		lineTimes[t.Line].add(w, h, hasW, hasH)
		if t.Window == 0 {
			continue
		}
		wi, ok := winAt[t.Window]
		if !ok {
			wi = len(d.ByWindow)
			winAt[t.Window] = wi
			d.ByWindow = append(d.ByWindow, WindowFigures{Number: t.Window, Name: strconv.Itoa(t.Window)})
			winTimes[t.Window] = &timings{}
		}
		if t.Status == ticketCompleted {
			d.ByWindow[wi].Served++
		}
		winTimes[t.Window].add(w, h, hasW, hasH)
	}
	d.Wait, d.Handling = Summarize(all.wait), Summarize(all.handling)
	for i := range d.ByLine {
		lt := lineTimes[d.ByLine[i].Prefix]
		d.ByLine[i].Wait, d.ByLine[i].Handling = Summarize(lt.wait), Summarize(lt.handling)
	}
	for i := range d.ByWindow {
		wt := winTimes[d.ByWindow[i].Number]
		d.ByWindow[i].Wait, d.ByWindow[i].Handling = Summarize(wt.wait), Summarize(wt.handling)
	}
	sort.SliceStable(d.ByWindow, func(i, j int) bool { return d.ByWindow[i].Number < d.ByWindow[j].Number })
	if in.Compact {
		d.ByLine, d.ByWindow = []LineFigures{}, []WindowFigures{}
	}
	d.Appointments = countAppointments(in.Bookings, in.Now)
	d.Cases = countCases(in.Cases, in.Today, in.NextWorkday)
	d.Ratings = countRatings(in.Ratings)
	for _, due := range in.FollowUps {
		d.FollowUps.Open++
		if due < in.Today {
			d.FollowUps.Overdue++
		}
	}
	return d
}

func nonNegative(d time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	return d
}

func countAppointments(bs []BookingRow, now time.Time) AppointmentCounts {
	var a AppointmentCounts
	for _, b := range bs {
		switch b.Status {
		case bookingCancelled:
			a.Cancelled++
			continue
		case bookingCheckedIn:
			a.CheckedIn++
		case bookingNoShow:
			a.NoShow++
		case bookingBooked:
			if now.Before(b.SlotEnd) {
				a.Open++
			} else {
				a.NoShow++
			}
		}
		a.Today++
	}
	return a
}

func countCases(cs []CaseRow, today, nextWorkday string) CaseCounts {
	var c CaseCounts
	for _, x := range cs {
		switch x.Status {
		case caseAwaitingSupplements:
			c.Paused++
		case caseAccepted, caseTransferred:
			c.Running++
			switch {
			case x.DueDate == "":
			case x.DueDate < today:
				c.Overdue++
			case x.DueDate <= nextWorkday:
				c.DueSoon++
			}
		}
	}
	return c
}

func countRatings(rs []RatingRow) RatingCounts {
	var r RatingCounts
	for _, x := range rs {
		r.Today++
		switch {
		case x.Level >= 3:
			r.Good++
		case x.Upheld:
			r.Voided++
		default:
			r.Bad++
		}
	}
	if r.Good+r.Bad > 0 {
		p := math.Round(float64(r.Good)*1000/float64(r.Good+r.Bad)) / 10
		r.GoodPercent = &p
	}
	return r
}
