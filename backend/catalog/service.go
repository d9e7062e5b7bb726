package catalog

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/events"
	"budayang/backend/site"
	"budayang/backend/store"
)

// Changed is published after the catalog is replaced or a local note changes.
const Changed = "catalog:changed"

// Sources of the catalog in use.
const (
	SourceBuiltin = "builtin" // shipped with the program (data/catalog.json)
	SourceCounty  = "county"  // published by the county through sync
	SourceSite    = "site"    // imported by the site's administrator
)

//go:embed data/catalog.json
var builtinJSON []byte

// Builtin returns the default catalog shipped with the program.
func Builtin() (Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(builtinJSON, &c); err != nil {
		return Catalog{}, fmt.Errorf("built-in catalog: %w", err)
	}
	if err := c.Validate(); err != nil {
		return Catalog{}, fmt.Errorf("built-in catalog: %w", err)
	}
	return c, nil
}

// Meta says which catalog is in use.
type Meta struct {
	Source    string    `json:"source"`
	Version   string    `json:"version"`
	Published string    `json:"published"`
	Items     int       `json:"items"`
	LoadedAt  time.Time `json:"loaded_at"`
}

// Guide is an item as the guide view shows it: the county's item and the
// site's own note.
type Guide struct {
	Item
	PhonePending bool       `json:"phone_pending"`
	LocalNote    string     `json:"local_note"`
	NoteBy       string     `json:"note_by,omitempty"`
	NoteAt       *time.Time `json:"note_at,omitempty"`
}

// Service holds the catalog in use and its search index.
type Service struct {
	db    *store.DB
	pub   events.Publisher
	sites *site.Service
	index atomic.Pointer[index]
	meta  atomic.Pointer[Meta]
}

// NewService opens the catalog. On the first start of a site (no catalog
// stored) it seeds the built-in catalog from data/catalog.json in one
// transaction and records its version in catalog_meta; every start then
// builds the search index from the stored catalog.
func NewService(ctx context.Context, db *store.DB, pub events.Publisher, sites *site.Service) (*Service, error) {
	s := &Service{db: db, pub: pub, sites: sites}
	var n int
	if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM catalog_meta`).Scan(&n); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if n == 0 {
		c, err := Builtin()
		if err != nil {
			return nil, err
		}
		if err := db.Write(ctx, func(tx *store.Tx) error {
			return s.replaceTx(ctx, tx, audit.System, SourceBuiltin, c)
		}); err != nil {
			return nil, fmt.Errorf("seed catalog: %w", err)
		}
	}
	if err := s.reload(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Service) reload(ctx context.Context) error {
	var m Meta
	var loaded string
	err := s.db.Read().QueryRowContext(ctx, `SELECT source, version, published, items, loaded_at FROM catalog_meta WHERE id = 1`).
		Scan(&m.Source, &m.Version, &m.Published, &m.Items, &loaded)
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	m.LoadedAt, _ = store.ParseTime(loaded)
	rows, err := s.db.Read().QueryContext(ctx, `SELECT body FROM catalog_item ORDER BY position`)
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	defer rows.Close()
	var items []Item
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return fmt.Errorf("load catalog: %w", err)
		}
		var it Item
		if err := json.Unmarshal([]byte(body), &it); err != nil {
			return fmt.Errorf("load catalog: %w", err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	s.index.Store(buildIndex(items))
	s.meta.Store(&m)
	return nil
}

// Meta returns which catalog is in use.
func (s *Service) Meta() Meta { return *s.meta.Load() }

// Search returns the items matching q, best match first, then in catalog
// order. An empty query lists the whole catalog.
func (s *Service) Search(q Query) []Item {
	return s.index.Load().search(q)
}

// Item returns the catalog's item code. Errors: not found.
func (s *Service) Item(code string) (Item, error) {
	ix := s.index.Load()
	i, ok := ix.byCode[code]
	if !ok {
		return Item{}, apperr.Errorf(apperr.NotFound, "事项清单中没有编码为“%s”的事项。", code)
	}
	return ix.entries[i].item, nil
}

// Guide returns an item with the site's note. Errors: not found.
func (s *Service) Guide(ctx context.Context, code string) (Guide, error) {
	it, err := s.Item(code)
	if err != nil {
		return Guide{}, err
	}
	g := Guide{Item: it, PhonePending: it.PhonePending()}
	var at string
	err = s.db.Read().QueryRowContext(ctx, `SELECT note, updated_by, updated_at FROM catalog_note WHERE code = ?`, code).Scan(&g.LocalNote, &g.NoteBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return g, nil
	}
	if err != nil {
		return Guide{}, fmt.Errorf("read note of %s: %w", code, err)
	}
	if t, err := store.ParseTime(at); err == nil {
		g.NoteAt = &t
	}
	return g, nil
}

// ListSummary is one special list and how many items it holds.
type ListSummary struct {
	Tag   string `json:"tag"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Lists returns every special list in display order, empty ones included.
func (s *Service) Lists() []ListSummary {
	out := make([]ListSummary, len(Tags))
	for i, t := range Tags {
		out[i] = ListSummary{Tag: t, Name: TagName(t), Count: len(s.Search(Query{Tag: t}))}
	}
	return out
}

// List returns the items of one special list. Errors: unknown tag.
func (s *Service) List(tag string) ([]Item, error) {
	if !validTag(tag) {
		return nil, apperr.Errorf(apperr.NotFound, "没有“%s”这个特色事项清单。", tag)
	}
	return s.Search(Query{Tag: tag}), nil
}

// Office is one stop on the item map: a department's office, its phone and
// the items it handles.
type Office struct {
	Department   string    `json:"department"`
	Office       string    `json:"office"`
	Phone        string    `json:"phone"`
	PhonePending bool      `json:"phone_pending"`
	Items        []ItemRef `json:"items"`
}

// ItemRef names an item.
type ItemRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Map returns the item map (事项地图): every office with its phone and
// items, by department in catalog order.
func (s *Service) Map() []Office {
	var out []Office
	at := map[string]int{}
	for _, it := range s.Search(Query{}) {
		key := it.Department + "\x00" + it.Office + "\x00" + it.Phone
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, Office{Department: it.Department, Office: it.Office, Phone: it.Phone, PhonePending: it.PhonePending()})
		}
		out[i].Items = append(out[i].Items, ItemRef{Code: it.Code, Name: it.Name})
	}
	return out
}

// Departments returns the departments in catalog order.
func (s *Service) Departments() []string {
	var out []string
	seen := map[string]bool{}
	for _, it := range s.Search(Query{}) {
		if !seen[it.Department] {
			seen[it.Department] = true
			out = append(out, it.Department)
		}
	}
	return out
}

// Import replaces the catalog with one the site's administrator loads from
// a file; see Replace.
func (s *Service) Import(ctx context.Context, by account.Principal, c Catalog) (Meta, error) {
	if by.Role != account.RoleAdmin {
		return Meta{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以导入事项清单。")
	}
	return s.Replace(ctx, by.Actor(), SourceSite, c)
}

// Replace puts catalog c in place of the one in use, all items at once:
// the county's sync calls it with SourceCounty. Sites' notes are keyed by
// item code in their own table and are kept. Errors: invalid with the rule
// c breaks; nothing changes then.
func (s *Service) Replace(ctx context.Context, who audit.Actor, source string, c Catalog) (Meta, error) {
	if err := s.db.Write(ctx, func(tx *store.Tx) error { return s.ReplaceTx(ctx, tx, who, source, c) }); err != nil {
		return Meta{}, err
	}
	return s.Meta(), nil
}

// ReplaceTx is Replace inside tx, for a caller whose own writes must go
// with the catalog (the county pull moves its cursor in the same
// transaction). The search index is rebuilt and Changed published once tx
// commits.
func (s *Service) ReplaceTx(ctx context.Context, tx *store.Tx, who audit.Actor, source string, c Catalog) error {
	if source != SourceCounty && source != SourceSite && source != SourceBuiltin {
		return apperr.Errorf(apperr.Invalid, "未知的清单来源“%s”。", source)
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.replaceTx(ctx, tx, who, source, c); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		if err := s.reload(context.Background()); err == nil && s.pub != nil {
			s.pub.Publish(events.Event{Type: Changed, Data: map[string]string{"what": "catalog", "version": c.Version}})
		}
	})
	return nil
}

func (s *Service) replaceTx(ctx context.Context, tx *store.Tx, who audit.Actor, source string, c Catalog) error {
	now := store.FormatTime(tx.Now)
	if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_item`); err != nil {
		return fmt.Errorf("replace catalog: %w", err)
	}
	for i, it := range c.Items {
		body, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("replace catalog: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_item (code, position, name, department, body, created_at, updated_at) VALUES (?,?,?,?,?,?,?)`,
			it.Code, i, it.Name, it.Department, string(body), now, now); err != nil {
			return fmt.Errorf("replace catalog: item %s: %w", it.Code, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_meta (id, source, version, published, items, loaded_at) VALUES (1,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET source = excluded.source, version = excluded.version, published = excluded.published, items = excluded.items, loaded_at = excluded.loaded_at`,
		source, c.Version, c.Published, len(c.Items), now); err != nil {
		return fmt.Errorf("replace catalog: %w", err)
	}
	return audit.Record(ctx, tx, who, "catalog.replace", c.Version, fmt.Sprintf("%s：%d项", source, len(c.Items)))
}

// MaxNote is the longest local note, in characters.
const MaxNote = 500

// SetNote keeps the site's own note on an item (an empty note removes it);
// administrators and clerks. It survives every replacement of the catalog.
// Errors: unknown item, a note over MaxNote characters, forbidden role.
func (s *Service) SetNote(ctx context.Context, by account.Principal, code, note string) (Guide, error) {
	if by.Role != account.RoleAdmin && by.Role != account.RoleClerk {
		return Guide{}, apperr.Errorf(apperr.Forbidden, "只有管理员和综合窗口人员可以填写本地备注。")
	}
	if _, err := s.Item(code); err != nil {
		return Guide{}, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNote {
		return Guide{}, apperr.Errorf(apperr.Invalid, "本地备注最多%d字。", MaxNote)
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return Guide{}, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		now := store.FormatTime(tx.Now)
		var err error
		if note == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM catalog_note WHERE code = ?`, code)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO catalog_note (code, id, site_id, note, updated_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?)
				ON CONFLICT(code) DO UPDATE SET note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at, version = version + 1`,
				code, store.NewID(), st.ID, note, by.Name, now, now)
		}
		if err != nil {
			return fmt.Errorf("set note on %s: %w", code, err)
		}
		if err := audit.Record(ctx, tx, by.Actor(), "catalog.note", code, note); err != nil {
			return err
		}
		if err := tx.Outbox(ctx, "catalog.note", code, map[string]string{"code": code, "note": note}); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			if s.pub != nil {
				s.pub.Publish(events.Event{Type: Changed, Data: map[string]string{"what": "note", "code": code}})
			}
		})
		return nil
	})
	if err != nil {
		return Guide{}, err
	}
	return s.Guide(ctx, code)
}

// sortedTags returns tags in display order (for printing).
func sortedTags(tags []string) []string {
	out := append([]string(nil), tags...)
	rank := map[string]int{}
	for i, t := range Tags {
		rank[t] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i]] < rank[out[j]] })
	return out
}

// TagNames returns the Chinese names of tags in display order.
func TagNames(tags []string) []string {
	out := sortedTags(tags)
	for i, t := range out {
		out[i] = TagName(t)
	}
	return out
}
