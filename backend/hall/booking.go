package hall

import (
	"errors"
	"net/http"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/booking"
	"budayang/backend/calendar"
	"budayang/backend/device"
)

func (s *Server) bookingRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/v1/booking/slots", s.staff(s.bookingSlots))
	m.HandleFunc("GET /api/v1/booking/lines", s.staff(s.bookingLines))
	m.HandleFunc("PUT /api/v1/booking/lines/{line}", s.admin(s.setBookingLine))
	m.HandleFunc("GET /api/v1/booking/call-list", s.staff(s.callList))
	m.HandleFunc("POST /api/v1/booking/call-list/{date}/{id}", s.staff(s.markCalled))
	m.HandleFunc("GET /api/v1/bookings", s.staff(s.listBookings))
	m.HandleFunc("POST /api/v1/bookings", s.staff(s.createBooking))
	m.HandleFunc("POST /api/v1/bookings/check-in", s.staff(s.staffCheckIn))
	m.HandleFunc("GET /api/v1/bookings/{id}", s.staff(s.getBooking))
	m.HandleFunc("POST /api/v1/bookings/{id}/reschedule", s.staff(s.rescheduleBooking))
	m.HandleFunc("POST /api/v1/bookings/{id}/cancel", s.staff(s.cancelBooking))
	m.HandleFunc("POST /api/v1/bookings/{id}/no-show", s.staff(s.noShowBooking))
	m.HandleFunc("PUT /api/v1/bookings/{id}/name", s.staff(s.setBookingName))
	m.HandleFunc("GET /api/v1/staff/{id}/calendar.ics", s.linked(s.staffICS))
	m.HandleFunc("POST /api/v1/tickets/{id}/booking", s.staff(s.ticketToBooking))
	m.HandleFunc("GET /api/v1/kiosk/slots", s.deviceOrStaff(device.Kiosk, s.kioskSlots))
	m.HandleFunc("POST /api/v1/kiosk/bookings", s.deviceOrStaff(device.Kiosk, s.kioskBook))
	m.HandleFunc("POST /api/v1/kiosk/check-in", s.deviceOrStaff(device.Kiosk, s.kioskCheckIn))
}

func (s *Server) slots(w http.ResponseWriter, r *http.Request, by booking.Booker) {
	date, err := queryDate(r, "date")
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	d, _ := calendar.ParseDate(date)
	day, err := s.core.Bookings.Slots(r.Context(), by, r.URL.Query().Get("line"), d)
	s.respond(w, http.StatusOK, day, err)
}

func (s *Server) bookingSlots(w http.ResponseWriter, r *http.Request, p account.Principal) {
	s.slots(w, r, booking.Staff(p))
}

func (s *Server) kioskSlots(w http.ResponseWriter, r *http.Request, c caller) {
	s.slots(w, r, kioskBooker(c))
}

func (s *Server) bookingLines(w http.ResponseWriter, r *http.Request, _ account.Principal) {
	lines, err := s.core.Queue.Lines(r.Context())
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	out := make([]booking.LineRule, 0, len(lines))
	for _, l := range lines {
		rule, err := s.core.Bookings.LineRule(r.Context(), l.Prefix)
		if err != nil {
			writeError(w, s.log, err)
			return
		}
		out = append(out, rule)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) setBookingLine(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in booking.LineRule
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	in.Line = r.PathValue("line")
	rule, err := s.core.Bookings.SetLineRule(r.Context(), p, in)
	s.respond(w, http.StatusOK, rule, err)
}

func (s *Server) callList(w http.ResponseWriter, r *http.Request, p account.Principal) {
	date := r.URL.Query().Get("date")
	if date == "" {
		next, err := s.core.Calendar.NextWorkday(r.Context(), s.core.Clock.Now())
		if err != nil {
			writeError(w, s.log, err)
			return
		}
		date = calendar.FormatDate(next)
	}
	cl, err := s.core.Bookings.CallList(r.Context(), p, date)
	s.respond(w, http.StatusOK, cl, err)
}

func (s *Server) markCalled(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Outcome string `json:"outcome"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	if err := s.core.Bookings.MarkCalled(r.Context(), p, r.PathValue("date"), r.PathValue("id"), in.Outcome); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listBookings(w http.ResponseWriter, r *http.Request, p account.Principal) {
	q := r.URL.Query()
	list, err := s.core.Bookings.List(r.Context(), p, booking.Filter{From: q.Get("from"), To: q.Get("to"), Line: q.Get("line"),
		StaffID: q.Get("staff_id"), Status: q.Get("status")})
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) createBooking(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in booking.Request
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	b, err := s.core.Bookings.Create(r.Context(), booking.Staff(p), in)
	s.respond(w, http.StatusCreated, b, err)
}

func (s *Server) kioskBook(w http.ResponseWriter, r *http.Request, c caller) {
	var in booking.Request
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	if in.StaffID != "" || in.Channel != "" {
		writeError(w, s.log, apperr.Errorf(apperr.Invalid, "取号机预约不能指定工作人员或预约方式。"))
		return
	}
	b, err := s.core.Bookings.Create(r.Context(), kioskBooker(c), in)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	// The citizen needs the code to check in; everything else is masked.
	pub := b.Public()
	pub.Code = b.Code
	writeJSON(w, http.StatusCreated, pub)
}

func (s *Server) getBooking(w http.ResponseWriter, r *http.Request, p account.Principal) {
	b, err := s.core.Bookings.Get(r.Context(), p, r.PathValue("id"))
	s.respond(w, http.StatusOK, b, err)
}

func (s *Server) rescheduleBooking(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in booking.Move
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	b, err := s.core.Bookings.Reschedule(r.Context(), booking.Staff(p), r.PathValue("id"), in)
	s.respond(w, http.StatusOK, b, err)
}

func (s *Server) cancelBooking(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	b, err := s.core.Bookings.Cancel(r.Context(), booking.Staff(p), r.PathValue("id"), in.Reason)
	s.respond(w, http.StatusOK, b, err)
}

func (s *Server) setBookingName(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	b, err := s.core.Bookings.SetName(r.Context(), booking.Staff(p), r.PathValue("id"), in.Name)
	s.respond(w, http.StatusOK, b, err)
}

func (s *Server) noShowBooking(w http.ResponseWriter, r *http.Request, p account.Principal) {
	b, err := s.core.Bookings.MarkNoShow(r.Context(), booking.Staff(p), r.PathValue("id"))
	s.respond(w, http.StatusOK, b, err)
}

// checkIn answers a check-in and returns the error it answered, if any, for
// the kiosk's throttle.
func (s *Server) checkIn(w http.ResponseWriter, r *http.Request, by booking.Booker) error {
	var in booking.CheckInRequest
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return err
	}
	res, err := s.core.Bookings.CheckIn(r.Context(), by, in)
	var we *booking.WindowError
	if errors.As(err, &we) {
		writeJSON(w, http.StatusConflict, map[string]any{"error": apperr.Message(err), "code": apperr.Conflict,
			"reason": we.Reason, "offer_normal_ticket": true, "line": we.Line,
			"opens": we.Opens.Format(time.RFC3339), "closes": we.Closes.Format(time.RFC3339)})
		return err
	}
	if err != nil {
		writeError(w, s.log, err)
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) staffCheckIn(w http.ResponseWriter, r *http.Request, p account.Principal) {
	_ = s.checkIn(w, r, booking.Staff(p))
}

// staffICS exports the bookings naming a staff member and their published
// duties: their own, or anyone's for an administrator. Calendar apps subscribe with a
// subscription link (?t=, see POST /api/v1/url-tokens).
func (s *Server) staffICS(w http.ResponseWriter, r *http.Request, p account.Principal) {
	id := r.PathValue("id")
	if id != p.ID && p.Role != account.RoleAdmin {
		writeError(w, s.log, apperr.Errorf(apperr.Forbidden, "只能导出自己的预约日历。"))
		return
	}
	st, err := s.core.Accounts.Get(r.Context(), id)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	duties, err := s.core.Roster.StaffDuties(r.Context(), p, st.ID)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	body, err := s.core.Bookings.StaffICS(r.Context(), st.ID, st.Name, dutyEvents(duties)...)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="budayang-calendar.ics"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func (s *Server) ticketToBooking(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in booking.Request
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	b, err := s.core.Bookings.FromTicket(r.Context(), booking.Staff(p), s.core.Queue, r.PathValue("id"), in)
	s.respond(w, http.StatusCreated, b, err)
}
