package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"budayang/backend/core"
	"budayang/backend/secret"
)

var withKeyPassphrase = map[string]string{"BUDAYANG_KEY_PASSPHRASE": "海棠镇 key on USB 2026"}

// keyError opens the site in dir and returns the case service's key error:
// nil when the key fits the database.
func keyError(t *testing.T, dir string) error {
	t.Helper()
	c, err := core.Open(context.Background(), core.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.Cases.KeyError()
}

// Moving a site: back up and export the key on the old PC, import the key
// and restore the backup on the new one; the site's personal fields open
// there. Without the import the same restore leaves them unreadable.
func TestKey_MoveSiteToNewPC(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	old, usb := t.TempDir(), t.TempDir()
	initSite(t, old)
	backup, export := filepath.Join(usb, "site.db"), filepath.Join(usb, "field.key.export")
	if r := run(t, nil, "backup", "--data", old, "--out", backup); r.code != 0 {
		t.Fatalf("backup: %+v", r)
	}
	r := run(t, withKeyPassphrase, "key", "export", "--data", old, "--out", export)
	if r.code != 0 || !strings.Contains(r.stdout, "已将个人信息加密密钥") {
		t.Fatalf("export: %+v", r)
	}
	if st, err := os.Stat(export); err != nil || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o600) {
		t.Fatalf("export file: %v %v", st, err)
	}

	newPC := filepath.Join(t.TempDir(), "budayang")
	if r := run(t, withKeyPassphrase, "key", "import", "--data", newPC, "--in", export); r.code != 0 || !strings.Contains(r.stdout, "已导入") {
		t.Fatalf("import: %+v", r)
	}
	if r := run(t, nil, "restore", "--data", newPC, "--from", backup); r.code != 0 {
		t.Fatalf("restore: %+v", r)
	}
	if err := keyError(t, newPC); err != nil {
		t.Errorf("the moved site's personal fields do not open: %v", err)
	}
	if _, err := secret.New(secret.DefaultStore(newPC)); err != nil {
		t.Errorf("the new PC's default store: %v", err)
	}

	withoutKey := t.TempDir()
	if r := run(t, nil, "restore", "--data", withoutKey, "--from", backup); r.code != 0 {
		t.Fatalf("restore without the key: %+v", r)
	}
	if err := keyError(t, withoutKey); err == nil {
		t.Error("a restore without the key opened the personal fields: the test proves nothing")
	}
}

func TestKey_Refusals(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	site, usb := t.TempDir(), t.TempDir()
	initSite(t, site)
	export := filepath.Join(usb, "key.export")
	if r := run(t, withKeyPassphrase, "key", "export", "--data", site, "--out", export); r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	taken := filepath.Join(usb, "taken")
	os.WriteFile(taken, []byte("keep me"), 0o600)
	other := t.TempDir()
	initSite(t, other)
	empty := filepath.Join(t.TempDir(), "new")
	damaged := filepath.Join(usb, "damaged.export")
	raw, _ := os.ReadFile(export)
	os.WriteFile(damaged, raw[:len(raw)-3], 0o600)

	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"NoPassphrase", nil, []string{"key", "export", "--data", site, "--out", filepath.Join(usb, "a")}, "BUDAYANG_KEY_PASSPHRASE"},
		{"ShortPassphrase", map[string]string{"BUDAYANG_KEY_PASSPHRASE": "short-pass"}, []string{"key", "export", "--data", site, "--out", filepath.Join(usb, "b")}, "至少 12 个字符"},
		{"NeverOverwrites", withKeyPassphrase, []string{"key", "export", "--data", site, "--out", taken}, "不会覆盖"},
		{"NoOut", withKeyPassphrase, []string{"key", "export", "--data", site}, "--out"},
		{"NoSubcommand", withKeyPassphrase, []string{"key"}, "用法"},
		{"WrongPassphrase", map[string]string{"BUDAYANG_KEY_PASSPHRASE": "not the passphrase"}, []string{"key", "import", "--data", empty, "--in", export}, "口令不对"},
		{"Damaged", withKeyPassphrase, []string{"key", "import", "--data", empty, "--in", damaged}, "不完整"},
		{"OverAnotherKey", withKeyPassphrase, []string{"key", "import", "--data", other, "--in", export}, "已有另一把"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := run(t, tt.env, tt.args...); r.code == 0 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("got %+v, want an error with %q", r, tt.want)
			}
		})
	}
	if got, _ := os.ReadFile(taken); string(got) != "keep me" {
		t.Error("export overwrote a file")
	}
	if _, err := os.Stat(filepath.Join(empty, secret.KeyFileName)); !os.IsNotExist(err) {
		t.Errorf("a refused import wrote a key: %v", err)
	}
	if r := run(t, withKeyPassphrase, "key", "import", "--data", site, "--in", export); r.code != 0 || !strings.Contains(r.stdout, "无需导入") {
		t.Errorf("import of the key already there: %+v", r)
	}
}

// Export only reads the key, so it runs beside the program; import holds
// the data directory and is refused while the program runs there.
func TestKey_BesideARunningProgram(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	site, usb := t.TempDir(), t.TempDir()
	initSite(t, site)
	serveElsewhere(t, site)
	export := filepath.Join(usb, "key.export")
	if r := run(t, withKeyPassphrase, "key", "export", "--data", site, "--out", export); r.code != 0 {
		t.Fatalf("export while running: %+v", r)
	}
	if r := run(t, withKeyPassphrase, "key", "import", "--data", site, "--in", export); r.code == 0 || !strings.Contains(r.stderr, "正在被另一个不打烊进程使用") {
		t.Errorf("import while running: %+v", r)
	}
}
