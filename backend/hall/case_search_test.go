package hall_test

import (
	"net/url"
	"testing"
)

func TestAPI_CaseSearchByNameAndID(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")
	other := h.clerk(admin, "clerk2", "王窗口")
	for _, body := range []string{
		`{"item_code":"MZ-001","name":"张小三","id_number":"511725199003071232","phone":"13812345678"}`,
		`{"item_code":"MZ-001","name":"李四","id_number":"51172519720620004X","phone":"13812345679"}`,
	} {
		if code, c := h.do("POST", "/api/v1/cases", clerk, body); code != 201 {
			t.Fatalf("open: %d %v", code, c)
		}
	}
	for _, tt := range []struct {
		name, query string
		want        int
	}{
		{"WholeName", "name=" + url.QueryEscape("张小三"), 1},
		{"NameWithSpaces", "name=" + url.QueryEscape(" 张 小三"), 1},
		{"PartOfAName", "name=" + url.QueryEscape("张小"), 0},
		{"IDNumber", "id_number=51172519720620004x", 1},
		{"Neither", "", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Another clerk finds them too: a citizen may ask at any window.
			code, list := h.doList("GET", "/api/v1/cases?"+tt.query, other)
			if code != 200 || len(list) != tt.want {
				t.Fatalf("got %d with %d cases, want %d", code, len(list), tt.want)
			}
			if tt.want == 1 && list[0].(map[string]any)["masked"] != true {
				t.Errorf("search answer not masked: %v", list[0])
			}
		})
	}
}
