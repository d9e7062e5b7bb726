package report_test

import (
	"context"
	"fmt"
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/report"
)

func TestRank(t *testing.T) {
	people := []report.RankInput{
		// 1000 × (500·0.9 + 300·0.75 + 200·40/40) / 1000 − 50·1 = 825.
		{Key: "d", Name: "丁", Volume: 40, Rated: 10, Good: 9, Closed: 4, OnTime: 3, Complaints: 1},
		// Equal figures, listed by name: a tie for gold.
		{Key: "b", Name: "乙", Volume: 40, Rated: 10, Good: 10, Closed: 4, OnTime: 4},
		{Key: "a", Name: "甲", Volume: 40, Rated: 10, Good: 10, Closed: 4, OnTime: 4},
		// No ratings, no cases: volume alone, 1000 × 200·0.5 / 200 = 500.
		{Key: "c", Name: "丙", Volume: 20},
		// Below the minimum volume: listed, unranked.
		{Key: "e", Name: "戊", Volume: 19, Rated: 19, Good: 19},
	}
	got := report.Rank(people)
	want := []string{
		"乙 1000 rank 1 tie true gold",
		"甲 1000 rank 1 tie true gold",
		"丁 825 rank 3 tie false bronze",
		"丙 500 rank 4 tie false ",
		"戊 0 rank 0 tie false ",
	}
	for i, r := range got {
		line := fmt.Sprintf("%s %d rank %d tie %v %s", r.Name, r.Score, r.Rank, r.Tie, r.Medal)
		if line != want[i] {
			t.Errorf("place %d: got %q, want %q", i, line, want[i])
		}
	}
	t.Run("OrderDoesNotMatter", func(t *testing.T) {
		rev := make([]report.RankInput, len(people))
		for i, p := range people {
			rev[len(people)-1-i] = p
		}
		if fmt.Sprint(report.Rank(rev)) != fmt.Sprint(got) {
			t.Errorf("reversed input ranked differently")
		}
	})
}

func TestService_Ranking(t *testing.T) {
	f := openPeriod(t)
	ctx := context.Background()
	if _, err := f.st.Core.Reports.Ranking(ctx, f.clerk1, week); apperr.Code(err) != apperr.Forbidden {
		t.Fatalf("clerk: got %v, want forbidden", err)
	}
	r, err := f.st.Core.Reports.Ranking(ctx, f.st.Admin, week)
	if err != nil {
		t.Fatal(err)
	}
	// Nobody reaches the minimum volume in the hand-made week: all listed, none ranked.
	if len(r.Window) != 2 || len(r.Assistants) != 1 || r.Assistants[0].Name != "王五" || r.MinVolume != report.MinVolume {
		t.Fatalf("got %+v", r)
	}
	for _, x := range append(r.Window, r.Assistants...) {
		if x.Qualified || x.Rank != 0 || x.Medal != "" {
			t.Errorf("%s: got %+v, want unranked", x.Name, x)
		}
	}
	if r.Window[0].Volume+r.Window[1].Volume != 6 {
		t.Errorf("volumes: got %+v, want 张三 5 (2 served, 3 closed) and 李四 1", r.Window)
	}
}
