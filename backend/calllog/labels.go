package calllog

import (
	"context"
	"strings"

	"budayang/backend/clock"
	"budayang/backend/store"
)

// Labels names the given calls by id for the audit page as "time category",
// e.g. "2026-11-25 19:00 政策咨询", never by the caller; unknown ids are left
// out.
func (s *Service) Labels(ctx context.Context, ids []string) (map[string]string, error) {
	rows, err := s.db.Lookup(ctx, `SELECT id, at || ' ' || category FROM call_log WHERE id IN (%s)`, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for id, v := range rows {
		at, category, ok := strings.Cut(v, " ")
		t, err := store.ParseTime(at)
		if !ok || err != nil {
			continue
		}
		out[id] = t.In(clock.Shanghai).Format("2006-01-02 15:04") + " " + CategoryName(category)
	}
	return out, nil
}
