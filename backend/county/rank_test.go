package county_test

import (
	"testing"

	"budayang/backend/county"
)

// TestRank_Formula checks the score by hand: with the busiest qualified
// person at 40, a person of 40 with 9 good of 10 rated and 4 of 5 cases on
// time scores round(1000 × (500·0.9 + 300·0.8 + 200·1) / 1000) = 890; one
// complaint takes 50 off. Equal scores share a rank and a medal, the next
// rank skips, and a person under MinVolume is listed after, unranked.
func TestRank_Formula(t *testing.T) {
	in := []county.RankInput{
		{Key: "s1/a", Name: "甲", Volume: 40, Rated: 10, Good: 9, Closed: 5, OnTime: 4},
		{Key: "s2/b", Name: "乙", Volume: 40, Rated: 10, Good: 9, Closed: 5, OnTime: 4},
		{Key: "s1/c", Name: "丙", Volume: 40, Rated: 10, Good: 9, Closed: 5, OnTime: 4, Complaints: 1},
		{Key: "s3/d", Name: "丁", Volume: 20},
		{Key: "s3/e", Name: "戊", Volume: 19, Rated: 10, Good: 10},
	}
	out := county.Rank(in)
	for i, want := range []struct {
		key         string
		score, rank int
		tie         bool
		medal       string
		qualified   bool
	}{
		{"s2/b", 890, 1, true, county.MedalGold, true}, // 乙 before 甲 by name's bytes
		{"s1/a", 890, 1, true, county.MedalGold, true},
		{"s1/c", 840, 3, false, county.MedalBronze, true},
		{"s3/d", 500, 4, false, "", true}, // volume alone: 200 × 0.5 / 200
		{"s3/e", 0, 0, false, "", false},
	} {
		got := out[i]
		if got.Key != want.key || got.Score != want.score || got.Rank != want.rank || got.Tie != want.tie || got.Medal != want.medal || got.Qualified != want.qualified {
			t.Errorf("place %d: got %+v, want %+v", i, got, want)
		}
	}
}
