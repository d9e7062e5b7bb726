package cli

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/county"
	"budayang/backend/countysync"
	"budayang/backend/hall"
)

// CountyPort is the county server's default port.
const CountyPort = 8480

// runCounty runs `budayang county init|serve|code`.
func runCounty(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return apperr.Errorf(apperr.Invalid, "缺少子命令：budayang county init|serve|code，运行 budayang --help 查看用法")
	}
	switch args[0] {
	case "init":
		return runCountyInit(ctx, args[1:], env)
	case "serve":
		return runCountyServe(ctx, args[1:], env)
	case "code":
		return runCountyCode(ctx, args[1:], env)
	}
	return apperr.Errorf(apperr.Invalid, "未知子命令“county %s”，运行 budayang --help 查看用法", args[0])
}

// countyDBFlag adds --db: a postgres:// URL puts the county's database on
// PostgreSQL instead of CDIR/county.db. BUDAYANG_COUNTY_DB is its default,
// so a password need not appear in the process list; PGPASSWORD and
// ~/.pgpass work too. The URL is never written to disk: CDIR keeps only the
// TLS key and certificate, and every county command is given --db again.
func countyDBFlag(fs *flag.FlagSet, env Env) *string {
	return fs.String("db", env.Getenv("BUDAYANG_COUNTY_DB"), "PostgreSQL URL postgres://… (default: SQLite in the data directory)")
}

// openCounty opens the county in dir, its database on PostgreSQL at dsn
// when dsn is set. mustExist refuses a directory `county init` has not set
// up: no county.db, or with dsn no certificate.
func openCounty(ctx context.Context, dir, dsn string, mustExist bool) (*county.Service, county.Store, error) {
	path := filepath.Join(dir, county.FileName)
	if dsn != "" {
		if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
			return nil, nil, apperr.Errorf(apperr.Invalid, "--db 只接受 PostgreSQL 连接串 postgres://用户@主机:5432/库名（--db takes a postgres:// URL）")
		}
		path = filepath.Join(dir, hall.CertFile)
	}
	if _, err := os.Stat(path); mustExist && errors.Is(err, os.ErrNotExist) {
		hint := "budayang county init --data " + dir
		if dsn != "" {
			hint += " --db …"
		}
		return nil, nil, apperr.Errorf(apperr.Invalid, "%s 还不是县平台数据目录：请先运行 %s", dir, hint)
	}
	if err := core.CheckDataDir(dir); err != nil {
		return nil, nil, err
	}
	id, err := hall.LoadIdentity(dir)
	if err != nil {
		return nil, nil, err
	}
	var st county.Store
	if dsn != "" {
		st, err = county.OpenPostgres(ctx, dsn)
	} else {
		st, err = county.OpenSQLite(ctx, path)
	}
	if err != nil {
		return nil, nil, err
	}
	return &county.Service{Store: st, Clock: clock.System{}, Fingerprint: id.Fingerprint}, st, nil
}

func runCountyInit(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("county init", env)
	db := countyDBFlag(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	password := env.Getenv("BUDAYANG_ADMIN_PASSWORD")
	if password == "" {
		return apperr.Errorf(apperr.Invalid, "请在环境变量 BUDAYANG_ADMIN_PASSWORD 中提供县平台管理员密码（admin password missing）")
	}
	svc, st, err := openCounty(ctx, *data, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := svc.SetAdminPassword(ctx, password); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "县平台已就绪，管理员登录名 %s，数据目录 %s\n", county.AdminLogin, *data)
	if *db != "" {
		fmt.Fprintln(env.Stdout, "数据库在 PostgreSQL（连接串不写入数据目录，county serve 与 county code 也要给 --db 或 BUDAYANG_COUNTY_DB）")
	}
	fmt.Fprintf(env.Stdout, "县平台证书指纹 SHA-256：%s\n", hex.EncodeToString(svc.Fingerprint))
	fmt.Fprintf(env.Stdout, "（简写 %s；登记码已含指纹，站点无需手工核对）\n", county.ShortFingerprint(svc.Fingerprint))
	return nil
}

func runCountyServe(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("county serve", env)
	db := countyDBFlag(fs, env)
	addr := fs.String("addr", "0.0.0.0:"+strconv.Itoa(CountyPort), "listen address")
	insecure := fs.Bool("insecure-loopback-test", false, "plain HTTP on a loopback address, for tests only")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *insecure {
		if err := county.CheckInsecureAddr(*addr); err != nil {
			return apperr.Errorf(apperr.Invalid, "--insecure-loopback-test 只能用于本机回环地址（127.0.0.1 或 ::1），不能用于 %s", *addr)
		}
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	svc, st, err := openCounty(ctx, *data, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	log := logger(env.Stderr)
	svc.Log = log
	id, err := hall.LoadIdentity(*data)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "无法监听 %s：%v", *addr, err)
	}
	srv := &http.Server{Handler: countyHandler(svc.Handler(), env), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: svc.HandshakeLog()}
	scheme := "https"
	if *insecure {
		scheme = "http"
	} else {
		srv.TLSConfig = id.TLSConfig()
	}
	fmt.Fprintf(env.Stdout, "县平台已启动：%s://%s/\n", scheme, ln.Addr())
	fmt.Fprintf(env.Stdout, "县平台证书指纹 SHA-256：%s\n", county.ShortFingerprint(id.Fingerprint))
	done := make(chan error, 1)
	go func() {
		if *insecure {
			done <- srv.Serve(ln)
		} else {
			done <- srv.ServeTLS(ln, "", "")
		}
	}()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	return nil
}

// countyHandler serves the county API and protocol, and the embedded UI
// (the county pages) on every other path.
func countyHandler(api http.Handler, env Env) http.Handler {
	if env.UI == nil {
		return api
	}
	m := http.NewServeMux()
	m.Handle("/api/", api)
	m.Handle("/county/", api)
	m.Handle("/", hall.SPA(env.UI))
	return m
}

func runCountyCode(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("county code", env)
	db := countyDBFlag(fs, env)
	name := fs.String("site", "", "site name")
	kind := fs.String("kind", "", "site kind")
	addr := fs.String("addr", "", "the county address sites reach (host:port); defaults to this machine's LAN address")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *addr == "" {
		host := "127.0.0.1"
		if lan := hall.LANAddrs(); len(lan) > 0 {
			host = lan[0].String()
		}
		*addr = net.JoinHostPort(host, strconv.Itoa(CountyPort))
	}
	svc, st, err := openCounty(ctx, *data, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	code, err := svc.NewSite(ctx, *name, *kind, *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "站点“%s”的登记码（%s 前有效，只能用一次；县平台地址 %s）：\n", *name, code.Expires.In(clock.Shanghai).Format("2006-01-02 15:04"), code.URL())
	fmt.Fprintln(env.Stdout, code.String())
	return nil
}

// runEnroll runs `budayang enroll`: the site exchanges a code for its
// county credential and pins the county's certificate.
func runEnroll(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("enroll", env)
	countyURL := fs.String("county", "", "county address, https://host:8480 (defaults to the one in the code)")
	code := fs.String("code", "", "enrolment code from the county")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *code == "" {
		return apperr.Errorf(apperr.Invalid, "缺少 --code（县平台给的登记码）")
	}
	if err := core.CheckDataDir(*data); err != nil {
		return err
	}
	cfg, err := countysync.New(nil, *data, clock.System{}, logger(env.Stderr)).Enroll(ctx, *countyURL, *code)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已登记到县平台 %s：站点“%s”，编号 %s；县平台证书 %s 已固定\n", cfg.County, cfg.Name, cfg.SiteID, county.ShortFingerprint(mustHex(cfg.Fingerprint)))
	return nil
}

func mustHex(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}
