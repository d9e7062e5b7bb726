// Package coretest opens a whole site for tests: a real SQLite file in a
// temporary directory, every service, a fixed clock at storetest.Epoch
// (Wednesday 2026-11-25 09:00 Shanghai), first-run setup done with line A and
// three windows, and signed-in people to act as.
package coretest

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/account"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/site"
	"budayang/backend/store/storetest"
)

// AdminPassword is the administrator's password in every fixture.
const AdminPassword = "Admin12345"

// Site is an open test site.
type Site struct {
	tb    testing.TB
	Core  *core.Core
	Clock *clock.Fixed
	Admin account.Principal
}

// Open sets up a town centre (42 000 people) closed when the test ends.
func Open(tb testing.TB) *Site {
	tb.Helper()
	ctx := context.Background()
	clk := clock.NewFixed(storetest.Epoch)
	c, err := core.Open(ctx, core.Options{DataDir: tb.TempDir(), Clock: clk, PasswordCost: bcrypt.MinCost})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	if _, err := c.Setup(ctx, site.Profile{Name: "测试镇便民服务中心", Kind: site.KindTown, Population: 42000}, AdminPassword, 3); err != nil {
		tb.Fatal(err)
	}
	sess, err := c.Accounts.Login(ctx, account.AdminLogin, AdminPassword, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return &Site{tb: tb, Core: c, Clock: clk, Admin: account.Principal{Staff: sess.Staff, Workstation: "test"}}
}

// Person creates a staff member with role and returns them signed in.
func (s *Site) Person(login, name, role string) account.Principal {
	s.tb.Helper()
	st, err := s.Core.Accounts.Create(context.Background(), s.Admin, account.NewStaff{Login: login, Name: name, Role: role, Password: "Passw0rd123"})
	if err != nil {
		s.tb.Fatal(err)
	}
	return account.Principal{Staff: st, Workstation: "test"}
}
