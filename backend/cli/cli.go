// Package cli is the command line of the one budayang binary: the desktop
// window, the headless server, first-run setup, backup, restore and version.
// The root main.go hands it the built frontend and the desktop door, so this
// package never imports Wails.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/events"
	"budayang/backend/hall"
	"budayang/backend/site"
	"budayang/backend/store"
)

// DesktopOptions is what the desktop door receives.
type DesktopOptions struct {
	// Door answers the window's API calls: this site's services, the
	// recovery door while its database is damaged, or the hall host's API
	// for a window workstation. With --listen the LAN reaches it too.
	Door hall.Door
	// Bus carries the events the window shows, whatever the door.
	Bus     *events.Bus
	Log     *slog.Logger
	DataDir string
	Listen  string
	// Host is the hall host's address for a window workstation, else empty.
	Host string
	// ReadyFile, when set, is written once the window's frontend is ready
	// (the smoke test and start-up benchmark wait for it).
	ReadyFile string
}

// Env is what main passes in.
type Env struct {
	UI      fs.FS
	Desktop func(ctx context.Context, opts DesktopOptions) error
	Stdout  io.Writer
	Stderr  io.Writer
	Getenv  func(string) string
}

const usage = `不打烊 Budayang — 镇村便民服务中心工作台

用法 Usage:
  budayang [--data DIR] [--listen ADDR]     打开桌面窗口 (desktop window)；--listen 作为大厅主机对局域网提供服务
  budayang [--data DIR] --hall URL          作为窗口加入大厅主机（如 http://192.168.1.10:8470）(window role)
  budayang serve [--addr 127.0.0.1:8470] [--data DIR]
                                            无窗口运行：同一套服务、界面与 /api/v1 接口
                                            (headless: same services, UI and JSON API)
  budayang init --site NAME --kind KIND --population N [--floor-area M2] [--windows 3] [--data DIR]
                                            首次设置；管理员密码取自环境变量 BUDAYANG_ADMIN_PASSWORD
                                            (first-run setup; admin login "admin")
                                            KIND: area|town|street|township|village
  budayang backup --out FILE [--data DIR]   在线备份数据库 (online backup)
  budayang restore --from FILE [--data DIR] 从备份恢复；须先关闭本软件 (restore; stop the app first)
  budayang version                          显示版本 (print version)

--data 默认为系统用户配置目录下的 budayang (defaults to the user config dir).
`

// Main runs the command in args (without the program name) and returns the
// process exit code. Every failure prints one line to stderr.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "":
		err = runDesktop(ctx, args, env)
	case "serve":
		err = runServe(ctx, args, env)
	case "init":
		err = runInit(ctx, args, env)
	case "backup":
		err = runBackup(ctx, args, env)
	case "restore":
		err = runRestore(ctx, args, env)
	case "version":
		if len(args) > 0 {
			err = apperr.Errorf(apperr.Invalid, "多余的参数“%s”，运行 budayang --help 查看用法", strings.Join(args, " "))
			break
		}
		fmt.Fprintf(env.Stdout, "budayang %s (schema %d)\n", core.Version, store.SchemaVersion())
	case "help":
		fmt.Fprint(env.Stdout, usage)
	default:
		err = apperr.Errorf(apperr.Invalid, "未知命令“%s”，运行 budayang --help 查看用法（unknown command %q）", cmd, cmd)
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(env.Stdout, usage)
		return 0
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "错误 error: "+oneLine(err))
		return 1
	}
	return 0
}

func oneLine(err error) string {
	msg := err.Error()
	var ae *apperr.Error
	if errors.As(err, &ae) {
		msg = ae.Message
	}
	var ce *core.CorruptError
	if errors.As(err, &ce) {
		msg = ce.Error()
		if ce.LatestBackup != "" {
			msg += fmt.Sprintf("；恢复请运行 budayang restore --from %s", ce.LatestBackup)
		}
	}
	return strings.ReplaceAll(msg, "\n", " ")
}

func defaultDataDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "budayang-data"
	}
	return filepath.Join(dir, "budayang")
}

func newFlags(name string, env Env) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", defaultDataDir(), "data directory")
	return fs, data
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return apperr.Errorf(apperr.Invalid, "参数错误（%v），运行 budayang --help 查看用法", err)
	}
	if fs.NArg() > 0 {
		return apperr.Errorf(apperr.Invalid, "多余的参数“%s”，运行 budayang --help 查看用法", strings.Join(fs.Args(), " "))
	}
	return nil
}

func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func openCore(ctx context.Context, dataDir string, env Env) (*core.Core, error) {
	log := logger(env.Stderr)
	clk, err := envClock(env, log)
	if err != nil {
		return nil, err
	}
	return core.Open(ctx, core.Options{DataDir: dataDir, Logger: log, Clock: clk})
}

// envClock reads BUDAYANG_CLOCK, an RFC 3339 moment the clock starts at, for
// end-to-end tests that must run inside office hours whenever CI runs.
func envClock(env Env, log *slog.Logger) (clock.Clock, error) {
	v := env.Getenv("BUDAYANG_CLOCK")
	if v == "" {
		return clock.System{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "环境变量 BUDAYANG_CLOCK 应为 RFC 3339 时间（如 2026-11-25T09:00:00+08:00），收到“%s”", v)
	}
	log.Warn("测试时钟：BUDAYANG_CLOCK 已设置，本机时间从该时刻起算，只用于测试，不要用它运行真实的便民服务中心", "BUDAYANG_CLOCK", v)
	return clock.StartingAt(t), nil
}

func runServe(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("serve", env)
	addr := fs.String("addr", "127.0.0.1:8470", "listen address")
	if err := parse(fs, args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	site, err := openSite(ctx, *data, env)
	if err != nil {
		return err
	}
	defer site.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "无法监听 %s：%v", *addr, err)
	}
	if site.Core() == nil {
		fmt.Fprintf(env.Stdout, "数据库已损坏，已进入恢复模式：http://%s/\n", ln.Addr())
	} else {
		fmt.Fprintf(env.Stdout, "不打烊已启动：http://%s/\n", ln.Addr())
	}
	return serveHTTP(ctx, ln, site.Door, site.log)
}

// Site is an open data directory behind its door: normally the site's
// services, or the recovery door while its database is damaged, switching to
// the services once a backup is restored.
type Site struct {
	Door *hall.Switch
	// Bus outlives a restore: the reopened site publishes on it too.
	Bus  *events.Bus
	log  *slog.Logger
	mu   sync.Mutex
	core *core.Core
}

// Core is the open site, or nil while in recovery.
func (s *Site) Core() *core.Core {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.core
}

// Close stops the site's jobs and closes its database.
func (s *Site) Close() error {
	if c := s.Core(); c != nil {
		return c.Close()
	}
	return nil
}

// openSite opens dataDir and starts its jobs until ctx ends. A corrupt
// database opens the recovery door instead of failing, so the person at the
// workstation is told and offered the backups.
func openSite(ctx context.Context, dataDir string, env Env) (*Site, error) {
	log := logger(env.Stderr)
	s := &Site{log: log, Bus: events.NewBus()}
	start := func(c *core.Core) {
		s.mu.Lock()
		s.core = c
		s.mu.Unlock()
		c.Run(ctx)
		s.Door.Set(hall.New(c, env.UI))
	}
	clk, err := envClock(env, log)
	if err != nil {
		return nil, err
	}
	opts := core.Options{DataDir: dataDir, Logger: log, Clock: clk, Bus: s.Bus}
	c, err := core.Open(ctx, opts)
	var corrupt *core.CorruptError
	switch {
	case errors.As(err, &corrupt):
		log.Error("database is corrupt; serving recovery", "err", err)
		s.Door = hall.NewSwitch(hall.NewRecovery(dataDir, err, env.UI, log, func(context.Context) error {
			c, err := core.Open(ctx, opts)
			if err != nil {
				return err
			}
			start(c)
			return nil
		}))
	case err != nil:
		return nil, err
	default:
		s.Door = hall.NewSwitch(nil)
		start(c)
	}
	return s, nil
}

// serveHTTP serves h on ln until ctx ends, then drains for up to 5 s.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	return nil
}

func runDesktop(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("budayang", env)
	listen := fs.String("listen", "", "also serve the API and pages on this address (hall host)")
	host := fs.String("hall", "", "join the hall host at this address as a window (http://host:8470)")
	ready := fs.String("ready-file", "", "write this file once the window's frontend is ready")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *host != "" && *listen != "" {
		return apperr.Errorf(apperr.Invalid, "--hall 与 --listen 不能同时使用：加入大厅主机的窗口不对外提供服务")
	}
	if env.Desktop == nil {
		return apperr.Errorf(apperr.Invalid, "此版本未包含桌面窗口，请使用 budayang serve（built without the desktop window）")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	site, err := openSite(ctx, *data, env)
	if err != nil {
		return err
	}
	defer site.Close()
	if *host != "" {
		remote, err := hall.NewRemote(*host, site.Bus, env.UI, site.log)
		if err != nil {
			return apperr.Errorf(apperr.Invalid, "%v", err)
		}
		go remote.Follow(ctx)
		site.Door.Set(remote)
	}
	if *listen != "" {
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			return apperr.Errorf(apperr.Invalid, "无法监听 %s：%v", *listen, err)
		}
		go func() { _ = serveHTTP(ctx, ln, site.Door, site.log) }()
	}
	return env.Desktop(ctx, DesktopOptions{Door: site.Door, Bus: site.Bus, Log: site.log, DataDir: *data,
		Listen: *listen, Host: *host, ReadyFile: *ready})
}

func runInit(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("init", env)
	name := fs.String("site", "", "site name")
	kind := fs.String("kind", "", "area|town|street|township|village")
	population := fs.Int("population", -1, "registered population")
	area := fs.Int("floor-area", 0, "floor area in m²")
	windows := fs.Int("windows", core.DefaultWindows, "number of windows")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *name == "":
		return apperr.Errorf(apperr.Invalid, "缺少 --site（服务中心名称）")
	case !site.ValidKind(*kind):
		return apperr.Errorf(apperr.Invalid, "--kind 必须是 area|town|street|township|village 之一（got %q）", *kind)
	case *population < 0:
		return apperr.Errorf(apperr.Invalid, "缺少 --population（户籍人口，非负整数）")
	}
	password := env.Getenv("BUDAYANG_ADMIN_PASSWORD")
	if password == "" {
		return apperr.Errorf(apperr.Invalid, "请在环境变量 BUDAYANG_ADMIN_PASSWORD 中提供管理员密码（admin password missing）")
	}
	c, err := openCore(ctx, *data, env)
	if err != nil {
		return err
	}
	defer c.Close()
	p, err := c.Setup(ctx, site.Profile{Name: *name, Kind: *kind, Population: *population, FloorAreaM2: *area}, password, *windows)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已完成设置：%s（%s），管理员登录名 admin，数据目录 %s\n", p.Name, site.KindName(p.Kind), *data)
	return nil
}

func runBackup(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("backup", env)
	out := fs.String("out", "", "backup file to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return apperr.Errorf(apperr.Invalid, "缺少 --out（备份文件路径）")
	}
	if _, err := os.Stat(filepath.Join(*data, store.FileName)); err != nil {
		return apperr.Errorf(apperr.NotFound, "数据目录 %s 中没有数据库，无需备份", *data)
	}
	c, err := openCore(ctx, *data, env)
	if err != nil {
		return err
	}
	defer c.Close()
	b, err := c.DB.BackupTo(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已备份到 %s（%d 字节）\n", b.Path, b.Size)
	return nil
}

func runRestore(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("restore", env)
	from := fs.String("from", "", "backup file to restore")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return apperr.Errorf(apperr.Invalid, "缺少 --from（备份文件路径）")
	}
	if err := core.CheckDataDir(*data); err != nil {
		return err
	}
	kept, err := store.Restore(ctx, *data, *from, time.Now())
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("已从 %s 恢复数据库到 %s", *from, *data)
	if kept != "" {
		msg += fmt.Sprintf("；原数据库保留为 %s", kept)
	}
	fmt.Fprintln(env.Stdout, msg)
	return nil
}
