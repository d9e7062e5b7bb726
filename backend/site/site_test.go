package site_test

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/events"
	"budayang/backend/site"
	"budayang/backend/store/storetest"
)

func TestCheck_PlanMinimums(t *testing.T) {
	tests := []struct {
		name                        string
		kind                        string
		population, area            int
		staff                       int
		wantStaff                   int
		wantArea                    int
		wantStaffOK, wantAreaOK     bool
		wantStaffRule, wantAreaRule string
	}{
		{"SmallTown", site.KindTown, 18000, 300, 5, 5, 300, true, true, site.RuleStaffUnder3Wan, site.RuleAreaTown},
		{"TownOf3WanNeeds7", site.KindTown, 30000, 299, 6, 7, 300, false, false, site.RuleStaff3To6Wan, site.RuleAreaTown},
		{"Street59999", site.KindStreet, 59999, 320, 7, 7, 300, true, true, site.RuleStaff3To6Wan, site.RuleAreaTown},
		{"AreaCentreOf6Wan", site.KindArea, 60000, 500, 8, 9, 500, false, true, site.RuleStaffOver6Wan, site.RuleAreaArea},
		{"Township", site.KindTownship, 12000, 200, 5, 5, 200, true, true, site.RuleStaffUnder3Wan, site.RuleAreaTownship},
		{"TownshipUnder1Wan", site.KindTownship, 8000, 150, 4, 5, 200, false, false, site.RuleStaffUnder3Wan, site.RuleAreaTownship},
		{"VillageRoomHasNoMinimum", site.KindVillage, 3000, 40, 0, 0, 0, true, true, site.RuleStaffVillage, site.RuleAreaVillage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := site.Check(site.Profile{Kind: tt.kind, Population: tt.population, FloorAreaM2: tt.area}, tt.staff)
			if c.WindowStaff.Required != tt.wantStaff || c.WindowStaff.OK != tt.wantStaffOK {
				t.Errorf("window staff: got %+v, want required %d ok %v", c.WindowStaff, tt.wantStaff, tt.wantStaffOK)
			}
			if c.FloorArea.Required != tt.wantArea || c.FloorArea.OK != tt.wantAreaOK {
				t.Errorf("floor area: got %+v, want required %d ok %v", c.FloorArea, tt.wantArea, tt.wantAreaOK)
			}
			if c.WindowStaff.Code != tt.wantStaffRule || c.FloorArea.Code != tt.wantAreaRule {
				t.Errorf("rule codes: got %s, %s, want %s, %s", c.WindowStaff.Code, c.FloorArea.Code, tt.wantStaffRule, tt.wantAreaRule)
			}
			if c.WindowStaff.Params["min"] != tt.wantStaff || c.FloorArea.Params["min"] != tt.wantArea {
				t.Errorf("rule params: got %v, %v", c.WindowStaff.Params, c.FloorArea.Params)
			}
			if c.WindowStaff.Rule == "" || c.FloorArea.Rule == "" {
				t.Error("rule sentence missing")
			}
		})
	}
}

func TestService_Setup(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	accounts := account.NewService(db, clk, nil)
	accounts.Cost = bcrypt.MinCost
	svc := site.NewService(db, accounts, events.NewBus())
	ctx := context.Background()

	if needed, _ := svc.SetupNeeded(ctx); !needed {
		t.Fatal("fresh database: setup not needed")
	}
	bad := []struct {
		name     string
		p        site.Profile
		password string
	}{
		{"ErrNoName", site.Profile{Kind: site.KindTown, Population: 1}, "Admin12345"},
		{"ErrUnknownKind", site.Profile{Name: "x", Kind: "city", Population: 1}, "Admin12345"},
		{"ErrNegativePopulation", site.Profile{Name: "x", Kind: site.KindTown, Population: -1}, "Admin12345"},
		{"ErrWeakPassword", site.Profile{Name: "x", Kind: site.KindTown, Population: 1}, "123"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := svc.Setup(ctx, tt.p, tt.password); apperr.Code(err) != apperr.Invalid {
				t.Fatalf("got %v, want invalid", err)
			}
			if needed, _ := svc.SetupNeeded(ctx); !needed {
				t.Fatal("a refused setup left a site behind")
			}
		})
	}
	p, err := svc.Setup(ctx, site.Profile{Name: " 渠县某镇便民服务中心 ", Kind: site.KindTown, Population: 42000, FloorAreaM2: 320}, "Admin12345")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "渠县某镇便民服务中心" {
		t.Errorf("name not trimmed: %q", p.Name)
	}
	if _, err := svc.Setup(ctx, p, "Admin12345"); apperr.Code(err) != apperr.Conflict {
		t.Errorf("second setup: got %v, want conflict", err)
	}
	sess, err := accounts.Login(ctx, "admin", "Admin12345", "")
	if err != nil {
		t.Fatalf("admin login after setup: %v", err)
	}
	admin := account.Principal{Staff: sess.Staff}
	c, err := svc.Compliance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.WindowStaff.Required != 7 || c.WindowStaff.Actual != 0 || !c.FloorArea.OK {
		t.Errorf("compliance: got %+v", c)
	}
	p.Population = 61000
	if _, err := svc.Update(ctx, admin, p); err != nil {
		t.Fatal(err)
	}
	c, _ = svc.Compliance(ctx)
	if c.WindowStaff.Required != 9 {
		t.Errorf("after update: required %d, want 9", c.WindowStaff.Required)
	}
	clerk := account.Principal{Staff: account.Staff{Role: account.RoleClerk}}
	if _, err := svc.Update(ctx, clerk, p); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("clerk update: got %v, want forbidden", err)
	}
}
