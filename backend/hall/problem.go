package hall

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"budayang/backend/apperr"
	"budayang/backend/core"
)

// Problem is the door of a desktop window whose program could not start:
// a window workstation whose hall host presents another certificate, a data
// directory another process holds, a database from a newer version. The
// person started it from the menu and sees no terminal, so the window opens
// anyway and says why (GET /api/v1/status, "problem"); every other call is
// refused with the same sentence. It serves no LAN.
type Problem struct {
	message  string
	log      *slog.Logger
	mux      *http.ServeMux
	quit     func()
	dataDir  string
	rejoined func()
}

// NewProblem returns the door that shows message, the sentence the program
// would have printed on failing, and closes the window through quit (the
// 退出 button, POST /api/v1/problem/quit).
func NewProblem(message string, ui fs.FS, log *slog.Logger, quit func()) *Problem {
	p := &Problem{message: message, log: log, mux: http.NewServeMux(), quit: quit}
	p.mux.HandleFunc("GET /api/v1/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "problem", "version": core.Version})
	})
	p.mux.HandleFunc("GET /api/v1/status", p.status)
	p.mux.HandleFunc("POST /api/v1/problem/quit", p.quitWindow)
	p.mux.HandleFunc("POST /api/v1/problem/rejoin", p.rejoin)
	p.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, log, apperr.Errorf(apperr.Unavailable, "%s", message))
	})
	if ui != nil {
		p.mux.Handle("/", spa(ui))
	}
	return p
}

// AllowRejoin offers 重新加入大厅 on a window workstation whose pinned host
// refuses it or whose pin cannot be used: the pin in dataDir is deleted and
// rejoined is called after the answer, to start the program again at its
// first-run screen, where the person joins the hall anew.
func (p *Problem) AllowRejoin(dataDir string, rejoined func()) {
	p.dataDir, p.rejoined = dataDir, rejoined
}

// ServeHTTP implements http.Handler.
func (p *Problem) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.mux.ServeHTTP(w, r) }

// Invoke implements Door.
func (p *Problem) Invoke(ctx context.Context, method, path, body, token, ws string) (int, string) {
	return invoke(ctx, p, method, path, body, token, ws)
}

func (p *Problem) status(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"version": core.Version, "site_name": "", "setup_needed": false,
		"county":  map[string]any{"state": "unconfigured", "last_sync": nil},
		"problem": map[string]any{"error": p.message, "can_rejoin": p.rejoined != nil},
	})
}

// windowOnly refuses, with a sentence, a caller other than this machine's
// desktop window: only the person at the window may close it or make it
// forget its hall host.
func (p *Problem) windowOnly(w http.ResponseWriter, r *http.Request) bool {
	if fromWindow(r) {
		return true
	}
	writeError(w, p.log, apperr.Errorf(apperr.Forbidden, "只能在本机不打烊的桌面窗口中操作。"))
	return false
}

func (p *Problem) quitWindow(w http.ResponseWriter, r *http.Request) {
	if !p.windowOnly(w, r) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"quitting": true})
	p.quit()
}

func (p *Problem) rejoin(w http.ResponseWriter, r *http.Request) {
	if !p.windowOnly(w, r) {
		return
	}
	if p.rejoined == nil {
		writeError(w, p.log, apperr.Errorf(apperr.Conflict, "本机不是大厅的窗口，重新加入大厅解决不了这个问题：%s", p.message))
		return
	}
	if err := os.Remove(filepath.Join(p.dataDir, PinFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		writeError(w, p.log, apperr.Errorf(apperr.Internal, "无法删除本机记录的大厅主机（%s）：%v", filepath.Join(p.dataDir, PinFile), err))
		return
	}
	p.log.Warn("forgot the pinned hall host at the person's request; starting again at the first-run screen", "pin", filepath.Join(p.dataDir, PinFile))
	writeJSON(w, http.StatusOK, map[string]bool{"rejoining": true})
	p.rejoined()
}
