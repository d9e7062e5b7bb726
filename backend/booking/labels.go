package booking

import (
	"context"
	"strings"

	"budayang/backend/clock"
	"budayang/backend/store"
)

// Labels names the given bookings by id as "date time line", e.g.
// "2026-11-27 09:00 A", never by the citizen; unknown ids are left out.
func (s *Service) Labels(ctx context.Context, ids []string) (map[string]string, error) {
	rows, err := s.db.Lookup(ctx, `SELECT id, slot_start || ' ' || line FROM booking WHERE id IN (%s)`, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for id, v := range rows {
		i := strings.LastIndexByte(v, ' ')
		t, err := store.ParseTime(v[:max(i, 0)])
		if i < 0 || err != nil {
			continue
		}
		out[id] = t.In(clock.Shanghai).Format("2006-01-02 15:04") + " " + v[i+1:]
	}
	return out, nil
}
