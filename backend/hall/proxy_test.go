package hall_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// proxyRequest is a villager's request for the senior citizen's card
// (MZ-005: the first of its two materials required).
const proxyRequest = `{"item_code":"MZ-005","name":"张小三","id_number":"511725199003071232","phone":"13812345678","channel":"phone","where":"石桥村便民服务室"}`

// proxyCase opens a proxy case as the assistant with token and returns its id.
func (h *harness) proxyCase(token, body string) string {
	h.t.Helper()
	code, c := h.do("POST", "/api/v1/proxy/cases", token, body)
	if code != 201 {
		h.t.Fatalf("proxy case: %d %v", code, c)
	}
	return c["id"].(string)
}

// send sends a request and returns the status and body as they came.
func (h *harness) send(method, path, token, body string) (int, string) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// proxyRows is the state of the proxy tables a refused request must leave.
func (h *harness) proxyRows() string {
	h.t.Helper()
	var s string
	err := h.core.DB.Read().QueryRow(`SELECT (SELECT count(*) FROM proxy_case) || '/' || (SELECT coalesce(sum(version), 0) FROM proxy_case) || '/' ||
		(SELECT coalesce(sum(collected), 0) FROM proxy_material) || '/' || (SELECT count(*) FROM proxy_event) || '/' || (SELECT count(*) FROM outbox)`).Scan(&s)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

func TestProxyAPI_CaseLife(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	assistant := h.person(admin, "zhao", "assistant")
	other := h.person(admin, "qian", "assistant")
	clerk := h.person(admin, "clerk1", "clerk")
	id := h.proxyCase(assistant, proxyRequest)

	t.Run("ListMasked", func(t *testing.T) {
		for _, tok := range []string{assistant, admin, clerk} {
			code, body := h.send("GET", "/api/v1/proxy/cases?state=requested", tok, "")
			if code != 200 || !strings.Contains(body, id) || strings.Contains(body, "511725199003071232") || strings.Contains(body, "13812345678") || strings.Contains(body, "张小三") {
				t.Errorf("got %d %s, want the case masked", code, body)
			}
		}
		if code, body := h.send("GET", "/api/v1/proxy/cases", other, ""); code != 200 || body != "[]\n" {
			t.Errorf("another assistant: got %d %s, want an empty list", code, body)
		}
	})
	t.Run("OwnerReadsInFull", func(t *testing.T) {
		code, c := h.do("GET", "/api/v1/proxy/cases/"+id, assistant, "")
		if code != 200 || c["id_number"] != "511725199003071232" || c["masked"] != false {
			t.Errorf("got %d %v, want in full", code, c)
		}
		code, c = h.do("GET", "/api/v1/proxy/cases/"+id, clerk, "")
		if code != 200 || c["id_number"] != "511725********1232" {
			t.Errorf("clerk: got %d %v, want masked", code, c)
		}
		if code, c = h.do("GET", "/api/v1/proxy/cases/"+id, other, ""); code != 403 || !strings.Contains(fmt.Sprint(c["error"]), "不是您负责的代办件") {
			t.Errorf("another assistant: got %d %v, want 403 with the reason", code, c)
		}
	})
	t.Run("BadRequestsChangeNothing", func(t *testing.T) {
		tests := []struct {
			name, method, path, token, body string
			status                          int
			says                            string
		}{
			{"MalformedJSON", "POST", "/api/v1/proxy/cases", assistant, `{"item_code":`, 400, "不是有效的JSON"},
			{"UnknownField", "POST", "/api/v1/proxy/cases/" + id + "/transition", assistant, `{"to":"materials_collected","by":"x"}`, 400, "未知字段"},
			{"DuplicateSubmission", "POST", "/api/v1/proxy/cases", assistant, proxyRequest, 409, "请勿重复登记"},
			{"InvalidID", "POST", "/api/v1/proxy/cases", assistant, strings.Replace(proxyRequest, "071232", "071233", 1), 400, "身份证"},
			{"InvalidPhone", "POST", "/api/v1/proxy/cases", assistant, strings.Replace(proxyRequest, "13812345678", "1381234567", 1), 400, "手机号"},
			{"UnknownCase", "POST", "/api/v1/proxy/cases/nope/materials", assistant, `{"index":0,"collected":true}`, 404, "找不到这个代办件"},
			{"HandoverWithoutMaterials", "POST", "/api/v1/proxy/cases/" + id + "/transition", assistant, `{"to":"materials_collected","where":"村"}`, 400, "还缺少必需材料"},
			{"ReturnNotReady", "POST", "/api/v1/proxy/cases/" + id + "/transition", assistant, `{"to":"returned","where":"村","return_method":"post"}`, 409, "下一步应为"},
			{"AnotherAssistantTicks", "POST", "/api/v1/proxy/cases/" + id + "/materials", other, `{"index":0,"collected":true}`, 403, "不是您负责的代办件"},
			{"UnknownState", "GET", "/api/v1/proxy/cases?state=lost", assistant, "", 400, "未知的代办状态"},
			{"BadOverdue", "GET", "/api/v1/proxy/cases?overdue=yes", assistant, "", 400, "overdue"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := h.proxyRows()
				code, body := h.send(tt.method, tt.path, tt.token, tt.body)
				if code != tt.status || !strings.Contains(body, tt.says) {
					t.Errorf("got %d %s, want %d saying %q", code, body, tt.status, tt.says)
				}
				if after := h.proxyRows(); after != before {
					t.Errorf("database changed: %s → %s", before, after)
				}
			})
		}
	})
	t.Run("ThroughToReturned", func(t *testing.T) {
		steps := []struct{ token, path, body string }{
			{assistant, "/materials", `{"index":0,"collected":true,"note":"原件已看"}`},
			{assistant, "/transition", `{"to":"materials_collected","where":"张小三家中"}`},
			{assistant, "/transition", `{"to":"handed_over","where":"测试镇便民服务中心"}`},
		}
		for _, s := range steps {
			if code, out := h.do("POST", "/api/v1/proxy/cases/"+id+s.path, s.token, s.body); code != 200 {
				t.Fatalf("%s %s: %d %v", s.path, s.body, code, out)
			}
		}
		code, wc := h.do("POST", "/api/v1/cases", clerk, `{"item_code":"MZ-005","name":"张小三","id_number":"511725199003071232","phone":"13812345678"}`)
		if code != 201 {
			t.Fatalf("window case: %d %v", code, wc)
		}
		for _, s := range []struct{ token, body string }{
			{clerk, `{"to":"accepted","where":"综合窗口1","window_case_id":"` + wc["id"].(string) + `"}`},
			{clerk, `{"to":"result_ready","where":"综合窗口1"}`},
			{assistant, `{"to":"returned","where":"石桥村","return_method":"in_person"}`},
		} {
			if code, out := h.do("POST", "/api/v1/proxy/cases/"+id+"/transition", s.token, s.body); code != 200 {
				t.Fatalf("%s: %d %v", s.body, code, out)
			}
		}
		_, c := h.do("GET", "/api/v1/proxy/cases/"+id, assistant, "")
		if c["state"] != "returned" || c["window_case_number"] != wc["number"] {
			t.Errorf("got %v, want returned and linked to %v", c, wc["number"])
		}
	})
}

func TestProxyAPI_VillagesAndPublicCards(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	assistant := h.person(admin, "zhao", "assistant")
	_, me := h.do("GET", "/api/v1/me", assistant, "")
	code, v := h.do("POST", "/api/v1/villages", admin, `{"name":"石桥村","room":"石桥村便民服务室"}`)
	if code != 201 {
		t.Fatalf("village: %d %v", code, v)
	}
	body := `{"work_phone":"13900001111","wechat":"sq-zhao","hours":"周一至周五","village_ids":["` + v["id"].(string) + `"]}`
	if code, out := h.do("PUT", "/api/v1/staff/"+me["id"].(string)+"/assistant-card", admin, body); code != 200 {
		t.Fatalf("card: %d %v", code, out)
	}
	if code, out := h.do("PUT", "/api/v1/staff/"+me["id"].(string)+"/assistant-card", assistant, `{"work_phone":"13900001111","hours":"周一至周六"}`); code != 200 {
		t.Fatalf("own card: %d %v", code, out)
	}
	t.Run("PublicCardsWithoutCredential", func(t *testing.T) {
		code, body := h.send("GET", "/api/v1/assistants/cards", "", "")
		var cards []map[string]any
		if err := json.Unmarshal([]byte(body), &cards); err != nil || code != 200 || len(cards) != 1 {
			t.Fatalf("got %d %s", code, body)
		}
		if cards[0]["name"] != "职员zhao" || cards[0]["work_phone"] != "13900001111" || cards[0]["hours"] != "周一至周六" {
			t.Errorf("got %v", cards[0])
		}
		if strings.Contains(body, me["id"].(string)) || strings.Contains(body, v["id"].(string)) || strings.Contains(body, `"id"`) {
			t.Errorf("public cards carry an identifier: %s", body)
		}
	})
	t.Run("PrintableWithoutCredential", func(t *testing.T) {
		code, body := h.send("GET", "/api/v1/assistants/cards.pdf", "", "")
		if code != 200 || !strings.HasPrefix(body, "%PDF") {
			t.Errorf("got %d %.20q, want a PDF", code, body)
		}
	})
}

// The audit page names a proxy case by its number, a village by its name
// and an assistant's card by the assistant — never the villager.
func TestProxyAPI_AuditLabels(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	assistant := h.person(admin, "zhao", "assistant")
	_, me := h.do("GET", "/api/v1/me", assistant, "")
	_, v := h.do("POST", "/api/v1/villages", admin, `{"name":"石桥村","room":"石桥村便民服务室"}`)
	if code, out := h.do("PUT", "/api/v1/staff/"+me["id"].(string)+"/assistant-card", assistant, `{"work_phone":"13900001111"}`); code != 200 {
		t.Fatalf("card: %d %v", code, out)
	}
	id := h.proxyCase(assistant, proxyRequest)
	_, c := h.do("GET", "/api/v1/proxy/cases/"+id, assistant, "")
	_, page := h.do("GET", "/api/v1/audit?limit=100", admin, "")
	want := map[string]string{
		"proxy.open " + id:                   c["number"].(string),
		"proxy.read " + id:                   c["number"].(string),
		"village.create " + v["id"].(string): "石桥村",
		"assistant.card zhao":                "职员zhao",
	}
	got := map[string]string{}
	for _, e := range page["entries"].([]any) {
		e := e.(map[string]any)
		label, _ := e["target_label"].(string)
		got[e["action"].(string)+" "+e["target"].(string)] = label
		if strings.Contains(fmt.Sprint(e), "张小三") || strings.Contains(fmt.Sprint(e), "511725199003071232") {
			t.Errorf("audit line names the villager: %v", e)
		}
	}
	for k, label := range want {
		if got[k] != label {
			t.Errorf("%s: got label %q, want %q", k, got[k], label)
		}
	}
}

// A photo goes up as base64 JSON and comes back the same way, to the owner
// only.
func TestProxyAPI_Photos(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	assistant := h.person(admin, "zhao", "assistant")
	other := h.person(admin, "qian", "assistant")
	id := h.proxyCase(assistant, proxyRequest)
	img := "/9j/4AAQSkZJRgABAQ==" // a JPEG's first bytes
	code, ph := h.do("POST", "/api/v1/proxy/cases/"+id+"/materials/0/photos", assistant, `{"content_type":"image/jpeg","data":"`+img+`"}`)
	if code != 201 {
		t.Fatalf("add photo: %d %v", code, ph)
	}
	path := "/api/v1/proxy/cases/" + id + "/photos/" + ph["id"].(string)
	if code, got := h.do("GET", path, assistant, ""); code != 200 || got["data"] != img || got["content_type"] != "image/jpeg" {
		t.Errorf("owner: got %d %v", code, got)
	}
	for _, tok := range []string{other, admin} {
		if code, got := h.do("GET", path, tok, ""); code != 403 {
			t.Errorf("got %d %v, want 403", code, got)
		}
	}
	if code, got := h.do("POST", "/api/v1/proxy/cases/"+id+"/materials/x/photos", assistant, `{"content_type":"image/jpeg","data":"`+img+`"}`); code != 400 {
		t.Errorf("index x: got %d %v, want 400", code, got)
	}
}
