package store

import (
	"errors"
	"os"
	"sync/atomic"

	"github.com/mattn/go-sqlite3"

	"budayang/backend/apperr"
)

// ErrDiskFull is the sentence a person sees when a write fails because the
// data directory's disk is full, read-only or failing.
var ErrDiskFull = apperr.Errorf(apperr.DiskFull, "磁盘已满或无法写入，本次操作未保存；请联系管理员清理磁盘空间或检查数据目录。")

// IsDiskTrouble reports whether err says the disk cannot take a write: full,
// a file over its size limit, read-only, or an I/O error.
func IsDiskTrouble(err error) bool {
	if err == nil {
		return false
	}
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrReadonly {
		return true
	}
	return IsFull(err)
}

// diskState remembers whether the last write failed on the disk, so the
// health check reports it until a write succeeds again.
type diskState struct{ last atomic.Pointer[error] }

func (d *diskState) note(err error) error {
	switch {
	case err == nil:
		d.last.Store(nil)
	case IsDiskTrouble(err):
		d.last.Store(&err)
		return ErrDiskFull
	}
	return err
}

// DiskTrouble returns the disk error of the last write when it failed on
// the disk, else nil.
func (db *DB) DiskTrouble() error {
	if p := db.disk.last.Load(); p != nil {
		return *p
	}
	return nil
}

// probeSize is written by ProbeDir: enough to need new disk blocks.
const probeSize = 64 << 10

// ProbeDir writes, syncs and removes a small file in dir, and returns the
// error when the disk does not take it.
func ProbeDir(dir string) error {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(make([]byte, probeSize))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
