package proxy

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/cases"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/notice"
	"budayang/backend/store"
)

// BookedVillager is one of today's bookings at the centre made by a
// villager the assistant serves.
type BookedVillager struct {
	BookingID   string    `json:"booking_id"`
	SlotStart   time.Time `json:"slot_start"`
	Line        string    `json:"line"`
	Status      string    `json:"status"`
	CitizenName string    `json:"citizen_name"`
	Phone       string    `json:"phone"`
	// Cases are the numbers of the assistant's running proxy cases for the
	// villager.
	Cases []string `json:"cases"`
}

// MarketDayHome is an assistant's home card on a market day (逢场天).
type MarketDayHome struct {
	Date      string `json:"date"`
	MarketDay bool   `json:"market_day"`
	// ToHandOver are the assistant's cases with their materials collected.
	ToHandOver []Case `json:"to_hand_over"`
	// Booked are today's bookings whose phone is the phone of a villager of
	// one of the assistant's running proxy cases or home visits.
	Booked []BookedVillager `json:"booked"`
	// Results are the assistant's cases whose result is ready to take back.
	Results []Case `json:"results"`
	Rule    string `json:"rule"`
}

// BookedRule says which bookings the market-day card lists.
const BookedRule = "今日预约中，电话与您在办代办件或上门服务群众的电话相同的预约。"

// MarketDay returns by's market-day home card for today: the three lists
// when today is a market day by the calendar's market rule, empty lists on
// any other day. Masked throughout. Errors: forbidden for any role but an
// assistant.
func (s *Service) MarketDay(ctx context.Context, by account.Principal) (MarketDayHome, error) {
	if by.Role != account.RoleAssistant {
		return MarketDayHome{}, apperr.Errorf(apperr.Forbidden, "逢场天代办清单只给代办员本人查看。")
	}
	rules, err := s.cal.Rules(ctx)
	if err != nil {
		return MarketDayHome{}, err
	}
	now := s.clock.Now()
	h := MarketDayHome{Date: calendar.FormatDate(now), MarketDay: rules.Market.Matches(now), ToHandOver: []Case{}, Booked: []BookedVillager{}, Results: []Case{}, Rule: BookedRule}
	if !h.MarketDay {
		return h, nil
	}
	own, err := s.query(ctx, s.db.Read(), `owner_id = ? AND state <> ? ORDER BY number`, by.ID, Returned)
	if err != nil {
		return MarketDayHome{}, err
	}
	type villager struct {
		name, phone string
		cases       []string
	}
	byPhone := map[string]*villager{}
	for _, c := range own {
		index := s.sealer.Index(c.Phone)
		if byPhone[index] == nil {
			byPhone[index] = &villager{name: c.CitizenName, phone: c.Phone}
		}
		byPhone[index].cases = append(byPhone[index].cases, c.Number)
		c.mask()
		switch c.State {
		case MaterialsCollected:
			h.ToHandOver = append(h.ToHandOver, c)
		case ResultReady:
			h.Results = append(h.Results, c)
		}
	}
	visits, err := s.visits(ctx, s.db.Read(), `owner_id = ? AND outcome NOT IN ('moved','declined')`, by.ID)
	if err != nil {
		return MarketDayHome{}, err
	}
	for _, v := range visits {
		if index := s.sealer.Index(v.Phone); byPhone[index] == nil {
			byPhone[index] = &villager{name: v.CitizenName, phone: v.Phone}
		}
	}
	if len(byPhone) == 0 {
		return h, nil
	}
	indexes := make([]any, 0, len(byPhone)+1)
	indexes = append(indexes, h.Date)
	for index := range byPhone {
		indexes = append(indexes, index)
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, slot_start, line, status, phone_index FROM booking
		WHERE date = ? AND status <> 'cancelled' AND phone_index IN (?`+strings.Repeat(",?", len(byPhone)-1)+`) ORDER BY slot_start`, indexes...)
	if err != nil {
		return MarketDayHome{}, fmt.Errorf("read today's bookings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b BookedVillager
		var start, index string
		if err := rows.Scan(&b.BookingID, &start, &b.Line, &b.Status, &index); err != nil {
			return MarketDayHome{}, fmt.Errorf("read today's bookings: %w", err)
		}
		b.SlotStart, _ = store.ParseTime(start)
		v := byPhone[index]
		b.CitizenName, b.Phone, b.Cases = citizen.MaskName(v.name), citizen.MaskPhone(v.phone), append([]string{}, v.cases...)
		h.Booked = append(h.Booked, b)
	}
	return h, rows.Err()
}

// HandoverRequest hands a batch of cases to the centre.
type HandoverRequest struct {
	CaseIDs []string `json:"case_ids"`
	Where   string   `json:"where"`
	Note    string   `json:"note"`
}

// Handover is a batch of proxy cases handed to the centre at once.
type Handover struct {
	ID        string    `json:"id"`
	Number    string    `json:"number"`
	OwnerID   string    `json:"owner_id"`
	OwnerName string    `json:"owner_name"`
	Where     string    `json:"where"`
	CreatedAt time.Time `json:"created_at"`
	// Cases are masked, with their checklists, in the order handed over.
	Cases []Case `json:"cases"`
}

// HandOver moves every case of the batch to handed_over in one transaction
// and records the batch (number JJ-YYYYMMDD-NNN). All or nothing: when any
// case may not be handed over, none is, and the error names each refused
// case with its reason. Errors: forbidden for any role but an assistant;
// invalid for no cases, more than 50, or a missing place; the refusals of
// Check (another's case, a case not in materials_collected, required
// materials missing) gathered in one invalid error.
func (s *Service) HandOver(ctx context.Context, by account.Principal, req HandoverRequest) (Handover, error) {
	if by.Role != account.RoleAssistant {
		return Handover{}, apperr.Errorf(apperr.Forbidden, "只有代办员可以向中心交接代办件。")
	}
	ids := []string{}
	seen := map[string]bool{}
	for _, id := range req.CaseIDs {
		if id = strings.TrimSpace(id); id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return Handover{}, apperr.Errorf(apperr.Invalid, "请选择要交接的代办件。")
	}
	if len(ids) > 50 {
		return Handover{}, apperr.Errorf(apperr.Invalid, "一次最多交接50件，本次选了%d件。", len(ids))
	}
	where, err := limited("交接地点", req.Where, 60)
	if err != nil {
		return Handover{}, err
	}
	if where == "" {
		st, err := s.sites.Get(ctx)
		if err != nil {
			return Handover{}, err
		}
		where = st.Name
	}
	note, err := limited("备注", req.Note, 500)
	if err != nil {
		return Handover{}, err
	}
	hid := store.NewID()
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var refused []string
		for _, id := range ids {
			c, err := s.getTx(ctx, tx, id)
			if err == nil {
				err = mayRead(by, c)
			}
			if err == nil && c.State == Requested && len(c.missing()) > 0 {
				// The reason the assistant can act on: what is still to
				// collect, rather than the state it leads to.
				err = apperr.Errorf(apperr.Invalid, "还缺少必需材料：%s。", strings.Join(c.missing(), "、"))
			}
			if err == nil {
				err = Check(Facts{State: c.State, MissingRequired: c.missing()}, Mover{Role: by.Role, Owner: by.ID == c.OwnerID}, Move{To: HandedOver, Where: where})
			}
			if err != nil {
				name := c.Number
				if name == "" {
					name = id
				}
				refused = append(refused, name+"："+apperr.Message(err))
			}
		}
		if len(refused) > 0 {
			return apperr.Errorf(apperr.Invalid, "以下代办件不能交接，本批一件也未交接：%s", strings.Join(refused, "；"))
		}
		day := tx.Now.In(clock.Shanghai).Format("20060102")
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM proxy_handover WHERE number LIKE ?`, "JJ-"+day+"-%").Scan(&n); err != nil {
			return fmt.Errorf("number handover: %w", err)
		}
		number := fmt.Sprintf("JJ-%s-%03d", day, n+1)
		if _, err := tx.ExecContext(ctx, `INSERT INTO proxy_handover (id, number, owner_id, owner_name, place, created_at) VALUES (?,?,?,?,?,?)`,
			hid, number, by.ID, by.Name, where, store.FormatTime(tx.Now)); err != nil {
			return fmt.Errorf("record handover: %w", err)
		}
		numbers := make([]string, len(ids))
		for i, id := range ids {
			c, err := s.moveTx(ctx, tx, by, id, Move{To: HandedOver, Where: where}, joinNote("交接单"+number, note), nil)
			if err != nil {
				return err
			}
			numbers[i] = c.Number
			if _, err := tx.ExecContext(ctx, `INSERT INTO proxy_handover_case (handover_id, case_id, position) VALUES (?,?,?)`, hid, id, i); err != nil {
				return fmt.Errorf("record handover: %w", err)
			}
		}
		return audit.Record(ctx, tx, by.Actor(), "proxy.handover", hid, number+" 交接"+fmt.Sprint(len(ids))+"件："+strings.Join(numbers, "、"))
	})
	if err != nil {
		return Handover{}, err
	}
	return s.Handover(ctx, by, hid)
}

// Handover returns a batch, masked: to the assistant who handed it over
// and to the centre's clerks and administrator. Errors: not found;
// forbidden for anyone else.
func (s *Service) Handover(ctx context.Context, by account.Principal, id string) (Handover, error) {
	if by.Role != account.RoleAssistant && !centre(by.Role) {
		return Handover{}, apperr.Errorf(apperr.Forbidden, "值班人员不能查看交接单。")
	}
	var h Handover
	var created string
	err := s.db.Read().QueryRowContext(ctx, `SELECT id, number, owner_id, owner_name, place, created_at FROM proxy_handover WHERE id = ?`, id).
		Scan(&h.ID, &h.Number, &h.OwnerID, &h.OwnerName, &h.Where, &created)
	if err != nil {
		return Handover{}, apperr.Errorf(apperr.NotFound, "找不到这张交接单。")
	}
	if !centre(by.Role) && !(by.Role == account.RoleAssistant && by.ID == h.OwnerID) {
		return Handover{}, apperr.Errorf(apperr.Forbidden, "这不是您的交接单。")
	}
	h.CreatedAt, _ = store.ParseTime(created)
	list, err := s.query(ctx, s.db.Read(), `id IN (SELECT case_id FROM proxy_handover_case WHERE handover_id = ?)`, id)
	if err != nil {
		return Handover{}, err
	}
	pos := map[string]int{}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT case_id, position FROM proxy_handover_case WHERE handover_id = ?`, id)
	if err != nil {
		return Handover{}, fmt.Errorf("read handover: %w", err)
	}
	for rows.Next() {
		var cid string
		var p int
		if err := rows.Scan(&cid, &p); err != nil {
			rows.Close()
			return Handover{}, fmt.Errorf("read handover: %w", err)
		}
		pos[cid] = p
	}
	rows.Close()
	sort.Slice(list, func(i, j int) bool { return pos[list[i].ID] < pos[list[j].ID] })
	for i := range list {
		list[i].mask()
	}
	h.Cases = list
	return h, nil
}

// HandoverPDF prints a batch's handover list: Chinese, the villagers
// masked, the materials handed over per case, signature lines for the
// assistant and the centre. Errors: those of Handover.
func (s *Service) HandoverPDF(ctx context.Context, by account.Principal, id string) ([]byte, error) {
	h, err := s.Handover(ctx, by, id)
	if err != nil {
		return nil, err
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return nil, err
	}
	room := ""
	_ = s.db.Read().QueryRowContext(ctx, `SELECT v.room FROM village v JOIN assistant_village a ON a.village_id = v.id WHERE a.staff_id = ? LIMIT 1`, h.OwnerID).Scan(&room)
	doc := notice.Handover{Centre: st.Name, Number: h.Number, Assistant: h.OwnerName, Room: room, Place: h.Where, At: h.CreatedAt}
	for _, c := range h.Cases {
		hc := notice.HandoverCase{Number: c.Number, CitizenName: c.CitizenName, IDMasked: c.IDNumber, PhoneMasked: c.Phone, ItemName: c.ItemName, Village: c.VillageName}
		for _, m := range c.Materials {
			if m.Collected {
				hc.Materials = append(hc.Materials, joinNote(m.Name, m.Note))
			}
		}
		doc.Cases = append(doc.Cases, hc)
	}
	return notice.HandoverPDF(doc)
}

// AcceptRequest is the centre accepting a handed-over case.
type AcceptRequest struct {
	Where string `json:"where"`
	Note  string `json:"note"`
}

// Accept takes a handed-over proxy case into a window case in one step and
// one transaction: the window case is opened through the cases service for
// the same item and villager (the sealed name, ID number and phone carried
// over), the collected checklist lines received, and accepted at once; the
// proxy case moves to accepted, linked to it. When either step is refused,
// neither changes. Errors: not found; forbidden for anyone but a clerk or
// the administrator; every refusal of Check and of the window case's
// opening and acceptance.
func (s *Service) Accept(ctx context.Context, by account.Principal, id string, req AcceptRequest) (Case, error) {
	if !centre(by.Role) {
		return Case{}, apperr.Errorf(apperr.Forbidden, "只有中心的综合窗口工作人员或管理员可以受理代办件。")
	}
	where, err := limited("办理地点", req.Where, 60)
	if err != nil {
		return Case{}, err
	}
	if where == "" {
		st, err := s.sites.Get(ctx)
		if err != nil {
			return Case{}, err
		}
		where = st.Name
	}
	note, err := limited("备注", req.Note, 300)
	if err != nil {
		return Case{}, err
	}
	var out Case
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := s.getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayRead(by, c); err != nil {
			return err
		}
		// Refused before anything is opened: a window case only for a case
		// that may be accepted.
		if err := Check(Facts{State: c.State, MissingRequired: c.missing()}, Mover{Role: by.Role, Owner: by.ID == c.OwnerID}, Move{To: Accepted, Where: where, WindowCaseID: "-"}); err != nil {
			return err
		}
		it, err := s.catalog.Item(c.ItemCode)
		if err != nil {
			return err
		}
		collected := map[string]bool{}
		var lines []string
		for _, m := range c.Materials {
			if m.Collected {
				collected[m.Name] = true
				lines = append(lines, joinNote(m.Name, m.Note))
			}
		}
		var received []int
		for i, m := range it.Materials {
			if collected[m.Name] {
				received = append(received, i)
			}
		}
		wnote := "代办件" + c.Number + "（代办员" + c.OwnerName + "）转入；代收材料：" + strings.Join(lines, "；")
		if note != "" {
			wnote += "。" + note
		}
		wc, err := s.window.OpenTx(ctx, tx, by, cases.OpenRequest{ItemCode: c.ItemCode, Name: c.CitizenName, IDNumber: c.IDNumber, Phone: c.Phone,
			Note: string([]rune(wnote)[:min(len([]rune(wnote)), 500)]), Received: received, Accept: true})
		if err != nil {
			return err
		}
		out, err = s.moveTx(ctx, tx, by, id, Move{To: Accepted, Where: where, WindowCaseID: wc.ID}, note, &wc)
		return err
	})
	return out, err
}
