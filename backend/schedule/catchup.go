package schedule

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"budayang/backend/clock"
	"budayang/backend/store"
)

// lookBack bounds the search for a missed scheduled time: the schedules here
// fire at least monthly, and a machine off longer than that makes up only
// what the last month missed.
const lookBack = 32 * 24 * time.Hour

// CatchUp runs once, in name order, each job whose last run is older than its
// most recent scheduled time up to the clock's now: the 02:30 backup and the
// 21:00 end of day of a desktop switched off at night. A caught-up job runs
// as at that missed time (the end of day closes the day it missed, not
// today), is recorded with the clock's now as its last run, and its status
// says it was caught up. A job never run before is not caught up; CatchUp
// notes when it first saw it and makes up what is missed from then on. It
// returns the names run; a job's own error is recorded, not returned.
func (r *Registry) CatchUp(ctx context.Context) ([]string, error) {
	r.mu.Lock()
	entries := make([]*entry, 0, len(r.jobs))
	for _, e := range r.jobs {
		entries = append(entries, e)
	}
	r.mu.Unlock()
	sort.Slice(entries, func(i, j int) bool { return entries[i].job.Name < entries[j].job.Name })
	var ran []string
	for _, e := range entries {
		now := r.clock.Now()
		since, err := r.lastOrSeen(ctx, e.job.Name, now)
		if err != nil {
			return ran, err
		}
		missed := mostRecent(e.schedule, since, now)
		if missed.IsZero() {
			continue
		}
		_ = r.runAs(ctx, e, missed, now, missed)
		ran = append(ran, e.job.Name)
	}
	return ran, nil
}

// nextSchedule is the part of a cron schedule mostRecent needs.
type nextSchedule interface{ Next(time.Time) time.Time }

// mostRecent returns the latest firing of s after since and not after now,
// or the zero time when s does not fire in that span. Firings earlier than
// lookBack before now are not looked for.
func mostRecent(s nextSchedule, since, now time.Time) time.Time {
	if floor := now.Add(-lookBack); since.Before(floor) {
		since = floor
	}
	var latest time.Time
	for t := s.Next(since.In(clock.Shanghai)); !t.IsZero() && !t.After(now); t = s.Next(t) {
		latest = t
	}
	return latest
}

// lastOrSeen returns when the job last ran or, if it never has, when the
// registry first saw it, noting now as that time on first sight.
func (r *Registry) lastOrSeen(ctx context.Context, name string, now time.Time) (time.Time, error) {
	var last, seen string
	err := r.db.Read().QueryRowContext(ctx, `SELECT last_run, seen_at FROM job_run WHERE name = ?`, name).Scan(&last, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		werr := r.db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO job_run (name, last_run, seen_at) VALUES (?, '', ?) ON CONFLICT(name) DO NOTHING`,
				name, store.FormatTime(now))
			return err
		})
		if werr != nil {
			return time.Time{}, fmt.Errorf("note job %s: %w", name, werr)
		}
		return now, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last run of job %s: %w", name, err)
	}
	for _, s := range []string{last, seen} {
		if s == "" {
			continue
		}
		t, err := store.ParseTime(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("last run of job %s: %w", name, err)
		}
		return t, nil
	}
	return now, nil
}
