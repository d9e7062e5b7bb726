package hall

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/core"
	"budayang/backend/store"
)

// Door is what the window and the LAN listener call: the normal Server, or
// the Recovery one while the database cannot be opened.
type Door interface {
	http.Handler
	Invoke(ctx context.Context, method, path, body, token, workstation string) (int, string)
}

// Switch is a Door whose target can be replaced while requests are served:
// after a restore it moves from Recovery to the reopened site.
type Switch struct {
	cur atomic.Pointer[Door]
}

// NewSwitch returns a Switch serving d.
func NewSwitch(d Door) *Switch {
	s := &Switch{}
	s.Set(d)
	return s
}

// Set makes d the door served from now on.
func (s *Switch) Set(d Door) { s.cur.Store(&d) }

// ServeHTTP implements http.Handler.
func (s *Switch) ServeHTTP(w http.ResponseWriter, r *http.Request) { (*s.cur.Load()).ServeHTTP(w, r) }

// Invoke implements Door.
func (s *Switch) Invoke(ctx context.Context, method, path, body, token, ws string) (int, string) {
	return (*s.cur.Load()).Invoke(ctx, method, path, body, token, ws)
}

// Recovery serves a site whose database is damaged: the status says so and
// names the backups, and one call restores a chosen backup. No login is
// possible without a database, so whoever sits at the host — or gives the
// setup code its console shows — may restore; the damaged file is kept
// aside, never deleted.
type Recovery struct {
	dataDir  string
	cause    error
	log      *slog.Logger
	mux      *http.ServeMux
	restored func(ctx context.Context, from string) error
	code     *SetupCode
	mu       sync.Mutex
}

// SetSetupCode lets callers other than the host restore with code.
func (rc *Recovery) SetSetupCode(code *SetupCode) { rc.code = code }

// NewRecovery returns the recovery door for dataDir. restored is called after
// a successful restore, with the backup's path, to reopen the site (and
// usually Set the Switch). Only the host, or a caller with the setup code,
// may restore.
func NewRecovery(dataDir string, cause error, ui fs.FS, log *slog.Logger, restored func(ctx context.Context, from string) error) *Recovery {
	rc := &Recovery{dataDir: dataDir, cause: cause, log: log, mux: http.NewServeMux(), restored: restored}
	rc.mux.HandleFunc("GET /api/v1/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "recovery", "version": core.Version})
	})
	rc.mux.HandleFunc("GET /api/v1/status", rc.status)
	rc.mux.HandleFunc("POST /api/v1/recovery/restore", rc.restore)
	// No events while damaged: 503 makes an EventSource give up and the page
	// reopen it later, against the restored site.
	rc.mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, log, apperr.Errorf(apperr.Unavailable, "数据库已损坏，暂无事件推送。"))
	})
	rc.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, log, apperr.Errorf(apperr.Conflict, "数据库已损坏，请先从备份恢复。"))
	})
	if ui != nil {
		rc.mux.Handle("/", spa(ui))
	}
	return rc
}

// ServeHTTP implements http.Handler.
func (rc *Recovery) ServeHTTP(w http.ResponseWriter, r *http.Request) { rc.mux.ServeHTTP(w, r) }

// Invoke implements Door.
func (rc *Recovery) Invoke(ctx context.Context, method, path, body, token, ws string) (int, string) {
	return invoke(ctx, rc, method, path, body, token, ws)
}

type recoveryBackup struct {
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
}

func (rc *Recovery) backups() []recoveryBackup {
	list, _ := store.ListBackups(core.BackupDir(rc.dataDir))
	out := make([]recoveryBackup, 0, len(list))
	for _, b := range list {
		out = append(out, recoveryBackup{b.Name, b.Size, b.CreatedAt})
	}
	return out
}

func (rc *Recovery) status(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"version": core.Version, "site_name": "", "setup_needed": false,
		"county": map[string]any{"state": "unconfigured", "last_sync": nil},
		"recovery": map[string]any{
			"error":   "数据库文件已损坏，无法打开。可以从下列备份中选择一份恢复；损坏的文件会保留在数据目录中。",
			"detail":  rc.cause.Error(),
			"backups": rc.backups(),
		},
	})
}

func (rc *Recovery) restore(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Backup    string `json:"backup"`
		SetupCode string `json:"setup_code"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, rc.log, err)
		return
	}
	if !hostOrCode(w, r, rc.code, in.SetupCode) {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var found bool
	for _, b := range rc.backups() {
		found = found || b.Name == in.Backup
	}
	if !found {
		writeError(w, rc.log, apperr.Errorf(apperr.NotFound, "找不到备份“%s”。", in.Backup))
		return
	}
	from := filepath.Join(core.BackupDir(rc.dataDir), in.Backup)
	kept, err := store.Restore(r.Context(), rc.dataDir, from, time.Now())
	if err != nil {
		writeError(w, rc.log, err)
		return
	}
	rc.log.Warn("database restored from backup", "backup", in.Backup, "kept", kept)
	if err := rc.restored(r.Context(), from); err != nil {
		writeError(w, rc.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"restored": in.Backup, "kept": kept})
}
