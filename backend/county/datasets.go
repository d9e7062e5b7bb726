package county

import (
	"net/http"
	"strconv"

	"budayang/backend/apperr"
)

// Headers of a dataset download (GET /county/v1/datasets/{kind}/{version}).
// The body is the payload's exact bytes; a site checks them against
// HeaderChecksum (and the checksum the list gave) before applying anything.
const (
	HeaderChecksum       = "Budayang-Checksum"
	HeaderDatasetSchema  = "Budayang-Dataset-Schema"
	HeaderDatasetVersion = "Budayang-Dataset-Version"
)

// DatasetList is the answer to GET /county/v1/datasets: the newest version
// of each published kind, without payloads, and the newest schema the
// county writes.
type DatasetList struct {
	Schema   int       `json:"schema"`
	Datasets []Dataset `json:"datasets"`
}

func (s *Service) siteDatasets(w http.ResponseWriter, r *http.Request, _ string, _ []byte) {
	list, err := s.Store.LatestDatasets(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, DatasetList{Schema: DatasetSchema, Datasets: list})
}

func (s *Service) siteDataset(w http.ResponseWriter, r *http.Request, _ string, _ []byte) {
	kind := r.PathValue("kind")
	if !KnownDatasetKind(kind) {
		s.fail(w, apperr.Errorf(apperr.NotFound, "县平台没有“%s”这类数据集。", kind))
		return
	}
	version, err := strconv.ParseInt(r.PathValue("version"), 10, 64)
	if err != nil || version < 1 {
		s.fail(w, apperr.Errorf(apperr.Invalid, "数据集版本应为正整数。"))
		return
	}
	d, err := s.Store.Dataset(r.Context(), kind, version)
	if err != nil {
		s.fail(w, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(d.Payload)))
	// The checksum stored at publication, not one computed now: a payload
	// altered in the county's database is then seen by the site.
	h.Set(HeaderChecksum, d.Checksum)
	h.Set(HeaderDatasetSchema, strconv.Itoa(d.Schema))
	h.Set(HeaderDatasetVersion, strconv.FormatInt(d.Version, 10))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(d.Payload)
}
