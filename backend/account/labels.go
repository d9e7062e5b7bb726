package account

import "context"

// NamesByLogin returns the names of the staff with the given logins, by
// login; unknown logins are left out.
func (s *Service) NamesByLogin(ctx context.Context, logins []string) (map[string]string, error) {
	return s.db.Lookup(ctx, `SELECT login, name FROM staff WHERE login IN (%s)`, logins)
}
