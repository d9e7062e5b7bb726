package dirlock_test

import (
	"strings"
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/dirlock"
)

// A second lock on a held directory is refused, here from the same process
// through another open file (which flock and LockFileEx treat as another
// holder); the cli tests show it across processes.
func TestAcquire(t *testing.T) {
	dir := t.TempDir()
	first, err := dirlock.Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = dirlock.Acquire(dir)
	if apperr.Code(err) != apperr.Conflict || !strings.Contains(apperr.Message(err), dir) {
		t.Fatalf("second lock: got %v, want a conflict naming %s", err, dir)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := dirlock.Acquire(dir)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again.Release()
}
