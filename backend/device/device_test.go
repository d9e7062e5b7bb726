package device_test

import (
	"context"
	"strings"
	"testing"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/core/coretest"
	"budayang/backend/device"
)

func intp(n int) *int { return &n }

func TestDevice_Pair(t *testing.T) {
	ctx := context.Background()
	s := coretest.Open(t)
	devices := s.Core.Devices
	p, err := devices.CreatePairing(ctx, s.Admin, device.NewPairing{Kind: device.RatingPad, Window: intp(2)})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("CodeIsUnambiguous", func(t *testing.T) {
		if len(p.Code) != device.CodeLength || strings.ContainsAny(p.Code, "01ILO") {
			t.Errorf("code %q: want %d characters without 0, 1, I, L, O", p.Code, device.CodeLength)
		}
		if p.Name != "2号窗口评价器" || p.ExpiresIn != 600 {
			t.Errorf("pairing: %+v, want the kind's name and 600 s", p)
		}
	})
	cred, err := devices.Pair(ctx, " "+strings.ToLower(p.Code[:4])+"-"+p.Code[4:], "", "192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("CredentialNamesTheDevice", func(t *testing.T) {
		d, err := devices.Authenticate(ctx, cred.Credential)
		if err != nil || d.ID != cred.Device.ID || d.Kind != device.RatingPad || d.Window == nil || *d.Window != 2 {
			t.Fatalf("got %+v %v, want the pad of window 2", d, err)
		}
	})
	t.Run("ErrCodeUsedUp", func(t *testing.T) {
		if _, err := devices.Pair(ctx, p.Code, "", "192.0.2.7"); apperr.Code(err) != apperr.Unauthorized {
			t.Errorf("got %v, want unauthorized", err)
		}
	})
	t.Run("ErrCodeExpired", func(t *testing.T) {
		late, _ := devices.CreatePairing(ctx, s.Admin, device.NewPairing{Kind: device.Kiosk})
		s.Clock.Advance(device.CodeTTL)
		if _, err := devices.Pair(ctx, late.Code, "", "192.0.2.7"); apperr.Code(err) != apperr.Unauthorized {
			t.Errorf("got %v, want unauthorized", err)
		}
	})
}

func TestDevice_Manage(t *testing.T) {
	ctx := context.Background()
	s := coretest.Open(t)
	devices := s.Core.Devices
	clerk := s.Person("clerk1", "王小明", account.RoleClerk)
	p, _ := devices.CreatePairing(ctx, s.Admin, device.NewPairing{Kind: device.RatingPad})
	cred, err := devices.Pair(ctx, p.Code, "3号评价器", "192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	id := cred.Device.ID
	tests := []struct {
		name string
		by   account.Principal
		c    device.Change
		code string
	}{
		{"ErrClerk", clerk, device.Change{Name: "x", Window: intp(3)}, apperr.Forbidden},
		{"ErrEmptyName", s.Admin, device.Change{Name: " ", Window: intp(3)}, apperr.Invalid},
		{"ErrNoSuchWindow", s.Admin, device.Change{Name: "x", Window: intp(7)}, apperr.Invalid},
		{"BindToWindow3", s.Admin, device.Change{Name: "东侧评价器", Window: intp(3)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := devices.Update(ctx, tt.by, id, tt.c)
			if tt.code == "" && err != nil || tt.code != "" && apperr.Code(err) != tt.code {
				t.Fatalf("got %v, want %q", err, tt.code)
			}
		})
	}
	if d, _ := devices.Authenticate(ctx, cred.Credential); d.Window == nil || *d.Window != 3 || d.Name != "东侧评价器" {
		t.Errorf("after binding: %+v, want 东侧评价器 at window 3", d)
	}
	t.Run("RevokeHoldsAtOnce", func(t *testing.T) {
		if err := devices.Revoke(ctx, clerk, id); apperr.Code(err) != apperr.Forbidden {
			t.Fatalf("clerk revoking: got %v, want forbidden", err)
		}
		if err := devices.Revoke(ctx, s.Admin, id); err != nil {
			t.Fatal(err)
		}
		if _, err := devices.Authenticate(ctx, cred.Credential); apperr.Code(err) != apperr.Unauthorized {
			t.Errorf("revoked credential: got %v, want unauthorized", err)
		}
		if list, _ := devices.List(ctx, s.Admin); len(list) != 0 {
			t.Errorf("list after revoking: %+v, want empty", list)
		}
	})
}
