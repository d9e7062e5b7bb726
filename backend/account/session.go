package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

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

// Login checks a password and opens a session. Wrong user names and wrong
// passwords get the same sentence, so the form does not reveal who exists.
// The fifth wrong password in a row locks the account for LockDuration.
func (s *Service) Login(ctx context.Context, login, password, workstation string) (Session, error) {
	login = strings.TrimSpace(login)
	var sess Session
	var failure error
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var hash string
		var active, failed int
		var lockedUntil sql.NullString
		st, err := scanStaff(tx.QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff WHERE login = ?`, login))
		if err == nil {
			err = tx.QueryRowContext(ctx, `SELECT password_hash, active, failed_logins, locked_until FROM staff WHERE id = ?`, st.ID).
				Scan(&hash, &active, &failed, &lockedUntil)
		}
		who := audit.Actor{Login: login, Workstation: workstation}
		if errors.Is(err, sql.ErrNoRows) {
			failure = errBadLogin
			return audit.UnknownUser(ctx, tx, who, login)
		}
		if err != nil {
			return fmt.Errorf("login %s: %w", login, err)
		}
		if lockedUntil.Valid {
			until, perr := store.ParseTime(lockedUntil.String)
			if perr == nil && tx.Now.Before(until) {
				failure = lockedError(until)
				return audit.Record(ctx, tx, who, "staff.login_failed", login, "locked")
			}
		}
		if active != 1 {
			failure = apperr.Errorf(apperr.Unauthorized, "该账号已停用，请联系管理员。")
			return audit.Record(ctx, tx, who, "staff.login_failed", login, "inactive")
		}
		if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
			failed++
			lock := sql.NullString{}
			detail := fmt.Sprintf("wrong password %d", failed)
			failure = errBadLogin
			if failed >= MaxFailedLogins {
				until := tx.Now.Add(LockDuration)
				lock = sql.NullString{String: store.FormatTime(until), Valid: true}
				failed = 0
				failure = lockedError(until)
				detail = "locked"
			}
			if _, err := tx.ExecContext(ctx, `UPDATE staff SET failed_logins = ?, locked_until = ? WHERE id = ?`, failed, lock, st.ID); err != nil {
				return fmt.Errorf("count failed login of %s: %w", login, err)
			}
			return audit.Record(ctx, tx, who, "staff.login_failed", login, detail)
		}
		token, th := newToken()
		expires := tx.Now.Add(SessionTTL)
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = ?`, st.ID); err != nil {
			return fmt.Errorf("login %s: %w", login, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM session WHERE expires_at < ?`, store.FormatTime(tx.Now)); err != nil {
			return fmt.Errorf("login %s: drop expired sessions: %w", login, err)
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO session (token_hash, staff_id, workstation, created_at, expires_at) VALUES (?,?,?,?,?)`,
			th, st.ID, workstation, store.FormatTime(tx.Now), store.FormatTime(expires)); err != nil {
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
	until, err := store.ParseTime(expires)
	if err != nil || !now.Before(until) || !p.Active {
		return Principal{}, apperr.Errorf(apperr.Unauthorized, "登录已失效，请重新登录。")
	}
	s.sessions.put(hash, gen, cachedSession{p: p, until: until})
	return p, nil
}

// Logout ends the session of token. Ending an unknown session is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		var login, workstation string
		err := tx.QueryRowContext(ctx, `SELECT s.login, se.workstation FROM session se JOIN staff s ON s.id = se.staff_id WHERE se.token_hash = ?`, hashToken(token)).Scan(&login, &workstation)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM session WHERE token_hash = ?`, hashToken(token)); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		tx.AfterCommit(s.sessions.clear)
		return audit.Record(ctx, tx, audit.Actor{Login: login, Workstation: workstation}, "staff.logout", login, "")
	})
}

// ChangePassword replaces p's password after checking the old one.
func (s *Service) ChangePassword(ctx context.Context, p Principal, oldPassword, newPassword string) error {
	if err := ValidatePassword(newPassword); err != nil {
		return err
	}
	if oldPassword == newPassword {
		return apperr.Errorf(apperr.Invalid, "新密码不能与原密码相同。")
	}
	hash, err := s.hash(newPassword)
	if err != nil {
		return err
	}
	var failure error
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var current string
		if err := tx.QueryRowContext(ctx, `SELECT password_hash FROM staff WHERE id = ?`, p.ID).Scan(&current); err != nil {
			return fmt.Errorf("change password of %s: %w", p.Login, err)
		}
		if bcrypt.CompareHashAndPassword([]byte(current), []byte(oldPassword)) != nil {
			failure = apperr.Errorf(apperr.Invalid, "原密码不正确。")
			return audit.Record(ctx, tx, p.Actor(), "staff.change_password_failed", p.Login, "")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET password_hash = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			hash, store.FormatTime(tx.Now), p.ID); err != nil {
			return fmt.Errorf("change password of %s: %w", p.Login, err)
		}
		return audit.Record(ctx, tx, p.Actor(), "staff.change_password", p.Login, "")
	})
	if err != nil {
		return err
	}
	return failure
}
