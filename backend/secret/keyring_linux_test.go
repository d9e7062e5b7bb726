//go:build linux

package secret_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"budayang/backend/secret"
)

// The Secret Service tests run in a child process inside a private D-Bus
// session with a freshly unlocked GNOME Keyring (what a Linux desktop has),
// so they touch neither the developer's keyring nor a bus CI lacks.
func TestKeyringStore(t *testing.T) {
	if step := os.Getenv("BUDAYANG_KEYRING_STEP"); step != "" {
		keyringChild(t, step)
		return
	}
	for _, bin := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed (make deps installs it)", bin)
		}
	}
	home := t.TempDir()
	dataDir := filepath.Join(t.TempDir(), "site")
	run := func(step string) string {
		t.Helper()
		script := `echo -n budayang | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$0" -test.run='^TestKeyringStore$' -test.v`
		cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script, os.Args[0])
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, "data"),
			"XDG_RUNTIME_DIR="+home, "BUDAYANG_KEYRING_STEP="+step, "BUDAYANG_KEYRING_DIR="+dataDir)
		// The keyring daemon the session started may outlive it holding
		// the output pipe: stop waiting for the pipe once the session ends.
		cmd.WaitDelay = 5 * time.Second
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", step, err, out)
		}
		if testing.Verbose() {
			t.Logf("%s:\n%s", step, out)
		}
		return string(out)
	}
	first := run("create")
	if _, err := os.Stat(filepath.Join(dataDir, secret.KeyFileName)); err == nil {
		t.Error("a key file was written although the keyring took the key")
	}
	if _, err := os.Stat(filepath.Join(dataDir, secret.KeyringMarker)); err != nil {
		t.Errorf("no keyring marker beside the database: %v", err)
	}
	// The keyring daemon keeps its keyrings under HOME: a second session
	// finds the same key.
	second := run("reload")
	if key(t, first) != key(t, second) {
		t.Error("the keyring gave another key in a new session")
	}
	// A key exported elsewhere goes into the keyring of a fresh directory
	// that keeps its keys there, and opens from it in a later session.
	src := secret.FileStore{Path: filepath.Join(t.TempDir(), secret.KeyFileName)}
	want, err := src.Load()
	if err != nil {
		t.Fatal(err)
	}
	file, _, err := secret.Export(src, "keyring import passphrase")
	if err != nil {
		t.Fatal(err)
	}
	exported := filepath.Join(t.TempDir(), "key.export")
	if err := os.WriteFile(exported, file, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BUDAYANG_KEYRING_EXPORT", exported)
	dataDir = filepath.Join(t.TempDir(), "moved")
	run("import")
	if _, err := os.Stat(filepath.Join(dataDir, secret.KeyFileName)); err == nil {
		t.Error("the import wrote a key file although the keyring took the key")
	}
	if got := key(t, run("reload")); got != fmt.Sprintf("%x", want) {
		t.Errorf("after import the keyring gave %s, want the exported key %x", got, want)
	}
	// Without the session bus the directory's key is unreachable: say so,
	// never make a new key.
	os.Unsetenv("DBUS_SESSION_BUS_ADDRESS")
	if _, err := secret.DefaultStore(dataDir).Load(); err == nil || !strings.Contains(err.Error(), "系统密钥环") {
		t.Errorf("load without the keyring: got %v, want the keyring sentence", err)
	}
}

func key(t *testing.T, out string) string {
	t.Helper()
	if _, k, ok := strings.Cut(out, "KEY "); ok {
		k, _, _ = strings.Cut(k, "\n")
		return strings.TrimSpace(k)
	}
	t.Fatalf("child printed no key:\n%s", out)
	return ""
}

func keyringChild(t *testing.T, step string) {
	dir := os.Getenv("BUDAYANG_KEYRING_DIR")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	ks := secret.DefaultStore(dir)
	if _, ok := ks.(secret.KeyringStore); !ok {
		t.Fatalf("%s: store is %s, want the keyring", step, ks.Describe())
	}
	if step == "import" {
		file, err := os.ReadFile(os.Getenv("BUDAYANG_KEYRING_EXPORT"))
		if err != nil {
			t.Fatal(err)
		}
		if installed, _, err := secret.Import(ks, file, "keyring import passphrase"); err != nil || !installed {
			t.Fatalf("import into the keyring: installed %v, %v", installed, err)
		}
		if _, err := os.Stat(filepath.Join(dir, secret.KeyringMarker)); err != nil {
			t.Fatalf("no keyring marker after import: %v", err)
		}
		return
	}
	k1, err := ks.Load()
	if err != nil {
		t.Fatal(err)
	}
	k2, err := ks.Load()
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second load: %v", err)
	}
	t.Logf("KEY %x", k1)
}

// Where no desktop key store answers (a server, CI), the key goes to the
// file beside the database.
func TestDefaultStore_FallsBackToFile(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	dir := t.TempDir()
	if _, err := secret.DefaultStore(dir).Load(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, secret.KeyFileName)); err != nil {
		t.Errorf("no key file: %v", err)
	}
}
