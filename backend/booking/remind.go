package booking

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/calendar"
	"budayang/backend/citizen"
	"budayang/backend/events"
	"budayang/backend/schedule"
	"budayang/backend/secret"
	"budayang/backend/store"
)

// Job schedules (Asia/Shanghai).
const (
	CallListSpec  = "0 16 * * *"
	RemindersSpec = "*/5 * * * *"
)

// Jobs are the booking's scheduled jobs for the registry.
func (s *Service) Jobs() []schedule.Job {
	return []schedule.Job{
		{Name: "booking-call-list", Description: "每天16:00生成下一个工作日的预约提醒电话清单", Spec: CallListSpec,
			Run: func(ctx context.Context, now time.Time) error {
				if _, err := s.BuildCallList(ctx, now); err != nil {
					return err
				}
				_, err := s.SendReminders(ctx, now)
				return err
			}},
		{Name: "booking-reminders", Description: "每5分钟提醒延时服务到岗人员（前一天16:00、开始前1小时）", Spec: RemindersSpec,
			Run: func(ctx context.Context, now time.Time) error {
				_, err := s.SendReminders(ctx, now)
				return err
			}},
	}
}

// CallList is the duty officer's list of citizens to remind by phone of
// their bookings: every open booking from the day after it was built up to
// and including Date, the next working day (so Friday's list covers the
// weekend's extended hours too).
type CallList struct {
	Date    string      `json:"date"`
	Built   bool        `json:"built"`
	Entries []CallEntry `json:"entries"`
}

// CallEntry is one call to make.
type CallEntry struct {
	BookingID   string    `json:"booking_id"`
	Date        string    `json:"date"`
	SlotStart   time.Time `json:"slot_start"`
	Line        string    `json:"line"`
	SlotKind    string    `json:"slot_kind"`
	StaffID     string    `json:"staff_id,omitempty"`
	CitizenName string    `json:"citizen_name"`
	Phone       string    `json:"phone"`
	Status      string    `json:"status"`
	// Reason is why to call: '' to remind, ReasonClosedDay to move.
	Reason   string     `json:"reason"`
	Outcome  string     `json:"outcome"`
	CalledBy string     `json:"called_by,omitempty"`
	CalledAt *time.Time `json:"called_at,omitempty"`
}

// Call outcomes.
const (
	Reached     = "reached"
	NoAnswer    = "no_answer"
	WrongNumber = "wrong_number"
)

// BuildCallList adds to the list for the next working day after now every
// open booking up to that day not already on it, and every open booking on a
// closed day from today on not yet on any list for that reason (with the
// reason ReasonClosedDay), and tells the duty officer. Running it twice adds
// nothing twice.
func (s *Service) BuildCallList(ctx context.Context, now time.Time) (CallList, error) {
	target, err := s.cal.NextWorkday(ctx, now)
	if err != nil {
		return CallList{}, err
	}
	st, err := s.sites.Get(ctx)
	if err != nil {
		return CallList{}, err
	}
	date := calendar.FormatDate(target)
	from := calendar.FormatDate(calendar.Date(now).AddDate(0, 0, 1))
	closed, err := s.closedDays(ctx, calendar.FormatDate(calendar.Date(now)))
	if err != nil {
		return CallList{}, err
	}
	var added int64
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		// Group commit may run this again after a failed group: count
		// only what this run adds.
		added = 0
		ts := store.FormatTime(tx.Now)
		list, err := s.queryBookings(ctx, tx, `status = 'booked' AND date >= ? AND date <= ?`, from, date)
		if err != nil {
			return err
		}
		for _, b := range list {
			if closed[b.Date] {
				continue
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO booking_call (id, site_id, list_date, booking_id, created_at, updated_at) VALUES (?,?,?,?,?,?)
				ON CONFLICT(list_date, booking_id) DO NOTHING`, store.NewID(), st.ID, date, b.ID, ts, ts)
			if err != nil {
				return fmt.Errorf("build call list: %w", err)
			}
			n, _ := res.RowsAffected()
			added += n
		}
		n, err := s.addClosedDaysTx(ctx, tx, st.ID, date, closed)
		if err != nil {
			return err
		}
		added += n
		if err := audit.Record(ctx, tx, audit.System, "booking.call_list", date, fmt.Sprintf("新增%d条", added)); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return CallList{}, err
	}
	cl, err := s.callList(ctx, date)
	if err != nil {
		return CallList{}, err
	}
	if s.pub != nil {
		s.pub.Publish(events.Event{Type: EventCallList, Data: map[string]any{"date": date, "count": len(cl.Entries), "added": added}})
	}
	return cl, nil
}

// CallList returns the list built for date (Built false and no entries if
// the job has not run for it). Names and phones are in full, the read
// audited, for the roles that SeesContacts and for the duty officer, who
// makes these calls; masked for others.
func (s *Service) CallList(ctx context.Context, by account.Principal, date string) (CallList, error) {
	cl, err := s.callList(ctx, date)
	if err != nil {
		return CallList{}, err
	}
	if !SeesContacts(by.Role) && by.Role != account.RoleDuty {
		for i := range cl.Entries {
			cl.Entries[i].CitizenName = citizen.MaskName(cl.Entries[i].CitizenName)
			cl.Entries[i].Phone = citizen.MaskPhone(cl.Entries[i].Phone)
		}
		return cl, nil
	}
	if len(cl.Entries) == 0 {
		return cl, nil
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, by.Actor(), "booking.call_list_read", cl.Date, fmt.Sprintf("查看提醒清单%d人的完整姓名和电话", len(cl.Entries)))
	})
	if err != nil {
		return CallList{}, err
	}
	return cl, nil
}

func (s *Service) callList(ctx context.Context, date string) (CallList, error) {
	d, err := calendar.ParseDate(date)
	if err != nil {
		return CallList{}, invalid("日期应写成YYYY-MM-DD，收到“%s”。", date)
	}
	cl := CallList{Date: calendar.FormatDate(d), Entries: []CallEntry{}}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT b.id, b.date, b.slot_start, b.line, b.slot_kind, b.staff_id, b.citizen_name, b.phone, b.status,
		c.reason, c.outcome, c.called_by, c.called_at FROM booking_call c JOIN booking b ON b.id = c.booking_id WHERE c.list_date = ? ORDER BY b.slot_start, b.created_at`, cl.Date)
	if err != nil {
		return CallList{}, fmt.Errorf("read call list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e CallEntry
		var start string
		var called sql.NullString
		if err := rows.Scan(&e.BookingID, &e.Date, &start, &e.Line, &e.SlotKind, &e.StaffID, &e.CitizenName, &e.Phone, &e.Status,
			&e.Reason, &e.Outcome, &e.CalledBy, &called); err != nil {
			return CallList{}, fmt.Errorf("read call list: %w", err)
		}
		b := Booking{ID: e.BookingID, CitizenName: e.CitizenName, Phone: e.Phone}
		if err := s.open(&b); err != nil {
			return CallList{}, err
		}
		e.CitizenName, e.Phone = b.CitizenName, b.Phone
		e.SlotStart, _ = store.ParseTime(start)
		e.SlotStart = e.SlotStart.UTC()
		if called.Valid {
			if t, err := store.ParseTime(called.String); err == nil {
				t = t.UTC()
				e.CalledAt = &t
			}
		}
		cl.Entries = append(cl.Entries, e)
	}
	cl.Built = len(cl.Entries) > 0
	return cl, rows.Err()
}

// MarkCalled records the outcome of a reminder call. Errors: invalid
// outcome, not found when the booking is not on that day's list.
func (s *Service) MarkCalled(ctx context.Context, by account.Principal, date, bookingID, outcome string) error {
	if outcome != Reached && outcome != NoAnswer && outcome != WrongNumber {
		return invalid("通话结果应为reached（已联系）、no_answer（无人接听）或wrong_number（号码错误），收到“%s”。", outcome)
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		ts := store.FormatTime(tx.Now)
		res, err := tx.ExecContext(ctx, `UPDATE booking_call SET outcome = ?, called_by = ?, called_at = ?, updated_at = ?, version = version + 1
			WHERE list_date = ? AND booking_id = ?`, outcome, by.Login, ts, ts, date, bookingID)
		if err != nil {
			return fmt.Errorf("mark call: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.NotFound, "%s的提醒清单中没有这个预约。", date)
		}
		return audit.Record(ctx, tx, by.Actor(), "booking.call", bookingID, outcome)
	})
}

// Reminder is the booking:reminder event: the tray of StaffID shows it.
type Reminder struct {
	StaffID     string    `json:"staff_id"`
	BookingID   string    `json:"booking_id"`
	Kind        string    `json:"kind"`
	Line        string    `json:"line"`
	SlotStart   time.Time `json:"slot_start"`
	SlotEnd     time.Time `json:"slot_end"`
	CitizenName string    `json:"citizen_name"`
}

// SendReminders tells each staff member named by an open extended-hours
// booking what ReminderDue says is due at now, once per kind, and returns
// what it sent.
func (s *Service) SendReminders(ctx context.Context, now time.Time) ([]Reminder, error) {
	var sent []Reminder
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT b.id, b.staff_id, b.line, b.slot_start, b.slot_end, b.citizen_name,
				EXISTS (SELECT 1 FROM booking_reminder r WHERE r.booking_id = b.id AND r.kind = 'day_before'),
				EXISTS (SELECT 1 FROM booking_reminder r WHERE r.booking_id = b.id AND r.kind = 'hour_before')
			FROM booking b WHERE b.status = 'booked' AND b.slot_kind = 'extended' AND b.staff_id <> '' AND b.slot_start > ? AND b.slot_start <= ?
			ORDER BY b.slot_start`, store.FormatTime(now), store.FormatTime(now.Add(48*time.Hour)))
		if err != nil {
			return fmt.Errorf("find reminders: %w", err)
		}
		var due []Reminder
		for rows.Next() {
			var r Reminder
			var start, end string
			var sentDay, sentHour bool
			if err := rows.Scan(&r.BookingID, &r.StaffID, &r.Line, &start, &end, &r.CitizenName, &sentDay, &sentHour); err != nil {
				rows.Close()
				return fmt.Errorf("find reminders: %w", err)
			}
			r.SlotStart, _ = store.ParseTime(start)
			r.SlotEnd, _ = store.ParseTime(end)
			r.SlotStart, r.SlotEnd = r.SlotStart.UTC(), r.SlotEnd.UTC()
			name, err := s.sealer.Open(r.CitizenName, aad(r.BookingID, "name"))
			if err != nil {
				rows.Close()
				return secret.WrongKey(s.sealer.Where())
			}
			r.CitizenName = citizen.MaskName(name)
			if r.Kind = ReminderDue(r.SlotStart, now, sentDay, sentHour); r.Kind != "" {
				due = append(due, r)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range due {
			if _, err := tx.ExecContext(ctx, `INSERT INTO booking_reminder (booking_id, kind, staff_id, sent_at) VALUES (?,?,?,?)`,
				r.BookingID, r.Kind, r.StaffID, store.FormatTime(now)); err != nil {
				return fmt.Errorf("record reminder: %w", err)
			}
		}
		sent = due
		tx.AfterCommit(func() {
			if s.pub == nil {
				return
			}
			for _, r := range due {
				s.pub.Publish(events.Event{Type: EventReminder, Data: r})
			}
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sent == nil {
		sent = []Reminder{}
	}
	return sent, nil
}
