package cases_test

import (
	"context"
	"testing"

	"budayang/backend/cases"
	"budayang/backend/store"
)

func TestList_FindsByWholeName(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	zhang := f.open(t, lowBao())
	li := lowBao()
	li.Name, li.IDNumber = "李四", idLi
	f.open(t, li)
	find := func(name string) []cases.Case {
		t.Helper()
		list, err := f.c.Cases.List(ctx, f.clerk, cases.Filter{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	for _, tt := range []struct {
		name, query string
		want        int
	}{
		{"Exact", "张小三", 1},
		{"SpacesIgnored", " 张 小三 ", 1},
		{"PartOfANameIsNotAName", "张", 0},
		{"Nobody", "王五", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := find(tt.query); len(got) != tt.want || (tt.want == 1 && got[0].ID != zhang.ID) {
				t.Errorf("found %d cases, want %d", len(got), tt.want)
			}
		})
	}
	t.Run("AfterCorrection", func(t *testing.T) {
		if _, err := f.c.Cases.UpdateCitizen(ctx, f.clerk, zhang.ID, cases.CitizenUpdate{Name: "张晓三", IDNumber: idZhang, Phone: "13812345678"}); err != nil {
			t.Fatal(err)
		}
		if len(find("张小三")) != 0 || len(find("张晓三")) != 1 {
			t.Error("the corrected name is not the one found")
		}
	})
	t.Run("CasesWrittenBeforeTheIndexAreIndexedAtStart", func(t *testing.T) {
		if err := f.c.DB.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE case_file SET name_index = ''`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(find("李四")) != 0 {
			t.Fatal("found without an index")
		}
		svc, err := cases.NewService(ctx, f.c.DB, f.clk, nil, f.c.Calendar, f.c.Catalog, f.c.Queue, f.c.Site, f.c.Sealer)
		if err != nil {
			t.Fatal(err)
		}
		if list, err := svc.List(ctx, f.clerk, cases.Filter{Name: "李四"}); err != nil || len(list) != 1 {
			t.Errorf("after start: %d cases, %v", len(list), err)
		}
	})
}

func TestList_EachCaseWithItsOwnMaterials(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	all := lowBao()
	none := lowBao()
	none.Name, none.IDNumber, none.Received = "李四", idLi, nil
	f.open(t, all)
	f.open(t, none)
	list, err := f.c.Cases.List(ctx, f.clerk, cases.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	received := map[string]int{}
	for _, c := range list {
		if len(c.Materials) != 6 {
			t.Errorf("%s: %d materials, want 6", c.Number, len(c.Materials))
		}
		for i, m := range c.Materials {
			if m.Index != i {
				t.Errorf("%s: material %d listed at %d", c.Number, m.Index, i)
			}
			if m.Received {
				received[c.Number]++
			}
		}
	}
	if len(list) != 2 || received[list[0].Number]+received[list[1].Number] != 5 {
		t.Errorf("got %d cases with %v received, want one with 5 and one with none", len(list), received)
	}
}
