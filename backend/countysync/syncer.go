package countysync

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mathrand "math/rand/v2"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/clock"
	"budayang/backend/county"
	"budayang/backend/events"
	"budayang/backend/secret"
	"budayang/backend/store"
)

// Defaults of the worker.
const (
	// BatchSize is how many outbox rows go in one push.
	BatchSize = 500
	// KeepDelivered is how long delivered outbox rows are kept.
	KeepDelivered = 30 * 24 * time.Hour
	// JobSpec runs the sync job every minute.
	JobSpec = "* * * * *"
)

// Status is what GET /api/v1/sync answers.
type Status struct {
	Enrolled      bool       `json:"enrolled"`
	County        string     `json:"county"`
	Online        bool       `json:"online"`
	LastSuccessAt *time.Time `json:"last_success_at"`
	Pending       int        `json:"pending"`
	Dead          int        `json:"dead"`
	LastError     string     `json:"last_error"`
	Protocol      int        `json:"protocol"`
	// Datasets are the county's datasets as applied here; UpgradeNeeded
	// the kinds the county publishes in a schema newer than this build.
	Datasets      []DatasetState `json:"datasets"`
	UpgradeNeeded []string       `json:"upgrade_needed"`
	// Stalled is the alarm of a queue that made no progress for
	// StallAfter while the county answered; StalledSince is when it last
	// moved (set only while stalled).
	Stalled      bool       `json:"stalled"`
	StalledSince *time.Time `json:"stalled_since"`
	// Unrecoverable counts entries a county restored from a backup lost
	// after this site had pruned them: they cannot be sent again.
	Unrecoverable int `json:"unrecoverable"`
}

// Dead is a record the county refused, with its reason.
type Dead struct {
	EntryID  string    `json:"entry_id"`
	Seq      int64     `json:"seq"`
	Kind     string    `json:"kind"`
	EntityID string    `json:"entity_id"`
	Reason   string    `json:"reason"`
	FailedAt time.Time `json:"failed_at"`
}

// Syncer pushes the site's outbox to the county it is enrolled with.
type Syncer struct {
	db      *store.DB
	dataDir string
	clock   clock.Clock
	log     *slog.Logger

	// Batch, BackoffBase, BackoffMax, Idle and Timeout tune the worker;
	// New sets the defaults, tests shorten them.
	Batch       int
	BackoffBase time.Duration
	BackoffMax  time.Duration
	Idle        time.Duration
	Timeout     time.Duration
	// Events, when set, hears EventStalled each time the stall alarm is
	// raised or cleared.
	Events events.Publisher

	push sync.Mutex // one push at a time
	kick chan struct{}

	mu          sync.Mutex
	cfg         *Config
	cred        []byte
	client      *http.Client
	online      bool
	offset      time.Duration // the county's clock minus the site's
	lastSuccess *time.Time
	lastError   string
	ds          *Datasets // nil: no pull
	upgrade     []string  // kinds last seen in a newer schema
	answered    bool      // the county answered (any status) since last asked
	stall       stallWatch

	relayTo RelayParty // nil: no relay (relay.go)
}

// New returns the worker of the site in dataDir.
func New(db *store.DB, dataDir string, clk clock.Clock, log *slog.Logger) *Syncer {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Syncer{db: db, dataDir: dataDir, clock: clk, log: log, Batch: BatchSize,
		BackoffBase: time.Second, BackoffMax: 6 * time.Second, Idle: 5 * time.Second, Timeout: 60 * time.Second,
		kick: make(chan struct{}, 1)}
}

// load reads the enrolment once; nil config means not enrolled.
func (s *Syncer) load() (*Config, []byte, *http.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg != nil {
		return s.cfg, s.cred, s.client, nil
	}
	cfg, err := LoadConfig(s.dataDir)
	if err != nil || cfg == nil {
		return nil, nil, nil, err
	}
	fp, err := fingerprintBytes(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	cred, err := loadCredential(s.dataDir)
	if err != nil {
		return nil, nil, nil, err
	}
	s.cfg, s.cred = cfg, cred
	s.client, _ = pinnedClient(fp, false, s.Timeout)
	return s.cfg, s.cred, s.client, nil
}

// Enroll exchanges a one-time code for this site's credential at the
// county (countyURL, or the address the code carries when empty). The
// first connection is verified against the fingerprint prefix in the
// code; the full fingerprint is then pinned.
func (s *Syncer) Enroll(ctx context.Context, countyURL, code string) (*Config, error) {
	s.push.Lock()
	defer s.push.Unlock()
	if cfg, _, _, err := s.load(); err != nil {
		return nil, err
	} else if cfg != nil {
		return nil, apperr.Errorf(apperr.Conflict, "本站点已登记到县平台 %s，无需再次登记。", cfg.County)
	}
	c, err := county.ParseCode(code, s.clock.Now())
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(strings.TrimSpace(countyURL), "/")
	if base == "" {
		base = c.URL()
	}
	if !strings.HasPrefix(base, "https://") {
		return nil, apperr.Errorf(apperr.Invalid, "县平台地址应以 https:// 开头，例如 https://10.0.0.5:8480。")
	}
	client, pin := pinnedClient(c.Pin, true, s.Timeout)
	body, _ := json.Marshal(county.EnrollRequest{Code: code})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/county/v1/enroll", bytes.NewReader(body))
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "县平台地址“%s”不正确。", countyURL)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(county.HeaderProtocol, strconv.Itoa(county.Protocol))
	var reply county.EnrollReply
	if err := do(client, req, &reply); err != nil {
		return nil, err
	}
	if len(reply.Credential) != county.CredentialSize || reply.SiteID == "" || pin.got == nil {
		return nil, apperr.Errorf(apperr.Unavailable, "县平台的答复不完整，请稍后重试。")
	}
	cfg := &Config{County: base, SiteID: reply.SiteID, Name: reply.Name, Kind: reply.Kind,
		Fingerprint: hex.EncodeToString(pin.got), EnrolledAt: s.clock.Now().UTC()}
	// The credential first: a config on disk always has its credential.
	if err := secret.SaveCredential(filepath.Join(s.dataDir, CredentialFile), reply.Credential); err != nil {
		return nil, fmt.Errorf("save the county site credential: %w", err)
	}
	if err := saveConfig(s.dataDir, cfg); err != nil {
		return nil, fmt.Errorf("save the county enrolment: %w", err)
	}
	s.mu.Lock()
	s.cfg, s.cred = nil, nil
	s.mu.Unlock()
	s.Kick()
	return cfg, nil
}

// clockSkew is the county's code for a request refused for its time.
const clockSkew = "clock_skew"

// do sends req and decodes a 200 answer into out; any other answer becomes
// the county's own sentence.
func do(client *http.Client, req *http.Request, out any) error {
	return doObserved(client, req, out, func(http.Header) {})
}

// rawAnswer takes a 200 answer's bytes and headers undecoded.
type rawAnswer struct {
	body   []byte
	header http.Header
}

// doObserved is do, showing the answer's headers to seen first; out may be
// a *rawAnswer.
func doObserved(client *http.Client, req *http.Request, out any, seen func(http.Header)) error {
	resp, err := client.Do(req)
	if err != nil {
		return asUserError(err)
	}
	defer resp.Body.Close()
	seen(resp.Header)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return asUserError(err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
			Code  string `json:"code"`
		}
		_ = json.Unmarshal(raw, &e)
		if e.Code == clockSkew {
			return apperr.Errorf(clockSkew, "%s", e.Error)
		}
		if e.Error == "" {
			e.Error = fmt.Sprintf("县平台答复 %d。", resp.StatusCode)
		}
		code := apperr.Unavailable
		switch {
		case resp.StatusCode == http.StatusUpgradeRequired:
			code = apperr.Conflict
		case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized:
			code = apperr.Forbidden
		case resp.StatusCode >= 400 && resp.StatusCode < 500:
			code = apperr.Invalid
		}
		return apperr.Errorf(code, "%s", e.Error)
	}
	if ra, ok := out.(*rawAnswer); ok {
		ra.body, ra.header = raw, resp.Header
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return apperr.Errorf(apperr.Unavailable, "县平台的答复无法读取：%v", err)
	}
	return nil
}

// Kick asks the worker loop to push now.
func (s *Syncer) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Push sends every pending outbox row, in sequence order and in batches,
// marking rows delivered only once the county has acknowledged their
// commit. Rows the county refuses go to the dead-letter list. It first
// sends an empty batch, so the county hears the site's counts and clock,
// the site learns whether the county answers, and a county restored from a
// backup is found (see reconcile) before newer rows could overtake the ones
// it lost. Once the county answered, the site pulls its datasets (see
// UseDatasets). An unenrolled site has nothing to do.
func (s *Syncer) Push(ctx context.Context) error { return s.pushPending(ctx, true) }

// pushPending is Push; without heartbeat it contacts the county only when
// rows are pending (the worker loop looks every Idle).
func (s *Syncer) pushPending(ctx context.Context, heartbeat bool) error {
	s.push.Lock()
	defer s.push.Unlock()
	cfg, cred, client, err := s.load()
	if err != nil || cfg == nil {
		return err
	}
	reached := false
	for first := true; ; first = false {
		entries, err := s.db.PendingOutbox(ctx, s.Batch)
		if err != nil {
			return err
		}
		if len(entries) == 0 && !heartbeat {
			if reached {
				if err := s.relay(ctx, cfg, cred, client); err != nil {
					s.pullFailed(err)
					return pullError{err}
				}
				if err := s.pull(ctx, cfg, cred, client); err != nil {
					s.pullFailed(err)
					return pullError{err}
				}
			}
			return s.prune(ctx)
		}
		if first {
			entries = nil
		}
		pending, dead, err := s.counts(ctx)
		if err != nil {
			return err
		}
		req := county.PushRequest{Pending: pending, Dead: dead, Entries: make([]county.Entry, len(entries))}
		for i, e := range entries {
			req.Entries[i] = county.Entry(e)
		}
		var reply county.PushReply
		s.mu.Lock()
		s.answered = false
		s.mu.Unlock()
		if err := s.send(ctx, cfg, cred, client, http.MethodPost, "/county/v1/push", req, &reply); err != nil {
			s.failed(err)
			s.watch(ctx, false)
			return err
		}
		if err := s.delivered(ctx, entries, reply); err != nil {
			return err
		}
		s.succeeded()
		if !first || pending == 0 {
			// The opening empty batch is not judged while rows wait: the
			// batch that follows says whether the queue moves.
			s.watch(ctx, len(entries) > 0)
		}
		if err := s.reconcile(ctx, cfg, cred, client, reply.Held); err != nil {
			s.failed(err)
			return err
		}
		heartbeat, reached = false, true
	}
}

// send signs and sends v (nothing for a nil v) by method. The signing time
// is the site's clock corrected by the county's, as last seen in an
// answer: a site clock set back a day
// still syncs, in outbox order, and the county records the real skew. A
// refusal for the time is retried once at once with the corrected time.
func (s *Syncer) send(ctx context.Context, cfg *Config, cred []byte, client *http.Client, method, path string, v, out any) error {
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			return err
		}
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, cfg.County+path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		nonce := make([]byte, 16)
		if _, err := rand.Read(nonce); err != nil {
			return err
		}
		n := hex.EncodeToString(nonce)
		local := s.clock.Now()
		s.mu.Lock()
		unix := local.Add(s.offset).Unix()
		s.mu.Unlock()
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(county.HeaderProtocol, strconv.Itoa(county.Protocol))
		req.Header.Set(county.HeaderSite, cfg.SiteID)
		req.Header.Set(county.HeaderTime, strconv.FormatInt(unix, 10))
		req.Header.Set(county.HeaderLocalTime, strconv.FormatInt(local.Unix(), 10))
		req.Header.Set(county.HeaderNonce, n)
		req.Header.Set(county.HeaderSignature, county.Sign(cred, method, req.URL.Path, body, unix, n))
		err = doObserved(client, req, out, func(h http.Header) {
			s.mu.Lock()
			s.answered = true
			s.mu.Unlock()
			if ct, err := strconv.ParseInt(h.Get(county.HeaderCountyTime), 10, 64); err == nil {
				s.mu.Lock()
				s.offset = time.Unix(ct, 0).Sub(local.Truncate(time.Second))
				s.mu.Unlock()
			}
		})
		if apperr.Code(err) == clockSkew {
			if attempt == 0 {
				continue
			}
			return apperr.Errorf(apperr.Forbidden, "%s", apperr.Message(err))
		}
		return err
	}
}

// delivered marks the acknowledged rows sent, moves refused ones to the
// dead-letter list and counts the applied ones in sync_state, in one
// transaction.
func (s *Syncer) delivered(ctx context.Context, entries []store.OutboxEntry, reply county.PushReply) error {
	why := make(map[string]string, len(reply.Rejected))
	for _, r := range reply.Rejected {
		why[r.ID] = r.Reason
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		now := store.FormatTime(tx.Now)
		applied := 0
		for _, e := range entries {
			if e.Seq > reply.AckedThrough {
				break
			}
			if reason, refused := why[e.ID]; !refused {
				applied++
			} else {
				if _, err := tx.ExecContext(ctx, `INSERT INTO sync_dead (entry_id, seq, kind, entity_id, payload, created_at, reason, failed_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, e.ID, e.Seq, e.Kind, e.EntityID, e.Payload, e.CreatedAt, reason, now); err != nil {
					return fmt.Errorf("dead-letter %s: %w", e.ID, err)
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = ? WHERE id = ?`, now, e.ID); err != nil {
				return fmt.Errorf("mark %s delivered: %w", e.ID, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sync_state SET applied = applied + ?`, applied); err != nil {
			return fmt.Errorf("count applied entries: %w", err)
		}
		return nil
	})
}

func (s *Syncer) prune(ctx context.Context) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?`, store.FormatTime(tx.Now.Add(-KeepDelivered)))
		return err
	})
}

func (s *Syncer) counts(ctx context.Context) (pending, dead int, err error) {
	err = s.db.Read().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL), (SELECT count(*) FROM sync_dead)`).Scan(&pending, &dead)
	return pending, dead, err
}

func (s *Syncer) succeeded() {
	now := s.clock.Now().UTC()
	s.mu.Lock()
	s.online, s.lastSuccess, s.lastError = true, &now, ""
	s.mu.Unlock()
}

func (s *Syncer) failed(err error) {
	s.mu.Lock()
	s.online, s.lastError = false, apperr.Message(err)
	s.mu.Unlock()
	s.log.Warn("county sync failed", "err", err)
}

// pullFailed keeps a failed pull's sentence for the admin; the push went
// through, so the link stays online.
func (s *Syncer) pullFailed(err error) {
	s.mu.Lock()
	s.lastError = apperr.Message(err)
	s.mu.Unlock()
	s.log.Warn("county pull failed", "err", err)
}

// pullError is a pull that failed after a push went through.
type pullError struct{ error }

func (e pullError) Unwrap() error { return e.error }

// Status reports the link for the admin.
func (s *Syncer) Status(ctx context.Context) (Status, error) {
	cfg, _, _, err := s.load()
	if err != nil {
		return Status{}, err
	}
	pending, dead, err := s.counts(ctx)
	if err != nil {
		return Status{}, err
	}
	sets, err := s.datasetStates(ctx)
	if err != nil {
		return Status{}, err
	}
	st := Status{Enrolled: cfg != nil, Pending: pending, Dead: dead, Protocol: county.Protocol, Datasets: sets, UpgradeNeeded: []string{}}
	if cfg != nil {
		st.County = cfg.County
	}
	if err := s.db.Read().QueryRowContext(ctx, `SELECT unrecoverable FROM sync_state`).Scan(&st.Unrecoverable); err != nil {
		return Status{}, fmt.Errorf("read the sync state: %w", err)
	}
	s.mu.Lock()
	st.Online, st.LastSuccessAt, st.LastError = s.online && cfg != nil, s.lastSuccess, s.lastError
	st.UpgradeNeeded = append(st.UpgradeNeeded, s.upgrade...)
	s.mu.Unlock()
	if st.LastError == "" && len(st.UpgradeNeeded) > 0 {
		st.LastError = UpgradeSentence(st.UpgradeNeeded)
	}
	st.Stalled, st.StalledSince = s.Stall()
	return st, nil
}

// DeadList lists the records the county refused, newest first.
func (s *Syncer) DeadList(ctx context.Context) ([]Dead, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT entry_id, seq, kind, entity_id, reason, failed_at FROM sync_dead ORDER BY seq DESC LIMIT 500`)
	if err != nil {
		return nil, fmt.Errorf("list dead letters: %w", err)
	}
	defer rows.Close()
	out := []Dead{}
	for rows.Next() {
		var d Dead
		var at string
		if err := rows.Scan(&d.EntryID, &d.Seq, &d.Kind, &d.EntityID, &d.Reason, &at); err != nil {
			return nil, err
		}
		d.FailedAt, _ = store.ParseTime(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Job is the every-minute scheduled push (the schedule package records
// its runs); the loop in Run does the retrying in between.
func (s *Syncer) Job(ctx context.Context, _ time.Time) error { return s.Push(ctx) }

// Run pushes until ctx ends: after a failure it retries with exponential
// backoff and jitter (at most BackoffMax), so a link that heals drains
// within seconds with nothing new written; otherwise it looks again every
// Idle or when kicked.
func (s *Syncer) Run(ctx context.Context) {
	failures, first := 0, true
	for {
		wait := s.Idle
		// The first try and every try after a failure reach the county, so
		// the site knows whether it answers even with nothing to send.
		err := s.pushPending(ctx, first || failures > 0)
		first = false
		// A failed pull waits for the next minute's job: downloading a
		// version the county holds damaged every few seconds helps nobody.
		if err != nil && !errors.As(err, new(pullError)) {
			if ctx.Err() != nil {
				return
			}
			failures++
			wait = backoff(s.BackoffBase, s.BackoffMax, failures)
		} else {
			failures = 0
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.kick:
			t.Stop()
		case <-t.C:
		}
	}
}

// backoff is base·2^(n-1) capped at max, with "equal jitter": between half
// and all of it, so many sites that lost the county together do not come
// back in step.
func backoff(base, max time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	return d/2 + time.Duration(mathrand.Int64N(int64(d/2)+1))
}
