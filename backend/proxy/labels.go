package proxy

import "context"

// Labels names the audit log's targets of this package, by id: a proxy
// case by its number, a village by its name, a handover batch by its
// number, a home visit by its day and village; unknown ids are left out.
// None names a villager.
func (s *Service) Labels(ctx context.Context, ids []string) (map[string]string, error) {
	out, err := s.db.Lookup(ctx, `SELECT id, number FROM proxy_case WHERE id IN (%s)`, ids)
	if err != nil {
		return nil, err
	}
	for _, q := range []string{
		`SELECT id, name FROM village WHERE id IN (%s)`,
		`SELECT id, number FROM proxy_handover WHERE id IN (%s)`,
		`SELECT id, day || ' ' || village_name FROM home_visit WHERE id IN (%s)`,
	} {
		more, err := s.db.Lookup(ctx, q, ids)
		if err != nil {
			return nil, err
		}
		for id, name := range more {
			out[id] = name
		}
	}
	return out, nil
}
