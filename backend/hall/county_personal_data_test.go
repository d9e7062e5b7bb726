package hall_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Every service that holds a citizen's personal data writes its outbox row
// masked, so after a push the county's database holds none of the
// fixtures' full ID numbers, phones or names: not in the records, not in
// the history, not in the write-ahead log.
func TestAPI_CountyReceivesNoPersonalData(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.person(admin, "clerk1", "clerk")
	duty := h.person(admin, "duty1", "duty")
	assistant := h.person(admin, "helper1", "assistant")

	secrets := []string{"511725199003071232", "13812345678", "13977778888", "13700001111", "张小三", "欧阳春燕", "王小五"}
	steps := []struct{ what, token, path, body string }{
		{"a window case", clerk, "/api/v1/cases", `{"item_code":"MZ-001","name":"张小三","id_number":"511725199003071232","phone":"13812345678"}`},
		{"a booking", clerk, "/api/v1/bookings", `{"line":"A","slot_start":"` + tomorrow0900 + `","name":"王小五","phone":"13700001111"}`},
		{"a duty call", duty, "/api/v1/duty/calls", `{"caller_name":"欧阳春燕","phone":"13977778888","village":"青龙村","need":"问养老认证","category":"consult"}`},
		{"a proxy case", assistant, "/api/v1/proxy/cases", proxyRequest},
	}
	for _, s := range steps {
		if code, body := h.do("POST", s.path, s.token, s.body); code != 201 {
			t.Fatalf("%s: %d %v", s.what, code, body)
		}
	}

	dir := t.TempDir()
	srv, code, _ := startCountyServerIn(t, dir)
	req, _ := json.Marshal(map[string]string{"county": srv.URL, "code": code})
	if status, body := h.do("POST", "/api/v1/sync/enroll", admin, string(req)); status != 200 || body["pending"] != float64(0) {
		t.Fatalf("enroll and push: %d %v", status, body)
	}

	// The check means something only if the rows did reach the county.
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "county.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var kinds int
	if err := db.QueryRow(`SELECT count(DISTINCT kind) FROM record WHERE kind IN ('case', 'booking', 'calllog', 'proxy')`).Scan(&kinds); err != nil || kinds != 4 {
		t.Fatalf("the county holds %d of the 4 kinds pushed (%v)", kinds, err)
	}

	files, _ := filepath.Glob(filepath.Join(dir, "county.db*"))
	if len(files) == 0 {
		t.Fatal("no county database files to read")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if bytes.Contains(raw, []byte(s)) {
				t.Errorf("%s holds %q in the clear", filepath.Base(f), s)
			}
		}
	}
}
