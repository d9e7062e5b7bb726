package county

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Dataset kinds the county publishes to every site.
const (
	DatasetCatalog       = "catalog"       // the item catalog (catalog.Catalog)
	DatasetHolidays      = "holidays"      // holiday arrangements, every year published ([]calendar.Arrangement)
	DatasetDepartments   = "departments"   // the county's department directory
	DatasetAnnouncements = "announcements" // announcements to the sites
)

// DatasetKinds lists the kinds in the order a site applies them.
var DatasetKinds = []string{DatasetHolidays, DatasetCatalog, DatasetDepartments, DatasetAnnouncements}

// DatasetSchema is the newest dataset schema this build reads and writes. A
// site never applies a dataset of a newer schema: it keeps its last copy
// and tells its admin to upgrade.
const DatasetSchema = 1

// Dataset is one published version of a dataset. Versions count up from 1
// per kind; a site applies a version whole or not at all, after checking
// Checksum (hex SHA-256 of Payload).
type Dataset struct {
	Kind        string          `json:"kind"`
	Version     int64           `json:"version"`
	Schema      int             `json:"schema"`
	Checksum    string          `json:"checksum"`
	Note        string          `json:"note"`
	PublishedAt time.Time       `json:"published_at"`
	PublishedBy string          `json:"published_by"`
	Size        int             `json:"size"`
	Payload     json.RawMessage `json:"payload,omitempty"`
}

// Checksum is the hex SHA-256 of a dataset's payload.
func Checksum(payload []byte) string {
	sum := sha256.Sum256(payload)
	return hex.EncodeToString(sum[:])
}

// KnownDatasetKind reports whether kind is one the county publishes.
func KnownDatasetKind(kind string) bool {
	for _, k := range DatasetKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// Department is one office of the county's department directory. Dataset
// "departments" is a JSON array of these, in the order the sites show them.
type Department struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
	// Hours are the duty hours as the county writes them ("工作日 8:30–17:30").
	Hours string `json:"hours"`
}

// Announcement is one announcement of the county to its sites. Dataset
// "announcements" is a JSON array of these; a site shows an announcement
// until Until (for good when it is null).
type Announcement struct {
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	PublishedAt time.Time  `json:"published_at"`
	Until       *time.Time `json:"until"`
}
