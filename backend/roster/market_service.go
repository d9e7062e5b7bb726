package roster

import (
	"context"
	"fmt"
	"strings"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/calendar"
	"budayang/backend/store"
)

// MarketPlan is the market-day rota of a period as drafted.
type MarketPlan struct {
	From       string   `json:"from"`
	To         string   `json:"to"`
	PerVillage int      `json:"per_village"`
	Days       []string `json:"days"`
	MarketRota
}

// MarketToday is who of each village is at the centre today, by name only.
type MarketToday struct {
	Date      string         `json:"date"`
	MarketDay bool           `json:"market_day"`
	Duties    []MarketOnDuty `json:"duties"`
}

// MarketOnDuty is one person due at the centre on a market day, by name.
type MarketOnDuty struct {
	Village string `json:"village"`
	Name    string `json:"name"`
}

// SetVillage records the village whose market-day turns a staff member
// shares ("" takes them off every village's rota); administrators only.
func (s *Service) SetVillage(ctx context.Context, by account.Principal, staffID, village string) error {
	if err := requireAdmin(by); err != nil {
		return err
	}
	village = strings.TrimSpace(village)
	if len([]rune(village)) > 40 {
		return apperr.Errorf(apperr.Invalid, "村名“%s”太长（最多40个字）。", village)
	}
	return s.write(ctx, by, "roster.village", staffID, "所在村："+village, map[string]string{"staff_id": staffID, "village": village}, func(tx *store.Tx, _ string) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff SET village = ?, updated_at = ?, version = version + 1 WHERE id = ?`, village, store.FormatTime(tx.Now), staffID)
		if err != nil {
			return fmt.Errorf("set village: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.NotFound, "没有这位工作人员。")
		}
		return nil
	})
}

// villages are the active staff who belong to a village, with their
// absences and, as carry, their market days before from less the least in
// their village, so only the imbalance carries and a newcomer starts level.
func villages(ctx context.Context, q queryer, from string) ([]Village, error) {
	ps, err := people(ctx, q)
	if err != nil {
		return nil, err
	}
	byID := map[string]Person{}
	for _, p := range ps {
		byID[p.ID] = p
	}
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.village, (SELECT COUNT(*) FROM market_duty m WHERE m.staff_id = s.id AND m.date < ?)
		FROM staff s WHERE s.active = 1 AND s.village <> '' ORDER BY s.village, s.id`, from)
	if err != nil {
		return nil, fmt.Errorf("market villages: %w", err)
	}
	defer rows.Close()
	var out []Village
	for rows.Next() {
		var id, village string
		var done int
		if err := rows.Scan(&id, &village, &done); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Name != village {
			out = append(out, Village{Name: village})
		}
		p := byID[id]
		p.Carry = float64(done)
		v := &out[len(out)-1]
		v.People = append(v.People, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		least := out[i].People[0].Carry
		for _, p := range out[i].People {
			least = min(least, p.Carry)
		}
		for j := range out[i].People {
			out[i].People[j].Carry -= least
		}
	}
	return out, nil
}

// PlanMarket drafts the market-day rota for from..to (at most a quarter, not
// in the past) from the calendar's market-day rule, perVillage people of
// each village a market day (0 means 1), and stores it in place of any rota
// of those dates; administrators only. It is in force at once: the home
// screen shows it on the day.
func (s *Service) PlanMarket(ctx context.Context, by account.Principal, from, to string, perVillage int) (MarketPlan, error) {
	if err := requireAdmin(by); err != nil {
		return MarketPlan{}, err
	}
	if perVillage == 0 {
		perVillage = 1
	}
	if perVillage < 1 || perVillage > MarketPerVillageMax {
		return MarketPlan{}, apperr.Errorf(apperr.Invalid, "每村每个逢场天的人数应在1到%d之间。", MarketPerVillageMax)
	}
	f, t, err := ValidatePeriod(from, to, s.clock.Now())
	if err != nil {
		return MarketPlan{}, err
	}
	from, to = calendar.FormatDate(f), calendar.FormatDate(t)
	rules, err := s.cal.Rules(ctx)
	if err != nil {
		return MarketPlan{}, err
	}
	if rules.Market.Kind == "" || len(rules.Market.Days) == 0 {
		return MarketPlan{}, apperr.Errorf(apperr.Invalid, "还没有设置逢场天规则，请先在工作日历中设置。")
	}
	plan := MarketPlan{From: from, To: to, PerVillage: perVillage, Days: MarketDays(rules.Market, f, t)}
	if plan.Days == nil {
		plan.Days = []string{}
	}
	err = s.write(ctx, by, "roster.market", from+"~"+to, fmt.Sprintf("%s至%s，%d个逢场天", from, to, len(plan.Days)),
		map[string]any{"from": from, "to": to, "per_village": perVillage}, func(tx *store.Tx, siteID string) error {
			vs, err := villages(ctx, tx, from)
			if err != nil {
				return err
			}
			if len(vs) == 0 {
				return apperr.Errorf(apperr.Invalid, "还没有人登记所在村：请先在人员中为村社干部和代办员填写所在村。")
			}
			plan.MarketRota = GenerateMarket(MarketInput{Days: plan.Days, Villages: vs, PerVillage: perVillage})
			if _, err := tx.ExecContext(ctx, `DELETE FROM market_duty WHERE date BETWEEN ? AND ?`, from, to); err != nil {
				return fmt.Errorf("replace market rota: %w", err)
			}
			reasons := map[string]string{}
			for _, u := range plan.Unfilled {
				reasons[u.Date+"|"+u.Village] = u.Reason
			}
			now := store.FormatTime(tx.Now)
			for _, d := range plan.Duties {
				var staff any
				reason := reasons[d.Date+"|"+d.Village]
				if d.StaffID != "" {
					staff, reason = d.StaffID, ""
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO market_duty (id, site_id, date, village, staff_id, reason, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)`,
					store.NewID(), siteID, d.Date, d.Village, staff, reason, now, by.Login); err != nil {
					return fmt.Errorf("insert market duty: %w", err)
				}
			}
			return nil
		})
	if err != nil {
		return MarketPlan{}, err
	}
	return plan, nil
}

// MarketToday reads today's market-day rota: whether today is a market day
// under the calendar's rule and, by village, the names of those due at the
// centre (vacant places left out). Names only, as the home screen shows it.
func (s *Service) MarketToday(ctx context.Context) (MarketToday, error) {
	today := calendar.Date(s.clock.Now())
	out := MarketToday{Date: calendar.FormatDate(today), Duties: []MarketOnDuty{}}
	rules, err := s.cal.Rules(ctx)
	if err != nil {
		return MarketToday{}, err
	}
	out.MarketDay = rules.Market.Matches(today)
	if !out.MarketDay {
		return out, nil
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT m.village, s.name FROM market_duty m JOIN staff s ON s.id = m.staff_id
		WHERE m.date = ? ORDER BY m.village, s.name`, out.Date)
	if err != nil {
		return MarketToday{}, fmt.Errorf("market today: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d MarketOnDuty
		if err := rows.Scan(&d.Village, &d.Name); err != nil {
			return MarketToday{}, err
		}
		out.Duties = append(out.Duties, d)
	}
	return out, rows.Err()
}

// VillageMember is one person on a village's market-day rota.
type VillageMember struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Role    string `json:"role"`
	Village string `json:"village"`
}

// VillageMembers lists the active staff with the village each belongs to
// ("" for none), by village then name; administrators only.
func (s *Service) VillageMembers(ctx context.Context, by account.Principal) ([]VillageMember, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, name, role, village FROM staff WHERE active = 1 ORDER BY village = '', village, name`)
	if err != nil {
		return nil, fmt.Errorf("village members: %w", err)
	}
	defer rows.Close()
	out := []VillageMember{}
	for rows.Next() {
		var m VillageMember
		if err := rows.Scan(&m.ID, &m.Name, &m.Role, &m.Village); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
