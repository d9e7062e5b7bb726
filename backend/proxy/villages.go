package proxy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/citizen"
	"budayang/backend/notice"
	"budayang/backend/store"
)

// Village is a village or residents' community and the village room
// (村/社区便民服务室) that serves it.
type Village struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Room string `json:"room"`
	// Position is the village's place on its room's round: a day's visit
	// route goes through the villages in ascending position.
	Position int `json:"position"`
}

// Villages returns every village by room and name.
func (s *Service) Villages(ctx context.Context) ([]Village, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, name, room, position FROM village ORDER BY room, position, name`)
	if err != nil {
		return nil, fmt.Errorf("list villages: %w", err)
	}
	defer rows.Close()
	out := []Village{}
	for rows.Next() {
		var v Village
		if err := rows.Scan(&v.ID, &v.Name, &v.Room, &v.Position); err != nil {
			return nil, fmt.Errorf("list villages: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AddVillage records a village and its room; administrators only. Errors:
// forbidden; invalid for a missing or over-long name or room; conflict for a
// name already recorded.
func (s *Service) AddVillage(ctx context.Context, by account.Principal, v Village) (Village, error) {
	if by.Role != account.RoleAdmin {
		return Village{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以登记村（社区）。")
	}
	var err error
	if v.Name, err = limited("村（社区）名称", v.Name, 30); err != nil {
		return Village{}, err
	}
	if v.Room, err = limited("便民服务室名称", v.Room, 40); err != nil {
		return Village{}, err
	}
	if v.Name == "" || v.Room == "" {
		return Village{}, apperr.Errorf(apperr.Invalid, "请填写村（社区）名称和所属便民服务室。")
	}
	if v.Position < 0 || v.Position > 999 {
		return Village{}, apperr.Errorf(apperr.Invalid, "村（社区）在服务室走访线路上的顺序应为0至999。")
	}
	v.ID = store.NewID()
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM village WHERE name = ?`, v.Name).Scan(&n); err != nil {
			return fmt.Errorf("add village: %w", err)
		}
		if n > 0 {
			return apperr.Errorf(apperr.Conflict, "已有名为“%s”的村（社区）。", v.Name)
		}
		now := store.FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO village (id, name, room, position, created_at, updated_at) VALUES (?,?,?,?,?,?)`, v.ID, v.Name, v.Room, v.Position, now, now); err != nil {
			return fmt.Errorf("add village: %w", err)
		}
		return audit.Record(ctx, tx, by.Actor(), "village.create", v.ID, v.Name+"（"+v.Room+"）")
	})
	if err != nil {
		return Village{}, err
	}
	return v, nil
}

// SetVillagePosition moves a village on its room's round (0–999), the
// order of the day's visit routes from then on; administrators only.
// Errors: forbidden; invalid position; not found.
func (s *Service) SetVillagePosition(ctx context.Context, by account.Principal, id string, position int) (Village, error) {
	if by.Role != account.RoleAdmin {
		return Village{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以调整村（社区）的走访顺序。")
	}
	if position < 0 || position > 999 {
		return Village{}, apperr.Errorf(apperr.Invalid, "村（社区）在服务室走访线路上的顺序应为0至999。")
	}
	var v Village
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE village SET position = ?, updated_at = ? WHERE id = ? RETURNING id, name, room, position`,
			position, store.FormatTime(tx.Now), id).Scan(&v.ID, &v.Name, &v.Room, &v.Position)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Errorf(apperr.NotFound, "找不到这个村（社区）。")
		}
		if err != nil {
			return fmt.Errorf("move village: %w", err)
		}
		return audit.Record(ctx, tx, by.Actor(), "village.position", v.ID, fmt.Sprintf("%s（%s）走访顺序改为%d", v.Name, v.Room, position))
	})
	if err != nil {
		return Village{}, err
	}
	return v, nil
}

// coveredVillage is village id if assistant covers it. Errors: invalid.
func (s *Service) coveredVillage(ctx context.Context, assistant, id string) (Village, error) {
	var v Village
	err := s.db.Read().QueryRowContext(ctx, `SELECT v.id, v.name, v.room, v.position FROM village v JOIN assistant_village a ON a.village_id = v.id
		WHERE a.staff_id = ? AND v.id = ?`, assistant, id).Scan(&v.ID, &v.Name, &v.Room, &v.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return Village{}, apperr.Errorf(apperr.Invalid, "这个村（社区）不在您的服务范围内。")
	}
	if err != nil {
		return Village{}, fmt.Errorf("read village: %w", err)
	}
	return v, nil
}

// Card is an assistant's contact card. Everything on it is public by design
// (plan task 13): a work phone, not a private one.
type Card struct {
	StaffID    string   `json:"staff_id"`
	Name       string   `json:"name"`
	Room       string   `json:"room"`
	VillageIDs []string `json:"village_ids"`
	Villages   []string `json:"villages"`
	WorkPhone  string   `json:"work_phone"`
	WeChat     string   `json:"wechat"`
	Hours      string   `json:"hours"`
}

// PublicCard is a card as the kiosk, the hall display and anyone on the LAN
// see it: no identifier any write accepts.
type PublicCard struct {
	Name      string   `json:"name"`
	Room      string   `json:"room"`
	Villages  []string `json:"villages"`
	WorkPhone string   `json:"work_phone"`
	WeChat    string   `json:"wechat"`
	Hours     string   `json:"hours"`
}

// CardInput changes a card. VillageIDs nil keeps the villages covered.
type CardInput struct {
	WorkPhone  string    `json:"work_phone"`
	WeChat     string    `json:"wechat"`
	Hours      string    `json:"hours"`
	VillageIDs *[]string `json:"village_ids"`
}

// cards reads every card, with the villages each covers.
func (s *Service) cards(ctx context.Context) ([]Card, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT staff_id, work_phone, wechat, hours FROM assistant_card`)
	if err != nil {
		return nil, fmt.Errorf("read cards: %w", err)
	}
	var out []Card
	for rows.Next() {
		var c Card
		if err := rows.Scan(&c.StaffID, &c.WorkPhone, &c.WeChat, &c.Hours); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read cards: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := s.fillVillages(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Service) fillVillages(ctx context.Context, c *Card) error {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT v.id, v.name, v.room FROM village v JOIN assistant_village a ON a.village_id = v.id
		WHERE a.staff_id = ? ORDER BY v.name`, c.StaffID)
	if err != nil {
		return fmt.Errorf("read covered villages: %w", err)
	}
	defer rows.Close()
	c.VillageIDs, c.Villages = []string{}, []string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name, &c.Room); err != nil {
			return fmt.Errorf("read covered villages: %w", err)
		}
		c.VillageIDs, c.Villages = append(c.VillageIDs, id), append(c.Villages, name)
	}
	return rows.Err()
}

// Card returns one assistant's card, empty but for the name when none was
// written. Errors: not found.
func (s *Service) Card(ctx context.Context, staffID string) (Card, error) {
	st, err := s.staff.Get(ctx, staffID)
	if err != nil {
		return Card{}, err
	}
	c := Card{StaffID: st.ID, Name: st.Name}
	err = s.db.Read().QueryRowContext(ctx, `SELECT work_phone, wechat, hours FROM assistant_card WHERE staff_id = ?`, staffID).Scan(&c.WorkPhone, &c.WeChat, &c.Hours)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Card{}, fmt.Errorf("read card: %w", err)
	}
	return c, s.fillVillages(ctx, &c)
}

// SetCard writes an assistant's card: the administrator, or the assistant
// for their own contact fields. Only the administrator changes the villages
// covered, which all belong to one village room. Errors: forbidden; not
// found; invalid for a staff member who is not an active assistant, an
// invalid work phone, an over-long WeChat or hours, no or unknown villages,
// villages of two rooms.
func (s *Service) SetCard(ctx context.Context, by account.Principal, staffID string, in CardInput) (Card, error) {
	self := by.Role == account.RoleAssistant && by.ID == staffID
	if by.Role != account.RoleAdmin && !self {
		return Card{}, apperr.Errorf(apperr.Forbidden, "只有管理员或代办员本人可以修改联系卡。")
	}
	if in.VillageIDs != nil && by.Role != account.RoleAdmin {
		return Card{}, apperr.Errorf(apperr.Forbidden, "只有管理员可以调整代办员负责的村（社区）。")
	}
	st, err := s.staff.Get(ctx, staffID)
	if err != nil {
		return Card{}, err
	}
	if st.Role != account.RoleAssistant || !st.Active {
		return Card{}, apperr.Errorf(apperr.Invalid, "%s不是在岗的代办员，不能设置代办员联系卡。", st.Name)
	}
	if strings.TrimSpace(in.WorkPhone) != "" {
		if in.WorkPhone, err = citizen.NormalizePhone(in.WorkPhone); err != nil {
			return Card{}, err
		}
	}
	if in.WeChat, err = limited("微信号", in.WeChat, 40); err != nil {
		return Card{}, err
	}
	if in.Hours, err = limited("服务时间", in.Hours, 60); err != nil {
		return Card{}, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if in.VillageIDs != nil {
			if err := setVillages(ctx, tx, staffID, *in.VillageIDs); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO assistant_card (staff_id, work_phone, wechat, hours, updated_at) VALUES (?,?,?,?,?)
			ON CONFLICT(staff_id) DO UPDATE SET work_phone = excluded.work_phone, wechat = excluded.wechat, hours = excluded.hours, updated_at = excluded.updated_at`,
			staffID, in.WorkPhone, in.WeChat, in.Hours, store.FormatTime(tx.Now)); err != nil {
			return fmt.Errorf("write card: %w", err)
		}
		return audit.Record(ctx, tx, by.Actor(), "assistant.card", st.Login, st.Name+" 代办员联系卡："+strings.TrimSpace(in.WorkPhone+" "+in.WeChat+" "+in.Hours))
	})
	if err != nil {
		return Card{}, err
	}
	return s.Card(ctx, staffID)
}

func setVillages(ctx context.Context, tx *store.Tx, staffID string, ids []string) error {
	if len(ids) == 0 {
		return apperr.Errorf(apperr.Invalid, "请至少选择一个负责的村（社区）。")
	}
	room := ""
	for _, id := range ids {
		var r string
		err := tx.QueryRowContext(ctx, `SELECT room FROM village WHERE id = ?`, id).Scan(&r)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Errorf(apperr.Invalid, "找不到所选的村（社区）。")
		}
		if err != nil {
			return fmt.Errorf("read village: %w", err)
		}
		if room != "" && r != room {
			return apperr.Errorf(apperr.Invalid, "一位代办员只属于一个便民服务室：所选的村分属“%s”和“%s”。", room, r)
		}
		room = r
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM assistant_village WHERE staff_id = ?`, staffID); err != nil {
		return fmt.Errorf("set villages: %w", err)
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO assistant_village (staff_id, village_id) VALUES (?,?)`, staffID, id); err != nil {
			return fmt.Errorf("set villages: %w", err)
		}
	}
	return nil
}

// PublicCards are the cards of the active assistants, by room and name,
// as the kiosk and the hall display show them.
func (s *Service) PublicCards(ctx context.Context) ([]PublicCard, error) {
	all, err := s.cards(ctx)
	if err != nil {
		return nil, err
	}
	out := []PublicCard{}
	for _, c := range all {
		st, err := s.staff.Get(ctx, c.StaffID)
		if err != nil {
			return nil, err
		}
		if !st.Active || st.Role != account.RoleAssistant {
			continue
		}
		out = append(out, PublicCard{Name: st.Name, Room: c.Room, Villages: c.Villages, WorkPhone: c.WorkPhone, WeChat: c.WeChat, Hours: c.Hours})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Room != out[j].Room {
			return out[i].Room < out[j].Room
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// CardsPDF prints the public cards for the notice board.
func (s *Service) CardsPDF(ctx context.Context) ([]byte, error) {
	list, err := s.PublicCards(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return nil, err
	}
	cards := make([]notice.AssistantCard, len(list))
	for i, c := range list {
		cards[i] = notice.AssistantCard{Name: c.Name, Room: c.Room, Villages: c.Villages, WorkPhone: c.WorkPhone, WeChat: c.WeChat, Hours: c.Hours}
	}
	return notice.AssistantCardsPDF(st.Name, cards, s.clock.Now())
}

// VillageCover is a village with the number of active assistants who cover
// it, for the check of task 12 (every village at least one assistant).
type VillageCover struct {
	Village    string `json:"village"`
	Room       string `json:"room"`
	Assistants int    `json:"assistants"`
}

// Coverage lists every recorded village with its active assistants.
func (s *Service) Coverage(ctx context.Context) ([]VillageCover, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT v.name, v.room, count(st.id) FROM village v
		LEFT JOIN assistant_village av ON av.village_id = v.id
		LEFT JOIN staff st ON st.id = av.staff_id AND st.active = 1 AND st.role = 'assistant'
		GROUP BY v.id ORDER BY v.room, v.name`)
	if err != nil {
		return nil, fmt.Errorf("village coverage: %w", err)
	}
	defer rows.Close()
	out := []VillageCover{}
	for rows.Next() {
		var c VillageCover
		if err := rows.Scan(&c.Village, &c.Room, &c.Assistants); err != nil {
			return nil, fmt.Errorf("village coverage: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
