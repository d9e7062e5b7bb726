package account

// SetCompare replaces the bcrypt compare, so a test can count or hold it.
func (s *Service) SetCompare(f func(hash, password []byte) error) { s.compare = f }
