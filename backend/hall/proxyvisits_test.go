package hall_test

import (
	"strings"
	"testing"
)

// The market day through the real handler: a batch handed over, its list
// printed through a short link (the browser's way to a PDF), one case
// accepted into a window case.
func TestProxyAPI_HandoverPrintAndAccept(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	assistant := h.person(admin, "zhao", "assistant")
	clerk := h.person(admin, "clerk1", "clerk")
	id := h.proxyCase(assistant, proxyRequest)
	pending := h.proxyCase(assistant, strings.NewReplacer("张小三", "李四妹", "511725199003071232", "511725194501010026", "13812345678", "13900002222").Replace(proxyRequest))
	for _, s := range []string{`/materials`, `/transition`} {
		body := `{"index":0,"collected":true,"note":"原件已看"}`
		if s == "/transition" {
			body = `{"to":"materials_collected","where":"石桥村"}`
		}
		if code, out := h.do("POST", "/api/v1/proxy/cases/"+id+s, assistant, body); code != 200 {
			t.Fatalf("%s: %d %v", s, code, out)
		}
	}
	t.Run("BatchRefusedNamesTheCase", func(t *testing.T) {
		before := h.proxyRows()
		code, body := h.send("POST", "/api/v1/proxy/handovers", assistant, `{"case_ids":["`+id+`","`+pending+`"]}`)
		if code != 400 || !strings.Contains(body, "DB-20261125-002：还缺少必需材料：居民身份证") {
			t.Errorf("got %d %s, want 400 naming the second case", code, body)
		}
		if after := h.proxyRows(); after != before {
			t.Errorf("changed: %s → %s", before, after)
		}
	})
	code, batch := h.do("POST", "/api/v1/proxy/handovers", assistant, `{"case_ids":["`+id+`"]}`)
	if code != 201 {
		t.Fatalf("handover: %d %v", code, batch)
	}
	t.Run("PrintedThroughAShortLink", func(t *testing.T) {
		path := "/api/v1/proxy/handovers/" + batch["id"].(string) + "/print.pdf"
		code, link := h.do("POST", "/api/v1/url-tokens", assistant, `{"path":"`+path+`"}`)
		if code != 201 {
			t.Fatalf("link: %d %v", code, link)
		}
		code, ctype, body := h.raw(link["url"].(string), "")
		if code != 200 || ctype != "application/pdf" {
			t.Fatalf("print: %d %s %s", code, ctype, body)
		}
		text := pdfText(t, body)
		for _, want := range []string{"代办件交接清单", "DB-20261125-001", "张*三", "138****5678", "接收人（中心窗口）"} {
			if !strings.Contains(text, want) {
				t.Errorf("the list lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "张小三") || strings.Contains(text, "13812345678") {
			t.Errorf("the list shows the villager in full:\n%s", text)
		}
	})
	t.Run("AcceptedInOneStep", func(t *testing.T) {
		if code, out := h.do("POST", "/api/v1/proxy/cases/"+id+"/accept", assistant, `{}`); code != 403 {
			t.Errorf("assistant accepts: %d %v, want 403", code, out)
		}
		code, c := h.do("POST", "/api/v1/proxy/cases/"+id+"/accept", clerk, `{"where":"综合窗口1"}`)
		if code != 200 || c["state"] != "accepted" || c["window_case_number"] != "20261125-001" {
			t.Fatalf("accept: %d %v", code, c)
		}
		code, wc := h.do("GET", "/api/v1/cases/"+c["window_case_id"].(string), clerk, "")
		if code != 200 || wc["status"] != "accepted" || wc["item_code"] != "MZ-005" {
			t.Errorf("window case: %d %v", code, wc)
		}
	})
}
