package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"budayang/backend/apperr"
)

// AutostartFile is the XDG autostart entry `budayang autostart on` writes
// in the user's ~/.config/autostart.
const AutostartFile = "budayang-host.desktop"

// DefaultHostListen is where a hall host listens for the hall's LAN.
const DefaultHostListen = "0.0.0.0:8470"

// runAutostart runs `budayang autostart on|off`: on Linux (UOS, Kylin,
// Debian) the hall host's window, under the watchdog and listening on the
// LAN, starts when this user logs in. On Windows the installer does this.
func runAutostart(args []string, env Env) error {
	if runtime.GOOS == "windows" {
		return apperr.Errorf(apperr.Invalid, "Windows 上请重新运行安装程序并选择“大厅主机”，由它设置开机自动启动")
	}
	if len(args) == 0 || (args[0] != "on" && args[0] != "off") {
		return apperr.Errorf(apperr.Invalid, "用法：budayang autostart on [--listen %s] [--data DIR] 或 budayang autostart off", DefaultHostListen)
	}
	fs, data := newFlags("autostart", env)
	listen := fs.String("listen", DefaultHostListen, "the hall host's LAN address")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	dir, err := autostartDir(env)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, AutostartFile)
	if args[0] == "off" {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", path, err)
		}
		fmt.Fprintf(env.Stdout, "已取消开机自动启动（删除了 %s）\n", path)
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this program: %w", err)
	}
	cmd := []string{exe, watchdogFlag, "--listen", *listen}
	if flagSet(fs, "data") {
		cmd = append(cmd, "--data", *data)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := os.WriteFile(path, []byte(autostartEntry(cmd)), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(env.Stdout, "已设置开机自动启动大厅主机：%s\n", path)
	return nil
}

// autostartDir is $XDG_CONFIG_HOME/autostart, by default ~/.config/autostart.
func autostartDir(env Env) (string, error) {
	if dir := env.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "autostart"), nil
	}
	if home := env.Getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "autostart"), nil
	}
	return "", apperr.Errorf(apperr.Invalid, "找不到用户主目录（HOME 未设置），无法设置开机自动启动")
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// autostartEntry is the desktop entry that runs cmd at login.
func autostartEntry(cmd []string) string {
	quoted := make([]string, len(cmd))
	for i, a := range cmd {
		quoted[i] = desktopQuote(a)
	}
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=Budayang hall host\n" +
		"Name[zh_CN]=不打烊 大厅主机\n" +
		"Comment=Start the hall host at login, restarted if it dies\n" +
		"Comment[zh_CN]=登录时启动大厅主机，意外退出后自动重启\n" +
		"Exec=" + strings.Join(quoted, " ") + "\n" +
		"Icon=budayang\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n"
}

// desktopQuote quotes an Exec argument as the Desktop Entry Specification
// asks, when it holds a character that needs it.
func desktopQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`%") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\\\`, `"`, `\\"`, "`", "\\\\`", `$`, `\\$`, `%`, `%%`)
	return `"` + r.Replace(s) + `"`
}
