// Package schedule is the registry of named robfig/cron jobs (backup now;
// sync, reminders and end of day later). Every job reads the time from the
// registry's clock, and RunDue fires the jobs due in a span of time, so tests
// run them at a chosen moment without waiting.
package schedule

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"budayang/backend/apperr"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/store"
)

// Job is one named scheduled task. Its Name is also the code from which
// the UI words what it does, with Params filling the numbers; Description
// says the same in Chinese.
type Job struct {
	Name        string
	Description string
	Params      map[string]int
	// Spec is a standard five-field cron expression in Asia/Shanghai time.
	Spec string
	Run  func(ctx context.Context, now time.Time) error
}

// Status is what the admin page shows of a job.
type Status struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Params      map[string]int `json:"params"`
	Spec        string         `json:"spec"`
	LastRun     *time.Time     `json:"last_run"`
	LastError   string         `json:"last_error"`
	NextRun     time.Time      `json:"next_run"`
	// CaughtUp says the last run was made on start for a scheduled time
	// the machine was off at; CaughtUpFor is that time.
	CaughtUp    bool       `json:"caught_up"`
	CaughtUpFor *time.Time `json:"caught_up_for"`
}

type entry struct {
	job      Job
	schedule cron.Schedule
	mu       sync.Mutex // one run of a job at a time
}

// Registry holds the jobs and runs them.
type Registry struct {
	db     *store.DB
	clock  clock.Clock
	pub    events.Publisher
	log    *slog.Logger
	mu     sync.Mutex
	jobs   map[string]*entry
	cron   *cron.Cron
	parser cron.Parser
	start  sync.WaitGroup // the catch-up Start runs, waited for by Stop
}

// New returns an empty registry.
func New(db *store.DB, clk clock.Clock, pub events.Publisher, log *slog.Logger) *Registry {
	if log == nil {
		log = slog.Default()
	}
	return &Registry{
		db: db, clock: clk, pub: pub, log: log,
		jobs:   map[string]*entry{},
		parser: cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow),
	}
}

// Add registers a job. It fails on a duplicate name or a bad spec.
func (r *Registry) Add(j Job) error {
	sched, err := r.parser.Parse(j.Spec)
	if err != nil {
		return fmt.Errorf("job %s: spec %q: %w", j.Name, j.Spec, err)
	}
	if sp, ok := sched.(*cron.SpecSchedule); ok {
		sp.Location = clock.Shanghai
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.jobs[j.Name]; dup {
		return fmt.Errorf("job %s: already registered", j.Name)
	}
	r.jobs[j.Name] = &entry{job: j, schedule: sched}
	return nil
}

// Start runs the jobs on their schedules in the background until Stop, and
// first, also in the background, catches up the runs missed while the
// machine was off (see CatchUp).
func (r *Registry) Start(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.start.Add(1)
	go func() {
		defer r.start.Done()
		if ran, err := r.CatchUp(ctx); err != nil {
			r.log.Error("catch up missed jobs", "err", err)
		} else if len(ran) > 0 {
			r.log.Info("caught up jobs missed while off", "jobs", ran)
		}
	}()
	r.cron = cron.New(cron.WithLocation(clock.Shanghai))
	for _, e := range r.jobs {
		e := e
		r.cron.Schedule(e.schedule, cron.FuncJob(func() {
			_ = r.run(ctx, e, r.clock.Now())
		}))
	}
	r.cron.Start()
}

// Stop stops the schedule and waits for running jobs, the catch-up included.
func (r *Registry) Stop() {
	r.mu.Lock()
	c := r.cron
	r.mu.Unlock()
	if c != nil {
		<-c.Stop().Done()
	}
	r.start.Wait()
}

// run runs e as at now and records now as its last run.
func (r *Registry) run(ctx context.Context, e *entry, now time.Time) error {
	return r.runAs(ctx, e, now, now, time.Time{})
}

// runAs runs e as at the time asAt, records ranAt as its last run, and
// caughtUpFor, when not zero, as the missed scheduled time the run made up.
func (r *Registry) runAs(ctx context.Context, e *entry, asAt, ranAt, caughtUpFor time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	err := e.job.Run(ctx, asAt)
	msg := ""
	if err != nil {
		msg = apperr.Message(err)
		r.log.Error("scheduled job failed", "job", e.job.Name, "err", err)
	} else {
		r.log.Debug("scheduled job ran", "job", e.job.Name)
	}
	werr := r.db.Write(ctx, func(tx *store.Tx) error {
		missed := ""
		if !caughtUpFor.IsZero() {
			missed = store.FormatTime(caughtUpFor)
		}
		_, err := tx.ExecContext(ctx,
			`INSERT INTO job_run (name, last_run, last_error, caught_up_for) VALUES (?,?,?,?)
			 ON CONFLICT(name) DO UPDATE SET last_run = excluded.last_run, last_error = excluded.last_error,
			 caught_up_for = excluded.caught_up_for`,
			e.job.Name, store.FormatTime(ranAt), msg, missed)
		return err
	})
	if werr != nil {
		r.log.Error("record job run", "job", e.job.Name, "err", werr)
	}
	if r.pub != nil {
		r.pub.Publish(events.Event{Type: events.JobRan, Data: map[string]string{"name": e.job.Name, "error": msg}})
	}
	return err
}

func (r *Registry) get(name string) (*entry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.jobs[name]
	if !ok {
		return nil, apperr.Errorf(apperr.NotFound, "没有名为“%s”的定时任务。", name)
	}
	return e, nil
}

// RunNow runs the named job at the clock's current time and returns its
// status; the job's own error is recorded in the status, not returned.
func (r *Registry) RunNow(ctx context.Context, name string) (Status, error) {
	e, err := r.get(name)
	if err != nil {
		return Status{}, err
	}
	_ = r.run(ctx, e, r.clock.Now())
	return r.status(ctx, e)
}

// RunDue runs, in time order, every firing of every job that falls after from
// and up to to, each with its own firing time as now. It returns the names
// run, one per firing.
func (r *Registry) RunDue(ctx context.Context, from, to time.Time) ([]string, error) {
	type firing struct {
		at time.Time
		e  *entry
	}
	r.mu.Lock()
	var due []firing
	for _, e := range r.jobs {
		for t := e.schedule.Next(from); !t.After(to) && !t.IsZero(); t = e.schedule.Next(t) {
			due = append(due, firing{t, e})
		}
	}
	r.mu.Unlock()
	sort.SliceStable(due, func(i, j int) bool {
		if due[i].at.Equal(due[j].at) {
			return due[i].e.job.Name < due[j].e.job.Name
		}
		return due[i].at.Before(due[j].at)
	})
	var ran []string
	for _, f := range due {
		_ = r.run(ctx, f.e, f.at)
		ran = append(ran, f.e.job.Name)
	}
	return ran, nil
}

// List returns the status of every job, by name.
func (r *Registry) List(ctx context.Context) ([]Status, error) {
	r.mu.Lock()
	entries := make([]*entry, 0, len(r.jobs))
	for _, e := range r.jobs {
		entries = append(entries, e)
	}
	r.mu.Unlock()
	sort.Slice(entries, func(i, j int) bool { return entries[i].job.Name < entries[j].job.Name })
	out := make([]Status, 0, len(entries))
	for _, e := range entries {
		st, err := r.status(ctx, e)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (r *Registry) status(ctx context.Context, e *entry) (Status, error) {
	st := Status{Name: e.job.Name, Description: e.job.Description, Params: e.job.Params, Spec: e.job.Spec, NextRun: e.schedule.Next(r.clock.Now()).UTC()}
	var last, missed string
	err := r.db.Read().QueryRowContext(ctx, `SELECT last_run, last_error, caught_up_for FROM job_run WHERE name = ?`, e.job.Name).
		Scan(&last, &st.LastError, &missed)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("status of job %s: %w", e.job.Name, err)
	}
	if t, err := store.ParseTime(last); err == nil {
		t = t.UTC()
		st.LastRun = &t
	}
	if t, err := store.ParseTime(missed); missed != "" && err == nil {
		t = t.UTC()
		st.CaughtUp, st.CaughtUpFor = true, &t
	}
	return st, nil
}
