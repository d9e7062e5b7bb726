package county

import (
	"context"
	"time"
)

// InspectionRows implements Store with SQLite's json_extract.
func (s *SQLiteStore) InspectionRows(ctx context.Context, date time.Time) (InspectionRows, error) {
	return loadInspection(ctx, s.db, sqliteJSON, date)
}

// RankingRows implements Store with SQLite's json_extract.
func (s *SQLiteStore) RankingRows(ctx context.Context, from, to time.Time) (RankingRows, error) {
	return loadRanking(ctx, s.db, sqliteJSON, from, to)
}

// InspectionRows implements Store with PostgreSQL's jsonb operators.
func (s *PostgresStore) InspectionRows(ctx context.Context, date time.Time) (InspectionRows, error) {
	return loadInspection(ctx, s.db, postgresJSON, date)
}

// RankingRows implements Store with PostgreSQL's jsonb operators.
func (s *PostgresStore) RankingRows(ctx context.Context, from, to time.Time) (RankingRows, error) {
	return loadRanking(ctx, s.db, postgresJSON, from, to)
}
