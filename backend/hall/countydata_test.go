package hall_test

import (
	"context"
	"encoding/json"
	"testing"

	"budayang/backend/county"
	"budayang/backend/store/storetest"
)

// TestAPI_CountyDataReachesEveryStaff: a site enrolled through the API
// pulls what the county published; any staff reads the directory and the
// announcements, and the admin's sync report lists the versions.
func TestAPI_CountyDataReachesEveryStaff(t *testing.T) {
	srv, code, st := startCountyServerIn(t, t.TempDir())
	for kind, payload := range map[string]string{
		county.DatasetDepartments:   `[{"name":"县民政局","phone":"0851-1234567","address":"县政府大楼三楼","hours":"工作日 8:30–17:30"}]`,
		county.DatasetAnnouncements: `[{"title":"元旦放假安排","body":"1月1日至3日放假。","published_at":"2026-11-24T08:00:00+08:00","until":null}]`,
	} {
		if _, err := st.PublishDataset(context.Background(), county.Dataset{Kind: kind, Schema: 1, Payload: json.RawMessage(payload)}, storetest.Epoch); err != nil {
			t.Fatal(err)
		}
	}

	h := start(t)
	admin := h.setupAndLogin()
	req, _ := json.Marshal(map[string]string{"county": srv.URL, "code": code})
	status, body := h.do("POST", "/api/v1/sync/enroll", admin, string(req))
	if status != 200 || body["online"] != true {
		t.Fatalf("enroll: %d %v", status, body)
	}
	t.Run("the sync report lists each applied version", func(t *testing.T) {
		_, body := h.do("GET", "/api/v1/sync", admin, "")
		sets, _ := body["datasets"].([]any)
		up, _ := body["upgrade_needed"].([]any)
		if len(sets) != 2 || sets[0].(map[string]any)["kind"] != county.DatasetDepartments || sets[0].(map[string]any)["version"] != float64(1) || up == nil || len(up) != 0 {
			t.Fatalf("sync report %v", body)
		}
	})
	clerk := h.clerk(admin, "clerk1", "窗口员")
	t.Run("a clerk reads the county's departments and announcements", func(t *testing.T) {
		code, deps := h.doList("GET", "/api/v1/county-data/departments", clerk)
		if code != 200 || len(deps) != 1 || deps[0].(map[string]any)["hours"] != "工作日 8:30–17:30" {
			t.Fatalf("departments: %d %v", code, deps)
		}
		code, ann := h.doList("GET", "/api/v1/county-data/announcements", clerk)
		if code != 200 || len(ann) != 1 || ann[0].(map[string]any)["title"] != "元旦放假安排" {
			t.Fatalf("announcements: %d %v", code, ann)
		}
	})
}
