package hall_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"budayang/backend/calendar"
	"budayang/backend/store/storetest"
)

func (h *harness) clerk(admin, login, name string) string {
	h.t.Helper()
	body := fmt.Sprintf(`{"login":%q,"name":%q,"role":"clerk","password":"Clerk12345"}`, login, name)
	if code, out := h.do("POST", "/api/v1/staff", admin, body); code != 201 {
		h.t.Fatalf("create %s: %d %v", login, code, out)
	}
	code, out := h.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"user":%q,"password":"Clerk12345","workstation":"窗口2"}`, login))
	if code != 200 {
		h.t.Fatalf("login %s: %d %v", login, code, out)
	}
	return out["token"].(string)
}

// raw fetches a path and returns the status, content type and body.
func (h *harness) raw(path, token string) (int, string, []byte) {
	h.t.Helper()
	req, _ := http.NewRequest("GET", h.srv.URL+path, nil)
	switch {
	case strings.HasPrefix(token, "Device "):
		req.Header.Set("Authorization", token)
	case token != "":
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), b
}

func (h *harness) mustPDF(path, token string) {
	h.t.Helper()
	code, ctype, b := h.raw(path, token)
	if code != 200 || ctype != "application/pdf" || !bytes.HasPrefix(b, []byte("%PDF-")) {
		h.t.Fatalf("GET %s: %d %s %q", path, code, ctype, b[:min(len(b), 120)])
	}
}

func TestAPI_Catalog(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")
	if code, body := h.do("GET", "/api/v1/catalog", clerk, ""); code != 200 || body["meta"].(map[string]any)["source"] != "builtin" {
		t.Fatalf("catalog info: %d %v", code, body)
	}
	code, list := h.doList("GET", "/api/v1/catalog/items?q=zdshbz", clerk)
	if code != 200 || len(list) == 0 || list[0].(map[string]any)["code"] != "MZ-001" {
		t.Errorf("pinyin search: %d %v", code, list)
	}
	if _, list := h.doList("GET", "/api/v1/catalog/items?department=%E6%9E%97%E4%B8%9A", clerk); len(list) != 4 {
		t.Errorf("department 林业: got %d items, want 4", len(list))
	}
	if code, g := h.do("GET", "/api/v1/catalog/items/LY-001", clerk, ""); code != 200 || g["limit_days"].(float64) != 10 || g["phone_pending"] != true {
		t.Errorf("guide: %d %v", code, g)
	}
	if code, g := h.do("PUT", "/api/v1/catalog/items/LY-001/note", clerk, `{"note":"林业站每周二、五在中心坐班"}`); code != 200 || g["local_note"] == "" {
		t.Errorf("note: %d %v", code, g)
	}
	if code, l := h.do("GET", "/api/v1/catalog/lists/one-thing-once", clerk, ""); code != 200 || len(l["items"].([]any)) == 0 {
		t.Errorf("special list: %d %v", code, l)
	}
	if _, m := h.doList("GET", "/api/v1/catalog/map", clerk); len(m) < 15 {
		t.Errorf("item map has %d offices", len(m))
	}
	h.mustPDF("/api/v1/catalog/items/LY-001/guide.pdf", clerk)
	h.mustPDF("/api/v1/catalog/lists/sichuan-chongqing/list.pdf", clerk)
	t.Run("Base64ForTheWindow", func(t *testing.T) {
		code, body := h.do("GET", "/api/v1/catalog/items/LY-001/guide.pdf?as=base64", clerk, "")
		raw, err := base64.StdEncoding.DecodeString(fmt.Sprint(body["data"]))
		if code != 200 || err != nil || !bytes.HasPrefix(raw, []byte("%PDF-")) || !strings.HasSuffix(fmt.Sprint(body["name"]), ".pdf") {
			t.Errorf("base64 PDF: %d %v", code, err)
		}
	})
	tests := []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"UnknownItem", "GET", "/api/v1/catalog/items/NOPE", clerk, "", 404, "not_found"},
		{"UnknownList", "GET", "/api/v1/catalog/lists/fast", clerk, "", 404, "not_found"},
		{"NoteTooLong", "PUT", "/api/v1/catalog/items/LY-001/note", clerk, `{"note":"` + strings.Repeat("长", 501) + `"}`, 400, "invalid"},
		{"ImportByClerk", "PUT", "/api/v1/catalog", clerk, `{"version":"x","items":[]}`, 403, "forbidden"},
		{"ImportEmpty", "PUT", "/api/v1/catalog", admin, `{"version":"x","items":[]}`, 400, "invalid"},
		{"NoSession", "GET", "/api/v1/catalog/items", "", "", 401, "unauthorized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := h.do(tt.method, tt.path, tt.token, tt.body)
			if code != tt.status || body["code"] != tt.code || body["error"] == "" {
				t.Errorf("got %d %v, want %d %s", code, body, tt.status, tt.code)
			}
		})
	}
}

// From a called ticket to a printed one-time notice, acceptance, receipt,
// completion and its notice, over HTTP.
func TestAPI_CaseFromCalledTicket(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.clerk(admin, "clerk1", "李窗口")
	other := h.clerk(admin, "clerk2", "王窗口")
	if code, body := h.do("PUT", "/api/v1/cases/centre", admin, `{"phone":"0818 7654321","address":"测试镇人民路1号"}`); code != 200 || body["phone"] != "0818-7654321" {
		t.Fatalf("centre: %d %v", code, body)
	}
	code, tk := h.do("POST", "/api/v1/tickets", admin, `{"line":"A"}`)
	if code != 201 {
		t.Fatalf("issue: %d %v", code, tk)
	}
	code, called := h.do("POST", "/api/v1/windows/1/call-next", clerk, "")
	if code != 200 {
		t.Fatalf("call: %d %v", code, called)
	}
	ticketID := called["ticket"].(map[string]any)["id"].(string)

	code, c := h.do("POST", "/api/v1/cases", clerk, fmt.Sprintf(`{"item_code":"MZ-001","name":"张小三","id_number":"511725199003071232","phone":"13812345678","ticket_id":%q,"received":[0,1,2]}`, ticketID))
	if code != 201 || c["status"] != "consultation" || c["ticket_id"] != ticketID || c["masked"] != true {
		t.Fatalf("open: %d %v", code, c)
	}
	id := c["id"].(string)
	if c["id_number"] != "511725********1232" {
		t.Errorf("open answer shows %v", c["id_number"])
	}
	h.mustPDF("/api/v1/cases/"+id+"/notice.pdf", clerk)

	if _, full := h.do("GET", "/api/v1/cases/"+id, clerk, ""); full["id_number"] != "511725199003071232" || full["masked"] != false {
		t.Errorf("holder view: %v", full["id_number"])
	}
	if _, masked := h.do("GET", "/api/v1/cases/"+id, other, ""); masked["id_number"] != "511725********1232" {
		t.Errorf("other clerk view: %v", masked["id_number"])
	}

	errs := []struct {
		name, method, path, token, body string
		status                          int
		code, says                      string
	}{
		{"WrongCheckDigit", "POST", "/api/v1/cases", clerk, `{"item_code":"MZ-001","name":"张三","id_number":"511725199003071233","phone":"13812345678"}`, 400, "invalid", "校验位"},
		{"BadPhone", "POST", "/api/v1/cases", clerk, `{"item_code":"MZ-001","name":"张三","phone":"110"}`, 400, "invalid", "电话"},
		{"NotHandledHere", "POST", "/api/v1/cases", clerk, `{"item_code":"ZR-001","name":"张三","phone":"13812345678"}`, 400, "invalid", "县不动产登记中心"},
		{"UnknownField", "POST", "/api/v1/cases", clerk, `{"item_code":"MZ-001","nickname":"x"}`, 400, "invalid", "nickname"},
		{"AcceptMissing", "POST", "/api/v1/cases/" + id + "/actions", clerk, `{"action":"accept"}`, 400, "invalid", "家庭经济状况核对授权书"},
		{"NotHolder", "POST", "/api/v1/cases/" + id + "/actions", other, `{"action":"reject","reason":"不符合条件"}`, 403, "forbidden", "接办"},
		{"IllegalMove", "POST", "/api/v1/cases/" + id + "/actions", clerk, `{"action":"approve"}`, 409, "conflict", "咨询"},
		{"ReceiptBeforeAcceptance", "GET", "/api/v1/cases/" + id + "/receipt.pdf", clerk, "", 409, "conflict", "尚未受理"},
		{"MaterialsMissingField", "PUT", "/api/v1/cases/" + id + "/materials", clerk, `{}`, 400, "invalid", "received"},
		{"UnknownCase", "GET", "/api/v1/cases/nope", clerk, "", 404, "not_found", "办件"},
		{"BadScope", "GET", "/api/v1/cases/due?scope=everyone", clerk, "", 400, "invalid", "scope"},
		{"BadStatusFilter", "GET", "/api/v1/cases?status=lost", clerk, "", 400, "invalid", "lost"},
		{"CentreByClerk", "PUT", "/api/v1/cases/centre", clerk, `{"phone":"0818-7654321"}`, 403, "forbidden", "管理员"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			code, body := h.do(tt.method, tt.path, tt.token, tt.body)
			if code != tt.status || body["code"] != tt.code || !strings.Contains(fmt.Sprint(body["error"]), tt.says) {
				t.Errorf("got %d %v, want %d %s saying %q", code, body, tt.status, tt.code, tt.says)
			}
		})
	}

	if code, c = h.do("PUT", "/api/v1/cases/"+id+"/materials", clerk, `{"received":[0,1,2,3,4]}`); code != 200 || c["missing_required"].(float64) != 0 {
		t.Fatalf("materials: %d %v", code, c)
	}
	due, err := h.core.Calendar.AddWorkingDays(context.Background(), storetest.Epoch, 30)
	if err != nil {
		t.Fatal(err)
	}
	if code, c = h.do("POST", "/api/v1/cases/"+id+"/actions", clerk, `{"action":"accept"}`); code != 200 || c["status"] != "accepted" || c["due_date"] != calendar.FormatDate(due) {
		t.Fatalf("accept: %d %v, want due %s", code, c["due_date"], calendar.FormatDate(due))
	}
	h.mustPDF("/api/v1/cases/"+id+"/receipt.pdf", clerk)
	if code, c = h.do("POST", "/api/v1/cases/"+id+"/take", other, ""); code != 200 || c["holder_name"] != "王窗口" || c["responsible_name"] != "李窗口" {
		t.Fatalf("take: %d %v", code, c)
	}
	if code, c = h.do("POST", "/api/v1/cases/"+id+"/actions", other, `{"action":"complete","result":"纳入农村低保"}`); code != 200 || c["status"] != "completed" {
		t.Fatalf("complete: %d %v", code, c)
	}
	h.mustPDF("/api/v1/cases/"+id+"/completion.pdf", other)
	if code, list := h.doList("GET", "/api/v1/cases?mine=1", clerk); code != 200 || len(list) != 1 {
		t.Errorf("responsible clerk's list: %d %v", code, list)
	}
	if code, d := h.do("GET", "/api/v1/cases/due", clerk, ""); code != 200 || d["overdue"] == nil {
		t.Errorf("due: %d %v", code, d)
	}
}
