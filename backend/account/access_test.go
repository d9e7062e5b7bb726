package account_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

func TestValidatePassword_Rules(t *testing.T) {
	tests := []struct {
		name, login, password string
		ok                    bool
	}{
		{"Good", "zhang", "Hai-Tang 2026", true},
		{"GoodWithLoginInside", "admin", "Admin12345", true},
		{"TooShort", "zhang", "Ab3$x", false},
		{"EightSpaces", "zhang", "        ", false},
		{"Blank", "zhang", "\t \t \t \t ", false},
		{"SameAsLogin", "zhangsan", "zhangsan", false},
		{"SameAsLoginOtherCase", "zhangsan", "ZhangSan", false},
		{"LoginRepeated", "wang", "wangwangwang", false},
		{"Digits", "zhang", "12345678", false},
		{"Eights", "zhang", "88888888", false},
		{"Ones", "zhang", "11111111", false},
		{"Qwertyui", "zhang", "qwertyui", false},
		{"Password", "zhang", "password", false},
		{"PasswordCapital", "zhang", "Password", false},
		{"A1234567", "zhang", "a1234567", false},
		{"Admin123", "zhang", "admin123", false},
		{"Falling", "zhang", "87654321", false},
		{"Letters", "zhang", "abcdefgh", false},
		{"TooLong", "zhang", strings.Repeat("长", 25), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := account.ValidatePassword(tt.login, tt.password)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidatePassword(%q, %q) = %v, want ok=%v", tt.login, tt.password, err, tt.ok)
			}
			if err != nil && apperr.Code(err) != apperr.Invalid {
				t.Errorf("code %q, want invalid", apperr.Code(err))
			}
		})
	}
}

func TestValidateLogin_Rules(t *testing.T) {
	tests := []struct {
		name, login string
		ok          bool
	}{
		{"Plain", "zhang.san", true},
		{"DigitsAndDash", "clerk-01_a", true},
		{"TwoChars", "li", true},
		{"OneChar", "l", false},
		{"TooLong", strings.Repeat("a", 33), false},
		{"Kiosk", "kiosk", false},
		{"SystemCapital", "System", false},
		{"Scheduler", "scheduler", false},
		{"Device", "device", false},
		{"County", "county", false},
		{"Root", "root", false},
		{"FullWidth", "ａｄｍｉｎ", false},
		{"ZeroWidth", "ad\u200bmin", false},
		{"Chinese", "张三", false},
		{"Space", "zhang san", false},
		{"LeadingDot", ".zhang", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := account.ValidateLogin(tt.login); (err == nil) != tt.ok {
				t.Fatalf("ValidateLogin(%q) = %v, want ok=%v", tt.login, err, tt.ok)
			}
		})
	}
}

func TestValidateName_Rules(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"Chinese", "欧阳娜娜", true},
		{"ThirtyTwo", strings.Repeat("名", 32), true},
		{"ThirtyThree", strings.Repeat("名", 33), false},
		{"Huge", strings.Repeat("x", 900<<10), false},
		{"Empty", "", false},
		{"Newline", "王\n五", false},
		{"ZeroWidth", "王\u200b五", false},
		{"RightToLeft", "王\u202e五", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := account.ValidateName(tt.in); (err == nil) != tt.ok {
				t.Fatalf("ValidateName = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestService_CreateRefusesLookAlikes(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for _, login := range []string{"kiosk", "ＡＤＭＩＮ", "ad\u200bmin", "ADMIN"} {
		if _, err := f.svc.Create(ctx, f.admin, account.NewStaff{Login: login, Name: "冒名", Role: account.RoleAdmin, Password: "Hai-Tang 2026"}); err == nil {
			t.Errorf("created %q", login)
		}
	}
	if _, err := f.svc.Create(ctx, f.admin, account.NewStaff{Login: "zhang", Name: strings.Repeat("长", 100), Role: account.RoleClerk, Password: "Hai-Tang 2026"}); apperr.Code(err) != apperr.Invalid {
		t.Errorf("a 100-character name: got %v, want invalid", err)
	}
}

func attempt(user, password, addr string) account.Attempt {
	return account.Attempt{Login: user, Password: password, Workstation: "ws@" + addr, Addr: addr}
}

// A stranger's wrong guesses lock out the stranger's address only: the
// administrator still signs in from another address and from the host's
// window.
func TestService_LockOutPerAddress(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for i := 0; i < account.MaxFailedLogins; i++ {
		f.svc.LoginAt(ctx, attempt("admin", "wrong-pass", "192.168.1.66"))
	}
	if _, err := f.svc.LoginAt(ctx, attempt("admin", "Admin12345", "192.168.1.66")); apperr.Code(err) != apperr.Locked {
		t.Fatalf("the guessing address: got %v, want locked", err)
	}
	if _, err := f.svc.LoginAt(ctx, attempt("admin", "Admin12345", "192.168.1.10")); err != nil {
		t.Fatalf("another address: %v", err)
	}
	window := account.Attempt{Login: "admin", Password: "Admin12345", Workstation: "host", Addr: "192.168.1.66", FromWindow: true}
	if _, err := f.svc.LoginAt(ctx, window); err != nil {
		t.Fatalf("the host's window: %v", err)
	}
	// Wrong tries at the window never lock it.
	for i := 0; i < 2*account.MaxFailedLogins; i++ {
		bad := window
		bad.Password = "wrong-pass"
		if _, err := f.svc.LoginAt(ctx, bad); apperr.Code(err) != apperr.Unauthorized {
			t.Fatalf("window try %d: got %v, want unauthorized", i, err)
		}
	}
	if _, err := f.svc.LoginAt(ctx, window); err != nil {
		t.Fatalf("the window after many wrong tries: %v", err)
	}
}

// An unknown login name is locked out like a known one, so the lock does
// not tell who exists either.
func TestService_LockOutUnknownLogin(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	var last error
	for i := 0; i < account.MaxFailedLogins; i++ {
		_, last = f.svc.LoginAt(ctx, attempt("nobody-here", "wrong-pass", "10.0.0.9"))
	}
	if apperr.Code(last) != apperr.Locked {
		t.Fatalf("fifth try on an unknown name: got %v, want locked", last)
	}
}

// An unknown user costs one bcrypt compare, like a wrong password, so the
// time of the answer does not tell who exists.
func TestService_LoginComparesForUnknownUser(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	var calls atomic.Int32
	f.svc.SetCompare(func(hash, password []byte) error {
		calls.Add(1)
		if cost, err := bcrypt.Cost(hash); err != nil || cost != f.svc.Cost {
			t.Errorf("compared against a hash of cost %d (%v), want %d", cost, err, f.svc.Cost)
		}
		return bcrypt.CompareHashAndPassword(hash, password)
	})
	for _, user := range []string{"admin", "nobody-here"} {
		calls.Store(0)
		_, err := f.svc.LoginAt(ctx, attempt(user, "wrong-pass", "10.0.0.8"))
		if apperr.Code(err) != apperr.Unauthorized || apperr.Message(err) != "用户名或密码错误。" {
			t.Errorf("%s: got %v", user, err)
		}
		if calls.Load() != 1 {
			t.Errorf("%s: %d compares, want 1", user, calls.Load())
		}
	}
}

// Login and ChangePassword compare outside the single writer: a write asked
// for while the compare runs finishes before the compare does.
func TestService_CompareDoesNotHoldWriter(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	f.svc.SetCompare(func(hash, password []byte) error {
		done := make(chan error, 1)
		go func() {
			done <- f.db.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE site SET updated_at = ?`, store.FormatTime(tx.Now))
				return err
			})
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("concurrent write: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("a write waited for the password compare")
		}
		return bcrypt.CompareHashAndPassword(hash, password)
	})
	sess, err := f.svc.LoginAt(ctx, attempt("admin", "Admin12345", "10.0.0.7"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Authenticate(ctx, sess.Token)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ChangePassword(ctx, p, "Admin12345", "Hai-Tang 2026"); err != nil {
		t.Fatal(err)
	}
}

// A password change ends the person's other sessions and their streams, and
// keeps the one it was made from.
func TestService_ChangePasswordEndsOtherSessions(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	here, _ := f.svc.LoginAt(ctx, attempt("admin", "Admin12345", "10.0.0.1"))
	there, _ := f.svc.LoginAt(ctx, attempt("admin", "Admin12345", "10.0.0.2"))
	p, err := f.svc.Authenticate(ctx, here.Token)
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.svc.Authenticate(ctx, there.Token)
	if err != nil {
		t.Fatal(err)
	}
	hereEnded, stopHere := f.svc.WatchSession(p)
	defer stopHere()
	thereEnded, stopThere := f.svc.WatchSession(other)
	defer stopThere()
	if err := f.svc.ChangePassword(ctx, p, "Admin12345", "Hai-Tang 2026"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, here.Token); err != nil {
		t.Errorf("the session that changed the password ended: %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, there.Token); apperr.Code(err) != apperr.Unauthorized {
		t.Errorf("the other session: got %v, want unauthorized", err)
	}
	select {
	case <-thereEnded:
	default:
		t.Error("the other session's stream was not told")
	}
	select {
	case <-hereEnded:
		t.Error("the current session's stream was ended")
	default:
	}
}

// A reset from the host clears lock-outs at every address and ends sessions.
func TestService_ResetPasswordAs(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	sess, _ := f.svc.LoginAt(ctx, attempt("admin", "Admin12345", "10.0.0.1"))
	for i := 0; i < account.MaxFailedLogins; i++ {
		f.svc.LoginAt(ctx, attempt("admin", "wrong-pass", "10.0.0.1"))
	}
	if err := f.svc.ResetPasswordAs(ctx, account.HostOperator, "admin", "12345678"); apperr.Code(err) != apperr.Invalid {
		t.Errorf("a common password: got %v, want invalid", err)
	}
	if err := f.svc.ResetPasswordAs(ctx, account.HostOperator, "admin", "Hai-Tang 2026"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, sess.Token); apperr.Code(err) != apperr.Unauthorized {
		t.Errorf("old session: got %v, want unauthorized", err)
	}
	if _, err := f.svc.LoginAt(ctx, attempt("admin", "Hai-Tang 2026", "10.0.0.1")); err != nil {
		t.Errorf("login after reset from the locked address: %v", err)
	}
	if err := f.svc.ResetPasswordAs(ctx, account.HostOperator, "nobody-here", "Hai-Tang 2026"); apperr.Code(err) != apperr.NotFound {
		t.Errorf("unknown login: got %v, want not found", err)
	}
}

// A link opens only its own path, until it expires or its session ends.
func TestService_Links(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	sess, _ := f.svc.LoginAt(ctx, attempt("admin", "Admin12345", "10.0.0.1"))
	p, _ := f.svc.Authenticate(ctx, sess.Token)
	link, err := f.svc.IssueLink(ctx, p, "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.svc.AuthenticateLink(ctx, link.Token, "/api/v1/events"); err != nil || got.ID != p.ID || got.Session != p.Session {
		t.Fatalf("own path: %v %+v", err, got)
	}
	if _, err := f.svc.AuthenticateLink(ctx, link.Token, "/api/v1/staff"); apperr.Code(err) != apperr.Unauthorized {
		t.Errorf("other path: got %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, link.Token); apperr.Code(err) != apperr.Unauthorized {
		t.Errorf("a link used as a session: got %v", err)
	}
	f.clk.Advance(account.LinkTTL)
	if _, err := f.svc.AuthenticateLink(ctx, link.Token, "/api/v1/events"); apperr.Code(err) != apperr.Unauthorized {
		t.Errorf("expired: got %v", err)
	}
	sub, err := f.svc.IssueSubscription(ctx, p, "/api/v1/staff/"+p.ID+"/calendar.ics")
	if err != nil {
		t.Fatal(err)
	}
	link, _ = f.svc.IssueLink(ctx, p, "/api/v1/events")
	if err := f.svc.Logout(ctx, sess.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateLink(ctx, link.Token, "/api/v1/events"); apperr.Code(err) != apperr.Unauthorized {
		t.Errorf("after logout: got %v", err)
	}
	if _, err := f.svc.AuthenticateLink(ctx, sub.Token, "/api/v1/staff/"+p.ID+"/calendar.ics"); err != nil {
		t.Errorf("a subscription outlives the session: %v", err)
	}
	if err := f.svc.RevokeSubscriptions(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateLink(ctx, sub.Token, "/api/v1/staff/"+p.ID+"/calendar.ics"); apperr.Code(err) != apperr.Unauthorized {
		t.Errorf("revoked subscription: got %v", err)
	}
}

// BenchmarkLogin_Refused shows that a wrong password and an unknown user
// cost the same at the real bcrypt cost (compare ns/op of the two).
func BenchmarkLogin_Refused(b *testing.B) {
	db, clk := storetest.MustOpen(b)
	svc := account.NewService(db, clk, nil)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO site (id, name, kind, population, created_at, updated_at) VALUES ('s1','测试镇','town',42000,'t','t')`); err != nil {
			return err
		}
		_, err := svc.CreateTx(ctx, tx, audit.System, "s1", account.NewStaff{Login: "admin", Name: "管理员", Role: account.RoleAdmin, Password: "Admin12345"})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, user := range []string{"admin", "nobody-here"} {
		b.Run(user, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				// A new address each time, so no lock-out shortens the path.
				svc.LoginAt(ctx, account.Attempt{Login: user, Password: "wrong-pass", Addr: fmt.Sprintf("10.1.%d.%d", i/250, i%250)})
			}
		})
	}
}

// A login name of any length is refused like an unknown one, and only its
// first 64 bytes reach the audit log.
func TestService_LoginHugeName(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	huge := "admin" + strings.Repeat("名", 300<<10)
	if _, err := f.svc.LoginAt(ctx, attempt(huge, "Admin12345", "10.0.0.5")); apperr.Code(err) != apperr.Unauthorized {
		t.Fatalf("got %v, want unauthorized", err)
	}
	var longest int
	if err := f.db.Read().QueryRowContext(ctx, `SELECT max(length(CAST(target AS BLOB))) FROM audit_log`).Scan(&longest); err != nil {
		t.Fatal(err)
	}
	if longest > 64 {
		t.Errorf("an audit target of %d bytes", longest)
	}
}
