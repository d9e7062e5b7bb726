package proxy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/secret"
	"budayang/backend/store"
)

// EventVisits announces a change to the home visits. Its data names no
// villager: the event stream is open to the hall's LAN.
const EventVisits = "proxy:visits"

// Outcomes of a home visit.
var Outcomes = []string{"done", "not_home", "moved", "declined", "rescheduled"}

// OutcomeName is the Chinese name of a visit's outcome, "" for an unknown
// one.
func OutcomeName(o string) string {
	switch o {
	case "done":
		return "已办完"
	case "not_home":
		return "不在家"
	case "moved":
		return "已搬走"
	case "declined":
		return "不需要了"
	case "rescheduled":
		return "改期再访"
	}
	return ""
}

// Travel allowances of the day's route: between two villages, and between
// two homes of one village.
const (
	TravelBetweenVillages = 20 * time.Minute
	TravelWithinVillage   = 5 * time.Minute
)

// Visit is a home visit (上门服务) to an elderly, sick or disabled villager.
type Visit struct {
	ID          string `json:"id"`
	OwnerID     string `json:"owner_id"`
	OwnerName   string `json:"owner_name"`
	VillageID   string `json:"village_id"`
	VillageName string `json:"village_name"`
	// VillagePosition is the village's place on its room's round.
	VillagePosition int `json:"village_position"`
	// CitizenName and Phone are sealed at rest and masked in every answer
	// but the owner's route.
	CitizenName string `json:"citizen_name"`
	Phone       string `json:"phone"`
	Masked      bool   `json:"masked"`
	Date        string `json:"date"`
	// Time is the booked start, HH:MM, Shanghai time.
	Time        string    `json:"time"`
	Minutes     int       `json:"minutes"`
	Reason      string    `json:"reason"`
	Outcome     string    `json:"outcome"`
	OutcomeName string    `json:"outcome_name"`
	OutcomeNote string    `json:"outcome_note,omitempty"`
	CaseID      string    `json:"case_id,omitempty"`
	CaseNumber  string    `json:"case_number,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	// Start and End are the booked span as instants, for the calendar.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	start int       // minutes after midnight
}

func (v *Visit) mask() {
	v.CitizenName = citizen.MaskName(v.CitizenName)
	v.Phone = citizen.MaskPhone(v.Phone)
	v.Masked = true
}

func visitAAD(id, field string) string { return "visit/" + id + "/" + field }

// VisitRequest books a home visit.
type VisitRequest struct {
	VillageID string `json:"village_id"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Date      string `json:"date"`
	Time      string `json:"time"`
	Minutes   int    `json:"minutes"`
	Reason    string `json:"reason"`
}

// parseClock reads HH:MM as minutes after midnight.
func parseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

func formatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// at is the instant of minute min on day, Shanghai time.
func at(day time.Time, min int) time.Time {
	y, mo, d := day.In(clock.Shanghai).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, clock.Shanghai).Add(time.Duration(min) * time.Minute)
}

// BookVisit books a home visit for by, an assistant, in a village they
// cover. Errors, with nothing saved: forbidden for any role but an
// assistant; invalid for a village they do not cover, a missing name, an
// invalid phone, a bad date or time, a start already past, a duration
// outside 10–240 minutes, a missing or over-long reason; conflict when the
// visit overlaps another of the assistant's visits that day.
func (s *Service) BookVisit(ctx context.Context, by account.Principal, req VisitRequest) (Visit, error) {
	if by.Role != account.RoleAssistant {
		return Visit{}, apperr.Errorf(apperr.Forbidden, "只有代办员可以预约上门服务。")
	}
	name, err := limited("群众姓名", req.Name, 30)
	if err != nil {
		return Visit{}, err
	}
	if name == "" {
		return Visit{}, apperr.Errorf(apperr.Invalid, "请填写群众姓名。")
	}
	phone, err := citizen.NormalizePhone(req.Phone)
	if err != nil {
		return Visit{}, err
	}
	day, err := calendar.ParseDate(strings.TrimSpace(req.Date))
	if err != nil {
		return Visit{}, apperr.Errorf(apperr.Invalid, "日期应写成YYYY-MM-DD，收到“%s”。", req.Date)
	}
	start, ok := parseClock(req.Time)
	if !ok {
		return Visit{}, apperr.Errorf(apperr.Invalid, "时间应写成HH:MM，收到“%s”。", req.Time)
	}
	if req.Minutes < 10 || req.Minutes > 240 {
		return Visit{}, apperr.Errorf(apperr.Invalid, "预计用时应为10至240分钟，收到%d。", req.Minutes)
	}
	if start+req.Minutes > 24*60 {
		return Visit{}, apperr.Errorf(apperr.Invalid, "上门服务须在当天结束。")
	}
	if !at(day, start).After(s.clock.Now()) {
		return Visit{}, apperr.Errorf(apperr.Invalid, "上门时间%s %s已过，不能预约。", calendar.FormatDate(day), formatClock(start))
	}
	reason, err := limited("上门事由", req.Reason, 200)
	if err != nil {
		return Visit{}, err
	}
	if reason == "" {
		return Visit{}, apperr.Errorf(apperr.Invalid, "请填写上门事由。")
	}
	village, err := s.coveredVillage(ctx, by.ID, strings.TrimSpace(req.VillageID))
	if err != nil {
		return Visit{}, err
	}
	date := calendar.FormatDate(day)
	id := store.NewID()
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var other string
		var otherStart int
		err := tx.QueryRowContext(ctx, `SELECT village_name, start_min FROM home_visit WHERE owner_id = ? AND day = ?
			AND start_min < ? AND start_min + minutes > ? AND outcome NOT IN ('not_home','moved','declined','rescheduled') LIMIT 1`,
			by.ID, date, start+req.Minutes, start).Scan(&other, &otherStart)
		switch {
		case err == nil:
			return apperr.Errorf(apperr.Conflict, "与%s %s在%s的上门服务时间重叠，请另选时间。", date, formatClock(otherStart), other)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("find overlapping visit: %w", err)
		}
		sealedName, err := s.sealer.Seal(name, visitAAD(id, "name"))
		if err != nil {
			return err
		}
		sealedPhone, err := s.sealer.Seal(phone, visitAAD(id, "phone"))
		if err != nil {
			return err
		}
		now := store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO home_visit (id, owner_id, owner_name, village_id, village_name, citizen_name, phone, phone_index,
			day, start_min, minutes, reason, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			id, by.ID, by.Name, village.ID, village.Name, sealedName, sealedPhone, s.sealer.Index(phone),
			date, start, req.Minutes, reason, now, now); err != nil {
			return fmt.Errorf("book visit: %w", err)
		}
		if err := audit.Record(ctx, tx, by.Actor(), "proxy.visit", id, date+" "+formatClock(start)+" "+village.Name+" 预约上门服务"); err != nil {
			return err
		}
		s.announceVisits(tx, by.ID, date)
		return nil
	})
	if err != nil {
		return Visit{}, err
	}
	v, err := s.visit(ctx, s.db.Read(), id)
	if err != nil {
		return Visit{}, err
	}
	v.mask()
	return v, nil
}

func (s *Service) announceVisits(tx *store.Tx, owner, date string) {
	tx.AfterCommit(func() {
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: EventVisits, Data: map[string]string{"owner_id": owner, "date": date}})
		}
	})
}

// visitColumns read the village's position as it is now: an administrator
// moving a village on the round reorders the routes already booked.
const visitColumns = `id, owner_id, owner_name, village_id, village_name,
	coalesce((SELECT position FROM village v WHERE v.id = home_visit.village_id), 0), citizen_name, phone, day, start_min, minutes, reason,
	outcome, outcome_note, case_id, case_number, created_at`

// visits reads visits, name and phone opened.
func (s *Service) visits(ctx context.Context, q querier, where string, args ...any) ([]Visit, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+visitColumns+` FROM home_visit WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read visits: %w", err)
	}
	defer rows.Close()
	out := []Visit{}
	for rows.Next() {
		var v Visit
		var created string
		if err := rows.Scan(&v.ID, &v.OwnerID, &v.OwnerName, &v.VillageID, &v.VillageName, &v.VillagePosition, &v.CitizenName, &v.Phone,
			&v.Date, &v.start, &v.Minutes, &v.Reason, &v.Outcome, &v.OutcomeNote, &v.CaseID, &v.CaseNumber, &created); err != nil {
			return nil, fmt.Errorf("read visits: %w", err)
		}
		if v.CitizenName, err = s.sealer.Open(v.CitizenName, visitAAD(v.ID, "name")); err != nil {
			return nil, secret.WrongKey(s.sealer.Where())
		}
		if v.Phone, err = s.sealer.Open(v.Phone, visitAAD(v.ID, "phone")); err != nil {
			return nil, secret.WrongKey(s.sealer.Where())
		}
		v.CreatedAt, _ = store.ParseTime(created)
		v.Time, v.OutcomeName = formatClock(v.start), OutcomeName(v.Outcome)
		if d, err := calendar.ParseDate(v.Date); err == nil {
			v.Start = at(d, v.start)
			v.End = v.Start.Add(time.Duration(v.Minutes) * time.Minute)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Service) visit(ctx context.Context, q querier, id string) (Visit, error) {
	list, err := s.visits(ctx, q, `id = ?`, id)
	if err != nil {
		return Visit{}, err
	}
	if len(list) == 0 {
		return Visit{}, apperr.Errorf(apperr.NotFound, "找不到这次上门服务。")
	}
	return list[0], nil
}

// Visits returns a day's home visits by start, masked: an assistant's own,
// or everyone's for the centre's clerks and administrator. Errors: invalid
// date; forbidden for a duty officer.
func (s *Service) Visits(ctx context.Context, by account.Principal, date string) ([]Visit, error) {
	return s.VisitsBetween(ctx, by, date, date)
}

// VisitsBetween is Visits for the days from through to (at most 62), for
// the calendar. Errors: those of Visits; invalid for a range backwards or
// too long.
func (s *Service) VisitsBetween(ctx context.Context, by account.Principal, from, to string) ([]Visit, error) {
	if by.Role != account.RoleAssistant && !centre(by.Role) {
		return nil, apperr.Errorf(apperr.Forbidden, "值班人员不能查看上门服务。")
	}
	first, err := calendar.ParseDate(strings.TrimSpace(from))
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "日期应写成YYYY-MM-DD，收到“%s”。", from)
	}
	last, err := calendar.ParseDate(strings.TrimSpace(to))
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "日期应写成YYYY-MM-DD，收到“%s”。", to)
	}
	if last.Before(first) || last.Sub(first) > 62*24*time.Hour {
		return nil, apperr.Errorf(apperr.Invalid, "日期范围应在62天以内，且结束不早于开始。")
	}
	where, args := `day BETWEEN ? AND ?`, []any{calendar.FormatDate(first), calendar.FormatDate(last)}
	if by.Role == account.RoleAssistant {
		where += ` AND owner_id = ?`
		args = append(args, by.ID)
	}
	list, err := s.visits(ctx, s.db.Read(), where+` ORDER BY day, start_min, owner_name`, args...)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].mask()
	}
	return list, nil
}

// Stop is one visit on a day's route with the time the route plans for it.
type Stop struct {
	Visit
	// Planned is when the assistant is expected at the door: the booked time
	// or, when the stop before runs into it, that stop's end plus the travel
	// allowance. Late is true when Planned is after the booked time.
	Planned string `json:"planned"`
	Until   string `json:"until"`
	Travel  int    `json:"travel_minutes"`
	Late    bool   `json:"late"`
}

// Route is an assistant's round of home visits for a day.
type Route struct {
	Date  string `json:"date"`
	Stops []Stop `json:"stops"`
	// Villages are the villages in the order the route goes through them.
	Villages []string `json:"villages"`
	Minutes  int      `json:"minutes"`
	Rule     string   `json:"rule"`
}

// RouteRule is the documented rule of PlanRoute, shown with every route.
const RouteRule = "按村（社区）在服务室走访线路上的顺序依次走访，同村内按预约时间；到达时间取预约时间与上一户结束加路程（跨村20分钟，同村5分钟）中较晚者。"

// PlanRoute orders a day's visits into a route: villages in ascending
// position on the room's round (then name), the homes of one village by
// booked time; each stop starts at its booked time or, if the stop before
// plus the travel allowance (TravelBetweenVillages, TravelWithinVillage)
// ends later, then. Visits that found nobody or were called off keep their
// place but take no time. Pure: the same visits give the same route.
func PlanRoute(date string, visits []Visit) Route {
	sorted := append([]Visit(nil), visits...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.VillagePosition != b.VillagePosition {
			return a.VillagePosition < b.VillagePosition
		}
		if a.VillageName != b.VillageName {
			return a.VillageName < b.VillageName
		}
		return a.start < b.start
	})
	r := Route{Date: date, Stops: []Stop{}, Villages: []string{}, Rule: RouteRule}
	free, lastVillage := -1, ""
	for _, v := range sorted {
		st := Stop{Visit: v}
		begin := v.start
		if free >= 0 {
			travel := TravelWithinVillage
			if v.VillageID != lastVillage {
				travel = TravelBetweenVillages
			}
			st.Travel = int(travel / time.Minute)
			begin = max(begin, free+st.Travel)
		}
		if v.VillageID != lastVillage {
			r.Villages = append(r.Villages, v.VillageName)
		}
		took := v.Minutes
		if v.Outcome != "" && v.Outcome != "done" {
			took = 0
		}
		st.Planned, st.Until, st.Late = formatClock(begin), formatClock(begin+took), begin > v.start
		r.Minutes += took + st.Travel
		free, lastVillage = begin+took, v.VillageID
		r.Stops = append(r.Stops, st)
	}
	return r
}

// Route returns by's route for a day, an assistant's own, with the
// villagers' names and phones in full for the visits (the assistant is at
// the door); the read is in the audit log (proxy.route). Errors: forbidden
// for any role but an assistant; invalid date.
func (s *Service) Route(ctx context.Context, by account.Principal, date string) (Route, error) {
	if by.Role != account.RoleAssistant {
		return Route{}, apperr.Errorf(apperr.Forbidden, "上门路线只给代办员本人查看。")
	}
	day, err := calendar.ParseDate(strings.TrimSpace(date))
	if err != nil {
		return Route{}, apperr.Errorf(apperr.Invalid, "日期应写成YYYY-MM-DD，收到“%s”。", date)
	}
	d := calendar.FormatDate(day)
	list, err := s.visits(ctx, s.db.Read(), `day = ? AND owner_id = ?`, d, by.ID)
	if err != nil {
		return Route{}, err
	}
	r := PlanRoute(d, list)
	if len(list) > 0 {
		err = s.db.Write(ctx, func(tx *store.Tx) error {
			return audit.Record(ctx, tx, by.Actor(), "proxy.route", d, fmt.Sprintf("查看%s上门路线（%d户，含群众姓名和电话）", d, len(list)))
		})
		if err != nil {
			return Route{}, err
		}
	}
	return r, nil
}

// OutcomeRequest records how a visit went.
type OutcomeRequest struct {
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

// RecordOutcome records a visit's outcome; the owner only, again if it
// changes. Errors, with nothing changed: not found; forbidden for anyone
// else; invalid for an unknown outcome or an over-long note.
func (s *Service) RecordOutcome(ctx context.Context, by account.Principal, id string, req OutcomeRequest) (Visit, error) {
	if by.Role != account.RoleAssistant {
		return Visit{}, errNotYourVisit
	}
	if OutcomeName(req.Outcome) == "" {
		return Visit{}, apperr.Errorf(apperr.Invalid, "请选择上门结果：已办完、不在家、已搬走、不需要了或改期再访。")
	}
	note, err := limited("上门结果备注", req.Note, 200)
	if err != nil {
		return Visit{}, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		v, err := s.visit(ctx, tx, id)
		if err != nil {
			return err
		}
		if by.Role != account.RoleAssistant || by.ID != v.OwnerID {
			return errNotYourVisit
		}
		if _, err := tx.ExecContext(ctx, `UPDATE home_visit SET outcome = ?, outcome_note = ?, outcome_at = ?, updated_at = ? WHERE id = ?`,
			req.Outcome, note, store.FormatTime(tx.Now), store.FormatTime(tx.Now), id); err != nil {
			return fmt.Errorf("record visit outcome: %w", err)
		}
		s.announceVisits(tx, v.OwnerID, v.Date)
		return audit.Record(ctx, tx, by.Actor(), "proxy.visit_outcome", id, v.Date+" "+v.Time+" "+v.VillageName+" "+OutcomeName(req.Outcome))
	})
	if err != nil {
		return Visit{}, err
	}
	v, err := s.visit(ctx, s.db.Read(), id)
	if err != nil {
		return Visit{}, err
	}
	v.mask()
	return v, nil
}

var errNotYourVisit = apperr.Errorf(apperr.Forbidden, "这不是您预约的上门服务。")

// VisitCaseRequest opens a proxy case at the door: the item and the
// villager's ID number; name, phone, village and channel come from the
// visit.
type VisitCaseRequest struct {
	ItemCode string `json:"item_code"`
	IDNumber string `json:"id_number"`
	Fee      string `json:"fee"`
	Note     string `json:"note"`
}

// OpenCaseFromVisit opens a proxy case on the spot of a visit, channel
// home_visit, through Open, and links it to the visit in the same
// transaction. Errors, with nothing saved: not found; forbidden for anyone
// but the visit's assistant; conflict when the visit already opened a case;
// every refusal of Open.
func (s *Service) OpenCaseFromVisit(ctx context.Context, by account.Principal, id string, req VisitCaseRequest) (Case, error) {
	if by.Role != account.RoleAssistant {
		return Case{}, errNotYourVisit
	}
	v, err := s.visit(ctx, s.db.Read(), id)
	if err != nil {
		return Case{}, err
	}
	if by.Role != account.RoleAssistant || by.ID != v.OwnerID {
		return Case{}, errNotYourVisit
	}
	if v.CaseID != "" {
		return Case{}, apperr.Errorf(apperr.Conflict, "这次上门服务已登记代办件%s。", v.CaseNumber)
	}
	open := OpenRequest{ItemCode: req.ItemCode, Name: v.CitizenName, IDNumber: req.IDNumber, Phone: v.Phone, Channel: "home_visit",
		VillageID: v.VillageID, Fee: req.Fee, Note: req.Note, Where: v.VillageName + "（上门）"}
	return s.openWith(ctx, by, open, func(tx *store.Tx, c Case) error {
		res, err := tx.ExecContext(ctx, `UPDATE home_visit SET case_id = ?, case_number = ?, updated_at = ? WHERE id = ? AND case_id = ''`,
			c.ID, c.Number, store.FormatTime(tx.Now), id)
		if err != nil {
			return fmt.Errorf("link visit: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return apperr.Errorf(apperr.Conflict, "这次上门服务刚登记了代办件，请刷新后再看。")
		}
		s.announceVisits(tx, v.OwnerID, v.Date)
		return nil
	})
}
