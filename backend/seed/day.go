package seed

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/clock"
	"budayang/backend/queue"
	"budayang/backend/store"
)

type ticket struct {
	id, number, line, status, phone string
	window                          int
	clerk                           clerk
	issued, called, completed       time.Time
	priority                        bool
}

// day writes past[i]: its tickets, ratings, bookings and cases and the
// audit lines they leave, in one transaction.
func (g *gen) day(ctx context.Context, i int) error {
	d := g.past[i]
	tickets := g.tickets(d, share(g.sc.Tickets, i, len(g.past)))
	var lines []audit.Line
	before := g.counts
	return g.c.DB.Write(ctx, func(tx *store.Tx) error {
		// Write may run fn again after a failed group: count from the start.
		lines, g.counts = lines[:0], before
		w := &writer{ctx: ctx, tx: tx}
		defer w.close()
		if err := g.writeTickets(w, d, tickets, &lines); err != nil {
			return err
		}
		if err := g.writeRatings(w, tickets, share(g.sc.Ratings, i, len(g.past)), &lines); err != nil {
			return err
		}
		pastBookings := g.sc.Bookings - g.sc.Bookings/20
		if err := g.writeBookings(w, d, share(pastBookings, i, len(g.past)), true, &lines); err != nil {
			return err
		}
		if err := g.writeCases(w, i, tickets, share(g.sc.Cases, i, len(g.past)), &lines); err != nil {
			return err
		}
		if w.err != nil {
			return w.err
		}
		// The future bookings' lines come out of the same total.
		lines = g.fit(lines, d, share(g.sc.Audit-g.sc.Bookings/20, i, len(g.past)))
		if err := audit.Append(ctx, tx, lines); err != nil {
			return err
		}
		g.counts.Audit += len(lines)
		return nil
	})
}

// writer runs a day's inserts through statements prepared once per
// transaction; the first error sticks.
type writer struct {
	ctx   context.Context
	tx    *store.Tx
	stmts map[string]*sql.Stmt
	err   error
}

func (w *writer) exec(q string, args ...any) {
	if w.err != nil {
		return
	}
	if w.stmts == nil {
		w.stmts = map[string]*sql.Stmt{}
	}
	st, ok := w.stmts[q]
	if !ok {
		if st, w.err = w.tx.PrepareContext(w.ctx, q); w.err != nil {
			w.err = fmt.Errorf("seed: prepare: %w", w.err)
			return
		}
		w.stmts[q] = st
	}
	if _, err := st.ExecContext(w.ctx, args...); err != nil {
		w.err = fmt.Errorf("seed: %w", err)
	}
}

func (w *writer) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

func at(d time.Time, minutes float64) time.Time {
	return d.Add(time.Duration(minutes * float64(time.Minute)))
}

func (g *gen) pickLine() string {
	n := g.rng.IntN(100)
	for _, l := range lineMix {
		if n < l.pct {
			return l.prefix
		}
		n -= l.pct
	}
	return "A"
}

// tickets draws the day's n tickets, issued 08:30–17:00 in order: nine in
// ten completed, the rest no-shows and tickets left unserved at closing.
func (g *gen) tickets(d time.Time, n int) []ticket {
	next := map[string]int{}
	out := make([]ticket, n)
	for k := range out {
		t := &out[k]
		t.line = g.pickLine()
		next[t.line]++
		t.number = queue.FormatNumber(t.line, next[t.line])
		t.issued = at(d, 8*60+30+float64(k)*510/float64(n)+g.rng.Float64()*0.2)
		t.id = g.id(t.issued)
		t.priority = g.rng.IntN(100) < 5
		if g.rng.IntN(10) < 3 {
			t.phone = g.phone()
		}
		switch r := g.rng.IntN(100); {
		case r < 90:
			t.status = "completed"
		case r < 95:
			t.status = "no_show"
		default:
			t.status = "unserved"
		}
		if t.status != "unserved" {
			t.clerk = g.clerks[g.rng.IntN(len(g.clerks))]
			t.window = t.clerk.window
			t.called = t.issued.Add(time.Duration(2+g.rng.IntN(38)) * time.Minute)
		}
		if t.status == "completed" {
			t.completed = t.called.Add(time.Duration(180+g.rng.IntN(1020)) * time.Second)
		}
	}
	return out
}

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.FormatTime(t)
}

var priorityKinds = []string{"70岁以上老人", "残疾人", "退役军人及军属", "孕妇"}

var kiosk = audit.Actor{Login: "kiosk", Workstation: "取号机"}

func (c clerk) actor() audit.Actor {
	return audit.Actor{Login: c.login, Workstation: fmt.Sprintf("%d号窗口", c.window)}
}

func (g *gen) writeTickets(w *writer, d time.Time, tickets []ticket, lines *[]audit.Line) error {
	day := calendar.FormatDate(d)
	last := map[string]int{}
	for _, t := range tickets {
		last[t.line]++
		phone, index := "", ""
		if t.phone != "" {
			var err error
			if phone, err = g.c.Sealer.Seal(t.phone, "ticket/"+t.id+"/phone"); err != nil {
				return err
			}
			index = g.c.Sealer.Index(t.phone)
		}
		kind, prio, source := "", 0, "kiosk"
		if t.priority {
			kind, prio = priorityKinds[g.rng.IntN(len(priorityKinds))], 1
		}
		if g.rng.IntN(100) < 15 {
			source = "desk"
		}
		var window any
		if t.window > 0 {
			window = t.window
		}
		updated := t.issued
		for _, u := range []time.Time{t.called, t.completed} {
			if u.After(updated) {
				updated = u
			}
		}
		if t.status == "unserved" {
			updated = at(d, 17*60+30)
		}
		w.exec(`INSERT INTO ticket (id, site_id, day, number, line, priority, priority_kind, phone, phone_index, source, status, window,
			issued_at, queued_at, called_at, completed_at, served_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			t.id, g.siteID, day, t.number, t.line, prio, kind, phone, index, source, t.status, window,
			ts(t.issued), ts(t.issued), ts(t.called), ts(t.completed), t.clerk.login, ts(t.issued), ts(updated))
		*lines = append(*lines, audit.Line{At: store.FormatTime(t.issued), Who: kiosk, Action: "ticket.issue", Target: t.number, Detail: lineName(t.line) + " " + kind})
		if !t.called.IsZero() {
			*lines = append(*lines, audit.Line{At: store.FormatTime(t.called), Who: t.clerk.actor(), Action: "ticket.call", Target: t.number, Detail: fmt.Sprintf("%d号窗口", t.window)})
		}
		switch t.status {
		case "completed":
			*lines = append(*lines, audit.Line{At: store.FormatTime(t.completed), Who: t.clerk.actor(), Action: "ticket.complete", Target: t.number})
		case "no_show":
			*lines = append(*lines, audit.Line{At: store.FormatTime(t.called.Add(3 * time.Minute)), Who: t.clerk.actor(), Action: "ticket.no_show", Target: t.number})
		}
	}
	for prefix, n := range last {
		w.exec(`INSERT INTO ticket_counter (day, prefix, last) VALUES (?,?,?)`, day, prefix, n)
	}
	w.exec(`INSERT INTO queue_day_closed (day, closed_at, closed_by) VALUES (?,?,?)`, day, store.FormatTime(at(d, 17*60+35)), "system")
	g.counts.Tickets += len(tickets)
	return w.err
}

func lineName(prefix string) string {
	for _, l := range lineMix {
		if l.prefix == prefix {
			return l.name
		}
	}
	return prefix
}

var badReasons = []string{"等候时间太长", "工作人员态度不好", "材料要求没有一次说清", "窗口中途离开", "办理太慢"}

// writeRatings rates n of the day's completed services: most well, about
// one in thirty badly, each bad one with a reason and a rectification.
func (g *gen) writeRatings(w *writer, tickets []ticket, n int, lines *[]audit.Line) error {
	var done []int
	for k, t := range tickets {
		if t.status == "completed" {
			done = append(done, k)
		}
	}
	g.rng.Shuffle(len(done), func(a, b int) { done[a], done[b] = done[b], done[a] })
	if n > len(done) {
		n = len(done)
	}
	picked := done[:n]
	slices.Sort(picked)
	for _, k := range picked {
		t := tickets[k]
		created := t.completed.Add(30 * time.Second)
		id := g.id(created)
		level := 5
		switch r := g.rng.IntN(100); {
		case r < 1:
			level = 1
		case r < 3:
			level = 2
		case r < 8:
			level = 3
		case r < 20:
			level = 4
		}
		reason, name, phone, index := "", "", "", ""
		if level <= 2 {
			reason = badReasons[g.rng.IntN(len(badReasons))]
			if g.rng.IntN(2) == 0 {
				var err error
				plain := g.phone()
				if name, err = g.c.Sealer.Seal(g.personName(), "rating/"+id+"/name"); err != nil {
					return err
				}
				if phone, err = g.c.Sealer.Seal(plain, "rating/"+id+"/phone"); err != nil {
					return err
				}
				index = g.c.Sealer.Index(plain)
			}
		}
		sub := func() int { return max(1, min(5, level+g.rng.IntN(3)-1)) }
		w.exec(`INSERT INTO rating (id, site_id, ticket_id, ticket_number, window, staff_login, level, attitude, efficiency, competence,
			reason, citizen_name, phone, phone_index, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			id, g.siteID, t.id, t.number, t.window, t.clerk.login, level, sub(), sub(), sub(), reason, name, phone, index, ts(created), ts(created))
		*lines = append(*lines, audit.Line{At: store.FormatTime(created), Who: audit.Actor{Login: "ratepad", Workstation: fmt.Sprintf("%d号窗口评价器", t.window)},
			Action: "rating.create", Target: t.number, Detail: fmt.Sprintf("%d星", level)})
		g.counts.Ratings++
		if level > 2 {
			continue
		}
		status, closedBy, closedAt, note := "done", "admin", ts(created.Add(72*time.Hour)), "已约谈并整改"
		switch r := g.rng.IntN(10); {
		case r == 0:
			status, closedBy, closedAt, note = "open", "", nil, ""
		case r == 1:
			status, note = "void", "申诉成立，作废"
		}
		due := calendar.FormatDate(created.AddDate(0, 0, 7))
		w.exec(`INSERT INTO rectification (id, site_id, rating_id, staff_login, due_date, status, note, closed_by, closed_at, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)`, g.id(created), g.siteID, id, t.clerk.login, due, status, note, closedBy, closedAt, ts(created), ts(created))
		*lines = append(*lines, audit.Line{At: store.FormatTime(created), Who: audit.System, Action: "rectification.open", Target: t.number, Detail: t.clerk.login})
		g.counts.Rectifications++
	}
	return w.err
}

var channels = []string{"phone", "phone", "proxy", "kiosk", "window"}

// writeBookings books n appointments on d: past days end checked in, as
// no-shows or cancelled; days ahead are still booked.
func (g *gen) writeBookings(w *writer, d time.Time, n int, past bool, lines *[]audit.Line) error {
	for range n {
		g.counts.Bookings++
		slot := at(d, 9*60+float64(g.rng.IntN(15))*30)
		created := slot.AddDate(0, 0, -1-g.rng.IntN(10))
		id := g.id(created)
		plainName, plainPhone := g.personName(), uniquePhone(g.counts.Bookings)
		name, err := g.c.Sealer.Seal(plainName, "booking/"+id+"/name")
		if err != nil {
			return err
		}
		phone, err := g.c.Sealer.Seal(plainPhone, "booking/"+id+"/phone")
		if err != nil {
			return err
		}
		status, checkedIn := "booked", any(nil)
		if past {
			switch r := g.rng.IntN(10); {
			case r < 8:
				status, checkedIn = "checked_in", ts(slot.Add(-5*time.Minute))
			case r == 8:
				status = "no_show"
			default:
				status = "cancelled"
			}
		}
		by := g.clerks[g.rng.IntN(len(g.clerks))]
		w.exec(`INSERT INTO booking (id, site_id, line, date, slot_start, slot_end, slot_kind, citizen_name, phone, phone_index, channel, booked_by, code, status,
			checked_in_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			id, g.siteID, g.pickLine(), calendar.FormatDate(d), ts(slot), ts(slot.Add(30*time.Minute)), "office", name, phone, g.c.Sealer.Index(plainPhone),
			channels[g.rng.IntN(len(channels))], by.login, fmt.Sprintf("%06d", g.counts.Bookings%1_000_000), status, checkedIn, ts(created), ts(created))
		*lines = append(*lines, audit.Line{At: store.FormatTime(created), Who: by.actor(), Action: "booking.create", Target: id, Detail: calendar.FormatDate(d)})
	}
	return w.err
}

// futureBookings books the twentieth of the bookings kept for the working
// days ahead, so the calendar's coming weeks are full.
func (g *gen) futureBookings(ctx context.Context) error {
	n := g.sc.Bookings / 20
	days := g.future[:min(len(g.future), 20)]
	return g.c.DB.Write(ctx, func(tx *store.Tx) error {
		w := &writer{ctx: ctx, tx: tx}
		defer w.close()
		var lines []audit.Line
		for k, d := range days {
			if err := g.writeBookings(w, d, share(n, k, len(days)), false, &lines); err != nil {
				return err
			}
		}
		if w.err != nil {
			return w.err
		}
		slices.SortStableFunc(lines, func(a, b audit.Line) int {
			if a.At < b.At {
				return -1
			}
			if a.At > b.At {
				return 1
			}
			return 0
		})
		g.counts.Audit += len(lines)
		return audit.Append(ctx, tx, lines)
	})
}

// fit brings the day's audit lines to exactly n in time order: staff
// sign-ins and case reads fill a short day, a long one loses lines at
// random.
func (g *gen) fit(lines []audit.Line, d time.Time, n int) []audit.Line {
	for len(lines) < n {
		c := g.clerks[g.rng.IntN(len(g.clerks))]
		t := at(d, 8*60+g.rng.Float64()*600)
		if g.rng.IntN(2) == 0 {
			lines = append(lines, audit.Line{At: store.FormatTime(t), Who: c.actor(), Action: "staff.login", Target: c.login})
		} else {
			lines = append(lines, audit.Line{At: store.FormatTime(t), Who: c.actor(), Action: "case.read", Target: g.id(t), Detail: "查看申请人完整姓名和电话"})
		}
	}
	for len(lines) > n {
		k := g.rng.IntN(len(lines))
		lines[k] = lines[len(lines)-1]
		lines = lines[:len(lines)-1]
	}
	slices.SortStableFunc(lines, func(a, b audit.Line) int {
		if a.At < b.At {
			return -1
		}
		if a.At > b.At {
			return 1
		}
		return 0
	})
	return lines
}

func caseDay(t time.Time) string { return t.In(clock.Shanghai).Format("20060102") }
