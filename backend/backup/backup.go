// Package backup makes, lists and audits the site's database backups; the
// nightly job keeps the last store.KeepBackups.
package backup

import (
	"context"
	"fmt"
	"time"

	"budayang/backend/audit"
	"budayang/backend/events"
	"budayang/backend/store"
)

// NightlySpec is when the nightly backup runs (Asia/Shanghai).
const NightlySpec = "30 2 * * *"

// Service makes backups of one database into one directory.
type Service struct {
	db  *store.DB
	dir string
	pub events.Publisher
}

// NewService returns the backup service writing into dir.
func NewService(db *store.DB, dir string, pub events.Publisher) *Service {
	return &Service{db: db, dir: dir, pub: pub}
}

// Dir is where backups go.
func (s *Service) Dir() string { return s.dir }

// Create makes a backup now and records who asked for it.
func (s *Service) Create(ctx context.Context, who audit.Actor) (store.Backup, error) {
	b, err := s.db.Backup(ctx, s.dir)
	if err != nil {
		return store.Backup{}, fmt.Errorf("backup by %s: %w", who.Login, err)
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, who, "backup.create", b.Name, fmt.Sprintf("%d bytes", b.Size))
	})
	if err != nil {
		return store.Backup{}, err
	}
	if s.pub != nil {
		s.pub.Publish(events.Event{Type: events.BackupCreated, Data: b})
	}
	return b, nil
}

// List returns the kept backups, newest first.
func (s *Service) List() ([]store.Backup, error) {
	out, err := store.ListBackups(s.dir)
	if out == nil && err == nil {
		out = []store.Backup{}
	}
	return out, err
}

// Nightly is the scheduled job's body.
func (s *Service) Nightly(ctx context.Context, _ time.Time) error {
	_, err := s.Create(ctx, audit.System)
	return err
}
