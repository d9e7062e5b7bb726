package proxy_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/proxy"
)

func (f fixture) village(t *testing.T, name, room string) proxy.Village {
	t.Helper()
	v, err := f.svc.AddVillage(context.Background(), f.site.Admin, proxy.Village{Name: name, Room: room})
	if err != nil {
		t.Fatalf("add village: %v", err)
	}
	return v
}

func TestCards_VillagesAndPublicCards(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	shiqiao := f.village(t, "石桥村", "石桥村便民服务室")
	heping := f.village(t, "和平村", "石桥村便民服务室")
	town := f.village(t, "新街社区", "新街社区便民服务室")
	ids := []string{shiqiao.ID, heping.ID}
	if _, err := f.svc.SetCard(ctx, f.site.Admin, f.assistant.ID, proxy.CardInput{WorkPhone: "0818-7654321", VillageIDs: &ids}); err != nil {
		t.Fatalf("admin sets card: %v", err)
	}
	card, err := f.svc.SetCard(ctx, f.assistant, f.assistant.ID, proxy.CardInput{WorkPhone: "0818-7654321", WeChat: "shiqiao-zhao", Hours: "工作日 8:30-17:30"})
	if err != nil {
		t.Fatalf("assistant sets own card: %v", err)
	}
	if card.Room != "石桥村便民服务室" || strings.Join(card.Villages, "、") != "和平村、石桥村" || card.WorkPhone != "08187654321" {
		t.Errorf("got %+v, want the room, both villages, the phone normalised", card)
	}
	t.Run("Refusals", func(t *testing.T) {
		two := []string{shiqiao.ID, town.ID}
		unknown := []string{"nope"}
		none := []string{}
		tests := []struct {
			name string
			by   account.Principal
			id   string
			in   proxy.CardInput
			code string
			says string
		}{
			{"AssistantChangesVillages", f.assistant, f.assistant.ID, proxy.CardInput{VillageIDs: &ids}, apperr.Forbidden, "只有管理员可以调整"},
			{"AnotherAssistantsCard", f.other, f.assistant.ID, proxy.CardInput{}, apperr.Forbidden, "代办员本人"},
			{"ClerkCard", f.site.Admin, f.clerk.ID, proxy.CardInput{}, apperr.Invalid, "不是在岗的代办员"},
			{"TwoRooms", f.site.Admin, f.other.ID, proxy.CardInput{VillageIDs: &two}, apperr.Invalid, "只属于一个便民服务室"},
			{"UnknownVillage", f.site.Admin, f.other.ID, proxy.CardInput{VillageIDs: &unknown}, apperr.Invalid, "找不到所选的村"},
			{"NoVillage", f.site.Admin, f.other.ID, proxy.CardInput{VillageIDs: &none}, apperr.Invalid, "至少选择一个"},
			{"BadPhone", f.site.Admin, f.other.ID, proxy.CardInput{WorkPhone: "12345"}, apperr.Invalid, "手机号"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := f.snapshot(t)
				_, err := f.svc.SetCard(ctx, tt.by, tt.id, tt.in)
				if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.says) {
					t.Errorf("got %v (%s), want %s saying %q", err, apperr.Code(err), tt.code, tt.says)
				}
				if after := f.snapshot(t); after != before {
					t.Errorf("database changed: %s → %s", before, after)
				}
			})
		}
		if _, err := f.svc.AddVillage(ctx, f.site.Admin, proxy.Village{Name: "石桥村", Room: "别处"}); apperr.Code(err) != apperr.Conflict {
			t.Errorf("same village twice: got %v, want conflict", err)
		}
		if _, err := f.svc.AddVillage(ctx, f.assistant, proxy.Village{Name: "新村", Room: "别处"}); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("assistant adds a village: got %v, want forbidden", err)
		}
	})
	t.Run("OpenInACoveredVillage", func(t *testing.T) {
		req := elderly()
		req.VillageID = heping.ID
		c := f.open(t, req)
		if c.VillageName != "和平村" {
			t.Errorf("got village %q, want 和平村", c.VillageName)
		}
		req.ItemCode, req.VillageID = "MZ-004", town.ID
		if _, err := f.svc.Open(ctx, f.assistant, req); apperr.Code(err) != apperr.Invalid {
			t.Errorf("village not covered: got %v, want invalid", err)
		}
	})
	t.Run("PublicCardsCarryNoIdentifier", func(t *testing.T) {
		list, err := f.svc.PublicCards(ctx)
		if err != nil || len(list) != 1 {
			t.Fatalf("got %v %v, want one card", list, err)
		}
		b, _ := json.Marshal(list)
		if strings.Contains(string(b), f.assistant.ID) || strings.Contains(string(b), `"id"`) || strings.Contains(string(b), `"login"`) {
			t.Errorf("public cards carry an identifier: %s", b)
		}
		if list[0].Name != "赵代办" || list[0].WeChat != "shiqiao-zhao" {
			t.Errorf("got %+v", list[0])
		}
	})
	t.Run("PrintedCardsReadBack", func(t *testing.T) {
		pdf, err := f.svc.CardsPDF(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(pdf), "%PDF") {
			t.Fatalf("not a PDF")
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext not installed")
		}
		file := filepath.Join(t.TempDir(), "cards.pdf")
		if err := os.WriteFile(file, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"代办员联系卡", "赵代办", "08187654321", "石桥村便民服务室", "shiqiao-zhao", "工作日 8:30-17:30"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("printed cards lack %q:\n%s", want, out)
			}
		}
	})
}
