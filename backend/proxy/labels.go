package proxy

import "context"

// Labels names the audit log's targets of this package, by id: a proxy
// case by its number, a village by its name; unknown ids are left out.
// Neither names a villager.
func (s *Service) Labels(ctx context.Context, ids []string) (map[string]string, error) {
	out, err := s.db.Lookup(ctx, `SELECT id, number FROM proxy_case WHERE id IN (%s)`, ids)
	if err != nil {
		return nil, err
	}
	villages, err := s.db.Lookup(ctx, `SELECT id, name FROM village WHERE id IN (%s)`, ids)
	if err != nil {
		return nil, err
	}
	for id, name := range villages {
		out[id] = name
	}
	return out, nil
}
