package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/store"
)

var errBadLogin = apperr.Errorf(apperr.Unauthorized, "用户名或密码错误。")

func lockedError(until time.Time) error {
	return apperr.Errorf(apperr.Locked, "连续%d次密码错误，账号已锁定，请于%s后再试或请管理员重置密码。",
		MaxFailedLogins, until.In(clock.Shanghai).Format("15:04"))
}

// Attempt is one try at signing in.
type Attempt struct {
	Login    string
	Password string
	// Workstation is recorded on the session and in the audit log.
	Workstation string
	// Addr is the client address failures are counted against.
	Addr string
	// FromWindow says the attempt came from the desktop window on the host
	// itself, which is never locked out: a site's only administrator must
	// always be able to sign in at the machine the data lives on.
	FromWindow bool
}

// maxLoginInput bounds the login name an attempt may carry into the audit log
// and the failure count; no login is longer.
const maxLoginInput = 64

// Login checks a password and opens a session; see LoginAt. The attempt is
// counted against no particular address.
func (s *Service) Login(ctx context.Context, login, password, workstation string) (Session, error) {
	return s.LoginAt(ctx, Attempt{Login: login, Password: password, Workstation: workstation})
}

// LoginAt checks a password and opens a session. Wrong user names and wrong
// passwords get the same sentence after the same bcrypt work (an unknown name
// is compared against a dummy hash of the same cost), so neither the words
// nor the time tell who exists. The fifth wrong try in a row for one login
// name from one address locks that name at that address for LockDuration;
// other addresses and the host's own window are not affected.
//
// The password is compared outside the single writer, which would otherwise
// hold every ticket in the hall for the length of a bcrypt compare; the write
// that follows checks that the password and the lock did not change
// meanwhile.
func (s *Service) LoginAt(ctx context.Context, a Attempt) (Session, error) {
	login := strings.TrimSpace(a.Login)
	var id, hash string
	err := sql.ErrNoRows // a name longer than any login is nobody's
	if len(login) <= maxLoginInput {
		err = s.db.Read().QueryRowContext(ctx, `SELECT id, password_hash FROM staff WHERE login = ?`, login).Scan(&id, &hash)
	}
	login = truncateRunes(login, maxLoginInput)
	who := audit.Actor{Login: login, Workstation: a.Workstation}
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Session{}, fmt.Errorf("login %s: %w", login, err)
	}
	if !a.FromWindow {
		until, err := s.lockedUntil(ctx, s.db.Read(), login, a.Addr, s.clock.Now())
		if err != nil {
			return Session{}, err
		}
		if !until.IsZero() {
			if err := s.db.Write(ctx, func(tx *store.Tx) error {
				return audit.Record(ctx, tx, who, "staff.login_failed", login, "locked")
			}); err != nil {
				return Session{}, err
			}
			return Session{}, lockedError(until)
		}
	}
	against := hash
	if !known {
		against = s.dummyHash()
	}
	matched := s.compare([]byte(against), []byte(a.Password)) == nil && known

	var sess Session
	var failure error
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		sess, failure = Session{}, nil
		if !matched {
			detail := "wrong password"
			if !known {
				detail = "unknown user"
			}
			failure = errBadLogin
			if !a.FromWindow {
				until, n, err := countFailure(ctx, tx, login, a.Addr)
				if err != nil {
					return err
				}
				detail = fmt.Sprintf("%s %d", detail, n)
				if !until.IsZero() {
					failure, detail = lockedError(until), "locked"
				}
			}
			if !known {
				// Unknown names are counted per address and minute, not stored whole.
				return audit.UnknownUser(ctx, tx, who, login)
			}
			return audit.Record(ctx, tx, who, "staff.login_failed", login, detail)
		}
		st, err := scanStaff(tx.QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff WHERE id = ?`, id))
		var current string
		if err == nil {
			err = tx.QueryRowContext(ctx, `SELECT password_hash FROM staff WHERE id = ?`, id).Scan(&current)
		}
		if errors.Is(err, sql.ErrNoRows) || err == nil && current != hash {
			// Reset or removed while the password was being compared.
			failure = errBadLogin
			return audit.Record(ctx, tx, who, "staff.login_failed", login, "password changed meanwhile")
		}
		if err != nil {
			return fmt.Errorf("login %s: %w", login, err)
		}
		if !a.FromWindow {
			until, err := s.lockedUntil(ctx, tx, login, a.Addr, tx.Now)
			if err != nil {
				return err
			}
			if !until.IsZero() {
				failure = lockedError(until)
				return audit.Record(ctx, tx, who, "staff.login_failed", login, "locked")
			}
		}
		if !st.Active {
			failure = apperr.Errorf(apperr.Unauthorized, "该账号已停用，请联系管理员。")
			return audit.Record(ctx, tx, who, "staff.login_failed", login, "inactive")
		}
		now := store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failure WHERE login = ? AND addr = ?`, login, a.Addr); err != nil {
			return fmt.Errorf("login %s: clear failures: %w", login, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failure WHERE updated_at < ? AND (locked_until IS NULL OR locked_until < ?)`,
			store.FormatTime(tx.Now.Add(-24*time.Hour)), now); err != nil {
			return fmt.Errorf("login %s: drop old failures: %w", login, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM session WHERE expires_at < ?`, now); err != nil {
			return fmt.Errorf("login %s: drop expired sessions: %w", login, err)
		}
		token, th := newToken()
		expires := tx.Now.Add(SessionTTL)
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO session (token_hash, staff_id, workstation, created_at, expires_at) VALUES (?,?,?,?,?)`,
			th, st.ID, a.Workstation, now, store.FormatTime(expires)); err != nil {
			return fmt.Errorf("login %s: %w", login, err)
		}
		sess = Session{Token: token, ExpiresAt: expires, Staff: st}
		return audit.Record(ctx, tx, who, "staff.login", login, "")
	})
	if err != nil {
		return Session{}, err
	}
	if failure != nil {
		return Session{}, failure
	}
	return sess, nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// lockedUntil is when the lock on login at addr ends, or zero when there is
// none at now.
func (s *Service) lockedUntil(ctx context.Context, q queryRower, login, addr string, now time.Time) (time.Time, error) {
	var locked sql.NullString
	err := q.QueryRowContext(ctx, `SELECT locked_until FROM login_failure WHERE login = ? AND addr = ?`, login, addr).Scan(&locked)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !locked.Valid {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read lock of %s: %w", login, err)
	}
	until, err := store.ParseTime(locked.String)
	if err != nil || !now.Before(until) {
		return time.Time{}, nil
	}
	return until, nil
}

// countFailure adds one wrong try for login at addr inside tx and returns the
// count and, when this try reached MaxFailedLogins, the end of the lock. It
// reads the count it raises from tx, so running it again after a rolled-back
// group gives the same answer.
func countFailure(ctx context.Context, tx *store.Tx, login, addr string) (time.Time, int, error) {
	var failed int
	var locked sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT failed, locked_until FROM login_failure WHERE login = ? AND addr = ?`, login, addr).Scan(&failed, &locked)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, 0, fmt.Errorf("count failed login of %s: %w", login, err)
	}
	if locked.Valid {
		if until, err := store.ParseTime(locked.String); err == nil && tx.Now.Before(until) {
			return until, failed, nil // locked meanwhile by a concurrent try
		}
		// A lock that has run out starts the count again.
		failed = 0
	}
	failed++
	var until time.Time
	lock := sql.NullString{}
	if failed >= MaxFailedLogins {
		until = tx.Now.Add(LockDuration)
		lock = sql.NullString{String: store.FormatTime(until), Valid: true}
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO login_failure (login, addr, failed, locked_until, updated_at) VALUES (?,?,?,?,?)
		ON CONFLICT (login, addr) DO UPDATE SET failed = excluded.failed, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
		login, addr, failed, lock, store.FormatTime(tx.Now))
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("count failed login of %s: %w", login, err)
	}
	return until, failed, nil
}

// dummyHash is a bcrypt hash of the service's cost that no password is
// known for: an unknown login name is compared against it, so it costs as
// long as a wrong password.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		b := make([]byte, 18)
		_, _ = rand.Read(b)
		h, err := bcrypt.GenerateFromPassword([]byte(hex.EncodeToString(b)), s.Cost)
		if err != nil {
			panic(err) // only a cost out of range fails, and Cost is set by code
		}
		s.dummy = string(h)
	})
	return s.dummy
}

func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Authenticate returns the person behind a session token, or unauthorized
// when the token is unknown, expired, or its account is no longer active.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	if token == "" {
		return Principal{}, apperr.Errorf(apperr.Unauthorized, "请先登录。")
	}
	hash := hashToken(token)
	now := s.clock.Now()
	if c, ok := s.sessions.get(hash); ok && now.Before(c.until) {
		return c.p, nil
	}
	gen := s.sessions.generation()
	var p Principal
	var active int
	var expires string
	row := s.db.Read().QueryRowContext(ctx, `
		SELECT s.id, s.site_id, s.login, s.name, s.role, s.active, s.created_at, se.workstation, se.expires_at
		FROM session se JOIN staff s ON s.id = se.staff_id WHERE se.token_hash = ?`, hash)
	err := row.Scan(&p.ID, &p.SiteID, &p.Login, &p.Name, &p.Role, &active, &p.CreatedAt, &p.Workstation, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Principal{}, apperr.Errorf(apperr.Unauthorized, "登录已失效，请重新登录。")
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate: %w", err)
	}
	p.Active = active == 1
	p.Session = hash
	until, err := store.ParseTime(expires)
	if err != nil || !now.Before(until) || !p.Active {
		return Principal{}, apperr.Errorf(apperr.Unauthorized, "登录已失效，请重新登录。")
	}
	s.sessions.put(hash, gen, cachedSession{p: p, until: until})
	return p, nil
}

// Logout ends the session of token, the links made under it, and the event
// streams opened with it. Ending an unknown session is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	hash := hashToken(token)
	return s.db.Write(ctx, func(tx *store.Tx) error {
		var login, workstation string
		err := tx.QueryRowContext(ctx, `SELECT s.login, se.workstation FROM session se JOIN staff s ON s.id = se.staff_id WHERE se.token_hash = ?`, hash).Scan(&login, &workstation)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM session WHERE token_hash = ?`, hash); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM url_token WHERE session_hash = ?`, hash); err != nil {
			return fmt.Errorf("logout: end links: %w", err)
		}
		tx.AfterCommit(func() {
			s.sessions.clear()
			s.ended.session(hash)
		})
		return audit.Record(ctx, tx, audit.Actor{Login: login, Workstation: workstation}, "staff.logout", login, "")
	})
}

// ChangePassword replaces p's password after checking the old one, and ends
// p's other sessions, their links and event streams and any calendar
// subscription link; the session p is using stays open. The old password is
// compared outside the single writer; the write refuses when the password
// changed meanwhile.
func (s *Service) ChangePassword(ctx context.Context, p Principal, oldPassword, newPassword string) error {
	if err := ValidatePassword(p.Login, newPassword); err != nil {
		return err
	}
	if oldPassword == newPassword {
		return apperr.Errorf(apperr.Invalid, "新密码不能与原密码相同。")
	}
	var current string
	if err := s.db.Read().QueryRowContext(ctx, `SELECT password_hash FROM staff WHERE id = ?`, p.ID).Scan(&current); err != nil {
		return fmt.Errorf("change password of %s: %w", p.Login, err)
	}
	if s.compare([]byte(current), []byte(oldPassword)) != nil {
		if err := s.db.Write(ctx, func(tx *store.Tx) error {
			return audit.Record(ctx, tx, p.Actor(), "staff.change_password_failed", p.Login, "")
		}); err != nil {
			return err
		}
		return apperr.Errorf(apperr.Invalid, "原密码不正确。")
	}
	hash, err := s.hash(newPassword)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff SET password_hash = ?, updated_at = ?, version = version + 1 WHERE id = ? AND password_hash = ?`,
			hash, store.FormatTime(tx.Now), p.ID, current)
		if err != nil {
			return fmt.Errorf("change password of %s: %w", p.Login, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.Conflict, "密码刚刚被修改过，请重新登录后再试。")
		}
		if err := endSessionsTx(ctx, tx, p.ID, p.Session); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			s.sessions.clear()
			s.ended.staff(p.ID, p.Session)
		})
		return audit.Record(ctx, tx, p.Actor(), "staff.change_password", p.Login, "")
	})
}

// endSessionsTx deletes staffID's sessions and links inside tx, except the
// session keep (a token hash, or "" to end them all) and the links made
// under it.
func endSessionsTx(ctx context.Context, tx *store.Tx, staffID, keep string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM session WHERE staff_id = ? AND token_hash <> ?`, staffID, keep); err != nil {
		return fmt.Errorf("end sessions of %s: %w", staffID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM url_token WHERE staff_id = ? AND (session_hash IS NULL OR session_hash <> ?)`, staffID, keep); err != nil {
		return fmt.Errorf("end links of %s: %w", staffID, err)
	}
	return nil
}
