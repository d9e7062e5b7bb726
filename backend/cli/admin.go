package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/core"
	"budayang/backend/store"
)

// runAdmin runs `budayang admin SUBCOMMAND`.
func runAdmin(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "reset-password" {
		return apperr.Errorf(apperr.Invalid, "用法：budayang admin reset-password --login LOGIN [--data DIR]，运行 budayang --help 查看用法")
	}
	return runResetPassword(ctx, args[1:], env)
}

// runResetPassword gets a person — typically a site's only administrator,
// locked out or with a forgotten password — back in from the host's command
// line. With the program stopped it opens the database itself; while the
// program runs (and holds the data directory) it goes through the program's
// local door. Either way the password is replaced, lock-outs cleared, the
// person's sessions ended, and the reset audited.
func runResetPassword(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("admin reset-password", env)
	login := fs.String("login", "", "login name whose password is reset")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *login == "" {
		return apperr.Errorf(apperr.Invalid, "缺少 --login（要重置密码的登录名）")
	}
	password := env.Getenv("BUDAYANG_ADMIN_PASSWORD")
	if password == "" {
		fmt.Fprint(env.Stderr, "新密码 New password: ")
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return apperr.Errorf(apperr.Invalid, "没有读到新密码：请在环境变量 BUDAYANG_ADMIN_PASSWORD 中提供，或在提示后输入（new password missing）")
		}
		password = strings.TrimRight(line, "\r\n")
	}
	body, _ := json.Marshal(map[string]string{"login": *login, "password": password})
	reached, status, answer, err := callLocalDoor(ctx, *data, "/api/v1/local/reset-password", string(body))
	if err != nil {
		return err
	}
	if reached {
		if status != http.StatusNoContent {
			var e struct{ Error, Code string }
			if json.Unmarshal(answer, &e) != nil || e.Error == "" {
				return apperr.Errorf(apperr.Internal, "运行中的不打烊拒绝了请求（HTTP %d）", status)
			}
			return apperr.Errorf(e.Code, "%s", e.Error)
		}
		fmt.Fprintf(env.Stdout, "已通过运行中的不打烊重置“%s”的密码，解除了锁定并结束了其登录会话\n", *login)
		return nil
	}
	if _, err := os.Stat(filepath.Join(*data, store.FileName)); err != nil {
		return apperr.Errorf(apperr.NotFound, "数据目录 %s 中没有数据库", *data)
	}
	// The program is not running (its door did not answer): hold the
	// directory so it cannot start halfway through the reset.
	return withSite(ctx, *data, env, func(c *core.Core) error {
		if err := c.Accounts.ResetPasswordAs(ctx, account.HostOperator, *login, password); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已重置“%s”的密码，解除了锁定并结束了其登录会话\n", *login)
		return nil
	})
}
