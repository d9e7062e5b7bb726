package queue

import (
	"context"
	"fmt"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/store"
)

// Call is what a call event carries to the display and the other windows.
type Call struct {
	Ticket Ticket `json:"ticket"`
	Window int    `json:"window"`
	Name   string `json:"window_name"`
	Staff  string `json:"staff,omitempty"`
}

func requireStaff(by account.Principal) error {
	if by.ID == "" {
		return apperr.Errorf(apperr.Unauthorized, "请先登录。")
	}
	if by.Role == account.RoleAssistant {
		return apperr.Errorf(apperr.Forbidden, "代办员不能在窗口叫号。")
	}
	return nil
}

// openWindowTx returns window n, refusing a paused one.
func (s *Service) openWindowTx(ctx context.Context, tx *store.Tx, n int) (Window, error) {
	w, err := s.windowTx(ctx, tx, n)
	if err != nil {
		return Window{}, err
	}
	if w.Paused {
		return Window{}, apperr.Errorf(apperr.Conflict, "%s已暂停服务，请先恢复服务再叫号。", w.Name)
	}
	return w, nil
}

// busyTicketTx returns the ticket window n is serving now, if any.
func busyTicketTx(ctx context.Context, tx *store.Tx, day string, n int) (*Ticket, error) {
	ts, err := queryTickets(ctx, tx, `day = ? AND window = ? AND status = 'called' LIMIT 1`, day, n)
	if err != nil || len(ts) == 0 {
		return nil, err
	}
	return &ts[0], nil
}

// CallNext calls the next ticket at window n: green channel first, then due
// appointments, then first come, among the lines the window serves. It
// returns false when no ticket waits. Concurrent calls never get the same
// ticket: the pick and the update share one BEGIN IMMEDIATE transaction.
// Errors: unknown window, paused window, a ticket still being served there.
func (s *Service) CallNext(ctx context.Context, by account.Principal, n int) (Ticket, bool, error) {
	if err := requireStaff(by); err != nil {
		return Ticket{}, false, err
	}
	var t Ticket
	var found bool
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		w, err := s.openWindowTx(ctx, tx, n)
		if err != nil {
			return err
		}
		day := Day(tx.Now)
		if err := refuseIfClosedTx(ctx, tx, day, closedCall); err != nil {
			return err
		}
		if busy, err := busyTicketTx(ctx, tx, day, n); err != nil {
			return err
		} else if busy != nil {
			return apperr.Errorf(apperr.Conflict, "%s正在办理%s，请先办结、挂起或过号。", w.Name, busy.Number)
		}
		cands, err := candidates(ctx, tx, day, w, tx.Now)
		if err != nil {
			return err
		}
		next, ok := Next(cands, w, tx.Now)
		if !ok {
			return nil
		}
		found = true
		t, err = s.callTx(ctx, tx, by, w, next, "ticket.call")
		return err
	})
	if err != nil {
		return Ticket{}, false, fmt.Errorf("call next at window %d: %w", n, err)
	}
	return t, found, nil
}

// CallTicket calls a chosen ticket out of order at window n, or calls back a
// held ticket. Errors: the ticket is not waiting, skipped or held, or belongs
// to a line the window does not serve.
func (s *Service) CallTicket(ctx context.Context, by account.Principal, n int, id string) (Ticket, error) {
	if err := requireStaff(by); err != nil {
		return Ticket{}, err
	}
	var t Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		w, err := s.openWindowTx(ctx, tx, n)
		if err != nil {
			return err
		}
		cur, err := s.ticketTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Day != Day(tx.Now) {
			return apperr.Errorf(apperr.Conflict, "%s不是今天的号票。", cur.Number)
		}
		if err := refuseIfClosedTx(ctx, tx, cur.Day, closedCall); err != nil {
			return err
		}
		if busy, err := busyTicketTx(ctx, tx, cur.Day, n); err != nil {
			return err
		} else if busy != nil {
			return apperr.Errorf(apperr.Conflict, "%s正在办理%s，请先办结、挂起或过号。", w.Name, busy.Number)
		}
		action := "ticket.call_chosen"
		switch cur.Status {
		case Waiting, Skipped:
			if !w.Serves(cur.Line) && (cur.TargetWindow == nil || *cur.TargetWindow != n) {
				return apperr.Errorf(apperr.Conflict, "%s不办理%s业务线的号票。", w.Name, cur.Line)
			}
		case Held:
			action = "ticket.call_back"
		default:
			return apperr.Errorf(apperr.Conflict, "%s当前状态为“%s”，不能叫号。", cur.Number, StatusName(cur.Status))
		}
		t, err = s.callTx(ctx, tx, by, w, cur, action)
		return err
	})
	return t, err
}

func (s *Service) callTx(ctx context.Context, tx *store.Tx, by account.Principal, w Window, t Ticket, action string) (Ticket, error) {
	now := store.FormatTime(tx.Now)
	_, err := tx.ExecContext(ctx, `UPDATE ticket SET status = 'called', window = ?, target_window = NULL, called_at = ?, served_by = ?,
		updated_at = ?, version = version + 1 WHERE id = ?`, w.Number, now, by.Login, now, t.ID)
	if err != nil {
		return Ticket{}, fmt.Errorf("call %s: %w", t.Number, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE service_window SET staff_id = ?, staff_name = ? WHERE number = ?`, by.ID, by.Name, w.Number); err != nil {
		return Ticket{}, fmt.Errorf("call %s: %w", t.Number, err)
	}
	t.Status, t.Window, t.TargetWindow, t.ServedBy = Called, &w.Number, nil, by.Login
	called := tx.Now
	t.CalledAt = &called
	if err := audit.Record(ctx, tx, by.Actor(), action, t.Number, w.Name); err != nil {
		return Ticket{}, err
	}
	if err := tx.Outbox(ctx, action, t.ID, publicTicket(t)); err != nil {
		return Ticket{}, err
	}
	s.publish(tx, TicketCalled, Call{Ticket: publicTicket(t), Window: w.Number, Name: w.Name, Staff: by.Name})
	return t, nil
}

// StatusName is the Chinese name of a ticket state.
func StatusName(status string) string {
	switch status {
	case Waiting:
		return "等候中"
	case Called:
		return "办理中"
	case Held:
		return "挂起"
	case Skipped:
		return "过号"
	case Completed:
		return "已办结"
	case NoShow:
		return "过号作废"
	case Unserved:
		return "未办理"
	}
	return status
}

// act loads a ticket that must be called at a window and applies change.
func (s *Service) act(ctx context.Context, by account.Principal, id, action string, change func(tx *store.Tx, t *Ticket, w Window) (string, error)) (Ticket, error) {
	if err := requireStaff(by); err != nil {
		return Ticket{}, err
	}
	var t Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = s.ticketTx(ctx, tx, id); err != nil {
			return err
		}
		if t.Status != Called || t.Window == nil {
			return apperr.Errorf(apperr.Conflict, "%s当前状态为“%s”，只能对正在办理的号票进行此操作。", t.Number, StatusName(t.Status))
		}
		w, err := s.windowTx(ctx, tx, *t.Window)
		if err != nil {
			return err
		}
		event, err := change(tx, &t, w)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, by.Actor(), action, t.Number, w.Name); err != nil {
			return err
		}
		if err := tx.Outbox(ctx, action, t.ID, publicTicket(t)); err != nil {
			return err
		}
		s.publish(tx, event, Call{Ticket: publicTicket(t), Window: w.Number, Name: w.Name, Staff: by.Name})
		return nil
	})
	return t, err
}

func (s *Service) update(ctx context.Context, tx *store.Tx, t Ticket, set string, args ...any) error {
	args = append(args, store.FormatTime(tx.Now), t.ID)
	_, err := tx.ExecContext(ctx, `UPDATE ticket SET `+set+`, updated_at = ?, version = version + 1 WHERE id = ?`, args...)
	if err != nil {
		return fmt.Errorf("update ticket %s: %w", t.Number, err)
	}
	return nil
}

// Recall calls the ticket being served again (重呼).
func (s *Service) Recall(ctx context.Context, by account.Principal, id string) (Ticket, error) {
	return s.act(ctx, by, id, "ticket.recall", func(tx *store.Tx, t *Ticket, _ Window) (string, error) {
		t.Recalls++
		return TicketRecalled, s.update(ctx, tx, *t, `recalls = ?`, t.Recalls)
	})
}

// Hold sets the ticket aside while the citizen fetches a missing paper (挂起);
// the window is free for the next call and CallTicket calls it back.
func (s *Service) Hold(ctx context.Context, by account.Principal, id string) (Ticket, error) {
	return s.act(ctx, by, id, "ticket.hold", func(tx *store.Tx, t *Ticket, _ Window) (string, error) {
		t.Status = Held
		return TicketHeld, s.update(ctx, tx, *t, `status = 'held'`)
	})
}

// Skip marks a no-show at the call (过号): the ticket can be called again
// after the re-queue minutes, until its MaxSkips-th skip makes it a no-show.
func (s *Service) Skip(ctx context.Context, by account.Principal, id string) (Ticket, error) {
	return s.act(ctx, by, id, "ticket.skip", func(tx *store.Tx, t *Ticket, _ Window) (string, error) {
		st, err := s.settingsTx(ctx, tx)
		if err != nil {
			return "", err
		}
		t.Skips++
		t.Window = nil
		if t.Skips >= st.MaxSkips {
			t.Status = NoShow
			return TicketSkipped, s.update(ctx, tx, *t, `status = 'no_show', skips = ?, window = NULL`, t.Skips)
		}
		t.Status = Skipped
		t.QueuedAt = tx.Now.Add(time.Duration(st.SkipRequeueMinutes) * time.Minute)
		return TicketSkipped, s.update(ctx, tx, *t, `status = 'skipped', skips = ?, window = NULL, queued_at = ?`, t.Skips, store.FormatTime(t.QueuedAt))
	})
}

// Complete finishes the service (办结); the rating pad of the window then
// offers it for rating.
func (s *Service) Complete(ctx context.Context, by account.Principal, id string) (Ticket, error) {
	return s.act(ctx, by, id, "ticket.complete", func(tx *store.Tx, t *Ticket, _ Window) (string, error) {
		t.Status = Completed
		done := tx.Now
		t.CompletedAt = &done
		return TicketCompleted, s.update(ctx, tx, *t, `status = 'completed', completed_at = ?`, store.FormatTime(done))
	})
}

// Transfer sends the ticket being served to another line or to another
// window, keeping its original issue time so it is not sent to the back.
// Exactly one of line and window is given.
func (s *Service) Transfer(ctx context.Context, by account.Principal, id, line string, window int) (Ticket, error) {
	if (line == "") == (window == 0) {
		return Ticket{}, apperr.Errorf(apperr.Invalid, "请指定转移到的业务线或窗口（二选一）。")
	}
	return s.act(ctx, by, id, "ticket.transfer", func(tx *store.Tx, t *Ticket, from Window) (string, error) {
		t.Status, t.Window, t.Transferred, t.QueuedAt = Waiting, nil, true, t.IssuedAt
		if line != "" {
			l, err := s.lineTx(ctx, tx, line)
			if err != nil {
				return "", err
			}
			t.Line, t.TargetWindow = l.Prefix, nil
			return TicketTransferred, s.update(ctx, tx, *t, `status = 'waiting', window = NULL, target_window = NULL, line = ?, transferred = 1, queued_at = issued_at`, l.Prefix)
		}
		to, err := s.windowTx(ctx, tx, window)
		if err != nil {
			return "", err
		}
		if to.Number == from.Number {
			return "", apperr.Errorf(apperr.Invalid, "不能转移到本窗口。")
		}
		t.TargetWindow = &to.Number
		return TicketTransferred, s.update(ctx, tx, *t, `status = 'waiting', window = NULL, target_window = ?, transferred = 1, queued_at = issued_at`, to.Number)
	})
}

// Pause stops calls at window n with a reason the display shows (暂停服务).
func (s *Service) Pause(ctx context.Context, by account.Principal, n int, reason string) (Window, error) {
	if reason == "" {
		reason = "暂停服务"
	}
	return s.setPaused(ctx, by, n, true, reason)
}

// Resume reopens window n.
func (s *Service) Resume(ctx context.Context, by account.Principal, n int) (Window, error) {
	return s.setPaused(ctx, by, n, false, "")
}

func (s *Service) setPaused(ctx context.Context, by account.Principal, n int, paused bool, reason string) (Window, error) {
	if err := requireStaff(by); err != nil {
		return Window{}, err
	}
	if len([]rune(reason)) > 40 {
		return Window{}, apperr.Errorf(apperr.Invalid, "暂停原因请控制在40个字以内。")
	}
	var w Window
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if w, err = s.windowTx(ctx, tx, n); err != nil {
			return err
		}
		if w.Paused == paused {
			if paused {
				return apperr.Errorf(apperr.Conflict, "%s已经暂停服务。", w.Name)
			}
			return apperr.Errorf(apperr.Conflict, "%s正在服务，无需恢复。", w.Name)
		}
		if paused {
			if busy, err := busyTicketTx(ctx, tx, Day(tx.Now), n); err != nil {
				return err
			} else if busy != nil {
				return apperr.Errorf(apperr.Conflict, "%s正在办理%s，请先办结、挂起或过号再暂停。", w.Name, busy.Number)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE service_window SET paused = ?, pause_reason = ?, updated_at = ?, version = version + 1 WHERE number = ?`,
			boolInt(paused), reason, store.FormatTime(tx.Now), n); err != nil {
			return fmt.Errorf("pause window %d: %w", n, err)
		}
		w.Paused, w.PauseReason = paused, reason
		action, event := "window.resume", WindowResumed
		if paused {
			action, event = "window.pause", WindowPaused
		}
		if err := audit.Record(ctx, tx, by.Actor(), action, w.Name, reason); err != nil {
			return err
		}
		s.publish(tx, event, w)
		return nil
	})
	return w, err
}

// CloseDay marks every ticket of day (and earlier days) still open as
// unserved, returning them so a clerk can turn any into an appointment. The
// day stays closed: Issue, CallNext and CallTicket refuse it until the next.
func (s *Service) CloseDay(ctx context.Context, who audit.Actor, day string) ([]Ticket, error) {
	var closed []Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := markClosedTx(ctx, tx, who, day); err != nil {
			return err
		}
		var err error
		closed, err = queryTickets(ctx, tx, `day <= ? AND status IN ('waiting','called','held','skipped') ORDER BY issued_at`, day)
		if err != nil || len(closed) == 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ticket SET status = 'unserved', window = NULL, updated_at = ?, version = version + 1
			WHERE day <= ? AND status IN ('waiting','called','held','skipped')`, store.FormatTime(tx.Now), day); err != nil {
			return fmt.Errorf("close day %s: %w", day, err)
		}
		if err := s.reveal(closed); err != nil {
			return err
		}
		for i := range closed {
			closed[i].Status = Unserved
			closed[i].Window = nil
			if err := tx.Outbox(ctx, "ticket.unserved", closed[i].ID, publicTicket(closed[i])); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, who, "queue.close_day", day, fmt.Sprintf("%d张号票未办理", len(closed))); err != nil {
			return err
		}
		s.publish(tx, DayClosed, map[string]any{"day": day, "unserved": len(closed)})
		return nil
	})
	return closed, err
}

// Unserved returns the tickets of day that the day's close left unserved,
// phones opened for the staff who call the citizens back.
func (s *Service) Unserved(ctx context.Context, day string) ([]Ticket, error) {
	ts, err := queryTickets(ctx, s.db.Read(), `day = ? AND status = 'unserved' ORDER BY issued_at`, day)
	if err != nil {
		return nil, err
	}
	return ts, s.reveal(ts)
}

// EndOfDaySpec is when the end-of-day job closes the queue (Asia/Shanghai).
const EndOfDaySpec = "0 21 * * *"

// EndOfDay is the scheduled job's body.
func (s *Service) EndOfDay(ctx context.Context, now time.Time) error {
	_, err := s.CloseDay(ctx, audit.System, Day(now))
	return err
}
