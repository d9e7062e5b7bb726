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

func TestCheck_Terminals(t *testing.T) {
	tests := []struct {
		name      string
		kind      string
		sub       bool
		terminals int
		want      int
		wantOK    bool
		wantRule  string
	}{
		{"AreaCentreNeeds3", site.KindArea, false, 2, 3, false, site.RuleTermArea},
		{"AreaCentreWith3", site.KindArea, false, 3, 3, true, site.RuleTermArea},
		{"SubCentreNeeds2", site.KindTown, true, 1, 2, false, site.RuleTermSubCentre},
		{"SubCentreTownshipWith2", site.KindTownship, true, 2, 2, true, site.RuleTermSubCentre},
		{"OtherTownNeeds1", site.KindStreet, false, 0, 1, false, site.RuleTermTown},
		{"OtherTownWith1", site.KindTown, false, 1, 1, true, site.RuleTermTown},
		{"VillageRoomHasNoMinimum", site.KindVillage, false, 0, 0, true, site.RuleTermVillage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := site.Check(site.Profile{Kind: tt.kind, SubCentre: tt.sub, Terminals: tt.terminals}, 0)
			got := c.Terminals
			if got.Required != tt.want || got.Actual != tt.terminals || got.OK != tt.wantOK || got.Code != tt.wantRule {
				t.Errorf("got %+v, want required %d ok %v rule %s", got, tt.want, tt.wantOK, tt.wantRule)
			}
			if got.Params["min"] != tt.want || got.Rule == "" {
				t.Errorf("params %v, sentence %q", got.Params, got.Rule)
			}
		})
	}
}

func TestService_UpdateTerminals(t *testing.T) {
	db, clk := storetest.MustOpen(t)
	accounts := account.NewService(db, clk, nil)
	accounts.Cost = bcrypt.MinCost
	svc := site.NewService(db, accounts, events.NewBus())
	ctx := context.Background()
	p, err := svc.Setup(ctx, site.Profile{Name: "某镇便民服务中心", Kind: site.KindTown, Population: 20000}, "Admin12345")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := accounts.Login(ctx, "admin", "Admin12345", "")
	if err != nil {
		t.Fatal(err)
	}
	admin := account.Principal{Staff: sess.Staff}

	t.Run("Saved", func(t *testing.T) {
		p.Terminals, p.SubCentre = 2, true
		if _, err := svc.Update(ctx, admin, p); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Terminals != 2 || !got.SubCentre {
			t.Errorf("got terminals %d sub-centre %v, want 2 true", got.Terminals, got.SubCentre)
		}
		c, _ := svc.Compliance(ctx)
		if c.Terminals.Required != 2 || !c.Terminals.OK {
			t.Errorf("compliance: got %+v", c.Terminals)
		}
	})
	bad := []struct {
		name string
		edit func(p *site.Profile)
	}{
		{"ErrNegative", func(p *site.Profile) { p.Terminals = -1 }},
		{"ErrTooMany", func(p *site.Profile) { p.Terminals = 1001 }},
		{"ErrAreaCentreAsSubCentre", func(p *site.Profile) { p.Kind, p.SubCentre = site.KindArea, true }},
		{"ErrVillageAsSubCentre", func(p *site.Profile) { p.Kind, p.SubCentre = site.KindVillage, true }},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			q := p
			tt.edit(&q)
			if _, err := svc.Update(ctx, admin, q); apperr.Code(err) != apperr.Invalid {
				t.Fatalf("got %v, want invalid", err)
			}
		})
	}
}
