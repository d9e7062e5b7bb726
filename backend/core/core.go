// Package core wires one site's store and services together. The doors — the
// Wails window in app/ and the HTTP server in hall/ — are handed a *Core and
// call its services; nothing here knows about either door.
package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/backup"
	"budayang/backend/booking"
	"budayang/backend/calendar"
	"budayang/backend/calllog"
	"budayang/backend/cases"
	"budayang/backend/catalog"
	"budayang/backend/clock"
	"budayang/backend/countysync"
	"budayang/backend/device"
	"budayang/backend/events"
	"budayang/backend/proxy"
	"budayang/backend/queue"
	"budayang/backend/rating"
	"budayang/backend/report"
	"budayang/backend/roster"
	"budayang/backend/schedule"
	"budayang/backend/secret"
	"budayang/backend/site"
	"budayang/backend/store"
	"budayang/backend/whereabouts"
)

// Version is the build's version and Commit the commit it was built from,
// both set with -ldflags by the Makefile (Version from wails.json's
// info.productVersion).
var (
	Version = "0.1.0-dev"
	Commit  = "unknown"
)

// Options configure Open.
type Options struct {
	DataDir string
	Clock   clock.Clock
	Logger  *slog.Logger
	// PasswordCost overrides the bcrypt cost (tests lower it).
	PasswordCost int
	// Bus, when set, is the event bus to publish on: one that outlives this
	// Core, so a window keeps its subscription across a restore.
	Bus *events.Bus
	// RestoredFrom names the backup the database was just restored from:
	// the audit log is rewound to it on purpose (see audit.Options).
	RestoredFrom string
}

// Core is one open site.
type Core struct {
	DataDir  string
	Clock    clock.Clock
	Log      *slog.Logger
	DB       *store.DB
	Bus      *events.Bus
	Accounts *account.Service
	Site     *site.Service
	Audit    *audit.Log
	Backups  *backup.Service
	Jobs     *schedule.Registry
	Queue    *queue.Service
	Calendar *calendar.Service
	Ratings  *rating.Service
	Bookings *booking.Service
	Catalog  *catalog.Service
	Cases    *cases.Service
	Devices  *device.Service
	Roster   *roster.Service
	// CallLog and Whereabouts are the duty desk: calls taken and staff away
	// from their windows.
	CallLog     *calllog.Service
	Whereabouts *whereabouts.Service
	Reports     *report.Service
	Proxy       *proxy.Service
	// Sync pushes the outbox to the county once the site is enrolled.
	Sync *countysync.Syncer
	// Sealer seals citizens' fields with the data directory's key (the
	// data seeder writes rows as the services would).
	Sealer *secret.Sealer

	stopSync context.CancelFunc
	syncDone chan struct{}
}

// BackupDir is where a data directory keeps its backups.
func BackupDir(dataDir string) string { return filepath.Join(dataDir, store.BackupDirName) }

// CheckDataDir makes sure dir exists and can be written, with a sentence a
// person can act on when it cannot.
func CheckDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return apperr.Errorf(apperr.Invalid, "无法创建数据目录 %s：%v", dir, err)
	}
	probe, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "数据目录 %s 不可写：%v", dir, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// CorruptError says the database cannot be opened and names the newest
// backup to restore from, if any.
type CorruptError struct {
	Err          error
	LatestBackup string
}

func (e *CorruptError) Error() string {
	if e.LatestBackup == "" {
		return fmt.Sprintf("数据库文件已损坏，且没有可用的备份：%v", e.Err)
	}
	return fmt.Sprintf("数据库文件已损坏，可从最新备份 %s 恢复：%v", e.LatestBackup, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Open opens the site in opts.DataDir, creating an empty database on first
// use. A corrupt database returns *CorruptError.
func Open(ctx context.Context, opts Options) (*Core, error) {
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if err := CheckDataDir(opts.DataDir); err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, filepath.Join(opts.DataDir, store.FileName), opts.Clock)
	if errors.Is(err, store.ErrCorrupt) {
		ce := &CorruptError{Err: err}
		if list, _ := store.ListBackups(BackupDir(opts.DataDir)); len(list) > 0 {
			ce.LatestBackup = list[0].Path
		}
		return nil, ce
	}
	if err != nil {
		return nil, store.UserError(err)
	}
	if opts.Bus == nil {
		opts.Bus = events.NewBus()
	}
	// Citizens' names, ID numbers and phones are sealed, and audit entries signed, with
	// keys kept beside, not inside, the database file; the audit log opens
	// before any service can write.
	sealer, err := secret.New(secret.DefaultStore(opts.DataDir))
	if err != nil {
		db.Close()
		return nil, err
	}
	auditLog, err := audit.Open(ctx, db, sealer.AuditKey(), audit.Options{RestoredFrom: opts.RestoredFrom, Logger: opts.Logger})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open audit log: %w", err)
	}
	c := &Core{DataDir: opts.DataDir, Clock: opts.Clock, Log: opts.Logger, DB: db, Bus: opts.Bus, Audit: auditLog, Sealer: sealer}
	c.Accounts = account.NewService(db, opts.Clock, c.Bus)
	if opts.PasswordCost != 0 {
		c.Accounts.Cost = opts.PasswordCost
	}
	c.Site = site.NewService(db, c.Accounts, c.Bus)
	c.Backups = backup.NewService(db, BackupDir(opts.DataDir), c.Bus)
	c.Jobs = schedule.New(db, opts.Clock, c.Bus, opts.Logger)
	c.Queue = queue.NewService(db, opts.Clock, c.Bus, opts.Logger, sealer)
	if c.Calendar, err = calendar.NewService(db, opts.Clock, c.Bus, c.Site); err != nil {
		c.Close()
		return nil, err
	}
	c.Ratings = rating.NewService(db, opts.Clock, c.Bus, c.Queue, c.Calendar, sealer)
	c.Devices = device.NewService(db, opts.Clock, c.Bus, c.Queue)
	c.Bookings = booking.NewService(db, opts.Clock, c.Bus, c.Calendar, c.Queue, c.Accounts, c.Site, sealer)
	c.Calendar.OnClosing(c.Bookings.ClosingDayTx)
	c.Roster = roster.NewService(db, opts.Clock, c.Bus, c.Calendar, c.Site)
	for _, j := range append([]schedule.Job{
		{Name: "backup", Description: fmt.Sprintf("每晚备份数据库，保留最近%d份", store.KeepBackups), Params: map[string]int{"keep": store.KeepBackups}, Spec: backup.NightlySpec, Run: c.Backups.Nightly},
		{Name: "end-of-day", Description: "每晚关闭当天叫号，未办理的号票标记为未办理", Spec: queue.EndOfDaySpec, Run: c.Queue.EndOfDay},
		{Name: "audit-verify", Description: "每晚完整校验审计日志链", Spec: audit.NightlySpec, Run: c.Audit.VerifyNightly},
	}, c.Bookings.Jobs()...) {
		if err := c.Jobs.Add(j); err != nil {
			c.Close()
			return nil, err
		}
	}
	// Item catalog and window cases: the catalog seeds itself on first
	// open.
	if c.Catalog, err = catalog.NewService(ctx, db, c.Bus, c.Site); err != nil {
		c.Close()
		return nil, err
	}
	if c.Cases, err = cases.NewService(ctx, db, opts.Clock, c.Bus, c.Calendar, c.Catalog, c.Queue, c.Site, sealer); err != nil {
		c.Close()
		return nil, err
	}
	// A year's holiday arrangement stored (imported or pulled) recomputes,
	// in its own transaction, the deadlines and bookings counted without it.
	c.Calendar.OnArrangement(func(ctx context.Context, tx *store.Tx, year int) error {
		if err := c.Cases.ArrangementTx(ctx, tx, year); err != nil {
			return err
		}
		return c.Bookings.ArrangementTx(ctx, tx, year)
	})
	c.CallLog = calllog.NewService(db, opts.Clock, c.Bus, c.Site, sealer, c.Bookings, c.Cases, c.Catalog)
	c.Whereabouts = whereabouts.NewService(db, opts.Clock, c.Bus, c.Site, c.Queue, c.Accounts)
	if err := c.Jobs.Add(schedule.Job{Name: "whereabouts-expire", Description: "每分钟结束已过返回时间30分钟的去向留言", Spec: whereabouts.ExpireSpec, Run: c.Whereabouts.Expire}); err != nil {
		c.Close()
		return nil, err
	}
	c.Reports = report.NewService(db, opts.Clock, c.Site, c.Calendar, c.Roster, c.Catalog)
	c.Proxy = proxy.NewService(db, opts.Clock, c.Bus, c.Calendar, c.Catalog, c.Site, sealer, c.Cases, c.Accounts)
	c.Reports.UseVillages(func(ctx context.Context) ([]report.VillageAssistants, error) {
		cover, err := c.Proxy.Coverage(ctx)
		out := make([]report.VillageAssistants, len(cover))
		for i, v := range cover {
			out[i] = report.VillageAssistants{Village: v.Village, Assistants: v.Assistants}
		}
		return out, err
	})
	if err := c.sealPlain(ctx); err != nil {
		c.Close()
		return nil, err
	}
	c.Sync = countysync.New(db, opts.DataDir, opts.Clock, opts.Logger)
	c.Sync.UseDatasets(countysync.Datasets{Calendar: c.Calendar, Catalog: c.Catalog, Sites: c.Site, Pub: c.Bus})
	c.Sync.Events = c.Bus
	c.Sync.UseRelay(c.Proxy)
	if err := c.Jobs.Add(schedule.Job{Name: "county-sync", Description: "每分钟把待上报的记录推送到县平台", Spec: countysync.JobSpec, Run: c.Sync.Job}); err != nil {
		c.Close()
		return nil, err
	}
	for _, j := range append(c.Roster.Jobs(), c.Proxy.Jobs()...) {
		if err := c.Jobs.Add(j); err != nil {
			c.Close()
			return nil, err
		}
	}
	if err := c.Jobs.Add(schedule.Job{Name: "case-due", Description: "每天8:30和14:30提醒超期和一天内到期的办件", Spec: cases.DueSpec, Run: c.Cases.RemindDue}); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// DefaultWindows is how many windows a new site starts with.
const DefaultWindows = 3

// Setup is first-run setup: the site, its administrator, line A and windows
// 1 to windows, in one transaction.
func (c *Core) Setup(ctx context.Context, p site.Profile, adminPassword string, windows int) (site.Profile, error) {
	if windows == 0 {
		windows = DefaultWindows
	}
	return c.Site.Setup(ctx, p, adminPassword, func(ctx context.Context, tx *store.Tx) error {
		return c.Queue.SeedTx(ctx, tx, windows)
	})
}

// Run starts the scheduled jobs and the county sync loop; they stop when
// Close is called.
func (c *Core) Run(ctx context.Context) {
	c.Jobs.Start(ctx)
	ctx, c.stopSync = context.WithCancel(ctx)
	c.syncDone = make(chan struct{})
	go func() { defer close(c.syncDone); c.Sync.Run(ctx) }()
}

// Close stops the jobs, writes what the audit log holds pending and closes
// the database.
func (c *Core) Close() error {
	if c.stopSync != nil {
		c.stopSync()
		<-c.syncDone
	}
	c.Jobs.Stop()
	return errors.Join(c.Audit.Close(context.Background()), c.DB.Close())
}
