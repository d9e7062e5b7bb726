package county

import (
	"encoding/json"
	"sort"
	"time"

	"budayang/backend/account"
	"budayang/backend/calendar"
	"budayang/backend/rank"
	"budayang/backend/site"
)

// SilentAfter is how long a site may go without a sync before the
// inspection flags it: its heartbeat comes every few minutes when online.
const SilentAfter = 24 * time.Hour

// Inspection flags, as SiteInspection.Flags lists them.
const (
	FlagSilent       = "silent"       // no sync for over SilentAfter
	FlagOverdue      = "overdue"      // running cases past their due date
	FlagFollowUps    = "followups"    // bad-rating follow-ups past their deadline
	FlagDuty         = "duty"         // today's or the weekend's duty not covered
	FlagUnderstaffed = "understaffed" // fewer window staff than 5/7/9
)

// SiteRow is a site of the registry as the inspection reads it.
type SiteRow struct {
	ID         string
	Name       string
	Kind       string
	LastSyncAt *time.Time
	Revoked    bool
}

// SiteCount is a count of one site's records.
type SiteCount struct {
	SiteID string
	N      int
}

// StatusCount counts one site's tickets of the day in one status.
type StatusCount struct {
	SiteID string
	Status string
	N      int
}

// RatingCount counts one site's ratings of the day and the bad ones.
type RatingCount struct {
	SiteID string
	Rated  int
	Bad    int
}

// RawRecord is a record's latest payload, for the few small kinds (site
// profile, staff, duty plans) read whole.
type RawRecord struct {
	SiteID string
	ID     string
	Data   []byte
}

// InspectionRows is what Store.InspectionRows loads for one date: the day's
// figures already counted per site by the store, and the small kinds whole.
type InspectionRows struct {
	Sites []SiteRow
	// Tickets counts the tickets of the date by status.
	Tickets []StatusCount
	// Overdue counts the running cases (accepted or transferred) whose due
	// date is before the date.
	Overdue []SiteCount
	// Ratings counts the ratings made on the date (Shanghai time) and the
	// bad ones (level 1–2, not voided by an upheld appeal).
	Ratings []RatingCount
	// LateFollowUps counts the open rectifications due before the date.
	LateFollowUps []SiteCount
	Profiles      []RawRecord // kind "site"
	Staff         []RawRecord // kind "staff"
	Duties        []RawRecord // kind "duty" (roster.CoverKind)
}

// DutyCover is a site's duty cover over some dates: the places of the
// published plans on them and those filled. Rostered is false when a date
// has no published plan at all.
type DutyCover struct {
	Dates    []string `json:"dates"`
	Places   int      `json:"places"`
	Filled   int      `json:"filled"`
	Rostered bool     `json:"rostered"`
	Covered  bool     `json:"covered"`
}

// SiteInspection is one site's line of the inspection.
type SiteInspection struct {
	SiteID     string     `json:"site_id"`
	Name       string     `json:"name"`
	Kind       string     `json:"kind"`
	Revoked    bool       `json:"revoked"`
	LastSyncAt *time.Time `json:"last_sync_at"`
	Silent     bool       `json:"silent"`
	Issued     int        `json:"issued"`
	Waiting    int        `json:"waiting"`
	Served     int        `json:"served"`
	Overdue    int        `json:"overdue_cases"`
	Ratings    int        `json:"ratings"`
	BadRatings int        `json:"bad_ratings"`
	// LateFollowUps counts bad-rating rectifications past their deadline.
	LateFollowUps int       `json:"late_followups"`
	DutyToday     DutyCover `json:"duty_today"`
	DutyWeekend   DutyCover `json:"duty_weekend"`
	// ProfileKnown is false until the site pushed its profile; staffing is
	// then measured against the registry's kind and no population.
	ProfileKnown   bool     `json:"profile_known"`
	Population     int      `json:"population"`
	WindowStaff    int      `json:"window_staff"`
	WindowStaffMin int      `json:"window_staff_min"`
	StaffingOK     bool     `json:"staffing_ok"`
	Flags          []string `json:"flags"`
}

// InspectionTotals adds the county up; the flag counts are sites.
type InspectionTotals struct {
	Sites         int `json:"sites"`
	Issued        int `json:"issued"`
	Waiting       int `json:"waiting"`
	Served        int `json:"served"`
	Overdue       int `json:"overdue_cases"`
	Ratings       int `json:"ratings"`
	BadRatings    int `json:"bad_ratings"`
	LateFollowUps int `json:"late_followups"`
	Silent        int `json:"silent"`
	DutyUncovered int `json:"duty_uncovered"`
	Understaffed  int `json:"understaffed"`
}

// Inspection is the county's inspection (督查) of one date.
type Inspection struct {
	Date    string           `json:"date"`
	Weekend []string         `json:"weekend"`
	Sites   []SiteInspection `json:"sites"`
	Totals  InspectionTotals `json:"totals"`
}

// WeekendOf is the coming weekend of date: its Saturday and Sunday on or
// after it (only the Sunday when date is one). The county counts calendar
// weekends; a site's duty plan already follows its holidays.
func WeekendOf(date time.Time) []string {
	var out []string
	for d := date; len(out) < 2; d = d.AddDate(0, 0, 1) {
		switch d.Weekday() {
		case time.Saturday:
			out = append(out, calendar.FormatDate(d))
		case time.Sunday:
			return append(out, calendar.FormatDate(d))
		}
	}
	return out
}

type coverPlan struct {
	Status string `json:"status"`
	From   string `json:"from"`
	To     string `json:"to"`
	Places []struct {
		Date   string `json:"date"`
		Places int    `json:"places"`
		Filled int    `json:"filled"`
	} `json:"places"`
}

// published is the roster status of a plan in force (roster.StatusPublished).
const published = "published"

func cover(plans []coverPlan, dates []string) DutyCover {
	c := DutyCover{Dates: dates, Rostered: true}
	for _, d := range dates {
		rostered := false
		for _, p := range plans {
			if p.Status != published || d < p.From || d > p.To {
				continue
			}
			rostered = true
			for _, pl := range p.Places {
				if pl.Date == d {
					c.Places += pl.Places
					c.Filled += min(pl.Filled, pl.Places)
				}
			}
		}
		c.Rostered = c.Rostered && rostered
	}
	c.Covered = c.Rostered && c.Filled == c.Places
	return c
}

type staffRecord struct {
	ID     string `json:"id"`
	Login  string `json:"login"`
	Name   string `json:"name"`
	Role   string `json:"role"`
	Active bool   `json:"active"`
}

// Ticket states the inspection counts (queue's).
const (
	ticketWaiting   = "waiting"
	ticketSkipped   = "skipped"
	ticketCompleted = "completed"
)

// Inspect computes the inspection of date at now from rows: one line per
// registered site, in the registry's order, with the county's totals.
// Issued counts the date's tickets, Waiting those waiting or re-queued
// after a skip, Served the completed ones; a transferred ticket is one
// record, so it counts once. Staffing counts active clerks against
// site.MinWindowStaff for the pushed profile's kind and population.
func Inspect(date time.Time, now time.Time, rows InspectionRows) Inspection {
	day := calendar.FormatDate(date)
	weekend := WeekendOf(date)
	by := map[string]*SiteInspection{}
	out := Inspection{Date: day, Weekend: weekend, Sites: make([]SiteInspection, len(rows.Sites))}
	for i, s := range rows.Sites {
		out.Sites[i] = SiteInspection{SiteID: s.ID, Name: s.Name, Kind: s.Kind, Revoked: s.Revoked, LastSyncAt: s.LastSyncAt,
			Silent: s.LastSyncAt == nil || now.Sub(*s.LastSyncAt) > SilentAfter, Flags: []string{}}
		by[s.ID] = &out.Sites[i]
	}
	for _, t := range rows.Tickets {
		if si := by[t.SiteID]; si != nil {
			si.Issued += t.N
			switch t.Status {
			case ticketWaiting, ticketSkipped:
				si.Waiting += t.N
			case ticketCompleted:
				si.Served += t.N
			}
		}
	}
	for _, c := range rows.Overdue {
		if si := by[c.SiteID]; si != nil {
			si.Overdue += c.N
		}
	}
	for _, r := range rows.Ratings {
		if si := by[r.SiteID]; si != nil {
			si.Ratings += r.Rated
			si.BadRatings += r.Bad
		}
	}
	for _, c := range rows.LateFollowUps {
		if si := by[c.SiteID]; si != nil {
			si.LateFollowUps += c.N
		}
	}
	for _, r := range rows.Profiles {
		var p site.Profile
		if si := by[r.SiteID]; si != nil && json.Unmarshal(r.Data, &p) == nil {
			si.ProfileKnown, si.Population = true, p.Population
			if p.Kind != "" {
				si.Kind = p.Kind
			}
		}
	}
	for _, r := range rows.Staff {
		var st staffRecord
		if si := by[r.SiteID]; si != nil && json.Unmarshal(r.Data, &st) == nil && st.Active && st.Role == account.RoleClerk {
			si.WindowStaff++
		}
	}
	plans := map[string][]coverPlan{}
	for _, r := range rows.Duties {
		var p coverPlan
		if json.Unmarshal(r.Data, &p) == nil {
			plans[r.SiteID] = append(plans[r.SiteID], p)
		}
	}
	t := &out.Totals
	for i := range out.Sites {
		si := &out.Sites[i]
		si.WindowStaffMin, _ = site.MinWindowStaff(si.Kind, si.Population)
		si.StaffingOK = si.WindowStaff >= si.WindowStaffMin
		si.DutyToday = cover(plans[si.SiteID], []string{day})
		si.DutyWeekend = cover(plans[si.SiteID], weekend)
		flag := func(on bool, f string) {
			if on {
				si.Flags = append(si.Flags, f)
			}
		}
		flag(si.Silent, FlagSilent)
		flag(si.Overdue > 0, FlagOverdue)
		flag(si.LateFollowUps > 0, FlagFollowUps)
		flag(!si.DutyToday.Covered || !si.DutyWeekend.Covered, FlagDuty)
		flag(!si.StaffingOK, FlagUnderstaffed)
		t.Sites++
		t.Issued += si.Issued
		t.Waiting += si.Waiting
		t.Served += si.Served
		t.Overdue += si.Overdue
		t.Ratings += si.Ratings
		t.BadRatings += si.BadRatings
		t.LateFollowUps += si.LateFollowUps
		if si.Silent {
			t.Silent++
		}
		if !si.DutyToday.Covered || !si.DutyWeekend.Covered {
			t.DutyUncovered++
		}
		if !si.StaffingOK {
			t.Understaffed++
		}
	}
	return out
}

// PersonCount counts one person's records at one site: Key is the login or
// id the record names.
type PersonCount struct {
	SiteID string
	Key    string
	N      int
}

// CaseFigures counts the cases a person at a site closed in the period and
// those closed by their due date.
type CaseFigures struct {
	SiteID        string
	ResponsibleID string
	Closed        int
	OnTime        int
}

// RatingFigures counts the ratings of a person at a site in the period,
// upheld appeals excluded, with the good (level 4–5) and bad (1–2) ones.
type RatingFigures struct {
	SiteID     string
	StaffLogin string
	Rated      int
	Good       int
	Bad        int
}

// RankingRows is what Store.RankingRows loads for a period.
type RankingRows struct {
	Sites []SiteRow
	Staff []RawRecord
	// Served counts completed tickets by the login that served them.
	Served  []PersonCount
	Cases   []CaseFigures
	Ratings []RatingFigures
}

// CountyRanked is a person's place in the county's ranking.
type CountyRanked struct {
	rank.Ranked
	SiteID   string `json:"site_id"`
	SiteName string `json:"site_name"`
	StaffID  string `json:"staff_id"`
}

// Ranking is the county's gold, silver and bronze ranking over a period.
type Ranking struct {
	From      string         `json:"from"`
	To        string         `json:"to"`
	MinVolume int            `json:"min_volume"`
	People    []CountyRanked `json:"people"`
}

// RankCounty ranks every window staff member (everyone but assistants and
// duty-only staff) of every site together by rank.Order: volume is tickets
// served plus cases closed, as at the site. People are keyed by site and
// staff id; tickets and ratings name a login, mapped through the site's
// pushed staff records. Staff with nothing counted are left out.
func RankCounty(from, to string, rows RankingRows) Ranking {
	names := map[string]string{}
	for _, s := range rows.Sites {
		names[s.ID] = s.Name
	}
	type person struct {
		in    rank.Input
		site  string
		staff string
	}
	people := map[string]*person{}
	idOf := map[[2]string]string{}
	for _, r := range rows.Staff {
		var st staffRecord
		if json.Unmarshal(r.Data, &st) != nil || st.Role == account.RoleAssistant || st.Role == account.RoleDuty {
			continue
		}
		key := r.SiteID + "/" + st.ID
		people[key] = &person{in: rank.Input{Key: key, Name: st.Name}, site: r.SiteID, staff: st.ID}
		idOf[[2]string{r.SiteID, st.Login}] = st.ID
	}
	at := func(siteID, staffID string) *person {
		return people[siteID+"/"+staffID]
	}
	for _, c := range rows.Served {
		if p := at(c.SiteID, idOf[[2]string{c.SiteID, c.Key}]); p != nil {
			p.in.Volume += c.N
		}
	}
	for _, c := range rows.Cases {
		if p := at(c.SiteID, c.ResponsibleID); p != nil {
			p.in.Volume += c.Closed
			p.in.Closed += c.Closed
			p.in.OnTime += c.OnTime
		}
	}
	for _, r := range rows.Ratings {
		if p := at(r.SiteID, idOf[[2]string{r.SiteID, r.StaffLogin}]); p != nil {
			p.in.Rated += r.Rated
			p.in.Good += r.Good
			p.in.Complaints += r.Bad
		}
	}
	var in []rank.Input
	for _, p := range people {
		if p.in.Volume > 0 || p.in.Rated > 0 {
			in = append(in, p.in)
		}
	}
	sort.Slice(in, func(i, j int) bool { return in[i].Key < in[j].Key })
	out := Ranking{From: from, To: to, MinVolume: rank.MinVolume, People: []CountyRanked{}}
	for _, r := range rank.Order(in) {
		p := people[r.Key]
		out.People = append(out.People, CountyRanked{Ranked: r, SiteID: p.site, SiteName: names[p.site], StaffID: p.staff})
	}
	return out
}
