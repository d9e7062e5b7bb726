package booking

import (
	"context"
	"fmt"
	"strings"

	"budayang/backend/apperr"
	"budayang/backend/citizen"
	"budayang/backend/clock"
	"budayang/backend/queue"
)

// Tickets is what turning an unserved ticket into a booking needs of the
// queue.
type Tickets interface {
	Ticket(ctx context.Context, id string) (queue.Ticket, error)
	TicketPhone(ctx context.Context, id string) (string, error)
}

// FromTicket books a citizen whose ticket the day's close left unserved,
// on the same line, for a slot the clerk chose (by default on the next
// working day). The booking's note names the ticket. Errors: the ticket is
// not unserved, the slot is not after the ticket's day, and every refusal
// of Create, and a ticket already booked (its booking not cancelled).
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
	made, err := s.FromTickets(ctx, []string{t.ID})
	if err != nil {
		return Booking{}, err
	}
	if b, ok := made[t.ID]; ok {
		return Booking{}, apperr.Errorf(apperr.Conflict, "%s已转为预约（%s %s，%s），不能重复转。",
			t.Number, b.Date, b.SlotStart.In(clock.Shanghai).Format("15:04"), citizen.MaskName(b.CitizenName))
	}
	start, err := parseStart(req.SlotStart)
	if err != nil {
		return Booking{}, err
	}
	if queue.Day(start) <= t.Day {
		return Booking{}, apperr.Errorf(apperr.Invalid, "请选择%s之后的时段。", t.Day)
	}
	// The lists show the ticket's phone masked: left as shown (or blank),
	// the booking takes the number the citizen gave at the kiosk.
	if p := strings.TrimSpace(req.Phone); t.Phone != "" && (p == "" || p == t.Phone) {
		if req.Phone, err = tickets.TicketPhone(ctx, t.ID); err != nil {
			return Booking{}, err
		}
	}
	req.Line = t.Line
	note := fmt.Sprintf("由%s未办理号票%s转为预约", t.Day, t.Number)
	req.Note = strings.TrimSpace(note + " " + req.Note)
	req.fromTicket = t.ID
	return s.Create(ctx, by, req)
}

// errTicketBooked is a second booking of one ticket that got past FromTicket's
// check at the same moment as the first.
var errTicketBooked = apperr.Errorf(apperr.Conflict, "这张号票刚刚已转为预约，不能重复转。")

// FromTickets returns the bookings, not cancelled, made from the tickets ids
// by ticket id.
func (s *Service) FromTickets(ctx context.Context, ids []string) (map[string]Booking, error) {
	out := map[string]Booking{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	list, err := s.queryBookings(ctx, s.db.Read(), `status <> 'cancelled' AND from_ticket_id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	for _, b := range list {
		out[b.FromTicketID] = b
	}
	return out, nil
}
