package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"budayang/backend/apperr"
)

// Status is the result of a verification.
type Status struct {
	// OK is true when every entry checked is intact and nothing was cut.
	OK bool `json:"chain_ok"`
	// BrokenAt is the first entry that does not match its hash or does not
	// follow the one before (an edited entry, or the one after a deleted
	// one); nil when none.
	BrokenAt *int64 `json:"broken_at"`
	// Cut is true when the newest entries were removed: the head file names
	// an entry the database no longer has, or has with another hash.
	Cut bool `json:"cut"`
	// HeadSeq is the entry the head file vouches for; TailSeq the newest in
	// the database.
	HeadSeq int64 `json:"head_seq"`
	TailSeq int64 `json:"tail_seq"`
	// VerifiedThrough is the newest entry known intact.
	VerifiedThrough int64 `json:"verified_through"`
	// Checked is how many entries this verification read.
	Checked int64 `json:"checked"`
	// Full is true when the whole chain was walked from the first entry.
	Full bool `json:"full"`
	// Message says the result in a sentence.
	Message string `json:"message"`
}

type verified struct {
	seq       int64
	hash      string
	keyedFrom int64
	brokenAt  int64
	started   bool
}

// Verify checks the entries added since the last verification: they must
// follow the last entry verified and carry its keyed hash. The first call
// after Open continues from the checkpoint an earlier verification left
// (VerifiedFileName); a call with full set, a first call without a valid
// checkpoint, and any call that finds the last verified entry changed walk
// the whole chain from the first entry. It also checks the database
// against the head file, to see a cut.
//
// An incremental check does not re-read older entries, so an edit to an
// entry already verified is found by the next full walk (the nightly
// audit-verify job, or GET /api/v1/audit?verify=full).
func (l *Log) Verify(ctx context.Context, full bool) (Status, error) {
	if l.key == nil {
		return Status{}, errors.New("audit log not opened for this database")
	}
	l.mu.Lock()
	h, c := l.head, l.cut
	l.mu.Unlock()
	l.vmu.Lock()
	defer l.vmu.Unlock()
	read := l.db.Read()
	if !full && !l.ver.started {
		if v, ok := l.readVerified(); ok {
			l.ver = v
		}
	}
	if !full && l.ver.started && l.ver.seq > 0 {
		var hash string
		err := read.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, l.ver.seq).Scan(&hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Status{}, fmt.Errorf("verify audit log: %w", err)
		}
		full = hash != l.ver.hash
	}
	if full || !l.ver.started {
		from, err := l.keyedFrom(ctx)
		if err != nil {
			return Status{}, err
		}
		l.ver = verified{hash: genesis, keyedFrom: from, started: true}
		full = true
	}
	w := walker{key: l.key, keyedFrom: l.ver.keyedFrom, prev: l.ver.hash, last: l.ver.seq}
	if err := w.walk(ctx, read, l.ver.seq); err != nil {
		return Status{}, err
	}
	advanced := w.last != l.ver.seq
	l.ver.seq, l.ver.hash, l.ver.brokenAt = w.last, w.prev, w.brokenAt
	if advanced && w.brokenAt == 0 {
		l.writeVerified(l.ver)
	}
	tail, err := l.tail(ctx)
	if err != nil {
		return Status{}, err
	}
	st := Status{HeadSeq: h.Seq, TailSeq: tail.Seq, VerifiedThrough: l.ver.seq, Checked: w.checked, Full: full}
	switch {
	case c != nil:
		st.Cut = true
		if !c.invalid {
			st.HeadSeq = c.head.Seq
		}
	case h.Seq > tail.Seq:
		st.Cut = true
	case h.Seq > 0:
		var hash string
		err := read.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, h.Seq).Scan(&hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Status{}, fmt.Errorf("verify audit head: %w", err)
		}
		st.Cut = hash != h.Hash
	}
	if l.ver.brokenAt != 0 {
		b := l.ver.brokenAt
		st.BrokenAt = &b
	}
	st.OK = st.BrokenAt == nil && !st.Cut
	st.Message = st.sentence(c != nil && c.invalid, l.headPath)
	return st, nil
}

func (st Status) sentence(headInvalid bool, headPath string) string {
	var msg string
	switch {
	case headInvalid:
		msg = fmt.Sprintf("审计头文件 %s 校验失败，可能被改动或替换，无法确认最新的审计记录是否被删除。", headPath)
	case st.Cut && st.HeadSeq > st.TailSeq:
		msg = fmt.Sprintf("审计日志末尾被截去：审计头记录到第%d条，数据库中只到第%d条。", st.HeadSeq, st.TailSeq)
	case st.Cut:
		msg = fmt.Sprintf("审计日志第%d条与审计头记录不符：最新的审计记录被删除或替换过。", st.HeadSeq)
	}
	if st.BrokenAt != nil {
		msg += fmt.Sprintf("审计日志自第%d条起被改动或删除，此后的记录不可信。", *st.BrokenAt)
	}
	if msg == "" {
		msg = fmt.Sprintf("审计日志完整：已校验至第%d条。", st.VerifiedThrough)
	}
	return msg
}

// walker checks entries in order: each must name the one before and match
// its hash — unkeyed before the keyed chain starts, keyed from then on.
type walker struct {
	key       []byte
	keyedFrom int64
	prev      string
	last      int64
	checked   int64
	brokenAt  int64
}

// walk checks the entries after seq, stopping at the first broken one;
// prev and last end at the last intact entry.
func (w *walker) walk(ctx context.Context, read *sql.DB, after int64) error {
	rows, err := read.QueryContext(ctx,
		`SELECT seq, at, actor, action, target, detail, workstation, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq`, after)
	if err != nil {
		return fmt.Errorf("verify audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Entry
		var prevHash string
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Workstation, &prevHash, &e.Hash); err != nil {
			return fmt.Errorf("verify audit log: %w", err)
		}
		w.checked++
		want := ""
		if w.keyedFrom > 0 && e.Seq < w.keyedFrom {
			want = legacyHash(w.prev, e)
		} else {
			want = keyedHash(w.key, w.prev, e)
		}
		if prevHash != w.prev || want != e.Hash {
			w.brokenAt = e.Seq
			return nil
		}
		w.prev, w.last = e.Hash, e.Seq
	}
	return rows.Err()
}

// NightlySpec is when the whole chain is walked: 02:40 every night, after
// the nightly backup.
const NightlySpec = "40 2 * * *"

// VerifyNightly walks the whole chain (a schedule.Job's Run); a broken or
// cut chain fails the job with the sentence of Status.Message.
func (l *Log) VerifyNightly(ctx context.Context, _ time.Time) error {
	st, err := l.Verify(ctx, true)
	if err != nil {
		return err
	}
	if !st.OK {
		return apperr.Errorf(apperr.Conflict, "%s", st.Message)
	}
	return nil
}
