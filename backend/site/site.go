// Package site holds the site profile (its kind, registered population and
// floor area, self-service terminals) and checks it against the plan's
// minimums: window staff by population (task 7), floor area by kind (task 15)
// and self-service terminals by kind (task 6).
package site

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/events"
	"budayang/backend/store"
	"budayang/backend/textlimit"
)

// Kinds of site.
const (
	KindArea     = "area"     // 片区便民服务中心
	KindTown     = "town"     // 镇便民服务中心
	KindStreet   = "street"   // 街道便民服务中心
	KindTownship = "township" // 乡便民服务中心
	KindVillage  = "village"  // 村（社区）便民服务室
)

// KindName is the Chinese name of a site kind.
func KindName(kind string) string {
	switch kind {
	case KindArea:
		return "片区便民服务中心"
	case KindTown:
		return "镇便民服务中心"
	case KindStreet:
		return "街道便民服务中心"
	case KindTownship:
		return "乡便民服务中心"
	case KindVillage:
		return "村（社区）便民服务室"
	}
	return kind
}

// ValidKind reports whether kind is one of the five kinds.
func ValidKind(kind string) bool { return KindName(kind) != kind }

// Profile is the site's own description.
type Profile struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Population  int    `json:"population"`
	FloorAreaM2 int    `json:"floor_area_m2"`
	// Terminals are the self-service terminals (自助设备) in the hall.
	Terminals int `json:"terminals"`
	// SubCentre marks a town, street or township centre the county named a
	// sub-centre (副中心) of the area reform.
	SubCentre bool   `json:"sub_centre"`
	CreatedAt string `json:"created_at,omitempty"`
}

func (p *Profile) validate() error {
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "":
		return apperr.Errorf(apperr.Invalid, "请填写服务中心名称。")
	case !ValidKind(p.Kind):
		return apperr.Errorf(apperr.Invalid, "站点类型必须是片区中心、镇、街道、乡或村（社区）之一，收到“%s”。", p.Kind)
	case p.Population < 0 || p.Population > 5_000_000:
		return apperr.Errorf(apperr.Invalid, "户籍人口应在0到500万之间。")
	case p.FloorAreaM2 < 0 || p.FloorAreaM2 > 100_000:
		return apperr.Errorf(apperr.Invalid, "场地面积应在0到100000平方米之间。")
	case p.Terminals < 0 || p.Terminals > 1000:
		return apperr.Errorf(apperr.Invalid, "自助设备数量应在0到1000台之间。")
	case p.SubCentre && (p.Kind == KindArea || p.Kind == KindVillage):
		return apperr.Errorf(apperr.Invalid, "只有镇、街道或乡便民服务中心可以是片区副中心。")
	}
	return textlimit.Check("服务中心名称", p.Name, textlimit.Name)
}

// Requirement is one of the plan's minimums and how the site stands. Code
// names the rule applied and Params its numbers, from which the UI words it
// in the reader's language; Rule is the same sentence in Chinese.
type Requirement struct {
	Required int            `json:"required"`
	Actual   int            `json:"actual"`
	OK       bool           `json:"ok"`
	Code     string         `json:"code"`
	Params   map[string]int `json:"params"`
	Rule     string         `json:"rule"`
}

// Compliance is the site against the plan's minimums.
type Compliance struct {
	WindowStaff Requirement `json:"window_staff"`
	FloorArea   Requirement `json:"floor_area"`
	Terminals   Requirement `json:"terminals"`
}

// Rule codes of the plan's minimums, with the Chinese sentence of each.
const (
	RuleStaffVillage   = "window_staff.village"
	RuleStaffOver6Wan  = "window_staff.pop_over_6wan"
	RuleStaff3To6Wan   = "window_staff.pop_3_6wan"
	RuleStaffUnder3Wan = "window_staff.pop_under_3wan"
	RuleAreaArea       = "floor_area.area"
	RuleAreaTown       = "floor_area.town_street"
	RuleAreaTownship   = "floor_area.township"
	RuleAreaVillage    = "floor_area.village"
	RuleTermArea       = "terminals.area"
	RuleTermSubCentre  = "terminals.sub_centre"
	RuleTermTown       = "terminals.town"
	RuleTermVillage    = "terminals.village"
)

var ruleSentences = map[string]string{
	RuleStaffVillage:   "村（社区）便民服务室不设窗口专职人员下限",
	RuleStaffOver6Wan:  "户籍人口6万以上：窗口专职人员不少于9人",
	RuleStaff3To6Wan:   "户籍人口3–6万：窗口专职人员不少于7人",
	RuleStaffUnder3Wan: "户籍人口1–3万：窗口专职人员不少于5人",
	RuleAreaArea:       "片区便民服务中心不少于500 m²",
	RuleAreaTown:       "镇（街道）便民服务中心不少于300 m²",
	RuleAreaTownship:   "乡便民服务中心不少于200 m²",
	RuleAreaVillage:    "村（社区）便民服务室不设面积下限",
	RuleTermArea:       "片区便民服务中心不少于3台自助设备",
	RuleTermSubCentre:  "片区副中心不少于2台自助设备",
	RuleTermTown:       "乡镇（街道）便民服务中心自助设备全覆盖（不少于1台）",
	RuleTermVillage:    "村（社区）便民服务室不设自助设备下限",
}

// MinWindowStaff is task 7: at least 5, 7 or 9 full-time window staff for a
// registered population of 1–3万, 3–6万 and over 6万, with the rule's code.
// The plan sets no minimum for a village room; a centre below 1万 is held to
// the smallest.
func MinWindowStaff(kind string, population int) (int, string) {
	switch {
	case kind == KindVillage:
		return 0, RuleStaffVillage
	case population >= 60000:
		return 9, RuleStaffOver6Wan
	case population >= 30000:
		return 7, RuleStaff3To6Wan
	default:
		return 5, RuleStaffUnder3Wan
	}
}

// MinFloorArea is task 15: area centres 500 m², towns and streets 300 m²,
// townships 200 m², with the rule's code.
func MinFloorArea(kind string) (int, string) {
	switch kind {
	case KindArea:
		return 500, RuleAreaArea
	case KindTown, KindStreet:
		return 300, RuleAreaTown
	case KindTownship:
		return 200, RuleAreaTownship
	}
	return 0, RuleAreaVillage
}

// MinTerminals is task 6: area centres host at least 3 self-service
// terminals and sub-centres 2 (by the end of the plan's first year), and
// every other town, street and township centre at least one (by the end of
// the next), with the rule's code. A village room has no minimum.
func MinTerminals(kind string, subCentre bool) (int, string) {
	switch {
	case kind == KindArea:
		return 3, RuleTermArea
	case kind == KindVillage:
		return 0, RuleTermVillage
	case subCentre:
		return 2, RuleTermSubCentre
	}
	return 1, RuleTermTown
}

func requirement(required, actual int, code string) Requirement {
	return Requirement{Required: required, Actual: actual, OK: actual >= required, Code: code,
		Params: map[string]int{"min": required}, Rule: ruleSentences[code]}
}

// Check measures a profile and its active window staff against the minimums.
func Check(p Profile, windowStaff int) Compliance {
	staffMin, staffRule := MinWindowStaff(p.Kind, p.Population)
	areaMin, areaRule := MinFloorArea(p.Kind)
	termMin, termRule := MinTerminals(p.Kind, p.SubCentre)
	return Compliance{
		WindowStaff: requirement(staffMin, windowStaff, staffRule),
		FloorArea:   requirement(areaMin, p.FloorAreaM2, areaRule),
		Terminals:   requirement(termMin, p.Terminals, termRule),
	}
}

// Service reads and changes the site profile.
type Service struct {
	db       *store.DB
	accounts *account.Service
	pub      events.Publisher
}

// NewService returns the site service.
func NewService(db *store.DB, accounts *account.Service, pub events.Publisher) *Service {
	return &Service{db: db, accounts: accounts, pub: pub}
}

// ErrNotSetUp is returned by Get before first-run setup.
var ErrNotSetUp = apperr.Errorf(apperr.NotFound, "本机尚未完成初始设置。")

// Get returns the profile, or ErrNotSetUp.
func (s *Service) Get(ctx context.Context) (Profile, error) {
	var p Profile
	err := s.db.Read().QueryRowContext(ctx, `SELECT id, name, kind, population, floor_area_m2, terminals, sub_centre, created_at FROM site LIMIT 1`).
		Scan(&p.ID, &p.Name, &p.Kind, &p.Population, &p.FloorAreaM2, &p.Terminals, &p.SubCentre, &p.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Profile{}, ErrNotSetUp
	}
	if err != nil {
		return Profile{}, fmt.Errorf("read site: %w", err)
	}
	return p, nil
}

// SetupNeeded reports whether first-run setup has not happened yet.
func (s *Service) SetupNeeded(ctx context.Context) (bool, error) {
	_, err := s.Get(ctx)
	if errors.Is(err, ErrNotSetUp) {
		return true, nil
	}
	return false, err
}

// Setup creates the site and its administrator (login "admin") in one
// transaction, together with whatever seed writes other services add (the
// queue's first line and windows). It returns conflict when the site already
// exists.
func (s *Service) Setup(ctx context.Context, p Profile, adminPassword string, seed ...func(ctx context.Context, tx *store.Tx) error) (Profile, error) {
	if err := p.validate(); err != nil {
		return Profile{}, err
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM site`).Scan(&n); err != nil {
			return fmt.Errorf("setup: %w", err)
		}
		if n > 0 {
			return apperr.Errorf(apperr.Conflict, "本机已完成初始设置，不能重复设置。")
		}
		p.ID = store.NewID()
		p.CreatedAt = store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO site (id, name, kind, population, floor_area_m2, terminals, sub_centre, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)`,
			p.ID, p.Name, p.Kind, p.Population, p.FloorAreaM2, p.Terminals, p.SubCentre, p.CreatedAt, p.CreatedAt); err != nil {
			return fmt.Errorf("setup: %w", err)
		}
		if err := audit.Record(ctx, tx, audit.System, "site.setup", p.Name, KindName(p.Kind)); err != nil {
			return err
		}
		if err := tx.Outbox(ctx, "site.setup", p.ID, p); err != nil {
			return err
		}
		if _, err := s.accounts.CreateTx(ctx, tx, audit.System, p.ID, account.NewStaff{
			Login: account.AdminLogin, Name: "管理员", Role: account.RoleAdmin, Password: adminPassword}); err != nil {
			return err
		}
		for _, f := range seed {
			if err := f(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Profile{}, err
	}
	return p, nil
}

// Update changes the profile; administrators only.
func (s *Service) Update(ctx context.Context, by account.Principal, p Profile) (Profile, error) {
	if by.Role != account.RoleAdmin {
		return Profile{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以修改站点信息。")
	}
	if err := p.validate(); err != nil {
		return Profile{}, err
	}
	cur, err := s.Get(ctx)
	if err != nil {
		return Profile{}, err
	}
	p.ID, p.CreatedAt = cur.ID, cur.CreatedAt
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx,
			`UPDATE site SET name = ?, kind = ?, population = ?, floor_area_m2 = ?, terminals = ?, sub_centre = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			p.Name, p.Kind, p.Population, p.FloorAreaM2, p.Terminals, p.SubCentre, store.FormatTime(tx.Now), p.ID); err != nil {
			return fmt.Errorf("update site: %w", err)
		}
		detail := fmt.Sprintf("%s %s 人口%d 面积%dm² 自助设备%d台", p.Name, KindName(p.Kind), p.Population, p.FloorAreaM2, p.Terminals)
		if p.SubCentre {
			detail += " 片区副中心"
		}
		if err := audit.Record(ctx, tx, by.Actor(), "site.update", p.ID, detail); err != nil {
			return err
		}
		if err := tx.Outbox(ctx, "site.update", p.ID, p); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			if s.pub != nil {
				s.pub.Publish(events.Event{Type: events.SiteChanged, Data: p})
			}
		})
		return nil
	})
	return p, err
}

// Compliance measures the site against the plan's minimums, counting active
// clerks as window staff.
func (s *Service) Compliance(ctx context.Context) (Compliance, error) {
	p, err := s.Get(ctx)
	if err != nil {
		return Compliance{}, err
	}
	n, err := s.accounts.CountActive(ctx, account.RoleClerk)
	if err != nil {
		return Compliance{}, err
	}
	return Check(p, n), nil
}
