package seed

import (
	"fmt"
	"time"

	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/store"
)

// caseStatus draws a status for a case opened age working days ago with a
// limit of limit working days: an old one is mostly closed, a young one
// mostly still running; one in two hundred old ones is overdue.
func (g *gen) caseStatus(age, limit int) string {
	r := g.rng.IntN(1000)
	if limit == 0 {
		if r < 950 {
			return "completed"
		}
		return "consultation"
	}
	if age > limit+3 {
		switch {
		case r < 5:
			return "accepted"
		case r < 850:
			return "completed"
		case r < 900:
			return "certificate_issued"
		case r < 940:
			return "rejected"
		case r < 960:
			return "transferred"
		default:
			return "consultation"
		}
	}
	switch {
	case r < 500:
		return "accepted"
	case r < 650:
		return "awaiting_supplements"
	case r < 750:
		return "approved"
	case r < 850:
		return "consultation"
	default:
		return "completed"
	}
}

// writeCases opens n cases on past[i], most of them from one of the day's
// completed tickets, with the item's checklist and the case's history.
func (g *gen) writeCases(w *writer, i int, tickets []ticket, n int, lines *[]audit.Line) error {
	var done []ticket
	for _, t := range tickets {
		if t.status == "completed" {
			done = append(done, t)
		}
	}
	d := g.past[i]
	age := len(g.past) - 1 - i
	for k := range n {
		it := g.items[g.rng.IntN(len(g.items))]
		var t ticket
		created := at(d, 8*60+30+float64(k)*510/float64(max(n, 1)))
		c := g.clerks[g.rng.IntN(len(g.clerks))]
		if len(done) > 0 && g.rng.IntN(10) < 7 {
			t = done[k*len(done)/max(n, 1)]
			created, c = t.called.Add(2*time.Minute), t.clerk
		}
		id := g.id(created)
		number := fmt.Sprintf("%s-%03d", caseDay(d), k+1)
		status := g.caseStatus(age, it.limitDays)
		plainName, plainID, plainPhone := g.personName(), g.idNumber(), g.phone()
		name, err := g.c.Sealer.Seal(plainName, "case/"+id+"/name")
		if err != nil {
			return err
		}
		idSealed, err := g.c.Sealer.Seal(plainID, "case/"+id+"/id_number")
		if err != nil {
			return err
		}
		phone, err := g.c.Sealer.Seal(plainPhone, "case/"+id+"/phone")
		if err != nil {
			return err
		}
		var accepted, closed any
		due := ""
		if status != "consultation" {
			accepted = ts(created)
			if it.limitDays > 0 {
				due = calendar.FormatDate(g.addWorkdays(i, it.limitDays))
			}
		}
		updated := created
		switch status {
		case "completed", "rejected":
			updated = g.addWorkdays(i, max(it.limitDays, 0)).Add(10 * time.Hour)
			if it.limitDays == 0 {
				updated = created.Add(15 * time.Minute)
			}
			if limit := g.c.Clock.Now().Add(-time.Hour); updated.After(limit) {
				updated = limit
			}
			closed = ts(updated)
		}
		reason, result, transfer := "", "", ""
		switch status {
		case "rejected":
			reason = "不符合申请条件"
		case "completed", "certificate_issued":
			result = "已办结"
		case "transferred":
			transfer = it.department
		}
		w.exec(`INSERT INTO case_file (id, site_id, number, item_code, item_name, department, limit_days, status, citizen_name, id_number, phone, id_index, name_index,
			ticket_id, ticket_number, responsible_id, responsible_name, holder_id, holder_name, reason, result, transfer_to, accepted_at, due_date, closed_at, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			id, g.siteID, number, it.code, it.name, it.department, it.limitDays, status, name, idSealed, phone, g.c.Sealer.Index(plainID), g.c.Sealer.Index(plainName),
			t.id, t.number, c.id, c.name, c.id, c.name, reason, result, transfer, accepted, due, closed, ts(created), ts(updated))
		for m, mat := range it.materials {
			received := status != "consultation" && !(status == "awaiting_supplements" && mat.Required && m == 0)
			var recAt any
			recBy := ""
			if received {
				recAt, recBy = ts(created), c.login
			}
			w.exec(`INSERT INTO case_material (case_id, idx, name, form, count, required, notes, received, received_at, received_by) VALUES (?,?,?,?,?,?,?,?,?,?)`,
				id, m, mat.Name, mat.Form, mat.Count, boolInt(mat.Required), mat.Notes, boolInt(received), recAt, recBy)
		}
		w.exec(`INSERT INTO case_counter (day, last) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET last = excluded.last`, caseDay(d), k+1)
		w.exec(`INSERT INTO case_event (id, case_id, at, actor, actor_name, action, from_status, to_status, detail) VALUES (?,?,?,?,?,?,?,?,?)`,
			g.id(created), id, ts(created), c.login, c.name, "open", "", "consultation", it.name)
		*lines = append(*lines, audit.Line{At: store.FormatTime(created), Who: c.actor(), Action: "case.open", Target: id, Detail: number + " " + it.name})
		if status != "consultation" {
			w.exec(`INSERT INTO case_event (id, case_id, at, actor, actor_name, action, from_status, to_status, detail) VALUES (?,?,?,?,?,?,?,?,?)`,
				g.id(updated), id, ts(updated), c.login, c.name, "status", "consultation", status, "")
			*lines = append(*lines, audit.Line{At: store.FormatTime(updated), Who: c.actor(), Action: "case." + status, Target: id, Detail: number})
		}
		g.counts.Cases++
	}
	return w.err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
