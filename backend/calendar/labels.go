package calendar

import "context"

// ExtendedNames returns the names of the given extended-hours windows, by
// id, removed ones included; unknown ids are left out.
func (s *Service) ExtendedNames(ctx context.Context, ids []string) (map[string]string, error) {
	return s.db.Lookup(ctx, `SELECT id, name FROM extended_window WHERE id IN (%s)`, ids)
}
