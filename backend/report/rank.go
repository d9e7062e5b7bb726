package report

import (
	"budayang/backend/account"
	"budayang/backend/rank"
)

// Ranking groups: window staff are ranked among themselves, assistants
// among themselves.
const (
	RankWindow    = "window"
	RankAssistant = "assistant"
)

// RankInputOf is a period row as the ranking scores it: window staff on
// tickets served and cases closed, assistants on proxy cases.
func RankInputOf(r PeriodRow) rank.Input {
	in := rank.Input{Key: r.Key, Name: r.Name, Rated: r.Ratings, Good: r.Good, Closed: r.CasesClosed, OnTime: r.OnTime, Complaints: r.Bad}
	if r.Role == account.RoleAssistant {
		in.Volume = r.ProxyCases
	} else {
		in.Volume = r.Served + r.CasesClosed
	}
	return in
}
