package countysync

import (
	"context"
	"time"
)

// Report is the admin's view of the link: the status and the records the
// county refused.
type Report struct {
	Status
	DeadLetters []Dead `json:"dead_letters"`
}

// Report returns the status and the dead-letter list.
func (s *Syncer) Report(ctx context.Context) (Report, error) {
	st, err := s.Status(ctx)
	if err != nil {
		return Report{}, err
	}
	dead, err := s.DeadList(ctx)
	return Report{Status: st, DeadLetters: dead}, err
}

// SyncNow pushes at once ("立即同步") and reports; a county that cannot be
// reached or refuses is told in the report's last_error, not as an error.
func (s *Syncer) SyncNow(ctx context.Context) (Report, error) {
	_ = s.Push(ctx)
	return s.Report(ctx)
}

// EnrollAndReport enrols the site (see Enroll), pushes what is waiting and
// reports.
func (s *Syncer) EnrollAndReport(ctx context.Context, countyURL, code string) (Report, error) {
	if _, err := s.Enroll(ctx, countyURL, code); err != nil {
		return Report{}, err
	}
	return s.SyncNow(ctx)
}

// County states for GET /api/v1/status.
const (
	StateUnconfigured = "unconfigured"
	StateOnline       = "online"
	StateOffline      = "offline"
)

// State says whether the site is enrolled and the county answered its
// last push, and when a push last succeeded.
func (s *Syncer) State() (string, *time.Time) {
	cfg, _, _, err := s.load()
	if err != nil || cfg == nil {
		return StateUnconfigured, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.online {
		return StateOnline, s.lastSuccess
	}
	return StateOffline, s.lastSuccess
}
