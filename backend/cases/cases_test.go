package cases_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/cases"
	"budayang/backend/clock"
	"budayang/backend/core"
	"budayang/backend/core/coretest"
	"budayang/backend/queue"
	"budayang/backend/secret"
	"budayang/backend/store"
)

// Valid resident ID numbers (GB 11643 check digits).
const (
	idZhang = "511725199003071232"
	idLi    = "51172519720620004X"
)

type fixture struct {
	site         *coretest.Site
	c            *core.Core
	clk          *clock.Fixed
	clerk, other account.Principal
}

func setup(t *testing.T) fixture {
	t.Helper()
	s := coretest.Open(t)
	return fixture{site: s, c: s.Core, clk: s.Clock,
		clerk: s.Person("clerk1", "李窗口", account.RoleClerk), other: s.Person("clerk2", "王窗口", account.RoleClerk)}
}

// lowBao is a complete request for rural minimum living allowance (MZ-001,
// six materials, the last optional).
func lowBao() cases.OpenRequest {
	return cases.OpenRequest{ItemCode: "MZ-001", Name: "张小三", IDNumber: idZhang, Phone: "138 1234 5678", Received: []int{0, 1, 2, 3, 4}}
}

func (f fixture) open(t *testing.T, req cases.OpenRequest) cases.Case {
	t.Helper()
	c, err := f.c.Cases.Open(context.Background(), f.clerk, req)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return c
}

func (f fixture) act(t *testing.T, id string, a cases.Action) cases.Case {
	t.Helper()
	c, err := f.c.Cases.Act(context.Background(), f.clerk, id, a)
	if err != nil {
		t.Fatalf("%s: %v", a.Action, err)
	}
	return c
}

func (f fixture) count(t *testing.T, q string) int {
	t.Helper()
	var n int
	if err := f.c.DB.Read().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpen_RefusesBadInputAndSavesNothing(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	waiting, err := f.c.Queue.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(r *cases.OpenRequest)
		code string
		says string
	}{
		{"WrongCheckDigit", func(r *cases.OpenRequest) { r.IDNumber = "511725199003071233" }, apperr.Invalid, "校验位"},
		{"ShortID", func(r *cases.OpenRequest) { r.IDNumber = "51172519900307" }, apperr.Invalid, "18位"},
		{"ImpossibleBirthDate", func(r *cases.OpenRequest) { r.IDNumber = "511725199002301236" }, apperr.Invalid, "出生日期"},
		{"BadPhone", func(r *cases.OpenRequest) { r.Phone = "12345" }, apperr.Invalid, "电话号码"},
		{"NoName", func(r *cases.OpenRequest) { r.Name = " " }, apperr.Invalid, "姓名"},
		{"UnknownItem", func(r *cases.OpenRequest) { r.ItemCode = "NOPE-1" }, apperr.NotFound, "NOPE-1"},
		{"CountyOnlyItem", func(r *cases.OpenRequest) { r.ItemCode = "MZ-006"; r.Received = nil }, apperr.Invalid, "县民政局婚姻登记处"},
		{"TicketNotCalled", func(r *cases.OpenRequest) { r.TicketID = waiting.ID }, apperr.Conflict, waiting.Number},
		{"UnknownTicket", func(r *cases.OpenRequest) { r.TicketID = "nope" }, apperr.NotFound, ""},
		{"MaterialIndexOutOfRange", func(r *cases.OpenRequest) { r.Received = []int{9} }, apperr.Invalid, "材料序号9"},
		{"AcceptWithoutID", func(r *cases.OpenRequest) { r.IDNumber = ""; r.Accept = true }, apperr.Invalid, "身份证"},
		{"AcceptWithRequiredMissing", func(r *cases.OpenRequest) { r.Received = []int{0, 1}; r.Accept = true }, apperr.Invalid, "家庭经济状况核对授权书"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := lowBao()
			tt.edit(&req)
			_, err := f.c.Cases.Open(ctx, f.clerk, req)
			if apperr.Code(err) != tt.code {
				t.Fatalf("got %v (%s), want %s", err, apperr.Code(err), tt.code)
			}
			if !strings.Contains(apperr.Message(err), tt.says) {
				t.Errorf("sentence %q does not say %q", apperr.Message(err), tt.says)
			}
			for _, table := range []string{"case_file", "case_material", "case_event", "case_counter"} {
				if n := f.count(t, "SELECT count(*) FROM "+table); n != 0 {
					t.Errorf("%s has %d rows after a refusal", table, n)
				}
			}
		})
	}
}

func TestOpen_AcceptsXCheckDigitAndLinksCalledTicket(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	tk, _ := f.c.Queue.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"})
	if _, err := f.c.Queue.CallTicket(ctx, f.clerk, 1, tk.ID); err != nil {
		t.Fatal(err)
	}
	req := lowBao()
	req.IDNumber = strings.ToLower(idLi)
	req.TicketID = tk.ID
	req.Accept = true
	c := f.open(t, req)
	if c.TicketID != tk.ID || c.TicketNumber != tk.Number {
		t.Errorf("ticket link: got %s %s, want %s %s", c.TicketID, c.TicketNumber, tk.ID, tk.Number)
	}
	if c.Status != cases.Accepted || c.Number != "20261125-001" {
		t.Errorf("got %s %s, want accepted 20261125-001", c.Status, c.Number)
	}
	if !c.Masked || c.IDNumber != "511725********004X" || c.Phone != "138****5678" || c.CitizenName != "张*三" {
		t.Errorf("open's answer not masked: %+v", c)
	}
	full, err := f.c.Cases.Get(ctx, f.clerk, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.IDNumber != idLi {
		t.Errorf("holder sees %s, want %s (upper-case X)", full.IDNumber, idLi)
	}
}

// The holder of a consultation opened without an ID number sees the
// citizen in full, and no ID read is logged.
func TestCase_HolderSeesNameWithoutIDUnaudited(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	req := lowBao()
	req.IDNumber = ""
	consult := f.open(t, req)
	before := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'case.read_id'`)
	got, err := f.c.Cases.Get(ctx, f.clerk, consult.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Masked || got.CitizenName != "张小三" || got.Phone != "13812345678" {
		t.Errorf("holder of a consultation sees %+v", got)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'case.read_id'`); n != before {
		t.Errorf("a case without an ID number was audited as an ID read")
	}
}

func TestCase_FirstInquiryResponsibilityAndMasking(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c := f.open(t, lowBao())
	readsBefore := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'case.read_id'`)

	t.Run("HolderSeesFullAndReadIsAudited", func(t *testing.T) {
		got, err := f.c.Cases.Get(ctx, f.clerk, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Masked || got.IDNumber != idZhang || got.Phone != "13812345678" || got.CitizenName != "张小三" {
			t.Errorf("holder view: %+v", got)
		}
		if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'case.read_id'`); n != readsBefore+1 {
			t.Errorf("read_id entries: got %d, want %d", n, readsBefore+1)
		}
	})
	t.Run("OthersSeeMasked", func(t *testing.T) {
		got, err := f.c.Cases.Get(ctx, f.other, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Masked || strings.Contains(got.IDNumber, "19900307") {
			t.Errorf("other clerk sees %s", got.IDNumber)
		}
		list, _ := f.c.Cases.List(ctx, f.clerk, cases.Filter{})
		if len(list) != 1 || !list[0].Masked {
			t.Errorf("list not masked: %+v", list)
		}
	})
	t.Run("OnlyTheHolderActs", func(t *testing.T) {
		_, err := f.c.Cases.Act(ctx, f.other, c.ID, cases.Action{Action: cases.ActAccept})
		if apperr.Code(err) != apperr.Forbidden || !strings.Contains(apperr.Message(err), "接办") {
			t.Errorf("got %v, want forbidden naming 接办", err)
		}
	})
	t.Run("TakingKeepsTheFirstClerkResponsible", func(t *testing.T) {
		got, err := f.c.Cases.Take(ctx, f.other, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ResponsibleID != f.clerk.ID || got.HolderID != f.other.ID {
			t.Errorf("responsible %s holder %s, want %s and %s", got.ResponsibleName, got.HolderName, f.clerk.Name, f.other.Name)
		}
		if _, err := f.c.Cases.Act(ctx, f.other, c.ID, cases.Action{Action: cases.ActAccept}); err != nil {
			t.Errorf("new holder cannot act: %v", err)
		}
		mine, _ := f.c.Cases.List(ctx, f.clerk, cases.Filter{Mine: true})
		if len(mine) != 1 {
			t.Errorf("the responsible clerk's list lost the case")
		}
		if first, _ := f.c.Cases.Get(ctx, f.clerk, c.ID); !first.Masked {
			t.Error("the former holder still sees the full ID number")
		}
	})
	t.Run("FindByIDNumberThroughBlindIndex", func(t *testing.T) {
		list, err := f.c.Cases.List(ctx, f.clerk, cases.Filter{IDNumber: idZhang})
		if err != nil || len(list) != 1 {
			t.Errorf("got %d %v, want 1", len(list), err)
		}
		if list, _ := f.c.Cases.List(ctx, f.clerk, cases.Filter{IDNumber: idLi}); len(list) != 0 {
			t.Errorf("another number found %d cases", len(list))
		}
	})
}

func TestCase_FullWalkAuditAndOutbox(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	req := lowBao()
	req.Received = []int{0, 1, 2}
	c := f.open(t, req)
	steps := []struct {
		a    cases.Action
		want string
	}{
		{cases.Action{Action: cases.ActRequestSupplements, Note: "授权书须全体家庭成员签字"}, cases.AwaitingSupplements},
		{cases.Action{Action: cases.ActSupply, Received: []int{3, 4}}, cases.Accepted},
		{cases.Action{Action: cases.ActTransfer, Department: "县民政局"}, cases.Transferred},
		{cases.Action{Action: cases.ActApprove, Result: "审核确认"}, cases.Approved},
		{cases.Action{Action: cases.ActIssueCertificate, Result: "低保证 2026-0001"}, cases.CertificateIssued},
		{cases.Action{Action: cases.ActComplete}, cases.Completed},
	}
	for _, st := range steps {
		c = f.act(t, c.ID, st.a)
		if c.Status != st.want {
			t.Fatalf("%s: got %s, want %s", st.a.Action, c.Status, st.want)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action LIKE 'case.%' AND action <> 'case.read_id'`); n != 7 {
		t.Errorf("audit lines: got %d, want 7 (open and six moves)", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE kind LIKE 'case.%'`); n != 7 {
		t.Errorf("outbox rows: got %d, want 7", n)
	}
	var payload string
	f.c.DB.Read().QueryRow(`SELECT payload FROM outbox WHERE kind = 'case.complete'`).Scan(&payload)
	if strings.Contains(payload, idZhang) || strings.Contains(payload, "13812345678") || strings.Contains(payload, "张小三") {
		t.Errorf("outbox carries personal data in the clear: %s", payload)
	}
	got, _ := f.c.Cases.Get(ctx, f.clerk, c.ID)
	if len(got.History) != 7 || got.ClosedAt == nil || got.TransferTo != "县民政局" {
		t.Errorf("history %d, closed %v, transfer %q", len(got.History), got.ClosedAt, got.TransferTo)
	}
	t.Run("HistoryCarriesCodesAndParams", func(t *testing.T) {
		want := []struct {
			action string
			params string
		}{
			{"open", `{"item":"最低生活保障申请（农村低保）"}`},
			{cases.ActRequestSupplements, `{"missing":["家庭经济状况核对授权书","家庭收入和财产状况声明","残疾证、病历、诊断证明等"],"note":"授权书须全体家庭成员签字"}`},
			{cases.ActSupply, `{"due":"%s","limit_days":%d}`},
			{cases.ActTransfer, `{"department":"县民政局"}`},
			{cases.ActApprove, `{"result":"审核确认"}`},
			{cases.ActIssueCertificate, `{"result":"低保证 2026-0001"}`},
			{cases.ActComplete, `{}`},
		}
		for i, w := range want {
			e := got.History[i]
			body, _ := json.Marshal(e.Params)
			if e.Action != w.action || !paramsLike(string(body), w.params) {
				t.Errorf("line %d: got %s %s, want %s %s", i, e.Action, body, w.action, w.params)
			}
		}
	})
	t.Run("ClosedCaseRefusesEverything", func(t *testing.T) {
		for _, a := range cases.Actions {
			if _, err := f.c.Cases.Act(ctx, f.clerk, c.ID, cases.Action{Action: a}); apperr.Code(err) != apperr.Conflict {
				t.Errorf("%s on a completed case: got %v, want conflict", a, err)
			}
		}
		if _, err := f.c.Cases.SetMaterials(ctx, f.clerk, c.ID, nil); apperr.Code(err) != apperr.Conflict {
			t.Errorf("materials on a completed case: got %v", err)
		}
	})
}

func TestAct_Refusals(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	req := lowBao()
	req.Accept = true
	accepted := f.open(t, req)
	tests := []struct {
		name string
		a    cases.Action
		code string
		says string
	}{
		{"CompleteWithRequiredUnticked", cases.Action{Action: cases.ActComplete, Missing: []int{3}}, apperr.Invalid, "家庭经济状况核对授权书"},
		{"RejectWithoutReason", cases.Action{Action: cases.ActReject}, apperr.Invalid, "理由"},
		{"TransferWithoutDepartment", cases.Action{Action: cases.ActTransfer}, apperr.Invalid, "部门"},
		{"SupplyWhenNotWaiting", cases.Action{Action: cases.ActSupply}, apperr.Conflict, "已受理"},
		{"IssueBeforeApproval", cases.Action{Action: cases.ActIssueCertificate}, apperr.Conflict, "颁发证照"},
		{"SupplementsWithNothingMissing", cases.Action{Action: cases.ActRequestSupplements, Received: []int{5}}, apperr.Invalid, "勾选"},
		{"BadIndex", cases.Action{Action: cases.ActApprove, Received: []int{-1}}, apperr.Invalid, "材料序号"},
		{"UnknownAction", cases.Action{Action: "archive"}, apperr.Invalid, "archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.count(t, `SELECT count(*) FROM case_event`)
			_, err := f.c.Cases.Act(ctx, f.clerk, accepted.ID, tt.a)
			if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.says) {
				t.Fatalf("got %v (%s), want %s saying %q", err, apperr.Code(err), tt.code, tt.says)
			}
			got, _ := f.c.Cases.Get(ctx, f.other, accepted.ID)
			if got.Status != cases.Accepted || got.MissingAny != 1 || f.count(t, `SELECT count(*) FROM case_event`) != before {
				t.Errorf("refused move changed the case: %s, %d missing", got.Status, got.MissingAny)
			}
		})
	}
}

// A copied database file (and its WAL) must show no ID number, phone or
// name in plain text.
func TestEncryptionAtRest_RawFileHasNoPersonalData(t *testing.T) {
	s := coretest.Open(t)
	ctx := context.Background()
	clerk := s.Person("clerk1", "李窗口", account.RoleClerk)
	if _, err := s.Core.Cases.Open(ctx, clerk, lowBao()); err != nil {
		t.Fatal(err)
	}
	dir := s.Core.DataDir
	var raw []byte
	for _, name := range []string{store.FileName, store.FileName + "-wal"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		raw = append(raw, b...)
	}
	backup, err := s.Core.DB.BackupTo(ctx, filepath.Join(t.TempDir(), "copy.db"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(backup.Path)
	raw = append(raw, b...)
	if !bytes.Contains(raw, []byte("最低生活保障")) {
		t.Fatal("the grep sees nothing at all: the test reads the wrong files")
	}
	for _, secretText := range []string{idZhang, "19900307", "13812345678", "张小三"} {
		if bytes.Contains(raw, []byte(secretText)) {
			t.Errorf("database bytes contain %q in plain text", secretText)
		}
	}
	key, err := os.Stat(filepath.Join(dir, secret.KeyFileName))
	if err != nil {
		t.Fatalf("key file: %v", err)
	}
	if key.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %o, want 600", key.Mode().Perm())
	}
}

func TestWrongKey_RefusesCasesButSiteOpens(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	c, err := core.Open(ctx, core.Options{DataDir: dir, Clock: clock.NewFixed(time.Date(2026, 11, 25, 9, 0, 0, 0, clock.Shanghai)), PasswordCost: 4})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if err := os.WriteFile(filepath.Join(dir, secret.KeyFileName), bytes.Repeat([]byte{1}, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = core.Open(ctx, core.Options{DataDir: dir, PasswordCost: 4})
	if err != nil {
		t.Fatalf("site must still open: %v", err)
	}
	defer c.Close()
	_, err = c.Cases.List(ctx, account.Principal{}, cases.Filter{})
	if err == nil || !strings.Contains(apperr.Message(err), "密钥") {
		t.Errorf("got %v, want the wrong-key sentence", err)
	}
}

func TestDocuments(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	req := lowBao()
	req.Received = []int{0, 1}
	c := f.open(t, req)
	if _, _, err := f.c.Cases.Document(ctx, f.clerk, c.ID, cases.DocReceipt); apperr.Code(err) != apperr.Conflict {
		t.Errorf("receipt before acceptance: got %v", err)
	}
	pdf, name, err := f.c.Cases.Document(ctx, f.clerk, c.ID, cases.DocNotice)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) || !strings.Contains(name, "一次性告知单") {
		t.Fatalf("notice: %v %s", err, name)
	}
	c = f.act(t, c.ID, cases.Action{Action: cases.ActAccept, Received: []int{2, 3, 4, 5}})
	if _, _, err := f.c.Cases.Document(ctx, f.clerk, c.ID, cases.DocNotice); apperr.Code(err) != apperr.Conflict {
		t.Errorf("notice with nothing missing: got %v", err)
	}
	if _, _, err := f.c.Cases.Document(ctx, f.clerk, c.ID, cases.DocReceipt); err != nil {
		t.Errorf("receipt: %v", err)
	}
	if _, _, err := f.c.Cases.Document(ctx, f.clerk, c.ID, cases.DocCompletion); apperr.Code(err) != apperr.Conflict {
		t.Errorf("completion notice before completion: got %v", err)
	}
	f.act(t, c.ID, cases.Action{Action: cases.ActComplete})
	if _, _, err := f.c.Cases.Document(ctx, f.clerk, c.ID, cases.DocCompletion); err != nil {
		t.Errorf("completion notice: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'case.print'`); n != 3 {
		t.Errorf("print audit lines: got %d, want 3", n)
	}
}

// paramsLike matches JSON against a pattern whose %s and %d stand for any
// string and any number.
func paramsLike(got, pattern string) bool {
	re := regexp.QuoteMeta(pattern)
	re = strings.NewReplacer("%s", `[^"]*`, "%d", `[0-9]+`).Replace(re)
	return regexp.MustCompile("^" + re + "$").MatchString(got)
}
