// Package account holds the site's staff: roles, bcrypt passwords, login
// sessions, lock-out after repeated failures, and per-person preferences.
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/store"
)

// Roles.
const (
	RoleAdmin     = "admin"     // 中心负责人/管理员
	RoleClerk     = "clerk"     // 综合窗口
	RoleDuty      = "duty"      // 值班人员
	RoleAssistant = "assistant" // 代办员
)

// Lock-out and session rules.
const (
	MaxFailedLogins = 5
	LockDuration    = 15 * time.Minute
	SessionTTL      = 12 * time.Hour
	MinPasswordLen  = 8
)

// AdminLogin is the login name of the first administrator.
const AdminLogin = "admin"

// Staff is a person who signs in.
type Staff struct {
	ID        string `json:"id"`
	SiteID    string `json:"-"`
	Login     string `json:"login"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Active    bool   `json:"active"`
	CreatedAt string `json:"created_at"`
}

// Session is what a successful login returns.
type Session struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Staff     Staff     `json:"staff"`
}

// Principal is a signed-in person at a workstation: the actor of every
// audited change.
type Principal struct {
	Staff
	Workstation string
	// Session is the hash of the session token the person came with (for a
	// link, the session it was made under; "" for a calendar subscription).
	Session string `json:"-"`
}

// Actor is the audit actor of p.
func (p Principal) Actor() audit.Actor {
	return audit.Actor{Login: p.Login, Workstation: p.Workstation}
}

// HostOperator is who a password reset from the host's command line
// (`budayang admin reset-password`) is audited as.
var HostOperator = audit.Actor{Login: audit.System.Login, Workstation: "budayang admin reset-password"}

// Preferences are a person's own settings.
type Preferences struct {
	CloseToTray bool   `json:"close_to_tray"`
	Locale      string `json:"locale"`
}

// NewStaff is the input to Create.
type NewStaff struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// Service manages staff and sessions.
type Service struct {
	db    *store.DB
	clock clock.Clock
	pub   events.Publisher
	// Cost is the bcrypt cost; tests lower it.
	Cost     int
	sessions sessionCache
	ended    endWatchers
	// compare checks a password against a bcrypt hash.
	compare   func(hash, password []byte) error
	dummyOnce sync.Once
	dummy     string
}

// NewService returns the staff service.
func NewService(db *store.DB, clk clock.Clock, pub events.Publisher) *Service {
	return &Service{db: db, clock: clk, pub: pub, Cost: bcrypt.DefaultCost, compare: bcrypt.CompareHashAndPassword}
}

// RoleName is the Chinese name of a role.
func RoleName(role string) string {
	switch role {
	case RoleAdmin:
		return "管理员"
	case RoleClerk:
		return "综合窗口"
	case RoleDuty:
		return "值班人员"
	case RoleAssistant:
		return "代办员"
	}
	return role
}

func validRole(r string) bool {
	return r == RoleAdmin || r == RoleClerk || r == RoleDuty || r == RoleAssistant
}

func (s *Service) hash(password string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(password), s.Cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(b), nil
}

// CreateTx adds a staff member inside tx (first-run setup creates the site
// and its administrator in one transaction). Errors: invalid fields, conflict
// for a login name already taken.
func (s *Service) CreateTx(ctx context.Context, tx *store.Tx, who audit.Actor, siteID string, n NewStaff) (Staff, error) {
	n.Login = strings.TrimSpace(n.Login)
	n.Name = strings.TrimSpace(n.Name)
	if err := ValidateLogin(n.Login); err != nil {
		return Staff{}, err
	}
	if err := ValidateName(n.Name); err != nil {
		return Staff{}, err
	}
	if !validRole(n.Role) {
		return Staff{}, apperr.Errorf(apperr.Invalid, "未知角色“%s”。", n.Role)
	}
	if err := ValidatePassword(n.Login, n.Password); err != nil {
		return Staff{}, err
	}
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE lower(login) = lower(?)`, n.Login).Scan(&taken); err != nil {
		return Staff{}, fmt.Errorf("create staff %s: %w", n.Login, err)
	}
	if taken > 0 {
		return Staff{}, apperr.Errorf(apperr.Conflict, "登录名“%s”已被使用。", n.Login)
	}
	hash, err := s.hash(n.Password)
	if err != nil {
		return Staff{}, err
	}
	st := Staff{ID: store.NewID(), SiteID: siteID, Login: n.Login, Name: n.Name, Role: n.Role, Active: true, CreatedAt: store.FormatTime(tx.Now)}
	_, err = tx.ExecContext(ctx,
		`INSERT INTO staff (id, site_id, login, name, role, password_hash, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
		st.ID, siteID, st.Login, st.Name, st.Role, hash, st.CreatedAt, st.CreatedAt)
	if store.IsUnique(err) {
		return Staff{}, apperr.Errorf(apperr.Conflict, "登录名“%s”已被使用。", n.Login)
	}
	if err != nil {
		return Staff{}, fmt.Errorf("create staff %s: %w", n.Login, err)
	}
	if err := audit.Record(ctx, tx, who, "staff.create", st.Login, RoleName(st.Role)+" "+st.Name); err != nil {
		return Staff{}, err
	}
	if err := tx.Outbox(ctx, "staff.create", st.ID, st); err != nil {
		return Staff{}, err
	}
	tx.AfterCommit(func() { s.publish(st) })
	return st, nil
}

func (s *Service) publish(st Staff) {
	if s.pub != nil {
		s.pub.Publish(events.Event{Type: events.StaffChanged, Data: st})
	}
}

// Create adds a staff member on behalf of an administrator.
func (s *Service) Create(ctx context.Context, by Principal, n NewStaff) (Staff, error) {
	if err := requireAdmin(by); err != nil {
		return Staff{}, err
	}
	var st Staff
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		st, err = s.CreateTx(ctx, tx, by.Actor(), by.SiteID, n)
		return err
	})
	return st, err
}

func requireAdmin(p Principal) error {
	if p.Role != RoleAdmin {
		return apperr.Errorf(apperr.Forbidden, "只有管理员可以进行此操作。")
	}
	return nil
}

const staffCols = `id, site_id, login, name, role, active, created_at`

type scanner interface{ Scan(...any) error }

func scanStaff(r scanner) (Staff, error) {
	var st Staff
	var active int
	err := r.Scan(&st.ID, &st.SiteID, &st.Login, &st.Name, &st.Role, &active, &st.CreatedAt)
	st.Active = active == 1
	return st, err
}

// List returns every staff member, administrators first.
func (s *Service) List(ctx context.Context, by Principal) ([]Staff, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT `+staffCols+` FROM staff ORDER BY role = 'admin' DESC, login`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	defer rows.Close()
	out := []Staff{}
	for rows.Next() {
		st, err := scanStaff(rows)
		if err != nil {
			return nil, fmt.Errorf("list staff: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// Colleague is what every staff member may see of the others: who can be
// named on a booking, filtered by, or handed a case.
type Colleague struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
	// ServesWindow says whether the person may be booked to serve at a
	// window, as in extended hours (see ServesWindow).
	ServesWindow bool `json:"serves_window"`
}

// ServesWindow reports whether a role serves citizens at a window: the
// comprehensive-window clerks and the duty officers. Administrators run the
// centre and assistants work in the villages; neither is booked to serve.
func ServesWindow(role string) bool { return role == RoleClerk || role == RoleDuty }

// Directory returns the active staff by name, for any signed-in person.
func (s *Service) Directory(ctx context.Context) ([]Colleague, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, name, role FROM staff WHERE active = 1 ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("staff directory: %w", err)
	}
	defer rows.Close()
	out := []Colleague{}
	for rows.Next() {
		var c Colleague
		if err := rows.Scan(&c.ID, &c.Name, &c.Role); err != nil {
			return nil, fmt.Errorf("staff directory: %w", err)
		}
		c.ServesWindow = ServesWindow(c.Role)
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountActive returns how many active staff hold role.
func (s *Service) CountActive(ctx context.Context, role string) (int, error) {
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE role = ? AND active = 1`, role).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count %s staff: %w", role, err)
	}
	return n, nil
}

// Get returns one staff member by id (any role may look a colleague up: a
// booking names who comes in), or not found.
func (s *Service) Get(ctx context.Context, id string) (Staff, error) {
	st, err := scanStaff(s.db.Read().QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Staff{}, apperr.Errorf(apperr.NotFound, "找不到这位工作人员。")
	}
	if err != nil {
		return Staff{}, fmt.Errorf("read staff %s: %w", id, err)
	}
	return st, nil
}

// Update changes a staff member's name, role and active flag. An
// administrator cannot demote or deactivate themself, so a site always keeps
// one.
func (s *Service) Update(ctx context.Context, by Principal, id, name, role string, active bool) (Staff, error) {
	if err := requireAdmin(by); err != nil {
		return Staff{}, err
	}
	name = strings.TrimSpace(name)
	if err := ValidateName(name); err != nil {
		return Staff{}, err
	}
	if !validRole(role) {
		return Staff{}, apperr.Errorf(apperr.Invalid, "未知角色“%s”。", role)
	}
	if id == by.ID && (role != RoleAdmin || !active) {
		return Staff{}, apperr.Errorf(apperr.Conflict, "不能停用自己或取消自己的管理员角色。")
	}
	var st Staff
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE staff SET name = ?, role = ?, active = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			name, role, boolInt(active), store.FormatTime(tx.Now), id)
		if err != nil {
			return fmt.Errorf("update staff %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.NotFound, "找不到该工作人员。")
		}
		// Name, role and standing are in every cached principal.
		tx.AfterCommit(s.sessions.clear)
		if !active {
			if err := endSessionsTx(ctx, tx, id, ""); err != nil {
				return err
			}
			tx.AfterCommit(func() { s.ended.staff(id, "") })
		}
		st, err = scanStaff(tx.QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff WHERE id = ?`, id))
		if err != nil {
			return fmt.Errorf("read staff %s: %w", id, err)
		}
		detail := fmt.Sprintf("%s %s %s", st.Name, RoleName(role), map[bool]string{true: "在岗", false: "停用"}[active])
		if err := audit.Record(ctx, tx, by.Actor(), "staff.update", st.Login, detail); err != nil {
			return err
		}
		if err := tx.Outbox(ctx, "staff.update", st.ID, st); err != nil {
			return err
		}
		tx.AfterCommit(func() { s.publish(st) })
		return nil
	})
	return st, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ResetPassword sets a new password chosen by an administrator; see
// ResetPasswordAs.
func (s *Service) ResetPassword(ctx context.Context, by Principal, id, password string) error {
	if err := requireAdmin(by); err != nil {
		return err
	}
	st, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	return s.ResetPasswordAs(ctx, by.Actor(), st.Login, password)
}

// ResetPasswordAs sets the password of login on behalf of who (an
// administrator, or the host's operator through `budayang admin
// reset-password`), clears its lock-outs at every address, and ends its
// sessions, links and event streams. Errors: not found, a weak password.
func (s *Service) ResetPasswordAs(ctx context.Context, who audit.Actor, login, password string) error {
	if err := ValidatePassword(login, password); err != nil {
		return err
	}
	hash, err := s.hash(password)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM staff WHERE login = ?`, login).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Errorf(apperr.NotFound, "找不到登录名为“%s”的工作人员。", login)
		}
		if err != nil {
			return fmt.Errorf("reset password of %s: %w", login, err)
		}
		if _, err := tx.ExecContext(ctx,
			`UPDATE staff SET password_hash = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			hash, store.FormatTime(tx.Now), id); err != nil {
			return fmt.Errorf("reset password of %s: %w", login, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failure WHERE login = ?`, login); err != nil {
			return fmt.Errorf("clear lock-outs of %s: %w", login, err)
		}
		if err := endSessionsTx(ctx, tx, id, ""); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			s.sessions.clear()
			s.ended.staff(id, "")
		})
		return audit.Record(ctx, tx, who, "staff.reset_password", login, "")
	})
}

// Preferences returns p's own settings; close_to_tray defaults to true for
// duty officers, who keep the app running in the tray after hours.
func (s *Service) Preferences(ctx context.Context, p Principal) (Preferences, error) {
	var tray sql.NullInt64
	var prefs Preferences
	err := s.db.Read().QueryRowContext(ctx, `SELECT close_to_tray, locale FROM staff WHERE id = ?`, p.ID).Scan(&tray, &prefs.Locale)
	if err != nil {
		return Preferences{}, fmt.Errorf("read preferences of %s: %w", p.Login, err)
	}
	prefs.CloseToTray = p.Role == RoleDuty
	if tray.Valid {
		prefs.CloseToTray = tray.Int64 == 1
	}
	return prefs, nil
}

// SetPreferences stores p's own settings.
func (s *Service) SetPreferences(ctx context.Context, p Principal, prefs Preferences) (Preferences, error) {
	if prefs.Locale != "zh-CN" && prefs.Locale != "en" {
		return Preferences{}, apperr.Errorf(apperr.Invalid, "不支持的界面语言“%s”。", prefs.Locale)
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE staff SET close_to_tray = ?, locale = ?, updated_at = ? WHERE id = ?`,
			boolInt(prefs.CloseToTray), prefs.Locale, store.FormatTime(tx.Now), p.ID)
		if err != nil {
			return fmt.Errorf("save preferences of %s: %w", p.Login, err)
		}
		return audit.Record(ctx, tx, p.Actor(), "staff.preferences", p.Login, fmt.Sprintf("close_to_tray=%v locale=%s", prefs.CloseToTray, prefs.Locale))
	})
	return prefs, err
}

func newToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	token = hex.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
