package countysync

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/catalog"
	"budayang/backend/county"
	"budayang/backend/events"
	"budayang/backend/site"
	"budayang/backend/store"
)

// DataChanged is published when a pulled dataset is applied, with the kind
// and version; the catalog and the calendar also publish their own events.
const DataChanged = "county-data:changed"

// ActionDataset is the audit action of an applied dataset.
const ActionDataset = "sync.dataset"

// DatasetState is the version of a kind this site applied, and when.
type DatasetState struct {
	Kind      string    `json:"kind"`
	Version   int64     `json:"version"`
	AppliedAt time.Time `json:"applied_at"`
}

// Datasets are the services a pulled dataset is applied through.
type Datasets struct {
	Calendar *calendar.Service
	Catalog  *catalog.Service
	Sites    *site.Service
	Pub      events.Publisher
}

// UseDatasets makes every push that reached the county pull the county's
// datasets after it. A Syncer without it (the enrolment command) never
// pulls.
func (s *Syncer) UseDatasets(d Datasets) {
	s.mu.Lock()
	s.ds = &d
	s.mu.Unlock()
}

// kindNames are the datasets as the site's admin knows them.
var kindNames = map[string]string{
	county.DatasetCatalog:       "事项清单",
	county.DatasetHolidays:      "节假日安排",
	county.DatasetDepartments:   "部门通讯录",
	county.DatasetAnnouncements: "县平台公告",
}

func kindName(kind string) string {
	if n, ok := kindNames[kind]; ok {
		return n
	}
	return kind
}

// UpgradeSentence tells the admin that the county publishes kinds in a
// schema newer than this build reads.
func UpgradeSentence(kinds []string) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = kindName(k)
	}
	return "县平台数据集版本较新，请升级本程序（" + strings.Join(names, "、") + "）。"
}

// errNewerSchema marks a dataset this build must not apply.
var errNewerSchema = errors.New("dataset schema newer than this build")

// pull asks the county for the newest version of each dataset and applies,
// kind by kind, those newer than the site's cursor: each version in one
// transaction with its cursor, so a pull cut anywhere leaves the last
// complete copy. A kind in a newer schema is left as it is and named in
// the status. It returns the first failure after trying every kind.
func (s *Syncer) pull(ctx context.Context, cfg *Config, cred []byte, client *http.Client) error {
	s.mu.Lock()
	ds := s.ds
	s.mu.Unlock()
	if ds == nil {
		return nil
	}
	var list county.DatasetList
	if err := s.send(ctx, cfg, cred, client, http.MethodGet, "/county/v1/datasets", nil, &list); err != nil {
		return err
	}
	applied, err := s.cursors(ctx)
	if err != nil {
		return err
	}
	latest := make(map[string]county.Dataset, len(list.Datasets))
	for _, d := range list.Datasets {
		latest[d.Kind] = d
	}
	var upgrade []string
	var first error
	for _, kind := range county.DatasetKinds {
		d, ok := latest[kind]
		if !ok || d.Version <= applied[kind].Version {
			continue
		}
		err := errNewerSchema
		if d.Schema <= county.DatasetSchema {
			err = s.pullOne(ctx, cfg, cred, client, ds, d)
		}
		if errors.Is(err, errNewerSchema) {
			upgrade = append(upgrade, kind)
			continue
		}
		if err != nil {
			s.log.Warn("county dataset not applied", "kind", kind, "version", d.Version, "err", err)
			if first == nil {
				first = err
			}
		}
	}
	s.mu.Lock()
	s.upgrade = upgrade
	s.mu.Unlock()
	return first
}

// pullOne downloads one version, checks it and applies it with its cursor.
func (s *Syncer) pullOne(ctx context.Context, cfg *Config, cred []byte, client *http.Client, ds *Datasets, d county.Dataset) error {
	var ans rawAnswer
	path := fmt.Sprintf("/county/v1/datasets/%s/%d", d.Kind, d.Version)
	if err := s.send(ctx, cfg, cred, client, http.MethodGet, path, nil, &ans); err != nil {
		return err
	}
	if sum := county.Checksum(ans.body); sum != d.Checksum || ans.header.Get(county.HeaderChecksum) != d.Checksum {
		return apperr.Errorf(apperr.Unavailable, "县平台%s第 %d 版的校验和不符（传输中损坏或在县平台被改动），未应用，稍后重试。", kindName(d.Kind), d.Version)
	}
	if schema, err := strconv.Atoi(ans.header.Get(county.HeaderDatasetSchema)); err != nil || schema > county.DatasetSchema {
		return errNewerSchema
	}
	apply, err := s.applier(ctx, ds, d.Kind, ans.body)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		detail, err := apply(tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO county_dataset (kind, version, checksum, applied_at) VALUES (?, ?, ?, ?)
			ON CONFLICT(kind) DO UPDATE SET version = excluded.version, checksum = excluded.checksum, applied_at = excluded.applied_at`,
			d.Kind, d.Version, d.Checksum, store.FormatTime(tx.Now)); err != nil {
			return fmt.Errorf("move the %s cursor: %w", d.Kind, err)
		}
		if err := audit.Record(ctx, tx, audit.System, ActionDataset, d.Kind,
			fmt.Sprintf("%s第%d版（校验和 %s…）：%s", kindName(d.Kind), d.Version, d.Checksum[:12], detail)); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			if ds.Pub != nil {
				ds.Pub.Publish(events.Event{Type: DataChanged, Data: map[string]any{"kind": d.Kind, "version": d.Version}})
			}
		})
		return nil
	})
}

// applier reads a payload before the transaction and returns what writes
// it inside one, with a detail for the audit line. A payload that cannot
// be read is an error: nothing is applied.
func (s *Syncer) applier(ctx context.Context, ds *Datasets, kind string, payload []byte) (func(tx *store.Tx) (string, error), error) {
	unreadable := func(err error) error {
		return apperr.Errorf(apperr.Invalid, "县平台的%s无法读取，未应用：%v", kindName(kind), err)
	}
	switch kind {
	case county.DatasetCatalog:
		var c catalog.Catalog
		if err := json.Unmarshal(payload, &c); err != nil {
			return nil, unreadable(err)
		}
		return func(tx *store.Tx) (string, error) {
			if err := ds.Catalog.ReplaceTx(ctx, tx, audit.System, catalog.SourceCounty, c); err != nil {
				return "", err
			}
			return fmt.Sprintf("清单 %s，%d项", c.Version, len(c.Items)), nil
		}, nil
	case county.DatasetHolidays:
		var arrs []calendar.Arrangement
		if err := json.Unmarshal(payload, &arrs); err != nil {
			return nil, unreadable(err)
		}
		st, err := ds.Sites.Get(ctx)
		if err != nil {
			return nil, err
		}
		return func(tx *store.Tx) (string, error) { return applyHolidays(ctx, tx, ds.Calendar, st.ID, arrs) }, nil
	case county.DatasetDepartments:
		var list []county.Department
		if err := json.Unmarshal(payload, &list); err != nil {
			return nil, unreadable(err)
		}
		for i, d := range list {
			if strings.TrimSpace(d.Name) == "" {
				return nil, unreadable(fmt.Errorf("第%d个部门没有名称", i+1))
			}
		}
		return func(tx *store.Tx) (string, error) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM county_department`); err != nil {
				return "", fmt.Errorf("replace departments: %w", err)
			}
			for i, d := range list {
				if _, err := tx.ExecContext(ctx, `INSERT INTO county_department (position, name, phone, address, hours) VALUES (?, ?, ?, ?, ?)`,
					i, strings.TrimSpace(d.Name), d.Phone, d.Address, d.Hours); err != nil {
					return "", fmt.Errorf("replace departments: %w", err)
				}
			}
			return fmt.Sprintf("%d个部门", len(list)), nil
		}, nil
	case county.DatasetAnnouncements:
		var list []county.Announcement
		if err := json.Unmarshal(payload, &list); err != nil {
			return nil, unreadable(err)
		}
		for i, a := range list {
			if strings.TrimSpace(a.Title) == "" || a.PublishedAt.IsZero() {
				return nil, unreadable(fmt.Errorf("第%d条公告没有标题或发布时间", i+1))
			}
		}
		return func(tx *store.Tx) (string, error) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM county_announcement`); err != nil {
				return "", fmt.Errorf("replace announcements: %w", err)
			}
			for i, a := range list {
				until := ""
				if a.Until != nil {
					until = store.FormatTime(*a.Until)
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO county_announcement (position, title, body, published_at, until) VALUES (?, ?, ?, ?, ?)`,
					i, strings.TrimSpace(a.Title), a.Body, store.FormatTime(a.PublishedAt), until); err != nil {
					return "", fmt.Errorf("replace announcements: %w", err)
				}
			}
			return fmt.Sprintf("%d条公告", len(list)), nil
		}, nil
	}
	return nil, apperr.Errorf(apperr.Invalid, "未知的县平台数据集“%s”。", kind)
}

// applyHolidays stores every published year whose arrangement differs from
// the one the site holds. The county's arrangement wins over a year the
// site imported itself; the detail says so.
func applyHolidays(ctx context.Context, tx *store.Tx, cal *calendar.Service, siteID string, arrs []calendar.Arrangement) (string, error) {
	var changed, replacedLocal []string
	for _, a := range arrs {
		a.Source = calendar.SourceCounty
		if err := a.Validate(); err != nil {
			return "", err
		}
		var src, body string
		err := tx.QueryRowContext(ctx, `SELECT source, body FROM holiday_arrangement WHERE year = ?`, a.Year).Scan(&src, &body)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return "", fmt.Errorf("read arrangement %d: %w", a.Year, err)
		default:
			var held calendar.Arrangement
			if err := json.Unmarshal([]byte(body), &held); err != nil {
				return "", fmt.Errorf("read arrangement %d: %w", a.Year, err)
			}
			held.Source = src
			if sameArrangement(held, a) {
				continue
			}
			if src == calendar.SourceSite {
				replacedLocal = append(replacedLocal, strconv.Itoa(a.Year))
			}
		}
		if err := cal.StoreArrangementTx(ctx, tx, siteID, a); err != nil {
			return "", err
		}
		changed = append(changed, strconv.Itoa(a.Year))
	}
	detail := "无变化"
	if len(changed) > 0 {
		detail = "更新" + strings.Join(changed, "、") + "年"
	}
	if len(replacedLocal) > 0 {
		detail += "；县平台的安排取代本站自行导入的" + strings.Join(replacedLocal, "、") + "年安排"
	}
	return detail, nil
}

func sameArrangement(a, b calendar.Arrangement) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// cursors are the versions the site applied, by kind.
func (s *Syncer) cursors(ctx context.Context) (map[string]DatasetState, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT kind, version, applied_at FROM county_dataset`)
	if err != nil {
		return nil, fmt.Errorf("read dataset cursors: %w", err)
	}
	defer rows.Close()
	out := map[string]DatasetState{}
	for rows.Next() {
		var d DatasetState
		var at string
		if err := rows.Scan(&d.Kind, &d.Version, &at); err != nil {
			return nil, err
		}
		d.AppliedAt, _ = store.ParseTime(at)
		out[d.Kind] = d
	}
	return out, rows.Err()
}

// datasetStates lists the applied versions in the order kinds apply.
func (s *Syncer) datasetStates(ctx context.Context) ([]DatasetState, error) {
	applied, err := s.cursors(ctx)
	if err != nil {
		return nil, err
	}
	out := []DatasetState{}
	for _, k := range county.DatasetKinds {
		if d, ok := applied[k]; ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// Departments returns the county's department directory as last pulled.
func (s *Syncer) Departments(ctx context.Context) ([]county.Department, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT name, phone, address, hours FROM county_department ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("list county departments: %w", err)
	}
	defer rows.Close()
	out := []county.Department{}
	for rows.Next() {
		var d county.Department
		if err := rows.Scan(&d.Name, &d.Phone, &d.Address, &d.Hours); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Announcements returns the county's announcements as last pulled that are
// still in force now, newest first.
func (s *Syncer) Announcements(ctx context.Context) ([]county.Announcement, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT title, body, published_at, until FROM county_announcement
		WHERE until = '' OR until > ? ORDER BY published_at DESC, position`, store.FormatTime(s.clock.Now()))
	if err != nil {
		return nil, fmt.Errorf("list county announcements: %w", err)
	}
	defer rows.Close()
	out := []county.Announcement{}
	for rows.Next() {
		var a county.Announcement
		var at, until string
		if err := rows.Scan(&a.Title, &a.Body, &at, &until); err != nil {
			return nil, err
		}
		a.PublishedAt, _ = store.ParseTime(at)
		if t, err := store.ParseTime(until); until != "" && err == nil {
			a.Until = &t
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
