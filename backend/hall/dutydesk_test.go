package hall_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"budayang/backend/hall"
)

// rawGet returns a GET's status and body as text.
func (h *harness) rawGet(path, auth string) (int, string) {
	h.t.Helper()
	req, err := http.NewRequest("GET", h.srv.URL+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestAPI_CallLog(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	duty := h.person(admin, "duty1", "duty")
	clerk := h.person(admin, "clerk1", "clerk")
	const call = `{"caller_name":"欧阳春燕","phone":"13977778888","village":"青龙村","need":"问养老认证","category":"consult"}`
	code, c := h.do("POST", "/api/v1/duty/calls", duty, call)
	if code != 201 || c["phone"] != "139****8888" {
		t.Fatalf("log: %d %v", code, c)
	}
	id := c["id"].(string)

	refusals := []struct {
		name, method, path, token, body string
		status                          int
		say                             string
	}{
		{"MalformedJSON", "POST", "/api/v1/duty/calls", duty, `{"phone":`, 400, "不是有效的JSON"},
		{"UnknownField", "POST", "/api/v1/duty/calls", duty, `{"phone":"13977778888","mood":"angry"}`, 400, "未知字段"},
		{"PhoneNotElevenDigits", "POST", "/api/v1/duty/calls", duty, `{"phone":"1397777888","need":"问","category":"consult"}`, 400, "电话号码"},
		{"DoubleSubmission", "POST", "/api/v1/duty/calls", duty, call, 409, "请勿重复提交"},
		{"UnknownID", "GET", "/api/v1/duty/calls/0190f000-0000-7000-8000-000000000000", duty, "", 404, "找不到这条来电登记"},
		{"UpdateUnknownID", "PUT", "/api/v1/duty/calls/0190f000-0000-7000-8000-000000000000", duty, `{"handling":"x"}`, 404, "找不到"},
		{"BadDate", "GET", "/api/v1/duty/calls?from=昨天", duty, "", 400, "开始日期"},
		{"BookClosedDay", "POST", "/api/v1/duty/calls/" + id + "/booking", duty, `{"line":"A","slot_start":"2026-11-28T01:00:00Z"}`, 400, "不办公"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			code, out := h.do(tt.method, tt.path, tt.token, tt.body)
			if code != tt.status || !strings.Contains(fmt.Sprint(out["error"]), tt.say) {
				t.Errorf("got %d %v, want %d saying %q", code, out, tt.status, tt.say)
			}
		})
	}

	t.Run("ListMasked", func(t *testing.T) {
		for _, tok := range []string{duty, clerk, admin} {
			code, body := h.rawGet("/api/v1/duty/calls?from=2026-11-25&to=2026-11-25", "Bearer "+tok)
			if code != 200 || !strings.Contains(body, "139****8888") || strings.Contains(body, "13977778888") || strings.Contains(body, "欧阳春燕") {
				t.Errorf("list: %d %s, want the call masked", code, body)
			}
		}
	})
	t.Run("FullReadOnlyDutyAndAdmin", func(t *testing.T) {
		for tok, want := range map[string]string{duty: "13977778888", admin: "13977778888", clerk: "139****8888"} {
			code, out := h.do("GET", "/api/v1/duty/calls/"+id, tok, "")
			if code != 200 || out["phone"] != want {
				t.Errorf("got %d %v, want phone %s", code, out, want)
			}
		}
		_, page := h.do("GET", "/api/v1/audit?limit=10", admin, "")
		reads := 0
		for _, e := range page["entries"].([]any) {
			if e.(map[string]any)["action"] == "calllog.read" {
				reads++
			}
		}
		if reads != 2 {
			t.Errorf("%d calllog.read lines, want 2 (duty and admin)", reads)
		}
		for _, e := range page["entries"].([]any) {
			e := e.(map[string]any)
			if strings.HasPrefix(e["action"].(string), "calllog.") && e["target_label"] != "2026-11-25 09:00 政策咨询" {
				t.Errorf("%v: target_label %q, want the call's time and category", e["action"], e["target_label"])
			}
			if strings.Contains(fmt.Sprint(e), "13977778888") || strings.Contains(fmt.Sprint(e), "欧阳") {
				t.Errorf("audit entry holds the caller: %v", e)
			}
		}
	})
	t.Run("ReferThenBook", func(t *testing.T) {
		code, out := h.do("PUT", "/api/v1/duty/calls/"+id, duty, `{"handling":"已告知","referral":{"kind":"hotline"}}`)
		if code != 200 || out["status"] != "referred" {
			t.Fatalf("refer: %d %v", code, out)
		}
		code, out = h.do("POST", "/api/v1/duty/calls/"+id+"/booking", duty, `{"line":"A","slot_start":"2026-11-26T01:00:00Z"}`)
		if code != 201 || out["call"].(map[string]any)["status"] != "booked" || out["booking"].(map[string]any)["code"] == "" {
			t.Fatalf("book: %d %v", code, out)
		}
	})
	t.Run("CaseForAClerk", func(t *testing.T) {
		_, c2 := h.do("POST", "/api/v1/duty/calls", duty, `{"phone":"13600001111","need":"办低保","category":"business"}`)
		code, out := h.do("POST", "/api/v1/duty/calls/"+c2["id"].(string)+"/case", duty, `{"item_code":"MZ-001","name":"赵六"}`)
		if code != 201 {
			t.Fatalf("case: %d %v", code, out)
		}
		caseID := out["case"].(map[string]any)["id"].(string)
		code, list := h.doList("GET", "/api/v1/cases?unheld=1", clerk)
		if code != 200 || len(list) != 1 || list[0].(map[string]any)["id"] != caseID {
			t.Fatalf("unheld: %d %v", code, list)
		}
		if code, out := h.do("POST", "/api/v1/cases/"+caseID+"/take", clerk, ""); code != 200 || out["holder_name"] != "职员clerk1" {
			t.Errorf("take: %d %v", code, out)
		}
	})
}

func TestAPI_Whereabouts(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := h.person(admin, "clerk1", "clerk")
	display := h.pair(admin, "display", 0)
	code, m := h.do("POST", "/api/v1/whereabouts", clerk, `{"where":"入户代办","back_at":"2026-11-25T03:00:00Z","window":2}`)
	if code != 201 {
		t.Fatalf("leave: %d %v", code, m)
	}
	id := m["id"].(string)
	if code, out := h.do("POST", "/api/v1/whereabouts", clerk, `{"where":"入户代办","back_at":"`); code != 400 || !strings.Contains(fmt.Sprint(out["error"]), "JSON") {
		t.Errorf("malformed: %d %v", code, out)
	}

	for name, auth := range map[string]string{"Nobody": "", "Display": display} {
		t.Run("Public/"+name, func(t *testing.T) {
			code, body := h.rawGet("/api/v1/whereabouts", auth)
			if code != 200 || !strings.Contains(body, `"staff_name":"职员clerk1"`) || !strings.Contains(body, `"window":2`) || !strings.Contains(body, "入户代办") {
				t.Fatalf("got %d %s", code, body)
			}
			for _, leak := range []string{id, `"id"`, "staff_id", "phone"} {
				if strings.Contains(body, leak) {
					t.Errorf("public board carries %s: %s", leak, body)
				}
			}
		})
	}
	t.Run("StaffSeeIDs", func(t *testing.T) {
		code, body := h.rawGet("/api/v1/whereabouts", "Bearer "+clerk)
		if code != 200 || !strings.Contains(body, id) {
			t.Errorf("got %d %s, want the message's id to clear it by", code, body)
		}
	})
	t.Run("PublicEvent", func(t *testing.T) {
		if !hall.Public("whereabouts:changed") || hall.Public("call:changed") {
			t.Error("whereabouts:changed must reach the public stream, call:changed must not")
		}
	})
	t.Run("Return", func(t *testing.T) {
		if code, _ := h.do("DELETE", "/api/v1/whereabouts/"+id, clerk, ""); code != 204 {
			t.Fatalf("return: %d", code)
		}
		if code, out := h.do("DELETE", "/api/v1/whereabouts/"+id, clerk, ""); code != 404 {
			t.Errorf("again: %d %v, want 404", code, out)
		}
		if _, body := h.rawGet("/api/v1/whereabouts", ""); body != "{\"notices\":[]}\n" {
			t.Errorf("board after return: %q", body)
		}
	})
}
