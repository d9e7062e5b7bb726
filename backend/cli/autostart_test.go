package cli_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"budayang/backend/cli"
)

// `budayang autostart on` makes the hall host start at login under the
// watchdog, listening on the LAN; `off` undoes it.
func TestMain_Autostart(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the Windows installer sets the autostart")
	}
	t.Run("OnWritesTheXDGEntryOffRemovesIt", func(t *testing.T) {
		config := t.TempDir()
		env := map[string]string{"XDG_CONFIG_HOME": config}
		data := filepath.Join(t.TempDir(), "大厅 数据")
		if r := run(t, env, "autostart", "on", "--data", data); r.code != 0 {
			t.Fatalf("on: %+v", r)
		}
		entry, err := os.ReadFile(filepath.Join(config, "autostart", cli.AutostartFile))
		if err != nil {
			t.Fatal(err)
		}
		exe, _ := os.Executable()
		want := "Exec=" + exe + ` --watchdog --listen 0.0.0.0:8470 --data "` + data + `"` + "\n"
		if !strings.Contains(string(entry), want) || !strings.HasPrefix(string(entry), "[Desktop Entry]\nType=Application\n") {
			t.Errorf("entry:\n%s\nwant a desktop entry with %q", entry, want)
		}
		if r := run(t, env, "autostart", "off"); r.code != 0 {
			t.Fatalf("off: %+v", r)
		}
		if _, err := os.Stat(filepath.Join(config, "autostart", cli.AutostartFile)); !os.IsNotExist(err) {
			t.Errorf("entry after off: %v, want removed", err)
		}
	})
	t.Run("HomeWithoutXDGConfigHome", func(t *testing.T) {
		home := t.TempDir()
		if r := run(t, map[string]string{"HOME": home}, "autostart", "on", "--listen", "0.0.0.0:9000"); r.code != 0 {
			t.Fatalf("on: %+v", r)
		}
		entry, err := os.ReadFile(filepath.Join(home, ".config", "autostart", cli.AutostartFile))
		if err != nil || !strings.Contains(string(entry), "--watchdog --listen 0.0.0.0:9000\n") {
			t.Errorf("entry %q, err %v: want the given address and no --data", entry, err)
		}
	})
	t.Run("Usage", func(t *testing.T) {
		if r := run(t, nil, "autostart"); r.code == 0 || !strings.Contains(r.stderr, "budayang autostart on") {
			t.Errorf("got %+v, want the usage sentence", r)
		}
	})
}
