package rank_test

import (
	"fmt"
	"testing"

	"budayang/backend/rank"
)

// The same figures order the same way wherever they are ranked: ties share a
// rank and a medal, a person with no ratings or cases is scored on volume.
func TestOrder_TiesVolumeAloneAndTheMinimum(t *testing.T) {
	people := []rank.Input{
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
	got := rank.Order(people)
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
		rev := make([]rank.Input, len(people))
		for i, p := range people {
			rev[len(people)-1-i] = p
		}
		if fmt.Sprint(rank.Order(rev)) != fmt.Sprint(got) {
			t.Errorf("reversed input ranked differently")
		}
	})
}

// TestOrder_Formula checks the score by hand: with the busiest qualified
// person at 40, a person of 40 with 9 good of 10 rated and 4 of 5 cases on
// time scores round(1000 × (500·0.9 + 300·0.8 + 200·1) / 1000) = 890; one
// complaint takes 50 off. Equal scores share a rank and a medal, the next
// rank skips, and a person under MinVolume is listed after, unranked.
func TestOrder_Formula(t *testing.T) {
	in := []rank.Input{
		{Key: "s1/a", Name: "甲", Volume: 40, Rated: 10, Good: 9, Closed: 5, OnTime: 4},
		{Key: "s2/b", Name: "乙", Volume: 40, Rated: 10, Good: 9, Closed: 5, OnTime: 4},
		{Key: "s1/c", Name: "丙", Volume: 40, Rated: 10, Good: 9, Closed: 5, OnTime: 4, Complaints: 1},
		{Key: "s3/d", Name: "丁", Volume: 20},
		{Key: "s3/e", Name: "戊", Volume: 19, Rated: 10, Good: 10},
	}
	out := rank.Order(in)
	for i, want := range []struct {
		key         string
		score, rank int
		tie         bool
		medal       string
		qualified   bool
	}{
		{"s2/b", 890, 1, true, rank.Gold, true}, // 乙 before 甲 by name's bytes
		{"s1/a", 890, 1, true, rank.Gold, true},
		{"s1/c", 840, 3, false, rank.Bronze, true},
		{"s3/d", 500, 4, false, "", true}, // volume alone: 200 × 0.5 / 200
		{"s3/e", 0, 0, false, "", false},
	} {
		got := out[i]
		if got.Key != want.key || got.Score != want.score || got.Rank != want.rank || got.Tie != want.tie || got.Medal != want.medal || got.Qualified != want.qualified {
			t.Errorf("place %d: got %+v, want %+v", i, got, want)
		}
	}
}
