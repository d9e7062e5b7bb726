package cases

import "context"

// Numbers returns the case numbers of the given case ids, by id; unknown
// ids are left out. A number names no citizen.
func (s *Service) Numbers(ctx context.Context, ids []string) (map[string]string, error) {
	return s.db.Lookup(ctx, `SELECT id, number FROM case_file WHERE id IN (%s)`, ids)
}
