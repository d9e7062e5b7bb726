package booking

import (
	"context"
	"fmt"
	"strings"

	"budayang/backend/apperr"
	"budayang/backend/queue"
)

// Tickets is what turning an unserved ticket into a booking needs of the
// queue.
type Tickets interface {
	Ticket(ctx context.Context, id string) (queue.Ticket, error)
}

// FromTicket books a citizen whose ticket the day's close left unserved,
// on the same line, for a slot the clerk chose (by default on the next
// working day). The booking's note names the ticket. Errors: the ticket is
// not unserved, the slot is not after the ticket's day, and every refusal
// of Create.
func (s *Service) FromTicket(ctx context.Context, by Booker, tickets Tickets, ticketID string, req Request) (Booking, error) {
	if by.kiosk() {
		return Booking{}, apperr.Errorf(apperr.Forbidden, "未办理号票只能由工作人员转为预约。")
	}
	t, err := tickets.Ticket(ctx, ticketID)
	if err != nil {
		return Booking{}, err
	}
	if t.Status != queue.Unserved {
		return Booking{}, apperr.Errorf(apperr.Conflict, "%s当前状态为“%s”，只有当天未办理的号票可以转为预约。", t.Number, queue.StatusName(t.Status))
	}
	start, err := parseStart(req.SlotStart)
	if err != nil {
		return Booking{}, err
	}
	if queue.Day(start) <= t.Day {
		return Booking{}, apperr.Errorf(apperr.Invalid, "请选择%s之后的时段。", t.Day)
	}
	req.Line = t.Line
	note := fmt.Sprintf("由%s未办理号票%s转为预约", t.Day, t.Number)
	req.Note = strings.TrimSpace(note + " " + req.Note)
	return s.Create(ctx, by, req)
}
