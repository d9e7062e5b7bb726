// Package device is 设备配对: the kiosk, the rating pad and the display that
// stand in the hall are made trusted one by one. The administrator opens a
// pairing and reads a short one-time code off the screen; the device's page
// exchanges the code for its own long random credential, of which only a hash
// is stored. A rating pad is bound to one window. Revoking a device ends its
// credential at once.
package device

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/queue"
	"budayang/backend/store"
)

// Kinds of device.
const (
	Kiosk     = "kiosk"
	RatingPad = "rating_pad"
	Display   = "display"
)

// Event types; they carry a Device and go to staff only.
const (
	Paired  = "device:paired"
	Changed = "device:changed"
	Revoked = "device:revoked"
)

// CodeTTL is how long a pairing code may be used.
const CodeTTL = 10 * time.Minute

// CodeLength is the number of characters of a pairing code.
const CodeLength = 8

// codeAlphabet leaves out what is misread on a screen or typed wrong on a
// tablet: 0/O, 1/I/L.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// KindName is the Chinese name of a kind, for sentences and the audit log.
func KindName(kind string) string {
	switch kind {
	case Kiosk:
		return "取号机"
	case RatingPad:
		return "评价器"
	case Display:
		return "叫号屏"
	}
	return kind
}

// Device is one paired device.
type Device struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Window is the window a rating pad rates; nil for other kinds and for a
	// pad not bound yet.
	Window   *int      `json:"window"`
	PairedBy string    `json:"paired_by"`
	PairedAt time.Time `json:"paired_at"`
}

// NewPairing is what the administrator asks for.
type NewPairing struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Window *int   `json:"window"`
}

// Pairing is an open pairing: the code is shown once, here.
type Pairing struct {
	Code      string    `json:"code"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Window    *int      `json:"window"`
	ExpiresAt time.Time `json:"expires_at"`
	// ExpiresIn is the code's life in seconds, for a countdown that does not
	// depend on the administrator's clock agreeing with the host's.
	ExpiresIn int `json:"expires_in"`
}

// Credential is what a device gets once, when it pairs.
type Credential struct {
	Credential string `json:"credential"`
	Device     Device `json:"device"`
}

// Change renames a device and, for a rating pad, binds it to a window (nil
// unbinds it).
type Change struct {
	Name   string `json:"name"`
	Window *int   `json:"window"`
}

// Windows is what the service needs of the queue: the hall's windows, to
// bind a rating pad only to one that exists.
type Windows interface {
	Windows(ctx context.Context) ([]queue.Window, error)
}

// Service pairs, authenticates and manages devices.
type Service struct {
	db      *store.DB
	clock   clock.Clock
	pub     events.Publisher
	windows Windows
}

// NewService returns the device service.
func NewService(db *store.DB, clk clock.Clock, pub events.Publisher, w Windows) *Service {
	return &Service{db: db, clock: clk, pub: pub, windows: w}
}

func hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func newCode() (string, error) {
	b := make([]byte, CodeLength)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("pairing code: %w", err)
	}
	// 256 is not a multiple of the alphabet's size; the bias this leaves is
	// a few per cent on some characters, irrelevant against a 10-minute,
	// rate-limited, single-use code of 31^8 values.
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b), nil
}

// NormalizeCode reads a code as typed: case, spaces and dashes do not matter.
func NormalizeCode(code string) string {
	code = strings.ToUpper(code)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
}

func requireAdmin(by account.Principal) error {
	if by.Role != account.RoleAdmin {
		return apperr.Errorf(apperr.Forbidden, "只有管理员可以管理大厅设备。")
	}
	return nil
}

func (s *Service) checkWindow(ctx context.Context, kind string, n *int) error {
	if n == nil {
		return nil
	}
	if kind != RatingPad {
		return apperr.Errorf(apperr.Invalid, "只有评价器需要绑定窗口。")
	}
	list, err := s.windows.Windows(ctx)
	if err != nil {
		return err
	}
	for _, w := range list {
		if w.Number == *n {
			return nil
		}
	}
	return apperr.Errorf(apperr.Invalid, "没有%d号窗口。", *n)
}

func cleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if len([]rune(name)) > 40 {
		return "", apperr.Errorf(apperr.Invalid, "设备名称请控制在40字以内。")
	}
	return name, nil
}

// CreatePairing opens a pairing for a device of in.Kind and returns its
// one-time code, valid for CodeTTL. Administrators only. Errors: an unknown
// kind, a window given for a kind other than a rating pad or one that does
// not exist, a name over 40 characters.
func (s *Service) CreatePairing(ctx context.Context, by account.Principal, in NewPairing) (Pairing, error) {
	if err := requireAdmin(by); err != nil {
		return Pairing{}, err
	}
	if in.Kind != Kiosk && in.Kind != RatingPad && in.Kind != Display {
		return Pairing{}, apperr.Errorf(apperr.Invalid, "设备类型应为取号机、评价器或叫号屏。")
	}
	name, err := cleanName(in.Name)
	if err != nil {
		return Pairing{}, err
	}
	if name == "" {
		name = KindName(in.Kind)
		if in.Window != nil {
			name = fmt.Sprintf("%d号窗口%s", *in.Window, name)
		}
	}
	if err := s.checkWindow(ctx, in.Kind, in.Window); err != nil {
		return Pairing{}, err
	}
	code, err := newCode()
	if err != nil {
		return Pairing{}, err
	}
	p := Pairing{Code: code, Kind: in.Kind, Name: name, Window: in.Window, ExpiresIn: int(CodeTTL / time.Second)}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		p.ExpiresAt = tx.Now.Add(CodeTTL).UTC()
		// Expired pairings are of no use to anyone; they go with the next one.
		if _, err := tx.ExecContext(ctx, `DELETE FROM device_pairing WHERE expires_at <= ?`, store.FormatTime(tx.Now)); err != nil {
			return fmt.Errorf("drop expired pairings: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO device_pairing (code_hash, kind, name, window, created_by, expires_at, created_at) VALUES (?,?,?,?,?,?,?)`,
			hash(code), p.Kind, p.Name, nullInt(p.Window), by.Login, store.FormatTime(p.ExpiresAt), store.FormatTime(tx.Now)); err != nil {
			return fmt.Errorf("open pairing: %w", err)
		}
		return audit.Record(ctx, tx, by.Actor(), "device.pairing", p.Name, fmt.Sprintf("%s 配对码有效至 %s", KindName(p.Kind), p.ExpiresAt.In(clock.Shanghai).Format("15:04")))
	})
	if err != nil {
		return Pairing{}, err
	}
	return p, nil
}

// errBadCode is the one answer to every code that cannot be used, so a
// guesser learns nothing from it.
func errBadCode() error {
	return apperr.Errorf(apperr.Unauthorized, "配对码不正确或已过期，请在管理端“站点设置 → 设备”重新添加设备。")
}

// Pair exchanges a pairing code for a new device and its credential; the code
// is used up. name, when set, replaces the name the administrator gave; addr
// is where the device called from, for the audit log. Errors: unauthorized for
// an unknown, used or expired code.
func (s *Service) Pair(ctx context.Context, code, name, addr string) (Credential, error) {
	code = NormalizeCode(code)
	if len(code) != CodeLength {
		return Credential{}, errBadCode()
	}
	name, err := cleanName(name)
	if err != nil {
		return Credential{}, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Credential{}, fmt.Errorf("device credential: %w", err)
	}
	out := Credential{Credential: base64.RawURLEncoding.EncodeToString(raw)}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var window sql.NullInt64
		var expires, given string
		d := Device{ID: store.NewID(), PairedAt: tx.Now.UTC()}
		err := tx.QueryRowContext(ctx, `DELETE FROM device_pairing WHERE code_hash = ? RETURNING kind, name, window, created_by, expires_at`, hash(code)).
			Scan(&d.Kind, &given, &window, &d.PairedBy, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return errBadCode()
		}
		if err != nil {
			return fmt.Errorf("pair device: %w", err)
		}
		if until, err := store.ParseTime(expires); err != nil || !tx.Now.Before(until) {
			return errBadCode()
		}
		d.Name = given
		if name != "" {
			d.Name = name
		}
		if window.Valid {
			n := int(window.Int64)
			d.Window = &n
		}
		ts := store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO device (id, site_id, kind, name, window, credential_hash, paired_by, paired_at, created_at, updated_at)
			VALUES (?, (SELECT id FROM site LIMIT 1), ?,?,?,?,?,?,?,?)`,
			d.ID, d.Kind, d.Name, nullInt(d.Window), hash(out.Credential), d.PairedBy, ts, ts, ts); err != nil {
			return fmt.Errorf("pair device: %w", err)
		}
		if err := audit.Record(ctx, tx, audit.Actor{Login: d.Kind, Workstation: addr}, "device.pair", d.ID, fmt.Sprintf("%s“%s”%s", KindName(d.Kind), d.Name, windowNote(d.Window))); err != nil {
			return err
		}
		s.publish(tx, Paired, d)
		out.Device = d
		return nil
	})
	if err != nil {
		return Credential{}, err
	}
	return out, nil
}

func windowNote(n *int) string {
	if n == nil {
		return ""
	}
	return fmt.Sprintf(" 绑定%d号窗口", *n)
}

func (s *Service) publish(tx *store.Tx, typ string, d Device) {
	tx.AfterCommit(func() {
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: typ, Data: d})
		}
	})
}

func nullInt(n *int) any {
	if n == nil {
		return nil
	}
	return *n
}

const columns = `id, kind, name, window, paired_by, paired_at`

type scanner interface{ Scan(...any) error }

func scan(r scanner) (Device, error) {
	var d Device
	var window sql.NullInt64
	var at string
	if err := r.Scan(&d.ID, &d.Kind, &d.Name, &window, &d.PairedBy, &at); err != nil {
		return Device{}, err
	}
	if window.Valid {
		n := int(window.Int64)
		d.Window = &n
	}
	t, err := store.ParseTime(at)
	if err != nil {
		return Device{}, fmt.Errorf("device %s: paired_at: %w", d.ID, err)
	}
	d.PairedAt = t
	return d, nil
}

// Authenticate returns the device holding credential. It reads the database
// on every call, so a revocation holds from the next request on. Errors:
// unauthorized for an empty, unknown or revoked credential.
func (s *Service) Authenticate(ctx context.Context, credential string) (Device, error) {
	if credential == "" {
		return Device{}, apperr.Errorf(apperr.Unauthorized, "本设备尚未配对，请输入管理员给出的配对码。")
	}
	d, err := scan(s.db.Read().QueryRowContext(ctx, `SELECT `+columns+` FROM device WHERE credential_hash = ? AND revoked_at IS NULL`, hash(credential)))
	if errors.Is(err, sql.ErrNoRows) {
		return Device{}, apperr.Errorf(apperr.Unauthorized, "本设备的配对已失效，请输入管理员给出的新配对码。")
	}
	if err != nil {
		return Device{}, fmt.Errorf("authenticate device: %w", err)
	}
	return d, nil
}

// List returns the devices that are paired and not revoked, by kind and
// name. Administrators only.
func (s *Service) List(ctx context.Context, by account.Principal) ([]Device, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT `+columns+` FROM device WHERE revoked_at IS NULL ORDER BY kind, name, paired_at`)
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	defer rows.Close()
	out := []Device{}
	for rows.Next() {
		d, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list devices: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func deviceTx(ctx context.Context, tx *store.Tx, id string) (Device, error) {
	d, err := scan(tx.QueryRowContext(ctx, `SELECT `+columns+` FROM device WHERE id = ? AND revoked_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Device{}, apperr.Errorf(apperr.NotFound, "找不到这台设备，它可能已被停用。")
	}
	if err != nil {
		return Device{}, fmt.Errorf("device %s: %w", id, err)
	}
	return d, nil
}

// Update renames device id and sets the window a rating pad is bound to.
// Administrators only. Errors: not found (or revoked), an empty or long name,
// a window for a kind other than a rating pad, a window that does not exist.
func (s *Service) Update(ctx context.Context, by account.Principal, id string, c Change) (Device, error) {
	if err := requireAdmin(by); err != nil {
		return Device{}, err
	}
	name, err := cleanName(c.Name)
	if err != nil {
		return Device{}, err
	}
	if name == "" {
		return Device{}, apperr.Errorf(apperr.Invalid, "请填写设备名称。")
	}
	var d Device
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = deviceTx(ctx, tx, id); err != nil {
			return err
		}
		if err := s.checkWindow(ctx, d.Kind, c.Window); err != nil {
			return err
		}
		d.Name, d.Window = name, c.Window
		if _, err := tx.ExecContext(ctx, `UPDATE device SET name = ?, window = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			d.Name, nullInt(d.Window), store.FormatTime(tx.Now), id); err != nil {
			return fmt.Errorf("update device %s: %w", id, err)
		}
		detail := fmt.Sprintf("%s“%s”", KindName(d.Kind), d.Name)
		if d.Kind == RatingPad {
			detail += windowNote(d.Window)
			if d.Window == nil {
				detail += " 未绑定窗口"
			}
		}
		if err := audit.Record(ctx, tx, by.Actor(), "device.update", d.ID, detail); err != nil {
			return err
		}
		s.publish(tx, Changed, d)
		return nil
	})
	return d, err
}

// Revoke ends device id's credential at once: its next request is
// unauthorized and it has to be paired again. Administrators only. Errors:
// not found, or already revoked.
func (s *Service) Revoke(ctx context.Context, by account.Principal, id string) error {
	if err := requireAdmin(by); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		d, err := deviceTx(ctx, tx, id)
		if err != nil {
			return err
		}
		ts := store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `UPDATE device SET credential_hash = NULL, revoked_at = ?, updated_at = ?, version = version + 1 WHERE id = ?`, ts, ts, id); err != nil {
			return fmt.Errorf("revoke device %s: %w", id, err)
		}
		if err := audit.Record(ctx, tx, by.Actor(), "device.revoke", d.ID, fmt.Sprintf("%s“%s”", KindName(d.Kind), d.Name)); err != nil {
			return err
		}
		s.publish(tx, Revoked, d)
		return nil
	})
}
