// Package rating is 好差评: one rating per service (一次一评) from the rating
// pad, with the three sub-scores of the national rules. The two lowest
// levels are bad ratings (差评): they need a reason, open a rectification
// (整改) for the clerk who served, due in working days, need a return call
// (回访) when the citizen left a name or phone, and may be appealed (申诉)
// when given in error. The centre head sees all of it.
package rating

import (
	"context"
	"fmt"
	"strings"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/events"
	"budayang/backend/queue"
	"budayang/backend/secret"
	"budayang/backend/store"
)

// Levels, best first, as the national rules name them.
var Levels = map[int]string{5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

// IsBad reports whether level is a bad rating (差评).
func IsBad(level int) bool { return level <= 2 }

// Event types.
const (
	Submitted       = "rating:submitted"
	BadRating       = "rating:bad"
	RectifyChanged  = "rectification:changed"
	AppealFiled     = "appeal:filed"
	AppealDecided   = "appeal:decided"
	ReturnCallSaved = "return_call:saved"
)

// Calendar counts working days for rectification deadlines.
type Calendar interface {
	AddWorkingDays(ctx context.Context, from time.Time, n int) (time.Time, error)
}

// Submission is what the rating pad sends.
type Submission struct {
	TicketID   string `json:"ticket_id"`
	CaseID     string `json:"case_id"`
	Level      int    `json:"level"`
	Attitude   int    `json:"attitude"`   // 服务态度
	Efficiency int    `json:"efficiency"` // 服务效率
	Competence int    `json:"competence"` // 服务水平
	Reason     string `json:"reason"`
	Name       string `json:"name"`
	Phone      string `json:"phone"`
}

// Rating is one stored rating with what followed it.
type Rating struct {
	ID            string         `json:"id"`
	TicketID      string         `json:"ticket_id"`
	TicketNumber  string         `json:"ticket_number"`
	CaseID        string         `json:"case_id,omitempty"`
	Window        int            `json:"window"`
	StaffLogin    string         `json:"staff_login"`
	StaffName     string         `json:"staff_name"`
	Level         int            `json:"level"`
	LevelName     string         `json:"level_name"`
	Bad           bool           `json:"bad"`
	Attitude      int            `json:"attitude"`
	Efficiency    int            `json:"efficiency"`
	Competence    int            `json:"competence"`
	Reason        string         `json:"reason"`
	CitizenName   string         `json:"citizen_name,omitempty"`
	Phone         string         `json:"phone,omitempty"`
	CreatedAt     time.Time      `json:"created_at"`
	Rectification *Rectification `json:"rectification,omitempty"`
	ReturnCalls   []ReturnCall   `json:"return_calls"`
	Appeal        *Appeal        `json:"appeal,omitempty"`
	// ReturnCallDue is set for a named bad rating without a return call yet.
	ReturnCallDue bool `json:"return_call_due"`
}

// Rectification is the fix owed for a bad rating.
type Rectification struct {
	ID         string `json:"id"`
	StaffLogin string `json:"staff_login"`
	DueDate    string `json:"due_date"`
	Status     string `json:"status"` // open, done, void
	Note       string `json:"note"`
	Overdue    bool   `json:"overdue"`
}

// ReturnCall is one call back to the citizen.
type ReturnCall struct {
	ID        string    `json:"id"`
	CalledBy  string    `json:"called_by"`
	Outcome   string    `json:"outcome"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// Appeal asks the centre head to void a rating given in error.
type Appeal struct {
	ID        string `json:"id"`
	FiledBy   string `json:"filed_by"`
	Reason    string `json:"reason"`
	Status    string `json:"status"` // pending, upheld, rejected
	DecidedBy string `json:"decided_by"`
	Decision  string `json:"decision"`
}

// Service stores ratings.
type Service struct {
	db       *store.DB
	clock    clock.Clock
	pub      events.Publisher
	queue    *queue.Service
	calendar Calendar
	// sealer seals the name and phone a citizen leaves with a rating.
	sealer *secret.Sealer
}

// NewService returns the rating service; the contact a citizen leaves is
// sealed with sealer before it is stored.
func NewService(db *store.DB, clk clock.Clock, pub events.Publisher, q *queue.Service, cal Calendar, sealer *secret.Sealer) *Service {
	return &Service{db: db, clock: clk, pub: pub, queue: q, calendar: cal, sealer: sealer}
}

// Pending is what the rating pad of a window offers for rating.
type Pending struct {
	TicketID string `json:"ticket_id"`
	Number   string `json:"number"`
	Window   int    `json:"window"`
	Staff    string `json:"staff"`
}

// Pending returns the service just completed at window n that has not been
// rated, within the settings' rating minutes, or nil.
func (s *Service) Pending(ctx context.Context, n int) (*Pending, error) {
	st, err := s.queue.Settings(ctx)
	if err != nil {
		return nil, err
	}
	t, ok, err := s.queue.LastCompleted(ctx, n, s.clock.Now().Add(-time.Duration(st.RatingMinutes)*time.Minute))
	if err != nil || !ok {
		return nil, err
	}
	var rated int
	if err := s.db.Read().QueryRowContext(ctx, `SELECT count(*) FROM rating WHERE ticket_id = ?`, t.ID).Scan(&rated); err != nil {
		return nil, fmt.Errorf("pending rating at window %d: %w", n, err)
	}
	if rated > 0 {
		return nil, nil
	}
	// The pad shows the name on the window's desk sign, not a login.
	staff := t.ServedBy
	windows, err := s.queue.Windows(ctx)
	if err != nil {
		return nil, err
	}
	for _, w := range windows {
		if w.Number == n && w.StaffName != "" {
			staff = w.StaffName
		}
	}
	return &Pending{TicketID: t.ID, Number: t.Number, Window: n, Staff: staff}, nil
}

func validScore(name string, v int) error {
	if v < 1 || v > 5 {
		return apperr.Errorf(apperr.Invalid, "%s应为1到5分。", name)
	}
	return nil
}

// Submit stores the rating of the service pending at window n: the one
// completed there most recently, within the settings' rating minutes. The pad
// need not name it; when in.TicketID is set it must be that service, so a
// rating meant for one citizen never lands on the next one's service.
// Errors: no service pending at the window (conflict), in.TicketID not the
// pending one (conflict), a second rating of the same service or case
// (conflict), scores out of range, a bad rating without a reason, a
// malformed phone.
func (s *Service) Submit(ctx context.Context, who audit.Actor, n int, in Submission) (Rating, error) {
	for _, c := range []struct {
		name string
		v    int
	}{{"总体评价", in.Level}, {"服务态度", in.Attitude}, {"服务效率", in.Efficiency}, {"服务水平", in.Competence}} {
		if err := validScore(c.name, c.v); err != nil {
			return Rating{}, err
		}
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if IsBad(in.Level) && in.Reason == "" {
		return Rating{}, apperr.Errorf(apperr.Invalid, "选择“%s”时请说明原因，我们会整改并回访。", Levels[in.Level])
	}
	if len([]rune(in.Reason)) > 500 {
		return Rating{}, apperr.Errorf(apperr.Invalid, "原因请控制在500字以内。")
	}
	phone := ""
	if strings.TrimSpace(in.Phone) != "" {
		p, err := citizen.NormalizePhone(in.Phone)
		if err != nil {
			return Rating{}, err
		}
		phone = p
	}
	st, err := s.queue.Settings(ctx)
	if err != nil {
		return Rating{}, err
	}
	t, ok, err := s.queue.LastCompleted(ctx, n, s.clock.Now().Add(-time.Duration(st.RatingMinutes)*time.Minute))
	if err != nil {
		return Rating{}, err
	}
	if !ok || t.Window == nil {
		return Rating{}, apperr.Errorf(apperr.Conflict, "%d号窗口现在没有待评价的服务：评价需在办结后%d分钟内进行。", n, st.RatingMinutes)
	}
	if in.TicketID != "" && in.TicketID != t.ID {
		return Rating{}, apperr.Errorf(apperr.Conflict, "这次服务已不是%d号窗口待评价的服务，请重新评价。", n)
	}
	var due time.Time
	if IsBad(in.Level) {
		if due, err = s.calendar.AddWorkingDays(ctx, s.clock.Now(), st.RectificationDays); err != nil {
			return Rating{}, fmt.Errorf("rectification deadline: %w", err)
		}
	}
	r := Rating{
		ID: store.NewID(), TicketID: t.ID, TicketNumber: t.Number, CaseID: strings.TrimSpace(in.CaseID), Window: *t.Window, StaffLogin: t.ServedBy,
		Level: in.Level, LevelName: Levels[in.Level], Bad: IsBad(in.Level), Attitude: in.Attitude, Efficiency: in.Efficiency,
		Competence: in.Competence, Reason: in.Reason, CitizenName: strings.TrimSpace(in.Name), Phone: phone, ReturnCalls: []ReturnCall{},
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		r.CreatedAt = tx.Now
		if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT name FROM staff WHERE login = ?), ?)`, r.StaffLogin, r.StaffLogin).Scan(&r.StaffName); err != nil {
			return fmt.Errorf("rating of %s: staff name: %w", t.Number, err)
		}
		ts := store.FormatTime(tx.Now)
		var caseID any
		if r.CaseID != "" {
			caseID = r.CaseID
		}
		sl, err := s.sealer.SealContact("rating", r.ID, r.CitizenName, r.Phone)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO rating (id, site_id, ticket_id, ticket_number, case_id, window, staff_login, level, attitude, efficiency, competence,
			reason, citizen_name, phone, phone_index, created_at, updated_at) VALUES (?, (SELECT id FROM site LIMIT 1), ?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			r.ID, r.TicketID, r.TicketNumber, caseID, r.Window, r.StaffLogin, r.Level, r.Attitude, r.Efficiency, r.Competence, r.Reason, sl.Name, sl.Phone, sl.PhoneIndex, ts, ts)
		if store.IsUnique(err) {
			return apperr.Errorf(apperr.Conflict, "这次服务已经评价过了，每次服务只能评价一次。")
		}
		if err != nil {
			return fmt.Errorf("save rating of %s: %w", t.Number, err)
		}
		if r.Bad {
			rc := Rectification{ID: store.NewID(), StaffLogin: r.StaffLogin, DueDate: due.In(clock.Shanghai).Format("2006-01-02"), Status: "open"}
			if _, err := tx.ExecContext(ctx, `INSERT INTO rectification (id, site_id, rating_id, staff_login, due_date, status, created_at, updated_at)
				VALUES (?, (SELECT id FROM site LIMIT 1), ?,?,?,?,?,?)`, rc.ID, r.ID, rc.StaffLogin, rc.DueDate, rc.Status, ts, ts); err != nil {
				return fmt.Errorf("open rectification for %s: %w", t.Number, err)
			}
			r.Rectification = &rc
			r.ReturnCallDue = r.CitizenName != "" || r.Phone != ""
		}
		if err := audit.Record(ctx, tx, who, "rating.submit", t.Number, fmt.Sprintf("%s 窗口%d %s", r.LevelName, r.Window, r.StaffLogin)); err != nil {
			return err
		}
		if err := tx.Outbox(ctx, "rating.submit", r.ID, masked(r)); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			if s.pub == nil {
				return
			}
			s.pub.Publish(events.Event{Type: Submitted, Data: map[string]any{"window": r.Window, "ticket": r.TicketNumber, "level": r.Level}})
			if r.Bad {
				s.pub.Publish(events.Event{Type: BadRating, Data: masked(r)})
			}
		})
		return nil
	})
	if err != nil {
		return Rating{}, err
	}
	return r, nil
}

// masked hides the citizen's name and phone.
func masked(r Rating) Rating {
	r.CitizenName = citizen.MaskName(r.CitizenName)
	if r.Phone != "" {
		r.Phone = citizen.MaskPhone(r.Phone)
	}
	return r
}

func requireHead(by account.Principal) error {
	if by.Role != account.RoleAdmin {
		return apperr.Errorf(apperr.Forbidden, "只有中心负责人（管理员）可以进行此操作。")
	}
	return nil
}

func (s *Service) ratingTx(ctx context.Context, tx *store.Tx, id string) (Rating, error) {
	list, err := s.query(ctx, tx, `r.id = ?`, id)
	if err != nil {
		return Rating{}, err
	}
	if len(list) == 0 {
		return Rating{}, apperr.Errorf(apperr.NotFound, "找不到这条评价。")
	}
	return list[0], nil
}
