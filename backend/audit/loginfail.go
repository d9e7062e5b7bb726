package audit

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"budayang/backend/clock"
	"budayang/backend/store"
)

// ActionLoginFailed is the action of a failed sign-in.
const ActionLoginFailed = "staff.login_failed"

// maxFailAddresses bounds how many client addresses are counted at once;
// failures from further addresses in the same minute are counted together.
const maxFailAddresses = 1024

// otherAddresses is the address failures are counted under once
// maxFailAddresses are being counted.
const otherAddresses = "*"

// loginFailures counts sign-ins with an unknown user name per client address
// and minute. The log is append-only and chained, so a count cannot be
// updated in place: the first failure of an address in a minute is recorded
// as it happens, and the others of that minute are recorded as one entry
// with their number once the minute has closed — at the next unknown-user
// failure from any address, or when the log closes.
type loginFailures struct {
	mu   sync.Mutex
	open map[string]*failWindow
}

type failWindow struct {
	minute time.Time
	more   int
}

// UnknownUser records a sign-in attempt with a user name nobody has, inside
// tx, without letting a flood of attempts grow the log: at most one entry
// per client address and minute carries the submitted name (cut to
// MaxActor), and the further attempts of that minute are one summary entry.
// The client address is the part of who.Workstation after its last "@" (the
// whole of it when there is none).
func UnknownUser(ctx context.Context, tx *store.Tx, who Actor, login string) error {
	l, err := of(tx.DB())
	if err != nil {
		return fmt.Errorf("audit %s: %w", ActionLoginFailed, err)
	}
	addr := who.Workstation
	if i := strings.LastIndex(addr, "@"); i >= 0 {
		addr = addr[i+1:]
	}
	minute := tx.Now.Truncate(time.Minute)
	f := &l.fails
	f.mu.Lock()
	due := f.closed(minute, false)
	w, counted := f.open[addr]
	if !counted && len(f.open) >= maxFailAddresses {
		addr = otherAddresses
		w, counted = f.open[addr]
	}
	first := !counted
	if counted {
		w.more++
	} else {
		f.open[addr] = &failWindow{minute: minute}
	}
	f.mu.Unlock()
	for _, s := range due {
		if err := Record(ctx, tx, s.who, ActionLoginFailed, "", s.detail); err != nil {
			return err
		}
	}
	if !first {
		return nil
	}
	return Record(ctx, tx, who, ActionLoginFailed, login, "unknown user")
}

type failSummary struct {
	who    Actor
	detail string
}

// closed removes the windows of minutes before now (all of them when all
// is set) and returns the summaries of those that counted further
// failures. f.mu must be held.
func (f *loginFailures) closed(now time.Time, all bool) []failSummary {
	var out []failSummary
	for addr, w := range f.open {
		if !all && !w.minute.Before(now) {
			continue
		}
		delete(f.open, addr)
		if w.more == 0 {
			continue
		}
		out = append(out, failSummary{
			who:    Actor{Login: "", Workstation: addr},
			detail: fmt.Sprintf("unknown user: %d more attempts from %s in the minute from %s", w.more, addr, w.minute.In(clock.Shanghai).Format("2006-01-02 15:04")),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].detail < out[j].detail })
	return out
}

// flushFailures records the counts still open (all when all is set).
func (l *Log) flushFailures(ctx context.Context, all bool) error {
	l.fails.mu.Lock()
	due := l.fails.closed(l.db.Clock().Now().Truncate(time.Minute), all)
	l.fails.mu.Unlock()
	if len(due) == 0 {
		return nil
	}
	return l.db.Write(ctx, func(tx *store.Tx) error {
		for _, s := range due {
			if err := Record(ctx, tx, s.who, ActionLoginFailed, "", s.detail); err != nil {
				return err
			}
		}
		return nil
	})
}
