package proxy

// Proxy cases across sites (issue 13 point 5). A village room runs on its
// own machine; its administrator picks, once, the town centre its cases go
// to (SetCentre, from the county's list of centres). Handing a case over
// then also writes a relay message in the same transaction: the whole case,
// the villager's name, ID number and phone included (the centre needs them
// to accept it into a window case), sealed for the centre alone with a NaCl
// sealed box under the centre's public relay key, so the county in between
// keeps only ciphertext. The sync worker (countysync) carries it; on the
// centre it becomes an inbound case (proxy_inbound), handed_over, which the
// centre's clerks accept into a window case and mark result_ready
// (MoveInbound). Each of those moves writes a status message back to the
// village room, which moves its own case (ApplyRelayed) so the assistant
// sees 结果已出 without a phone call, and records the return itself.
//
// Each side writes only its own records: the centre never changes the
// village room's case, it sends its status; the village room applies a
// status only from the centre it handed the case to, and the county refuses
// a status from any other site.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/nacl/box"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/citizen"
	"budayang/backend/events"
	"budayang/backend/secret"
	"budayang/backend/store"
)

// Relay message kinds, as the county names them.
const (
	relayCase   = "case"
	relayStatus = "status"
)

// RelayKeySize is the length of a public relay key (X25519).
const RelayKeySize = 32

// Centre is the town centre a village room's cases are addressed to.
type Centre struct {
	SiteID   string    `json:"site_id"`
	Name     string    `json:"name"`
	ChosenAt time.Time `json:"chosen_at"`
	ChosenBy string    `json:"chosen_by"`
}

// relayedCase is what a case message carries, sealed for the centre.
type relayedCase struct {
	Number      string     `json:"number"`
	Origin      string     `json:"origin"`
	OwnerName   string     `json:"owner_name"`
	VillageName string     `json:"village_name"`
	Name        string     `json:"name"`
	IDNumber    string     `json:"id_number"`
	Phone       string     `json:"phone"`
	ItemCode    string     `json:"item_code"`
	ItemName    string     `json:"item_name"`
	Department  string     `json:"department"`
	LimitDays   int        `json:"limit_days"`
	Channel     string     `json:"channel"`
	Fee         string     `json:"fee"`
	Materials   []Material `json:"materials"`
}

// relayedStatus is what a status message carries: no personal data.
type relayedStatus struct {
	State            string    `json:"state"`
	WindowCaseNumber string    `json:"window_case_number,omitempty"`
	At               time.Time `json:"at"`
	ActorName        string    `json:"actor_name"`
	Where            string    `json:"where"`
	Note             string    `json:"note,omitempty"`
}

// SetCentre addresses this village room's proxy cases, from now on, to the
// centre siteID (name, and its public relay key as the county lists it).
// Only the administrator; cases handed over before keep their centre.
// Errors: forbidden for anyone else; invalid for a missing id or a key of
// the wrong length.
func (s *Service) SetCentre(ctx context.Context, by account.Principal, siteID, name string, key []byte) (Centre, error) {
	if by.Role != account.RoleAdmin {
		return Centre{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以选择代办件送交的中心。")
	}
	siteID, name = strings.TrimSpace(siteID), strings.TrimSpace(name)
	if siteID == "" || name == "" || len(key) != RelayKeySize {
		return Centre{}, apperr.Errorf(apperr.Invalid, "请从县平台的中心列表中选择一个中心。")
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO relay_centre (id, site_id, name, public_key, chosen_at, chosen_by) VALUES (1, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET site_id = excluded.site_id, name = excluded.name, public_key = excluded.public_key,
			chosen_at = excluded.chosen_at, chosen_by = excluded.chosen_by`, siteID, name, key, store.FormatTime(tx.Now), by.Name); err != nil {
			return fmt.Errorf("choose the centre: %w", err)
		}
		return audit.Record(ctx, tx, by.Actor(), "proxy.centre", siteID, "代办件送交中心："+name)
	})
	if err != nil {
		return Centre{}, err
	}
	c, err := s.Centre(ctx)
	if err != nil || c == nil {
		return Centre{}, err
	}
	return *c, nil
}

// Centre is the centre this village room's cases go to, nil when none is
// chosen (the cases are handed over in person).
func (s *Service) Centre(ctx context.Context) (*Centre, error) {
	var c Centre
	var at string
	err := s.db.Read().QueryRowContext(ctx, `SELECT site_id, name, chosen_at, chosen_by FROM relay_centre WHERE id = 1`).Scan(&c.SiteID, &c.Name, &at, &c.ChosenBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the centre: %w", err)
	}
	c.ChosenAt, _ = store.ParseTime(at)
	return &c, nil
}

// relayOut writes, in the transaction of a case's change, the message that
// carries it across: handing a case over on a village room that chose a
// centre sends the case, sealed for that centre.
func (s *Service) relayOut(ctx context.Context, tx *store.Tx, c Case, action string) error {
	if action != "transition" || c.State != HandedOver {
		return nil
	}
	var centreID, centreName string
	var key []byte
	err := tx.QueryRowContext(ctx, `SELECT site_id, name, public_key FROM relay_centre WHERE id = 1`).Scan(&centreID, &centreName, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the centre: %w", err)
	}
	if len(key) != RelayKeySize {
		return apperr.Errorf(apperr.Conflict, "所选中心的转递公钥不完整，请管理员重新选择中心。")
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return err
	}
	materials := make([]Material, len(c.Materials))
	for i, m := range c.Materials {
		m.Photos = nil // photos stay with the assistant
		materials[i] = m
	}
	plain, err := json.Marshal(relayedCase{Number: c.Number, Origin: st.Name, OwnerName: c.OwnerName, VillageName: c.VillageName,
		Name: c.CitizenName, IDNumber: c.IDNumber, Phone: c.Phone, ItemCode: c.ItemCode, ItemName: c.ItemName, Department: c.Department,
		LimitDays: c.LimitDays, Channel: c.Channel, Fee: c.Fee, Materials: materials})
	if err != nil {
		return err
	}
	sealed, err := box.SealAnonymous(nil, plain, (*[32]byte)(key), rand.Reader)
	if err != nil {
		return fmt.Errorf("seal the case for the centre: %w", err)
	}
	if err := enqueue(ctx, tx, centreID, relayCase, c.ID, base64.StdEncoding.EncodeToString(sealed)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO proxy_relay (case_id, centre_site_id, centre_name, sent_at) VALUES (?, ?, ?, ?)`,
		c.ID, centreID, centreName, store.FormatTime(tx.Now)); err != nil {
		return fmt.Errorf("address the case to the centre: %w", err)
	}
	return nil
}

// enqueue writes one message for the sync worker to carry.
func enqueue(ctx context.Context, tx *store.Tx, to, kind, caseID, body string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO relay_out (id, to_site, kind, case_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		store.NewID(), to, kind, caseID, body, store.FormatTime(tx.Now)); err != nil {
		return fmt.Errorf("relay %s: %w", kind, err)
	}
	return nil
}

// ApplyRelayed applies, in tx, one message from the site from, its body
// opened (a case) or as sent (a status). A case becomes an inbound case
// once, however often it arrives; a status moves the village room's case
// forward once, and only when from is the centre the case was handed to.
// Errors: forbidden for a status from another site, invalid for a message
// that cannot be read; the caller records them and goes on.
func (s *Service) ApplyRelayed(ctx context.Context, tx *store.Tx, from, kind, caseID string, body []byte) error {
	switch kind {
	case relayCase:
		return s.receiveCase(ctx, tx, from, caseID, body)
	case relayStatus:
		return s.receiveStatus(ctx, tx, from, caseID, body)
	}
	return apperr.Errorf(apperr.Invalid, "未知的转递消息类型“%s”。", kind)
}

func inboundAAD(id, field string) string { return "proxy-inbound/" + id + "/" + field }

func (s *Service) receiveCase(ctx context.Context, tx *store.Tx, from, caseID string, body []byte) error {
	var rc relayedCase
	if err := json.Unmarshal(body, &rc); err != nil {
		return apperr.Errorf(apperr.Invalid, "转来的代办件无法读取：%v", err)
	}
	var have int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM proxy_inbound WHERE origin_site = ? AND origin_case = ?`, from, caseID).Scan(&have); err != nil {
		return fmt.Errorf("find inbound case: %w", err)
	}
	if have > 0 {
		return nil
	}
	id := store.NewID()
	materials, err := json.Marshal(rc.Materials)
	if err != nil {
		return err
	}
	sealed := map[string]string{"name": rc.Name, "id_number": rc.IDNumber, "phone": rc.Phone, "materials": string(materials)}
	for field, v := range sealed {
		if sealed[field], err = s.sealer.Seal(v, inboundAAD(id, field)); err != nil {
			return err
		}
	}
	now := store.FormatTime(tx.Now)
	if _, err := tx.ExecContext(ctx, `INSERT INTO proxy_inbound (id, origin_site, origin_case, origin_name, number, owner_name, village_name,
		citizen_name, id_number, phone, item_code, item_name, department, limit_days, channel, fee, materials, state, state_since,
		received_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		id, from, caseID, rc.Origin, rc.Number, rc.OwnerName, rc.VillageName, sealed["name"], sealed["id_number"], sealed["phone"],
		rc.ItemCode, rc.ItemName, rc.Department, rc.LimitDays, rc.Channel, rc.Fee, sealed["materials"], HandedOver, now, now, now); err != nil {
		return fmt.Errorf("receive relayed case: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.System, "proxy.inbound", id, rc.Number+" 收到"+rc.Origin+"转来的代办件："+rc.ItemName); err != nil {
		return err
	}
	s.announce(tx, id, rc.Number, HandedOver, "inbound")
	return nil
}

func (s *Service) receiveStatus(ctx context.Context, tx *store.Tx, from, caseID string, body []byte) error {
	var centre, centreName string
	err := tx.QueryRowContext(ctx, `SELECT centre_site_id, centre_name FROM proxy_relay WHERE case_id = ?`, caseID).Scan(&centre, &centreName)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && centre != from) {
		return apperr.Errorf(apperr.Forbidden, "代办件 %s 不是交给这个站点的，不接受它发来的状态。", caseID)
	}
	if err != nil {
		return fmt.Errorf("find relayed case: %w", err)
	}
	var st relayedStatus
	if err := json.Unmarshal(body, &st); err != nil {
		return apperr.Errorf(apperr.Invalid, "中心发来的状态无法读取：%v", err)
	}
	if st.State != Accepted && st.State != ResultReady {
		return apperr.Errorf(apperr.Invalid, "中心只能告知受理和结果已出，不能告知“%s”。", StateName(st.State))
	}
	c, err := s.getTx(ctx, tx, caseID)
	if err != nil {
		return err
	}
	if order(st.State) <= order(c.State) {
		return nil // already applied: a message that came again
	}
	at := store.FormatTime(st.At)
	sets := []string{"state = ?", "state_since = ?", "updated_at = ?", "version = version + 1"}
	args := []any{st.State, at, store.FormatTime(tx.Now)}
	if st.State == Accepted {
		dueDate, warning, err := s.due(ctx, st.At, c.LimitDays)
		if err != nil {
			return err
		}
		sets = append(sets, "window_case_number = ?", "due_date = ?", "due_warning = ?")
		args = append(args, st.WindowCaseNumber, dueDate, warning)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE proxy_case SET `+strings.Join(sets, ", ")+` WHERE id = ?`, append(args, c.ID)...); err != nil {
		return fmt.Errorf("apply the centre's status: %w", err)
	}
	by := account.Principal{Staff: account.Staff{Login: "relay:" + from, Name: st.ActorName + "（" + centreName + "）"}}
	if err := s.record(ctx, tx, by, c.ID, "relay", c.State, st.State, st.Where, st.Note); err != nil {
		return err
	}
	detail := c.Number + " " + centreName + "告知：" + StateName(c.State) + "→" + StateName(st.State)
	if st.WindowCaseNumber != "" {
		detail += "，中心办件" + st.WindowCaseNumber
	}
	if err := audit.Record(ctx, tx, audit.System, "proxy.relay", c.ID, detail); err != nil {
		return err
	}
	if c, err = s.getTx(ctx, tx, caseID); err != nil {
		return err
	}
	return s.publish(ctx, tx, c, "relay")
}

func order(state string) int {
	for i, s := range States {
		if s == state {
			return i
		}
	}
	return -1
}

func (s *Service) announce(tx *store.Tx, id, number, state, action string) {
	tx.AfterCommit(func() {
		if s.pub != nil {
			s.pub.Publish(events.Event{Type: EventChanged, Data: map[string]string{"id": id, "number": number, "state": state, "action": action}})
		}
	})
}

// Inbound is a case a village room handed to this centre through the
// county. The villager's fields are masked unless Masked is false.
type Inbound struct {
	ID               string     `json:"id"`
	OriginSite       string     `json:"origin_site"`
	OriginName       string     `json:"origin_name"`
	Number           string     `json:"number"`
	OwnerName        string     `json:"owner_name"`
	VillageName      string     `json:"village_name,omitempty"`
	CitizenName      string     `json:"citizen_name"`
	IDNumber         string     `json:"id_number"`
	Phone            string     `json:"phone"`
	Masked           bool       `json:"masked"`
	ItemCode         string     `json:"item_code"`
	ItemName         string     `json:"item_name"`
	Department       string     `json:"department"`
	LimitDays        int        `json:"limit_days"`
	Channel          string     `json:"channel"`
	ChannelName      string     `json:"channel_name"`
	Fee              string     `json:"fee"`
	State            string     `json:"state"`
	StateName        string     `json:"state_name"`
	StateSince       time.Time  `json:"state_since"`
	Next             string     `json:"next"`
	WindowCaseID     string     `json:"window_case_id,omitempty"`
	WindowCaseNumber string     `json:"window_case_number,omitempty"`
	Materials        []Material `json:"materials"`
	ReceivedAt       time.Time  `json:"received_at"`
}

const inboundColumns = `id, origin_site, origin_name, number, owner_name, village_name, citizen_name, id_number, phone, item_code,
	item_name, department, limit_days, channel, fee, materials, state, state_since, window_case_id, window_case_number, received_at`

func (s *Service) inbound(ctx context.Context, q querier, where string, args ...any) ([]Inbound, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+inboundColumns+` FROM proxy_inbound WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read inbound cases: %w", err)
	}
	defer rows.Close()
	out := []Inbound{}
	for rows.Next() {
		var c Inbound
		var materials, since, received string
		if err := rows.Scan(&c.ID, &c.OriginSite, &c.OriginName, &c.Number, &c.OwnerName, &c.VillageName, &c.CitizenName, &c.IDNumber, &c.Phone,
			&c.ItemCode, &c.ItemName, &c.Department, &c.LimitDays, &c.Channel, &c.Fee, &materials, &c.State, &since,
			&c.WindowCaseID, &c.WindowCaseNumber, &received); err != nil {
			return nil, fmt.Errorf("read inbound cases: %w", err)
		}
		for _, f := range []struct {
			v     *string
			field string
		}{{&c.CitizenName, "name"}, {&c.IDNumber, "id_number"}, {&c.Phone, "phone"}, {&materials, "materials"}} {
			if *f.v, err = s.sealer.Open(*f.v, inboundAAD(c.ID, f.field)); err != nil {
				return nil, secret.WrongKey(s.sealer.Where())
			}
		}
		if err := json.Unmarshal([]byte(materials), &c.Materials); err != nil {
			return nil, fmt.Errorf("read inbound checklist: %w", err)
		}
		c.StateSince, _ = store.ParseTime(since)
		c.ReceivedAt, _ = store.ParseTime(received)
		c.StateName, c.ChannelName = StateName(c.State), ChannelName(c.Channel)
		if c.State != ResultReady {
			c.Next = Next(c.State)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (c *Inbound) mask() {
	c.CitizenName = citizen.MaskName(c.CitizenName)
	c.IDNumber = citizen.MaskID(c.IDNumber)
	c.Phone = citizen.MaskPhone(c.Phone)
	c.Masked = true
}

var errCentreOnly = apperr.Errorf(apperr.Forbidden, "只有中心的综合窗口工作人员或管理员可以查看和办理村服务室转来的代办件。")

// InboundList lists the cases village rooms handed to this centre, newest
// first, masked. Only the centre's clerks and administrator.
func (s *Service) InboundList(ctx context.Context, by account.Principal) ([]Inbound, error) {
	if !centre(by.Role) {
		return nil, errCentreOnly
	}
	list, err := s.inbound(ctx, s.db.Read(), `1 = 1 ORDER BY received_at DESC, number DESC LIMIT 500`)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].mask()
	}
	return list, nil
}

// InboundGet returns one inbound case in full for accepting it into a
// window case; each such read is audited (proxy.inbound.read). Errors:
// forbidden for anyone but a clerk or the administrator; not found.
func (s *Service) InboundGet(ctx context.Context, by account.Principal, id string) (Inbound, error) {
	if !centre(by.Role) {
		return Inbound{}, errCentreOnly
	}
	list, err := s.inbound(ctx, s.db.Read(), `id = ?`, id)
	if err != nil {
		return Inbound{}, err
	}
	if len(list) == 0 {
		return Inbound{}, apperr.Errorf(apperr.NotFound, "找不到这个转来的代办件。")
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, by.Actor(), "proxy.inbound.read", id, list[0].Number+" 查看群众完整姓名、身份证号码和电话")
	})
	return list[0], err
}

// MoveInbound accepts an inbound case into a window case of this site, or
// records its result as ready, by Check (only the centre's clerks and
// administrator; nothing else is the centre's to do), and writes the new
// state to the village room in the same transaction. Errors, with nothing
// changed: forbidden, not found, every refusal of Check, not found for an
// unknown window case, conflict for any step but accepted and result_ready.
func (s *Service) MoveInbound(ctx context.Context, by account.Principal, id string, mv Move) (Inbound, error) {
	note, err := limited("备注", mv.Note, 500)
	if err != nil {
		return Inbound{}, err
	}
	if mv.Where, err = limited("办理地点", mv.Where, 60); err != nil {
		return Inbound{}, err
	}
	if !centre(by.Role) {
		return Inbound{}, errCentreOnly
	}
	if mv.To != Accepted && mv.To != ResultReady {
		return Inbound{}, apperr.Errorf(apperr.Conflict, "转来的代办件在中心只能受理或标记结果已出，其余由村服务室办理。")
	}
	var out Inbound
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		list, err := s.inbound(ctx, tx, `id = ?`, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return apperr.Errorf(apperr.NotFound, "找不到这个转来的代办件。")
		}
		c := list[0]
		if err := Check(Facts{State: c.State}, Mover{Role: by.Role}, mv); err != nil {
			return err
		}
		now := store.FormatTime(tx.Now)
		sets := []string{"state = ?", "state_since = ?", "updated_at = ?", "version = version + 1"}
		args := []any{mv.To, now, now}
		status := relayedStatus{State: mv.To, WindowCaseNumber: c.WindowCaseNumber, At: tx.Now, ActorName: by.Name, Where: mv.Where, Note: note}
		if mv.To == Accepted {
			wc, err := s.window.Get(ctx, account.Principal{}, strings.TrimSpace(mv.WindowCaseID))
			if apperr.Code(err) == apperr.NotFound {
				return apperr.Errorf(apperr.NotFound, "找不到要关联的中心办件。")
			}
			if err != nil {
				return err
			}
			sets = append(sets, "window_case_id = ?", "window_case_number = ?")
			args = append(args, wc.ID, wc.Number)
			status.WindowCaseNumber = wc.Number
		}
		res, err := tx.ExecContext(ctx, `UPDATE proxy_inbound SET `+strings.Join(sets, ", ")+` WHERE id = ? AND state = ?`, append(args, id, c.State)...)
		if err != nil {
			return fmt.Errorf("move inbound case: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return apperr.Errorf(apperr.Conflict, "代办件刚被他人变更，请刷新后再试。")
		}
		body, err := json.Marshal(status)
		if err != nil {
			return err
		}
		var origin, originCase string
		if err := tx.QueryRowContext(ctx, `SELECT origin_site, origin_case FROM proxy_inbound WHERE id = ?`, id).Scan(&origin, &originCase); err != nil {
			return fmt.Errorf("move inbound case: %w", err)
		}
		if err := enqueue(ctx, tx, origin, relayStatus, originCase, string(body)); err != nil {
			return err
		}
		detail := c.Number + "（" + c.OriginName + "）" + StateName(c.State) + "→" + StateName(mv.To)
		if status.WindowCaseNumber != "" {
			detail += "，中心办件" + status.WindowCaseNumber
		}
		if err := audit.Record(ctx, tx, by.Actor(), "proxy.inbound.transition", id, detail+"（"+mv.Where+"）"); err != nil {
			return err
		}
		if list, err = s.inbound(ctx, tx, `id = ?`, id); err != nil {
			return err
		}
		out = list[0]
		out.mask()
		s.announce(tx, id, c.Number, mv.To, "inbound")
		return nil
	})
	return out, err
}
