package hall_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestAPI_Calendar(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	code, body := h.do("GET", "/api/v1/calendar?from=2026-09-30&to=2026-10-11", "", "")
	if code != 200 {
		t.Fatalf("calendar: %d %v", code, body)
	}
	days := body["days"].([]any)
	if len(days) != 12 || len(body["warnings"].([]any)) != 0 {
		t.Fatalf("days: got %d, warnings %v", len(days), body["warnings"])
	}
	want := map[string][3]any{ // workday, holiday, adjusted_workday
		"2026-09-30": {true, "", false},
		"2026-10-01": {false, "国庆节", false},
		"2026-10-08": {true, "", false},
		"2026-10-10": {true, "", true},
		"2026-10-11": {false, "", false},
	}
	for _, d := range days {
		day := d.(map[string]any)
		if w, ok := want[day["date"].(string)]; ok {
			if day["workday"] != w[0] || day["holiday"] != w[1] || day["adjusted_workday"] != w[2] {
				t.Errorf("%s: got %v", day["date"], day)
			}
		}
		if _, ok := day["market_day"].(bool); !ok {
			t.Errorf("%s: no market_day", day["date"])
		}
		if _, ok := day["hours"].([]any); !ok {
			t.Errorf("%s: hours is not a list", day["date"])
		}
	}
	_, body = h.do("GET", "/api/v1/calendar?from=2027-01-01&to=2027-01-02", "", "")
	if w := body["warnings"].([]any); len(w) != 1 || w[0] != "2027年节假日安排尚未导入，暂按周末休息计算" {
		t.Errorf("2027 warnings: got %v", body["warnings"])
	}
	imp := `{"year":2027,"notice":"通知","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-03"}],"workdays":[]}`
	if code, body := h.do("PUT", "/api/v1/calendar/arrangements/2027", admin, imp); code != 200 {
		t.Fatalf("import: %d %v", code, body)
	}
	_, body = h.do("GET", "/api/v1/calendar?from=2027-01-01&to=2027-01-01", "", "")
	if d := body["days"].([]any)[0].(map[string]any); d["holiday"] != "元旦" || len(body["warnings"].([]any)) != 0 {
		t.Errorf("after import: got %v", body)
	}
	_, body = h.do("GET", "/api/v1/calendar/working-days?from=2026-09-30&add=1", "", "")
	if body["date"] != "2026-10-08" {
		t.Errorf("add working days: got %v", body)
	}
	_, body = h.do("GET", "/api/v1/calendar/working-days?from=2026-09-30&to=2026-10-10", "", "")
	if body["working_days"] != float64(3) {
		t.Errorf("working days between: got %v", body)
	}
	for _, tt := range []struct{ path, token, body string }{
		{"/api/v1/calendar?from=2026-10-01&to=2026-09-01", "", ""},
		{"/api/v1/calendar?from=yesterday&to=2026-09-01", "", ""},
	} {
		if code, _ := h.do("GET", tt.path, tt.token, tt.body); code != 400 {
			t.Errorf("%s: got %d, want 400", tt.path, code)
		}
	}
	if code, _ := h.do("PUT", "/api/v1/calendar/market", "", `{"kind":"solar","days":[1,4,7]}`); code != 401 {
		t.Errorf("market without login: got %d", code)
	}
	code, body = h.do("PUT", "/api/v1/calendar/market", admin, `{"kind":"solar","days":[1,4,7,11,14,17,21,24,27,31],"hours":[{"weekday":0,"start":"08:00","end":"12:00"}],"open_on_rest_days":false}`)
	if code != 200 {
		t.Fatalf("market: %d %v", code, body)
	}
	_, body = h.do("GET", "/api/v1/calendar?from=2026-11-24&to=2026-11-24", "", "")
	if d := body["days"].([]any)[0].(map[string]any); d["market_day"] != true || d["hours"].([]any)[0].(map[string]any)["start"] != "08:00" {
		t.Errorf("market day: got %v", d)
	}
}

// clerks logs in n clerks created by the administrator.
func clerks(t *testing.T, h *harness, admin string, n int) []string {
	t.Helper()
	var out []string
	for i := range n {
		login := fmt.Sprintf("clerk%d", i)
		if code, body := h.do("POST", "/api/v1/staff", admin, fmt.Sprintf(`{"login":%q,"name":"窗口%d","role":"clerk","password":"Clerk12345"}`, login, i)); code != 201 {
			t.Fatalf("create %s: %d %v", login, code, body)
		}
		_, body := h.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"user":%q,"password":"Clerk12345"}`, login))
		out = append(out, body["token"].(string))
	}
	return out
}

// 2026-11-26 09:00 Shanghai, tomorrow at the harness's clock.
const tomorrow0900 = "2026-11-26T01:00:00Z"

func TestAPI_BookingRefusals(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	if code, body := h.do("PUT", "/api/v1/booking/lines/A", admin, `{"slot_minutes":30,"capacity":1,"extended_capacity":1}`); code != 200 {
		t.Fatalf("line rule: %d %v", code, body)
	}
	clerk := clerks(t, h, admin, 1)[0]
	code, first := h.do("POST", "/api/v1/bookings", clerk, `{"line":"A","slot_start":"`+tomorrow0900+`","name":"张三","phone":"13812345678"}`)
	if code != 201 || first["phone"] != "13812345678" || len(first["code"].(string)) != 6 {
		t.Fatalf("book: %d %v", code, first)
	}
	tests := []struct {
		name, body string
		status     int
		says       string
	}{
		{"ClosedDay", `{"line":"A","slot_start":"2026-11-28T01:00:00Z","name":"李四","phone":"13900001111"}`, 400, "周末"},
		{"OverCapacity", `{"line":"A","slot_start":"` + tomorrow0900 + `","name":"李四","phone":"13900001111"}`, 409, "该时段已约满"},
		{"InThePast", `{"line":"A","slot_start":"2026-11-24T01:00:00Z","name":"李四","phone":"13900001111"}`, 400, "已经过去"},
		{"UnknownLine", `{"line":"Q","slot_start":"2026-11-26T02:00:00Z","name":"李四","phone":"13900001111"}`, 400, "业务线"},
		{"DoubleBooking", `{"line":"A","slot_start":"` + tomorrow0900 + `","name":"张三","phone":"138-1234-5678"}`, 409, "同一时段不能重复预约"},
		{"MalformedPhone", `{"line":"A","slot_start":"2026-11-26T02:00:00Z","name":"李四","phone":"139000"}`, 400, "电话号码"},
		{"MalformedTime", `{"line":"A","slot_start":"明天上午","name":"李四","phone":"13900001111"}`, 400, "RFC 3339"},
		{"UnknownField", `{"line":"A","slot":"x"}`, 400, "未知字段"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := h.do("POST", "/api/v1/bookings", clerk, tt.body)
			if code != tt.status || !strings.Contains(body["error"].(string), tt.says) {
				t.Fatalf("got %d %v, want %d saying %q", code, body, tt.status, tt.says)
			}
		})
	}
	_, list := h.doList("GET", "/api/v1/bookings?from=2026-11-01&to=2026-11-30", clerk)
	if len(list) != 1 {
		t.Errorf("bookings after refusals: got %d, want 1", len(list))
	}
	t.Run("KioskSeesMaskedData", func(t *testing.T) {
		kiosk := h.pair(admin, "kiosk", 0)
		code, b := h.do("POST", "/api/v1/kiosk/bookings", kiosk, `{"line":"A","slot_start":"2026-11-27T01:00:00Z","name":"王小五","phone":"13700001111"}`)
		if code != 201 || b["phone"] != "137****1111" || b["citizen_name"] != "王*五" || len(b["code"].(string)) != 6 {
			t.Fatalf("kiosk booking: %d %v", code, b)
		}
		code, res := h.do("POST", "/api/v1/kiosk/check-in", kiosk, `{"code":"`+b["code"].(string)+`"}`)
		if code != 409 || res["reason"] != "too_early" || res["offer_normal_ticket"] != true || res["code"] != "conflict" {
			t.Errorf("early check-in: %d %v", code, res)
		}
		_, slots := h.do("GET", "/api/v1/kiosk/slots?line=A&date=2026-11-27", kiosk, "")
		for _, s := range slots["slots"].([]any) {
			if sl := s.(map[string]any); sl["start"] == "2026-11-27T01:00:00Z" && sl["available"] != float64(0) {
				t.Errorf("kiosk slot after booking: %v", sl)
			}
		}
	})
	t.Run("StaffCheckInOnTime", func(t *testing.T) {
		code, b := h.do("POST", "/api/v1/bookings", clerk, `{"line":"A","slot_start":"2026-11-25T01:30:00Z","name":"赵六","phone":"13600001111"}`)
		if code != 201 {
			t.Fatalf("book today: %d %v", code, b)
		}
		code, res := h.do("POST", "/api/v1/bookings/check-in", clerk, `{"code":"`+b["code"].(string)+`"}`)
		ticket, _ := res["ticket"].(map[string]any)
		if code != 200 || res["priority"] != true || ticket["appointment_id"] != b["id"] || ticket["phone"] != "13600001111" {
			t.Fatalf("check-in: %d %v", code, res)
		}
	})
}

func (h *harness) doList(method, path, token string) (int, []any) {
	h.t.Helper()
	req, _ := http.NewRequest(method, h.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	var out []any
	raw, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		h.t.Fatalf("%s: %s", path, raw)
	}
	return res.StatusCode, out
}

// Clerks at several windows book the last places of one slot at the same
// moment over real HTTP: exactly capacity of them succeed, the others are
// told the slot is full.
func TestAPI_BookingCapacityRace(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	if code, body := h.do("PUT", "/api/v1/booking/lines/A", admin, `{"slot_minutes":30,"capacity":2,"extended_capacity":1}`); code != 200 {
		t.Fatalf("line rule: %d %v", code, body)
	}
	tokens := clerks(t, h, admin, 6)
	// 09:00, 10:00, 11:00, 14:00 and 15:00 Shanghai tomorrow.
	for round, slot := range []string{"2026-11-26T01:00:00Z", "2026-11-26T02:00:00Z", "2026-11-26T03:00:00Z", "2026-11-26T06:00:00Z", "2026-11-26T07:00:00Z"} {
		codes := raceBookings(t, len(tokens), func(i int) (int, string) {
			code, body := h.do("POST", "/api/v1/bookings", tokens[i], fmt.Sprintf(`{"line":"A","slot_start":%q,"name":"市民%d","phone":"1390000%02d%02d"}`, slot, i, round, i))
			msg, _ := body["error"].(string)
			return code, msg
		})
		if codes[201] != 2 || codes[409] != len(tokens)-2 {
			t.Errorf("slot %s: got %v, want 2×201 and %d×409 该时段已约满", slot, codes, len(tokens)-2)
		}
	}
}

// raceBookings fires n requests released together and tallies the statuses;
// every 409 must say the slot is full.
func raceBookings(t *testing.T, n int, book func(i int) (int, string)) map[int]int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			code, msg := book(i)
			mu.Lock()
			codes[code]++
			mu.Unlock()
			if code == 409 && !strings.Contains(msg, "该时段已约满") {
				t.Errorf("409 says %q", msg)
			}
		}()
	}
	close(gate)
	wg.Wait()
	return codes
}

// The same race against the real budayang serve process.
func TestServe_BookingCapacityRace(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	p := startServe(t, initData(t, 1), freeAddr(t))
	admin := p.login("admin", "Admin12345")
	if code, body, err := p.call("PUT", "/api/v1/booking/lines/A", admin, `{"slot_minutes":30,"capacity":1,"extended_capacity":1}`); err != nil || code != 200 {
		t.Fatalf("line rule: %d %s %v", code, body, err)
	}
	var tokens []string
	for i := range 8 {
		login := fmt.Sprintf("clerk%d", i)
		if code, body, err := p.call("POST", "/api/v1/staff", admin, fmt.Sprintf(`{"login":%q,"name":"窗口%d","role":"clerk","password":"Clerk12345"}`, login, i)); err != nil || code != 201 {
			t.Fatalf("create %s: %d %s %v", login, code, body, err)
		}
		tokens = append(tokens, p.login(login, "Clerk12345"))
	}
	codes := raceBookings(t, len(tokens), func(i int) (int, string) {
		code, body, err := p.call("POST", "/api/v1/bookings", tokens[i], fmt.Sprintf(`{"line":"A","slot_start":%q,"name":"市民","phone":"1380000%04d"}`, tomorrow0900, i))
		if err != nil {
			t.Error(err)
		}
		var e struct{ Error string }
		json.Unmarshal(body, &e)
		return code, e.Error
	})
	if codes[201] != 1 || codes[409] != len(tokens)-1 {
		t.Errorf("got %v, want one 201 and %d×409", codes, len(tokens)-1)
	}
	_, body, _ := p.call("GET", "/api/v1/booking/slots?line=A&date=2026-11-26", admin, "")
	var day struct {
		Slots []struct {
			Start  string
			Booked int
		}
	}
	json.Unmarshal(body, &day)
	for _, s := range day.Slots {
		if s.Start == tomorrow0900 && s.Booked != 1 {
			t.Errorf("booked places in the slot: got %d, want 1", s.Booked)
		}
	}
}

func TestAPI_StaffICS(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	clerk := clerks(t, h, admin, 2)
	_, me := h.do("GET", "/api/v1/me", clerk[0], "")
	id := me["id"].(string)
	if code, body := h.do("POST", "/api/v1/calendar/extended", admin, `{"name":"周日上午","weekdays":[7],"start":"09:00","end":"12:00"}`); code != 201 {
		t.Fatalf("extended: %d %v", code, body)
	}
	if code, body := h.do("POST", "/api/v1/bookings", clerk[1], `{"line":"A","slot_start":"2026-11-29T01:00:00Z","name":"赵六","phone":"13700001111","staff_id":"`+id+`"}`); code != 201 {
		t.Fatalf("book: %d %v", code, body)
	}
	code, link := h.do("POST", "/api/v1/url-tokens", clerk[0], `{"path":"/api/v1/staff/`+id+`/calendar.ics"}`)
	if code != 201 {
		t.Fatalf("subscription link: %d %v", code, link)
	}
	res, err := http.Get(h.srv.URL + link["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	ics := string(raw)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") ||
		!strings.Contains(ics, "DTSTART:20261129T010000Z\r\n") || !strings.Contains(ics, "赵*") {
		t.Fatalf("ics: %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), ics)
	}
	if code, _ := h.do("GET", "/api/v1/staff/"+id+"/calendar.ics", clerk[1], ""); code != 403 {
		t.Errorf("another clerk's calendar: got %d, want 403", code)
	}
}
