package hall

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/booking"
	"budayang/backend/device"
	"budayang/backend/throttle"
)

// The throttles of the hall's public doors: pairing codes per client
// address, and booking codes per kiosk.
const (
	pairFree     = 5
	pairBase     = 30 * time.Second
	pairMax      = 15 * time.Minute
	checkInFree  = 5
	checkInBase  = 30 * time.Second
	checkInMax   = 10 * time.Minute
	deviceScheme = "Device "
)

// limits are the throttles of one server.
type limits struct {
	pair    *throttle.Throttle
	checkIn *throttle.Throttle
}

func newLimits(s *Server) *limits {
	return &limits{
		pair:    throttle.New(s.core.Clock, pairFree, pairBase, pairMax),
		checkIn: throttle.New(s.core.Clock, checkInFree, checkInBase, checkInMax),
	}
}

func (s *Server) deviceRoutes() {
	m := s.mux
	m.HandleFunc("POST /api/v1/devices/pairings", s.admin(s.createPairing))
	m.HandleFunc("POST /api/v1/devices/pair", s.pairDevice)
	m.HandleFunc("GET /api/v1/devices/me", s.anyDevice(s.thisDevice))
	m.HandleFunc("GET /api/v1/devices", s.admin(s.listDevices))
	m.HandleFunc("PUT /api/v1/devices/{id}", s.admin(s.updateDevice))
	m.HandleFunc("DELETE /api/v1/devices/{id}", s.admin(s.revokeDevice))
}

// caller is who makes a request on a route that a paired device or a staff
// session may use: exactly one of the two is set.
type caller struct {
	staff  *account.Principal
	device *device.Device
	addr   string
}

// actor is the audit actor: the person, or the device's kind at its name and
// address.
func (c caller) actor() audit.Actor {
	if c.staff != nil {
		return c.staff.Actor()
	}
	return audit.Actor{Login: c.device.Kind, Workstation: c.device.Name + "@" + c.addr}
}

// deviceCredential returns the credential of an "Authorization: Device …"
// header and whether there was one.
func deviceCredential(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, deviceScheme) {
		return "", false
	}
	return strings.TrimSpace(strings.TrimPrefix(h, deviceScheme)), true
}

// authorization is the Authorization header for the token the window's
// Invoke carries: a device's "Device …" as it is, a staff token as Bearer.
func authorization(token string) string {
	if strings.HasPrefix(token, deviceScheme) {
		return token
	}
	return "Bearer " + token
}

// authDevice returns the paired device of r of one of kinds (any kind when
// none is given).
func (s *Server) authDevice(r *http.Request, cred string, kinds ...string) (device.Device, error) {
	d, err := s.core.Devices.Authenticate(r.Context(), cred)
	if err != nil {
		return device.Device{}, err
	}
	if len(kinds) == 0 {
		return d, nil
	}
	for _, k := range kinds {
		if d.Kind == k {
			return d, nil
		}
	}
	return device.Device{}, apperr.Errorf(apperr.Forbidden, "这台设备是%s，不能进行此操作。", device.KindName(d.Kind))
}

// deviceOrStaff lets a paired device of kind or any staff session call h.
// No credential at all is unauthorized with a sentence that asks the page to
// pair.
func (s *Server) deviceOrStaff(kind string, h func(w http.ResponseWriter, r *http.Request, c caller)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := caller{addr: clientAddr(r)}
		if cred, ok := deviceCredential(r); ok {
			d, err := s.authDevice(r, cred, kind)
			if err != nil {
				writeError(w, s.log, err)
				return
			}
			c.device = &d
		} else {
			tok := bearer(r)
			if tok == "" {
				writeError(w, s.log, apperr.Errorf(apperr.Unauthorized, "这台%s尚未配对：请输入管理员在“站点设置 → 设备”中给出的配对码。", device.KindName(kind)))
				return
			}
			p, err := s.core.Accounts.Authenticate(r.Context(), tok)
			if err != nil {
				writeError(w, s.log, err)
				return
			}
			c.staff = &p
		}
		h(w, r, c)
	}
}

// anyDevice lets any paired device call h.
func (s *Server) anyDevice(h func(w http.ResponseWriter, r *http.Request, d device.Device)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cred, _ := deviceCredential(r)
		d, err := s.authDevice(r, cred)
		if err != nil {
			writeError(w, s.log, err)
			return
		}
		h(w, r, d)
	}
}

// boundPad lets only a paired rating pad bound to a window call h, with that
// window's number.
func (s *Server) boundPad(h func(w http.ResponseWriter, r *http.Request, d device.Device, n int)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cred, _ := deviceCredential(r)
		d, err := s.authDevice(r, cred, device.RatingPad)
		if err != nil {
			writeError(w, s.log, err)
			return
		}
		if d.Window == nil {
			writeError(w, s.log, apperr.Errorf(apperr.Forbidden, "这台评价器尚未绑定窗口，请管理员在“站点设置 → 设备”中绑定。"))
			return
		}
		h(w, r, d, *d.Window)
	}
}

// signedIn reports whether r carries a valid staff session: such callers see
// the rows' ids, everyone else the public projection.
func (s *Server) signedIn(r *http.Request) bool {
	if _, ok := deviceCredential(r); ok {
		return false
	}
	tok := bearer(r)
	if tok == "" {
		return false
	}
	_, err := s.core.Accounts.Authenticate(r.Context(), tok)
	return err == nil
}

func (s *Server) createPairing(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in device.NewPairing
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	pr, err := s.core.Devices.CreatePairing(r.Context(), p, in)
	s.respond(w, http.StatusCreated, pr, err)
}

// pairDevice is public: a wrong code counts against the caller's address.
func (s *Server) pairDevice(w http.ResponseWriter, r *http.Request) {
	addr := clientAddr(r)
	if wait := s.limits.pair.Wait(addr); wait > 0 {
		tooMany(w, wait)
		return
	}
	var in struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	cred, err := s.core.Devices.Pair(r.Context(), in.Code, in.Name, addr)
	switch {
	case err == nil:
		s.limits.pair.Succeed(addr)
	case apperr.Code(err) == apperr.Unauthorized:
		s.limits.pair.Fail(addr)
	}
	s.respond(w, http.StatusCreated, cred, err)
}

func (s *Server) thisDevice(w http.ResponseWriter, _ *http.Request, d device.Device) {
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) listDevices(w http.ResponseWriter, r *http.Request, p account.Principal) {
	list, err := s.core.Devices.List(r.Context(), p)
	s.respond(w, http.StatusOK, list, err)
}

func (s *Server) updateDevice(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in device.Change
	if err := decode(r, &in); err != nil {
		writeError(w, s.log, err)
		return
	}
	d, err := s.core.Devices.Update(r.Context(), p, r.PathValue("id"), in)
	s.respond(w, http.StatusOK, d, err)
}

func (s *Server) revokeDevice(w http.ResponseWriter, r *http.Request, p account.Principal) {
	if err := s.core.Devices.Revoke(r.Context(), p, r.PathValue("id")); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// kioskBooker is the booker of the kiosk routes: kiosk rules whoever calls,
// with the caller named in the audit log.
func kioskBooker(c caller) booking.Booker {
	return booking.Booker{Actor: c.actor()}
}

// kioskCheckIn throttles wrong codes per kiosk; a staff session checking a
// citizen in at the kiosk page is not throttled.
func (s *Server) kioskCheckIn(w http.ResponseWriter, r *http.Request, c caller) {
	if c.device == nil {
		s.checkIn(w, r, kioskBooker(c))
		return
	}
	key := c.device.ID
	if wait := s.limits.checkIn.Wait(key); wait > 0 {
		tooMany(w, wait)
		return
	}
	err := s.checkIn(w, r, kioskBooker(c))
	var we *booking.WindowError
	switch code := apperr.Code(err); {
	case err == nil || errors.As(err, &we):
		s.limits.checkIn.Succeed(key)
	case code == apperr.NotFound || code == apperr.Invalid:
		s.limits.checkIn.Fail(key)
	}
}
