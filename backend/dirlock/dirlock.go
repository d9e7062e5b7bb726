// Package dirlock keeps one process per data directory: serve, the desktop
// window, init and restore hold an exclusive lock on a file in the
// directory while they run, so a second one — or a restore under a running
// server — is refused instead of corrupting the site.
package dirlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"budayang/backend/apperr"
)

// FileName is the lock file inside the data directory.
const FileName = "budayang.lock"

// errHeld is what the platform lock returns when another process holds it.
var errHeld = errors.New("lock held by another process")

// Lock is a held data directory lock.
type Lock struct {
	f *os.File
}

// Acquire locks dir for this process. When another process holds it, the
// error is an apperr.Conflict sentence naming the directory (and the
// holder's process id when it can be read). The lock is released by Release
// or when the process ends, however it ends.
func Acquire(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "无法创建数据目录 %s：%v", dir, err)
	}
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", path, err)
	}
	if err := lock(f); err != nil {
		f.Close()
		if errors.Is(err, errHeld) {
			return nil, apperr.Errorf(apperr.Conflict, "数据目录 %s 正在被另一个不打烊进程使用%s；请先关闭它（同一数据目录只能由一个程序打开，恢复备份前也须先关闭）。", dir, holder(path))
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// The holder's process id, for the sentence a refused process shows.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

func holder(path string) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	pid := strings.TrimSpace(string(raw))
	if _, err := strconv.Atoi(pid); err != nil {
		return ""
	}
	return "（进程号 " + pid + "）"
}

// Release unlocks the directory.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := errors.Join(unlock(l.f), l.f.Close())
	l.f = nil
	return err
}
