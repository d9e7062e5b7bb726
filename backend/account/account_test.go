package account_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/store"
	"budayang/backend/store/storetest"
)

type fixture struct {
	db    *store.DB
	clk   *clock.Fixed
	svc   *account.Service
	bus   *events.Bus
	admin account.Principal
}

func setup(t *testing.T) fixture {
	t.Helper()
	db, clk := storetest.MustOpen(t)
	bus := events.NewBus()
	svc := account.NewService(db, clk, bus)
	svc.Cost = bcrypt.MinCost
	ctx := context.Background()
	var admin account.Staff
	err := db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO site (id, name, kind, population, created_at, updated_at) VALUES ('s1','测试镇','town',42000,'t','t')`); err != nil {
			return err
		}
		var err error
		admin, err = svc.CreateTx(ctx, tx, audit.System, "s1", account.NewStaff{Login: "admin", Name: "管理员", Role: account.RoleAdmin, Password: "Admin12345"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{db: db, clk: clk, svc: svc, bus: bus, admin: account.Principal{Staff: admin, Workstation: "test"}}
}

func TestService_Login(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		user     string
		password string
		code     string
	}{
		{"Success", "admin", "Admin12345", ""},
		{"SuccessTrimsLogin", " admin ", "Admin12345", ""},
		{"ErrWrongPassword", "admin", "wrong-pass", apperr.Unauthorized},
		{"ErrUnknownUser", "nobody", "Admin12345", apperr.Unauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess, err := f.svc.Login(ctx, tt.user, tt.password, "窗口1")
			if tt.code != "" {
				if apperr.Code(err) != tt.code {
					t.Fatalf("got %v, want %s", err, tt.code)
				}
				if apperr.Message(err) != "用户名或密码错误。" {
					t.Errorf("message %q does not hide which part was wrong", apperr.Message(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.svc.Authenticate(ctx, sess.Token)
			if err != nil {
				t.Fatal(err)
			}
			if p.Login != "admin" || p.Workstation != "窗口1" || p.Role != account.RoleAdmin {
				t.Errorf("got %+v", p)
			}
		})
	}
}

func TestService_LockOut(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for i := 1; i < account.MaxFailedLogins; i++ {
		_, err := f.svc.Login(ctx, "admin", "wrong-pass", "")
		if apperr.Code(err) != apperr.Unauthorized {
			t.Fatalf("attempt %d: got %v, want unauthorized", i, err)
		}
	}
	_, err := f.svc.Login(ctx, "admin", "wrong-pass", "")
	if apperr.Code(err) != apperr.Locked {
		t.Fatalf("fifth failure: got %v, want locked", err)
	}
	// 09:00 Shanghai + 15 minutes.
	if !strings.Contains(apperr.Message(err), "09:15") {
		t.Errorf("message %q does not say until when", apperr.Message(err))
	}
	_, err = f.svc.Login(ctx, "admin", "Admin12345", "")
	if apperr.Code(err) != apperr.Locked {
		t.Fatalf("right password while locked: got %v, want locked", err)
	}
	f.clk.Advance(account.LockDuration - time.Second)
	if _, err := f.svc.Login(ctx, "admin", "Admin12345", ""); apperr.Code(err) != apperr.Locked {
		t.Fatalf("just before the end: got %v, want locked", err)
	}
	f.clk.Advance(time.Second)
	if _, err := f.svc.Login(ctx, "admin", "Admin12345", ""); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// A success resets the count: four more failures do not lock.
	for i := 0; i < account.MaxFailedLogins-1; i++ {
		f.svc.Login(ctx, "admin", "wrong-pass", "")
	}
	if _, err := f.svc.Login(ctx, "admin", "Admin12345", ""); err != nil {
		t.Fatalf("count not reset by success: %v", err)
	}
}

func TestService_Authenticate(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	sess, err := f.svc.Login(ctx, "admin", "Admin12345", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrUnknownToken", func(t *testing.T) {
		if _, err := f.svc.Authenticate(ctx, "feedface"); apperr.Code(err) != apperr.Unauthorized {
			t.Errorf("got %v, want unauthorized", err)
		}
	})
	t.Run("ErrEmptyToken", func(t *testing.T) {
		if _, err := f.svc.Authenticate(ctx, ""); apperr.Code(err) != apperr.Unauthorized {
			t.Errorf("got %v, want unauthorized", err)
		}
	})
	t.Run("ErrAfterLogout", func(t *testing.T) {
		s2, _ := f.svc.Login(ctx, "admin", "Admin12345", "")
		if err := f.svc.Logout(ctx, s2.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, s2.Token); apperr.Code(err) != apperr.Unauthorized {
			t.Errorf("got %v, want unauthorized", err)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		f.clk.Advance(account.SessionTTL)
		if _, err := f.svc.Authenticate(ctx, sess.Token); apperr.Code(err) != apperr.Unauthorized {
			t.Errorf("got %v, want unauthorized", err)
		}
	})
}

// A session already seen by Authenticate answers from memory; every change
// that ends it or alters who it is must show at the next request.
func TestService_AuthenticateSeesChanges(t *testing.T) {
	tests := []struct {
		name   string
		change func(f fixture, clerk account.Staff, token string) error
		want   func(p account.Principal, err error) string
	}{
		{"Logout",
			func(f fixture, _ account.Staff, token string) error { return f.svc.Logout(context.Background(), token) },
			wantUnauthorized},
		{"Deactivated",
			func(f fixture, clerk account.Staff, _ string) error {
				_, err := f.svc.Update(context.Background(), f.admin, clerk.ID, clerk.Name, account.RoleClerk, false)
				return err
			},
			wantUnauthorized},
		{"PasswordReset",
			func(f fixture, clerk account.Staff, _ string) error {
				return f.svc.ResetPassword(context.Background(), f.admin, clerk.ID, "Reset12345")
			},
			wantUnauthorized},
		{"Expired",
			func(f fixture, _ account.Staff, _ string) error { f.clk.Advance(account.SessionTTL); return nil },
			wantUnauthorized},
		{"RenamedAndPromoted",
			func(f fixture, clerk account.Staff, _ string) error {
				_, err := f.svc.Update(context.Background(), f.admin, clerk.ID, "王大明", account.RoleDuty, true)
				return err
			},
			func(p account.Principal, err error) string {
				if err != nil || p.Name != "王大明" || p.Role != account.RoleDuty {
					return fmt.Sprintf("got %s %s %v, want 王大明 duty", p.Name, p.Role, err)
				}
				return ""
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			ctx := context.Background()
			clerk, err := f.svc.Create(ctx, f.admin, account.NewStaff{Login: "clerk1", Name: "王小明", Role: account.RoleClerk, Password: "Clerk12345"})
			if err != nil {
				t.Fatal(err)
			}
			sess, err := f.svc.Login(ctx, "clerk1", "Clerk12345", "")
			if err != nil {
				t.Fatal(err)
			}
			if p, err := f.svc.Authenticate(ctx, sess.Token); err != nil || p.Name != "王小明" {
				t.Fatalf("before the change: %+v %v", p, err)
			}
			if err := tt.change(f, clerk, sess.Token); err != nil {
				t.Fatal(err)
			}
			if msg := tt.want(f.svc.Authenticate(ctx, sess.Token)); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func wantUnauthorized(_ account.Principal, err error) string {
	if apperr.Code(err) != apperr.Unauthorized {
		return fmt.Sprintf("got %v, want unauthorized", err)
	}
	return ""
}

func TestService_ChangePassword(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		old, new string
		code     string
	}{
		{"ErrTooShort", "Admin12345", "short", apperr.Invalid},
		{"ErrSame", "Admin12345", "Admin12345", apperr.Invalid},
		{"ErrWrongOld", "wrong-pass", "NewPass123", apperr.Invalid},
		{"Success", "Admin12345", "NewPass123", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.svc.ChangePassword(ctx, f.admin, tt.old, tt.new)
			if apperr.Code(err) != tt.code && !(tt.code == "" && err == nil) {
				t.Fatalf("got %v, want %q", err, tt.code)
			}
		})
	}
	if _, err := f.svc.Login(ctx, "admin", "NewPass123", ""); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
	if _, err := f.svc.Login(ctx, "admin", "Admin12345", ""); err == nil {
		t.Error("login with the old password succeeded")
	}
}

func TestService_Create(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	sub := f.bus.Subscribe(4)
	defer sub.Close()
	tests := []struct {
		name string
		by   account.Principal
		in   account.NewStaff
		code string
	}{
		{"Clerk", f.admin, account.NewStaff{Login: "clerk1", Name: "王小明", Role: account.RoleClerk, Password: "Clerk12345"}, ""},
		{"ErrDuplicateLogin", f.admin, account.NewStaff{Login: "clerk1", Name: "李四", Role: account.RoleClerk, Password: "Clerk12345"}, apperr.Conflict},
		{"ErrUnknownRole", f.admin, account.NewStaff{Login: "x", Name: "x", Role: "boss", Password: "Clerk12345"}, apperr.Invalid},
		{"ErrNoName", f.admin, account.NewStaff{Login: "y", Role: account.RoleDuty, Password: "Clerk12345"}, apperr.Invalid},
		{"ErrLoginWithSpace", f.admin, account.NewStaff{Login: "a b", Name: "x", Role: account.RoleDuty, Password: "Clerk12345"}, apperr.Invalid},
		{"ErrWeakPassword", f.admin, account.NewStaff{Login: "z", Name: "x", Role: account.RoleDuty, Password: "123"}, apperr.Invalid},
		{"ErrNotAdmin", account.Principal{Staff: account.Staff{Role: account.RoleClerk}}, account.NewStaff{Login: "w", Name: "x", Role: account.RoleDuty, Password: "Clerk12345"}, apperr.Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Create(ctx, tt.by, tt.in)
			if apperr.Code(err) != tt.code && !(tt.code == "" && err == nil) {
				t.Fatalf("got %v, want %q", err, tt.code)
			}
		})
	}
	n, err := f.svc.CountActive(ctx, account.RoleClerk)
	if err != nil || n != 1 {
		t.Errorf("active clerks: got %d, %v; want 1", n, err)
	}
	select {
	case e := <-sub.C:
		if e.Type != events.StaffChanged {
			t.Errorf("event: got %s, want %s", e.Type, events.StaffChanged)
		}
	default:
		t.Error("no event published after create")
	}
	pending, _ := f.db.PendingOutbox(ctx, 10)
	if len(pending) != 2 { // the admin and the clerk
		t.Errorf("outbox rows: got %d, want 2", len(pending))
	}
}

func TestService_Update(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	clerk, err := f.svc.Create(ctx, f.admin, account.NewStaff{Login: "clerk1", Name: "王小明", Role: account.RoleClerk, Password: "Clerk12345"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.svc.Login(ctx, "clerk1", "Clerk12345", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrDemoteSelf", func(t *testing.T) {
		_, err := f.svc.Update(ctx, f.admin, f.admin.ID, "管理员", account.RoleClerk, true)
		if apperr.Code(err) != apperr.Conflict {
			t.Errorf("got %v, want conflict", err)
		}
	})
	t.Run("ErrUnknownID", func(t *testing.T) {
		_, err := f.svc.Update(ctx, f.admin, "nope", "x", account.RoleClerk, true)
		if apperr.Code(err) != apperr.NotFound {
			t.Errorf("got %v, want not_found", err)
		}
	})
	t.Run("DeactivateEndsSessions", func(t *testing.T) {
		st, err := f.svc.Update(ctx, f.admin, clerk.ID, "王小明", account.RoleClerk, false)
		if err != nil {
			t.Fatal(err)
		}
		if st.Active {
			t.Error("still active")
		}
		if _, err := f.svc.Authenticate(ctx, sess.Token); apperr.Code(err) != apperr.Unauthorized {
			t.Errorf("session after deactivation: got %v, want unauthorized", err)
		}
		if _, err := f.svc.Login(ctx, "clerk1", "Clerk12345", ""); apperr.Code(err) != apperr.Unauthorized {
			t.Errorf("login after deactivation: got %v, want unauthorized", err)
		}
	})
}

func TestService_Preferences(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	duty, err := f.svc.Create(ctx, f.admin, account.NewStaff{Login: "duty1", Name: "值班员", Role: account.RoleDuty, Password: "Duty123456"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		p    account.Principal
		want bool
	}{
		{"DutyHidesToTrayByDefault", account.Principal{Staff: duty}, true},
		{"AdminQuitsByDefault", f.admin, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefs, err := f.svc.Preferences(ctx, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if prefs.CloseToTray != tt.want || prefs.Locale != "zh-CN" {
				t.Errorf("got %+v, want close_to_tray %v, zh-CN", prefs, tt.want)
			}
		})
	}
	if _, err := f.svc.SetPreferences(ctx, account.Principal{Staff: duty}, account.Preferences{CloseToTray: false, Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	prefs, _ := f.svc.Preferences(ctx, account.Principal{Staff: duty})
	if prefs.CloseToTray || prefs.Locale != "en" {
		t.Errorf("after set: got %+v", prefs)
	}
	if _, err := f.svc.SetPreferences(ctx, f.admin, account.Preferences{Locale: "fr"}); apperr.Code(err) != apperr.Invalid {
		t.Errorf("unknown locale: got %v, want invalid", err)
	}
}

func TestService_AuditTrail(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	f.svc.Login(ctx, "admin", "wrong-pass", "窗口2")
	f.svc.Login(ctx, "admin", "Admin12345", "窗口2")
	entries, err := audit.New(f.db).List(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	want := "staff.login staff.login_failed staff.create"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if entries[0].Workstation != "窗口2" {
		t.Errorf("workstation: got %q", entries[0].Workstation)
	}
}
