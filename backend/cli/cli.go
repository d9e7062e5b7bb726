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
	"budayang/backend/dirlock"
	"budayang/backend/events"
	"budayang/backend/hall"
	"budayang/backend/site"
	"budayang/backend/store"
	"budayang/backend/watchdog"
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
	// UseSession, for a window workstation, is told the staff session
	// signed in on the window whenever it changes ("" once signed out), so
	// the hall host's staff events reach this window's bus; nil otherwise.
	UseSession func(token string)
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
	Stdin   io.Reader
	Getenv  func(string) string
	// Relaunch starts this program again with args (its arguments, without
	// the program's name), once the first-run screen joined a hall or the
	// start-up problem window forgot one, and the data directory is
	// released; nil: relaunch this executable.
	Relaunch func(args []string) error
}

const usage = `不打烊 Budayang — 镇村便民服务中心工作台

用法 Usage:
  budayang [--data DIR] [--listen ADDR]     打开桌面窗口 (desktop window)；--listen 作为大厅主机对局域网提供服务
                                            本机已加入大厅（首次使用画面选“加入大厅”，或 --hall）时以大厅的窗口打开
                                            (opens as the hall's window once joined: hall-pin.json in DIR)
  budayang [--data DIR] --hall 加入码        作为窗口加入大厅主机：加入码在主机的 设置 → 窗口加入码 (window role,
                                            pins the host's certificate); 之后可用 --hall https://主机:8470
                                            加入码过期后，已加入的窗口仍可用原加入码启动（安装程序的快捷方式即如此）
  budayang [--data DIR] --hall https://主机:8470 --join 加入码
                                            用指定地址加入 (join at this address)
  budayang serve [--addr 127.0.0.1:8470] [--data DIR]
                                            无窗口运行：同一套服务、界面与 /api/v1 接口
                                            (headless: same services, UI and JSON API)
  budayang [serve] --watchdog …             由看门狗运行：程序意外退出后自动重启，正常关闭则不重启
                                            (restart the window or serve when it dies; a clean exit stops)
  budayang init --site NAME --kind KIND --population N [--floor-area M2] [--windows 3] [--data DIR]
                                            首次设置；管理员密码取自环境变量 BUDAYANG_ADMIN_PASSWORD
                                            (first-run setup; admin login "admin")
                                            KIND: area|town|street|township|village
  budayang backup --out FILE [--data DIR]   在线备份数据库，可在运行中进行 (online backup, also while serving)
  budayang restore --from FILE [--data DIR] 从备份恢复；须先关闭本软件 (restore; stop the app first)
  budayang admin reset-password --login LOGIN [--data DIR]
                                            在主机上重置密码、解除锁定（本软件运行与否均可）；
                                            新密码取自 BUDAYANG_ADMIN_PASSWORD 或提示输入
                                            (reset a password on the host, running or stopped)
  budayang seed [--scale year|test] [--data DIR]
                                            在刚初始化的数据目录中生成一年的大中心数据，供基准测试与报表使用
                                            (seed a year of a large centre's data; see docs/benchmarks.md)
  budayang enroll --county https://县平台:8480 --code 登记码 [--data DIR]
                                            登记到县平台，固定其证书 (enrol with the county, pin its certificate)
  budayang county init [--data CDIR]        建立县平台：证书与管理员（密码取自 BUDAYANG_ADMIN_PASSWORD）
                                            (county server setup; prints its certificate fingerprint)
  budayang county serve [--data CDIR] [--addr 0.0.0.0:8480]
                                            运行县平台，始终 HTTPS (county server, HTTPS only; plain HTTP only
                                            with --insecure-loopback-test on a loopback address)
  budayang county code --site NAME --kind KIND [--addr HOST:8480] [--data CDIR]
                                            生成站点登记码，72 小时内有效、仅用一次，最后一行为登记码
                                            (one-time enrolment code, valid 72 h, on stdout's last line)
  budayang county init|serve|code --db postgres://…
                                            县平台数据库放在 PostgreSQL（默认取 BUDAYANG_COUNTY_DB；不写入 CDIR）
                                            (county database on PostgreSQL; CDIR keeps the certificate only)
  budayang autostart on|off [--listen 0.0.0.0:8470] [--data DIR]
                                            Linux：登录时以看门狗启动大厅主机（~/.config/autostart）
                                            (Linux: start the hall host at login; Windows: the installer)
  budayang key export --out FILE [--data DIR] 导出个人信息加密密钥，以口令加密（口令取自 BUDAYANG_KEY_PASSPHRASE，
                                            至少 12 个字符）；换电脑时带上 (export the field key under a passphrase)
  budayang key import --in FILE [--data DIR]  在新电脑上导入密钥；须先关闭本软件 (import it; stop the app first)
  budayang version                          显示版本、提交与数据库结构版本 (version, commit, schema)

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
	if env.Stdin == nil {
		env.Stdin = os.Stdin
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
	case "seed":
		err = runSeed(ctx, args, env)
	case "restore":
		err = runRestore(ctx, args, env)
	case "admin":
		err = runAdmin(ctx, args, env)
	case "county":
		err = runCounty(ctx, args, env)
	case "enroll":
		err = runEnroll(ctx, args, env)
	case "autostart":
		err = runAutostart(args, env)
	case "key":
		err = runKey(args, env)
	case "version":
		if len(args) > 0 {
			err = apperr.Errorf(apperr.Invalid, "多余的参数“%s”，运行 budayang --help 查看用法", strings.Join(args, " "))
			break
		}
		fmt.Fprintf(env.Stdout, "budayang %s (commit %s, schema %d)\n", core.Version, core.Commit, store.SchemaVersion())
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
		if shownInWindow(err) {
			return watchdog.ExitRefused
		}
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

func openCore(ctx context.Context, dataDir string, env Env, restoredFrom string) (*core.Core, error) {
	log := logger(env.Stderr)
	clk, err := envClock(env, log)
	if err != nil {
		return nil, err
	}
	return core.Open(ctx, core.Options{DataDir: dataDir, Logger: log, Clock: clk, RestoredFrom: restoredFrom})
}

// withSite runs fn on the site in dataDir while holding the directory, so
// a program starting meanwhile is refused instead of writing beside fn.
func withSite(ctx context.Context, dataDir string, env Env, fn func(c *core.Core) error) error {
	lock, err := dirlock.Acquire(dataDir)
	if err != nil {
		return err
	}
	defer lock.Release()
	c, err := openCore(ctx, dataDir, env, "")
	if err != nil {
		return err
	}
	return errors.Join(fn(c), c.Close())
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
	if rest, ok := withoutWatchdog(args); ok {
		return runWatchdog(ctx, "serve", rest, env)
	}
	fs, data := newFlags("serve", env)
	addr := fs.String("addr", "127.0.0.1:8470", "listen address")
	if err := parse(fs, args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	id, err := hall.LoadIdentity(*data)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "无法监听 %s：%v", *addr, err)
	}
	defer ln.Close()
	lan := &hall.LAN{Identity: id, Addr: ln.Addr().String()}
	site, err := openSite(ctx, *data, lan, nil, env)
	if err != nil {
		return err
	}
	defer site.Close()
	where := ln.Addr().String()
	if jc, err := lan.JoinCode(time.Now(), ""); err == nil {
		where = strings.TrimPrefix(jc.URLs()[0], "https://")
	}
	if site.Core() == nil {
		fmt.Fprintf(env.Stdout, "数据库已损坏，已进入恢复模式：http://%s/\n", where)
	} else {
		fmt.Fprintf(env.Stdout, "不打烊已启动：https://%[1]s/（大厅显示屏、取号机也可用 http://%[1]s/）\n", where)
	}
	fmt.Fprintf(env.Stdout, "本机证书指纹 SHA-256：%s\n", hall.ShortFingerprint(id.Fingerprint))
	if site.CodeNeeded(ctx) {
		fmt.Fprintf(env.Stdout, "在其他电脑上进行首次设置或从备份恢复时，请输入设置验证码：%s\n", site.Code)
	}
	return serveHTTP(ctx, ln, site.Door, id, env, site.log)
}

// Site is an open data directory behind its door: normally the site's
// services, or the recovery door while its database is damaged, switching to
// the services once a backup is restored.
type Site struct {
	Door *hall.Switch
	// Bus outlives a restore: the reopened site publishes on it too.
	Bus *events.Bus
	// Code lets a computer on the LAN run first-run setup or the recovery
	// restore; the host's console shows it.
	Code *hall.SetupCode
	log  *slog.Logger
	lock *dirlock.Lock
	mu   sync.Mutex
	core *core.Core
	// local is the site's own server (not a hall host's) for the local door.
	local *hall.Server
	door  *localDoor
}

// CodeNeeded reports whether the setup code has a use: the site is in
// recovery or not set up yet.
func (s *Site) CodeNeeded(ctx context.Context) bool {
	c := s.Core()
	if c == nil {
		return true
	}
	needed, err := c.Site.SetupNeeded(ctx)
	return err == nil && needed
}

// Core is the open site, or nil while in recovery.
func (s *Site) Core() *core.Core {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.core
}

// Close shuts the local door, stops the site's jobs, closes its database
// and releases the data directory.
func (s *Site) Close() error {
	if s.door != nil {
		s.door.close()
	}
	var err error
	if c := s.Core(); c != nil {
		err = c.Close()
	}
	return errors.Join(err, s.lock.Release())
}

// openSite opens dataDir and starts its jobs until ctx ends. A corrupt
// database opens the recovery door instead of failing, so the person at the
// workstation is told and offered the backups.
//
// It holds the data directory's lock until Close, so a second process (or a
// restore) is refused while this one runs.
//
// joined, when not nil, lets the first-run screen of the desktop window join
// a hall instead (hall.Server.AllowJoinHall).
func openSite(ctx context.Context, dataDir string, lan *hall.LAN, joined func(hall.Pin), env Env) (*Site, error) {
	log := logger(env.Stderr)
	clk, err := envClock(env, log)
	if err != nil {
		return nil, err
	}
	lock, err := dirlock.Acquire(dataDir)
	if err != nil {
		return nil, err
	}
	s := &Site{log: log, Bus: events.NewBus(), Code: hall.NewSetupCode(), lock: lock}
	key := newLocalKey()
	start := func(c *core.Core) {
		srv := hall.New(c, env.UI)
		srv.AllowLocal(key)
		srv.SetSetupCode(s.Code)
		if lan != nil {
			srv.SetLAN(*lan)
		}
		if joined != nil {
			srv.AllowJoinHall(joined)
		}
		s.mu.Lock()
		s.core, s.local = c, srv
		s.mu.Unlock()
		c.Run(ctx)
		s.Door.Set(srv)
	}
	opts := core.Options{DataDir: dataDir, Logger: log, Clock: clk, Bus: s.Bus}
	c, err := core.Open(ctx, opts)
	var corrupt *core.CorruptError
	switch {
	case errors.As(err, &corrupt):
		log.Error("database is corrupt; serving recovery", "err", err)
		rc := hall.NewRecovery(dataDir, err, env.UI, log, func(_ context.Context, from string) error {
			opts := opts
			opts.RestoredFrom = from
			c, err := core.Open(ctx, opts)
			if err != nil {
				return err
			}
			start(c)
			return nil
		})
		rc.SetSetupCode(s.Code)
		s.Door = hall.NewSwitch(rc)
	case err != nil:
		lock.Release()
		return nil, err
	default:
		s.Door = hall.NewSwitch(nil)
		start(c)
	}
	if s.CodeNeeded(ctx) {
		log.Warn("first-run setup and recovery from another computer need the setup code", "code", s.Code.String())
	}
	door, err := openLocalDoor(dataDir, key, func() http.Handler {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.local == nil {
			return nil
		}
		return s.local
	}, log)
	if err != nil {
		// The site works without it; only admin reset-password while running needs it.
		log.Warn("local door unavailable", "err", err)
	}
	s.door = door
	return s, nil
}

// serveHTTP serves h on ln for the hall's LAN until ctx ends, then drains
// for up to 5 s: TLS with id and plain HTTP on the one port, behind the
// LAN's guards and timeouts.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, id *hall.Identity, env Env, log *slog.Logger) error {
	srv := hall.NewLANServer(h, hall.DefaultLANConfig(env.Getenv))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(hall.OnePort(ln, id.TLSConfig())) }()
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

// openDesktop runs the desktop window for args; st learns what the problem
// window needs should the start fail before the window opens.
func openDesktop(ctx context.Context, args []string, env Env, st *desktopStart) error {
	if rest, ok := withoutWatchdog(args); ok {
		// The watchdog itself may refuse (the data directory held by
		// another process); a child's own problem window was seen already.
		err := runWatchdog(ctx, "", rest, env)
		if !errors.Is(err, watchdog.ErrRefusedShown) {
			st.dataDir = dataDirOf(rest)
		}
		return err
	}
	fs, data := newFlags("budayang", env)
	listen := fs.String("listen", "", "also serve the API and pages on this address (hall host)")
	host := fs.String("hall", "", "join the hall host as a window: its join code, or its https address once joined")
	join := fs.String("join", "", "the hall host's join code, when --hall gives its address")
	ready := fs.String("ready-file", "", "write this file once the window's frontend is ready")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.dataDir, st.ready, st.args = *data, *ready, args
	if *host != "" && *listen != "" {
		return apperr.Errorf(apperr.Invalid, "--hall 与 --listen 不能同时使用：加入大厅主机的窗口不对外提供服务")
	}
	if *join != "" && *host == "" {
		return apperr.Errorf(apperr.Invalid, "--join 须与 --hall 主机地址一起使用，或直接运行 budayang --hall 加入码")
	}
	if env.Desktop == nil {
		return apperr.Errorf(apperr.Invalid, "此版本未包含桌面窗口，请使用 budayang serve（built without the desktop window）")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	awaitRelauncher()
	if *host == "" && *listen == "" {
		pin, ok, err := hall.LoadPin(*data)
		switch {
		case err != nil:
			st.rejoinable = true
			return apperr.Errorf(apperr.Invalid, "本机记录的大厅主机（%s）无法读取，不能以大厅的窗口打开（%v）。", filepath.Join(*data, hall.PinFile), err)
		case ok:
			fmt.Fprintf(env.Stdout, "本机已加入大厅主机 %s（%s），以大厅的窗口打开\n", pin.Host, filepath.Join(*data, hall.PinFile))
			*host = pin.Host
		default:
			logger(env.Stderr).Info("no hall pin in the data directory: opening this computer's own site", "data", *data)
		}
	}
	if *host != "" {
		err := runWindow(ctx, *data, *host, *join, *ready, env)
		st.rejoinable = needsRejoin(err)
		return err
	}
	var lan *hall.LAN
	var ln net.Listener
	if *listen != "" {
		id, err := hall.LoadIdentity(*data)
		if err != nil {
			return err
		}
		if ln, err = net.Listen("tcp", *listen); err != nil {
			return apperr.Errorf(apperr.Invalid, "无法监听 %s：%v", *listen, err)
		}
		defer ln.Close()
		lan = &hall.LAN{Identity: id, Addr: ln.Addr().String()}
		fmt.Fprintf(env.Stdout, "大厅主机：https://%s/，本机证书指纹 SHA-256：%s\n", ln.Addr(), hall.ShortFingerprint(id.Fingerprint))
	}
	// A computer not set up yet may become a hall's window from its first
	// screen, which closes this window; a hall host (--listen) may not.
	ctx, quit := context.WithCancel(ctx)
	defer quit()
	var rejoin *rejoinAsWindow
	if lan == nil {
		rejoin = &rejoinAsWindow{quit: quit, args: args}
	}
	site, err := openSite(ctx, *data, lan, rejoin.joinedFunc(), env)
	if err != nil {
		return err
	}
	if lan != nil {
		go func() { _ = serveHTTP(ctx, ln, site.Door, lan.Identity, env, site.log) }()
	}
	err = env.Desktop(ctx, DesktopOptions{Door: site.Door, Bus: site.Bus, Log: site.log, DataDir: *data,
		Listen: *listen, ReadyFile: *ready})
	closeErr := site.Close()
	if err != nil || !rejoin.requested() {
		return err
	}
	if closeErr != nil {
		return closeErr
	}
	return rejoin.relaunch(env, site.log)
}

// joinHall returns the door to the hall host for a window workstation.
// A join code (as --hall, or as --join beside the host's https address)
// pins the host's certificate in dataDir; an https address uses the pin
// made before. Plain http reaches only a host on this machine: on the LAN
// it would carry the staff's passwords in the clear.
func joinHall(ctx context.Context, dataDir, host, join string, bus *events.Bus, log *slog.Logger, env Env) (*hall.Remote, error) {
	clk, err := envClock(env, log)
	if err != nil {
		return nil, err
	}
	var pin hall.Pin
	switch {
	case join != "" || !strings.Contains(host, "://"):
		code, base := join, host
		if join == "" {
			code, base = host, ""
		}
		if saved, ok, err := savedPinForCode(dataDir, code, clk.Now()); err != nil {
			return nil, err
		} else if ok {
			pin = saved
			break
		}
		if pin, err = hall.JoinWithCode(ctx, dataDir, code, base, clk.Now()); err != nil {
			if codeExpired(code, clk.Now()) {
				return nil, &rejoinError{err}
			}
			return nil, err
		}
		fmt.Fprintf(env.Stdout, "已加入叫号主机 %s，证书指纹 %s 已记录\n", pin.Host, pin.Short())
	case strings.HasPrefix(host, "https://"):
		saved, ok, err := hall.LoadPin(dataDir)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apperr.Errorf(apperr.Invalid, "本机尚未加入叫号主机：请在主机的 设置 → 窗口加入码 取得加入码，运行 budayang --hall 加入码")
		}
		pin = hall.Pin{Host: strings.TrimRight(host, "/"), Fingerprint: saved.Fingerprint}
	default:
		remote, err := hall.NewRemote(host, bus, env.UI, log)
		if err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "%v", err)
		}
		if !remote.OnThisMachine() {
			return nil, apperr.Errorf(apperr.Invalid, "局域网上的叫号主机须用加入码加入（明文 http 会泄露密码）：在主机的 设置 → 窗口加入码 取得加入码，运行 budayang --hall 加入码")
		}
		return remote, nil
	}
	remote, err := hall.NewPinnedRemote(pin, bus, env.UI, log)
	if err != nil {
		return nil, &rejoinError{apperr.Errorf(apperr.Invalid, "本机记录的大厅主机 %s 的证书指纹无法使用（%v）。", pin.Host, err)}
	}
	if err := remote.Check(ctx); err != nil {
		return nil, &rejoinError{apperr.Errorf(apperr.Forbidden, "%s", err.Error())}
	}
	return remote, nil
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
	return withSite(ctx, *data, env, func(c *core.Core) error {
		p, err := c.Setup(ctx, site.Profile{Name: *name, Kind: *kind, Population: *population, FloorAreaM2: *area}, password, *windows)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已完成设置：%s（%s），管理员登录名 admin，数据目录 %s\n", p.Name, site.KindName(p.Kind), *data)
		return nil
	})
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
	path := filepath.Join(*data, store.FileName)
	if _, err := os.Stat(path); err != nil {
		return apperr.Errorf(apperr.NotFound, "数据目录 %s 中没有数据库，无需备份", *data)
	}
	// A read-only copy: it runs beside a serving process without taking the
	// data directory's lock or writing the database.
	b, err := store.BackupFile(ctx, path, *out)
	if err != nil {
		return store.UserError(err)
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
	lock, err := dirlock.Acquire(*data)
	if err != nil {
		return err
	}
	defer lock.Release()
	kept, err := store.Restore(ctx, *data, *from, time.Now())
	if err != nil {
		return err
	}
	// Open the restored site once: the audit log is rewound to it on
	// purpose, with an entry saying so, and the database migrated.
	c, err := openCore(ctx, *data, env, *from)
	if err != nil {
		return err
	}
	if err := c.Close(); err != nil {
		return err
	}
	msg := fmt.Sprintf("已从 %s 恢复数据库到 %s", *from, *data)
	if kept != "" {
		msg += fmt.Sprintf("；原数据库保留为 %s", kept)
	}
	fmt.Fprintln(env.Stdout, msg)
	return nil
}
