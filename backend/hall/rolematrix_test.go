package hall_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"budayang/backend/audit"
	"budayang/backend/rating"
)

// access says who may get past a route's guard. Past the guard a request
// may still be refused for what it asks (400, 404, 409); in front of it the
// answer is 401, 403, or 429 once a throttle has seen too many wrong tries.
type access int

const (
	anyone       access = iota // no credential: public reads, login, the kiosk's pages
	staffAny                   // any signed-in role
	adminOnly                  // the centre's administrator
	caseHandlers               // the roles that work window cases: clerk and admin
	queueRoles                 // the roles that work the queue: clerk, duty and admin
	caseHolder                 // the clerk who holds the case (the fixture's clerk)
	kioskOrStaff               // a paired kiosk, or any signed-in role at the kiosk page
	padOfWindow1               // the rating pad bound to window 1, the {n} of these paths
	anyPad                     // a paired rating pad, whatever its window
	anyDevice                  // any paired device
	noStale                    // anyone but a credential that no longer holds (told to get a new one)
	codeHolder                 // whoever holds a pairing code the admin just made: none of the callers
	hostOnly                   // nobody on the LAN: the host's own door with its key
	windowOnly                 // nobody over HTTP, loopback included: the host's own desktop window
	assistants                 // village assistants (the fixture's assistant owns the proxy case)
	proxyRoles                 // the proxy case's owner and the centre: assistant, clerk and admin
)

// caller is one kind of client on the hall's LAN.
type caller struct {
	name string
	role string // staff role, "" for none
	// device is the kind of a paired device and window the window a rating
	// pad is bound to; "" for a person or nobody.
	device string
	window int
	auth   string // the Authorization header, "" for none
	stale  bool   // a session that ended
}

func (a access) allows(c caller) bool {
	switch a {
	case anyone:
		return true
	case staffAny:
		return c.role != ""
	case adminOnly:
		return c.role == "admin"
	case caseHandlers:
		return c.role == "admin" || c.role == "clerk"
	case queueRoles:
		return c.role == "admin" || c.role == "clerk" || c.role == "duty"
	case caseHolder:
		return c.role == "clerk"
	case kioskOrStaff:
		return c.role != "" || c.device == "kiosk"
	case padOfWindow1:
		return c.device == "rating_pad" && c.window == 1
	case anyPad:
		return c.device == "rating_pad"
	case anyDevice:
		return c.device != ""
	case noStale:
		return !c.stale
	case assistants:
		return c.role == "assistant"
	case proxyRoles:
		return c.role == "assistant" || c.role == "clerk" || c.role == "admin"
	}
	return false
}

// routeAccess is every route of the hall's API and who may use it. A route
// registered without a line here fails TestRoleMatrix_CoversEveryRoute.
var routeAccess = map[string]access{
	"GET /api/v1/health":                anyone,
	"GET /api/v1/status":                anyone,
	"GET /api/v1/rules":                 anyone,
	"GET /api/v1/setup":                 anyone,
	"POST /api/v1/setup":                anyone, // from loopback; the LAN needs the setup code (hostonly_test.go)
	"POST /api/v1/login":                anyone,
	"POST /api/v1/logout":               anyone,
	"GET /api/v1/events":                noStale, // public events only without a credential; a stale one is told so (sse tests)
	"GET /api/v1/hall":                  anyone,
	"GET /api/v1/lines":                 anyone,
	"GET /api/v1/windows":               anyone,
	"GET /api/v1/queue/settings":        anyone,
	"GET /api/v1/calendar":              anyone,
	"GET /api/v1/calendar/working-days": anyone,

	"POST /api/v1/local/reset-password": hostOnly,
	"POST /api/v1/setup/join-hall":      windowOnly, // and only before setup (joinhall_test.go)

	"POST /api/v1/devices/pair":     codeHolder, // a one-time code from the admin; throttled per address
	"GET /api/v1/devices/me":        anyDevice,
	"POST /api/v1/devices/pairings": adminOnly,
	"GET /api/v1/devices":           adminOnly,
	"PUT /api/v1/devices/{id}":      adminOnly,
	"DELETE /api/v1/devices/{id}":   adminOnly, // {id} is a spare device, so the matrix keeps its own

	"POST /api/v1/tickets":        kioskOrStaff,
	"GET /api/v1/tickets/{id}":    kioskOrStaff,
	"GET /api/v1/kiosk/slots":     kioskOrStaff,
	"POST /api/v1/kiosk/bookings": kioskOrStaff,
	"POST /api/v1/kiosk/check-in": kioskOrStaff,
	"GET /api/v1/rate/{n}":        padOfWindow1,
	"POST /api/v1/ratings":        anyPad,

	"POST /api/v1/rules/id-number":               staffAny,
	"GET /api/v1/me":                             staffAny,
	"POST /api/v1/me/password":                   staffAny,
	"GET /api/v1/me/preferences":                 staffAny,
	"PUT /api/v1/me/preferences":                 staffAny,
	"POST /api/v1/url-tokens":                    staffAny,
	"DELETE /api/v1/url-tokens/calendar":         staffAny,
	"GET /api/v1/staff/directory":                staffAny,
	"GET /api/v1/site":                           staffAny,
	"GET /api/v1/site/compliance":                staffAny,
	"GET /api/v1/calendar/settings":              staffAny,
	"GET /api/v1/calendar/arrangements/{year}":   staffAny,
	"GET /api/v1/catalog":                        staffAny,
	"GET /api/v1/catalog/items":                  staffAny,
	"GET /api/v1/catalog/items/{code}":           staffAny,
	"PUT /api/v1/catalog/items/{code}/note":      caseHandlers,
	"GET /api/v1/catalog/items/{code}/guide.pdf": staffAny,
	"GET /api/v1/catalog/lists":                  staffAny,
	"GET /api/v1/catalog/lists/{tag}":            staffAny,
	"GET /api/v1/catalog/lists/{tag}/list.pdf":   staffAny,
	"GET /api/v1/catalog/map":                    staffAny,
	"GET /api/v1/county-data/departments":        staffAny,
	"GET /api/v1/county-data/announcements":      staffAny,
	"GET /api/v1/booking/slots":                  staffAny,
	"GET /api/v1/booking/lines":                  staffAny,
	"GET /api/v1/booking/call-list":              staffAny,
	"POST /api/v1/booking/call-list/{date}/{id}": staffAny,
	"GET /api/v1/bookings":                       staffAny,
	"POST /api/v1/bookings":                      staffAny,
	"POST /api/v1/bookings/check-in":             staffAny,
	"GET /api/v1/bookings/{id}":                  staffAny,
	"POST /api/v1/bookings/{id}/reschedule":      staffAny,
	"POST /api/v1/bookings/{id}/cancel":          staffAny,
	"POST /api/v1/bookings/{id}/no-show":         staffAny,
	"PUT /api/v1/bookings/{id}/name":             caseHandlers,
	"POST /api/v1/tickets/{id}/booking":          staffAny,
	"GET /api/v1/cases":                          staffAny,
	"POST /api/v1/cases":                         staffAny,
	"GET /api/v1/cases/due":                      staffAny,
	"POST /api/v1/cases/deadline-moves/ack":      staffAny, // only the holder's notices are acknowledged
	"GET /api/v1/cases/centre":                   staffAny,
	"GET /api/v1/cases/{id}":                     staffAny, // masked for duty and assistant
	"POST /api/v1/cases/{id}/actions":            caseHolder,
	"PUT /api/v1/cases/{id}/materials":           caseHolder,
	"PUT /api/v1/cases/{id}/citizen":             caseHolder,
	"POST /api/v1/cases/{id}/take":               caseHandlers,
	"GET /api/v1/cases/{id}/notice.pdf":          caseHandlers,
	"GET /api/v1/cases/{id}/receipt.pdf":         caseHandlers,
	"GET /api/v1/cases/{id}/completion.pdf":      caseHandlers,
	"GET /api/v1/tickets":                        staffAny,
	"POST /api/v1/tickets/{id}/{action}":         queueRoles,
	"POST /api/v1/windows/{n}/call-next":         queueRoles,
	"POST /api/v1/windows/{n}/call":              queueRoles,
	"POST /api/v1/windows/{n}/pause":             queueRoles,
	"POST /api/v1/windows/{n}/resume":            queueRoles,
	"GET /api/v1/queue/unserved":                 staffAny,
	"GET /api/v1/ratings":                        staffAny,
	"POST /api/v1/ratings/{id}/return-calls":     adminOnly,
	"POST /api/v1/ratings/{id}/rectification":    staffAny,
	"POST /api/v1/ratings/{id}/appeal":           staffAny,
	"POST /api/v1/ratings/{id}/appeal/decision":  adminOnly,
	"GET /api/v1/staff/{id}/calendar.ics":        adminOnly, // a person's own, or anyone's for the admin; {id} is the admin's

	"GET /api/v1/staff":                                 adminOnly,
	"POST /api/v1/staff":                                adminOnly,
	"PUT /api/v1/staff/{id}":                            adminOnly,
	"POST /api/v1/staff/{id}/password":                  adminOnly,
	"PUT /api/v1/site":                                  adminOnly,
	"GET /api/v1/audit":                                 adminOnly,
	"GET /api/v1/jobs":                                  adminOnly,
	"POST /api/v1/jobs/{name}/run":                      adminOnly,
	"GET /api/v1/backups":                               adminOnly,
	"POST /api/v1/backups":                              adminOnly,
	"GET /api/v1/sync":                                  adminOnly,
	"POST /api/v1/sync/now":                             adminOnly,
	"POST /api/v1/sync/enroll":                          adminOnly,
	"GET /api/v1/hall/join-code":                        adminOnly,
	"PUT /api/v1/lines/{prefix}":                        adminOnly,
	"PUT /api/v1/windows/{n}":                           adminOnly,
	"PUT /api/v1/queue/settings":                        adminOnly,
	"POST /api/v1/queue/close-day":                      adminOnly,
	"PUT /api/v1/booking/lines/{line}":                  adminOnly,
	"PUT /api/v1/calendar/office-hours":                 adminOnly,
	"PUT /api/v1/calendar/market":                       adminOnly,
	"POST /api/v1/calendar/extended":                    adminOnly,
	"DELETE /api/v1/calendar/extended/{id}":             adminOnly,
	"PUT /api/v1/calendar/overrides/{date}":             adminOnly,
	"DELETE /api/v1/calendar/overrides/{date}":          adminOnly,
	"PUT /api/v1/calendar/arrangements/{year}":          adminOnly,
	"POST /api/v1/calendar/arrangements/{year}/preview": adminOnly,
	"DELETE /api/v1/calendar/arrangements/{year}":       adminOnly,
	"PUT /api/v1/catalog":                               adminOnly,
	"PUT /api/v1/cases/centre":                          adminOnly,

	"GET /api/v1/roster/now":                          anyone,
	"GET /api/v1/reports/dashboard":                   queueRoles,
	"GET /api/v1/reports/compliance":                  adminOnly,
	"GET /api/v1/reports/period":                      staffAny,
	"GET /api/v1/reports/ranking":                     adminOnly,
	"GET /api/v1/reports/evidence":                    staffAny,
	"GET /api/v1/reports/period.xlsx":                 staffAny,
	"GET /api/v1/reports/ranking.xlsx":                adminOnly,
	"GET /api/v1/reports/dashboard.xlsx":              queueRoles,
	"GET /api/v1/roster/plans":                        staffAny,
	"GET /api/v1/roster/plans/{id}":                   staffAny,
	"GET /api/v1/roster/shifts":                       adminOnly,
	"PUT /api/v1/roster/shifts":                       adminOnly,
	"POST /api/v1/roster/plans":                       adminOnly,
	"PUT /api/v1/roster/plans/{id}/assignments/{aid}": adminOnly,
	"POST /api/v1/roster/plans/{id}/publish":          adminOnly,
	// Swaps and handovers: any staff past the guard; who may act on one
	// (the person on duty, the colleague, the next duty, the head) is the
	// service's check on a record that exists ({id} here does not: 404).
	"GET /api/v1/roster/my-duties":           staffAny,
	"GET /api/v1/roster/swaps":               staffAny,
	"POST /api/v1/roster/swaps":              staffAny,
	"POST /api/v1/roster/swaps/{id}/accept":  staffAny,
	"POST /api/v1/roster/swaps/{id}/approve": adminOnly,
	"POST /api/v1/roster/swaps/{id}/decline": staffAny,
	"POST /api/v1/roster/swaps/{id}/cancel":  staffAny,
	"GET /api/v1/roster/handovers":           staffAny,
	"POST /api/v1/roster/handovers":          staffAny,
	"POST /api/v1/roster/handovers/{id}/ack": staffAny,
	// The duty desk: the call log for the duty officer, the clerks and the
	// admin (a clerk reads callers masked, see calllog tests); whereabouts
	// are read by anyone (the display, the kiosk: names only) and left or
	// cleared by those who serve at a window and the admin.
	"POST /api/v1/duty/calls":              queueRoles,
	"GET /api/v1/duty/calls":               queueRoles,
	"GET /api/v1/duty/calls/{id}":          queueRoles,
	"PUT /api/v1/duty/calls/{id}":          queueRoles,
	"POST /api/v1/duty/calls/{id}/booking": queueRoles,
	"POST /api/v1/duty/calls/{id}/case":    queueRoles,
	"GET /api/v1/whereabouts":              anyone,
	"POST /api/v1/whereabouts":             queueRoles,
	"DELETE /api/v1/whereabouts/{id}":      queueRoles,
	// {id} is the clerk: the admin, or the clerk for themself.
	"GET /api/v1/staff/{id}/unavailable":  caseHandlers,
	"POST /api/v1/staff/{id}/unavailable": caseHandlers,

	"GET /api/v1/roster/plans/{id}/export.xlsx": adminOnly,
	"GET /api/v1/roster/plans/{id}/print.pdf":   staffAny,
	"GET /api/v1/staff/{id}/duties":             caseHandlers, // the admin, or the clerk for themself
	"GET /api/v1/roster/shift-names":            staffAny,
	"PUT /api/v1/staff/{id}/village":            adminOnly,
	"GET /api/v1/roster/market/villages":        adminOnly,
	"POST /api/v1/roster/market/plans":          adminOnly,
	"GET /api/v1/roster/market/today":           staffAny,
	"POST /api/v1/proxy/cases":                  assistants,
	"GET /api/v1/proxy/cases":                   proxyRoles, // an assistant's own, all for the centre; masked
	"GET /api/v1/proxy/cases/{id}":              proxyRoles, // in full for the owner only (proxy_test.go)
	"POST /api/v1/proxy/cases/{id}/materials":   assistants, // the owner only (proxy_test.go)
	"POST /api/v1/proxy/cases/{id}/transition":  proxyRoles, // each step's mover: proxy.Check
	// The owner only (proxy_test.go); {index} and {photo} are "1" and "nope".
	"POST /api/v1/proxy/cases/{id}/materials/{index}/photos": assistants,
	"GET /api/v1/proxy/cases/{id}/photos/{photo}":            assistants,
	// Home visits and the market-day handover (proxyvisits.go); the
	// visit and handover {id}s name no record, so the guard answers before
	// the lookup.
	"POST /api/v1/proxy/visits":                  assistants,
	"GET /api/v1/proxy/visits":                   proxyRoles, // own for an assistant, every visit masked for the centre
	"GET /api/v1/proxy/route":                    assistants, // the assistant's own, in full, audited
	"POST /api/v1/proxy/visits/{id}/outcome":     assistants, // the visit's assistant only (visits_test.go)
	"POST /api/v1/proxy/visits/{id}/case":        assistants, // the visit's assistant only (visits_test.go)
	"GET /api/v1/proxy/market-day":               assistants,
	"POST /api/v1/proxy/handovers":               assistants, // each case the assistant's own (marketday_test.go)
	"GET /api/v1/proxy/handovers/{id}":           proxyRoles, // the assistant who handed over, and the centre
	"GET /api/v1/proxy/handovers/{id}/print.pdf": proxyRoles,
	"POST /api/v1/proxy/cases/{id}/accept":       caseHandlers,
	"PUT /api/v1/villages/{id}/position":         adminOnly,
	"GET /api/v1/villages":                       staffAny,
	"POST /api/v1/villages":                      adminOnly,
	"GET /api/v1/assistants/cards":               anyone, // names, rooms and work numbers, no ids
	"GET /api/v1/assistants/cards.pdf":           anyone,
	"GET /api/v1/staff/{id}/assistant-card":      staffAny,
	// {id} is the clerk: the admin, or an assistant for their own card.
	"PUT /api/v1/staff/{id}/assistant-card": adminOnly,
	// Proxy cases across sites (proxy_relay.go).
	"GET /api/v1/proxy/centre":                   adminOnly,
	"GET /api/v1/proxy/centres":                  adminOnly, // asks the county: 409 while not enrolled
	"PUT /api/v1/proxy/centre":                   adminOnly,
	"GET /api/v1/proxy/inbound":                  caseHandlers, // masked
	"GET /api/v1/proxy/inbound/{id}":             caseHandlers, // in full, audited
	"POST /api/v1/proxy/inbound/{id}/transition": caseHandlers,
}

// registeredRoutes reads the patterns the package's source hands to
// HandleFunc, outside the recovery and start-up problem doors (their own
// muxes, tested in hostonly_test.go and problem_test.go) and the catch-all
// "/api/".
func registeredRoutes(t *testing.T) []string {
	t.Helper()
	return handledRoutes(t, func(f string) bool {
		return !strings.HasSuffix(f, "_test.go") && f != "recovery.go" && f != "problem.go"
	})
}

// handledRoutes reads the patterns the package's files for which use is
// true hand to HandleFunc, but the catch-all "/api/".
func handledRoutes(t *testing.T, use func(file string) bool) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if !use(f) {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "HandleFunc" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				return true
			}
			p, _ := strconv.Unquote(lit.Value)
			if p != "/api/" {
				out = append(out, p)
			}
			return true
		})
	}
	sort.Strings(out)
	return out
}

func TestRoleMatrix_CoversEveryRoute(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range registeredRoutes(t) {
		seen[r] = true
		if _, ok := routeAccess[r]; !ok {
			t.Errorf("route %q has no line in routeAccess: say who may call it", r)
		}
	}
	for r := range routeAccess {
		if !seen[r] {
			t.Errorf("routeAccess names %q, which is not registered", r)
		}
	}
}

// matrixBodies are the bodies that get a permitted caller past a handler's
// own field checks to the guard behind them; every other write sends {}.
var matrixBodies = map[string]string{
	"POST /api/v1/login":               `{"user":"admin","password":"Admin12345"}`,
	"PUT /api/v1/staff/{id}":           `{"name":"职员clerk1","role":"clerk","active":true}`,
	"PUT /api/v1/cases/{id}/materials": `{"received":[]}`,
}

// matrixFixtures are real rows for the routes' {id}s, so a guard is tested
// against a record that exists, not only a 404.
type matrixFixtures struct {
	adminID, clerkID, ticket, booking, caseID, rating, device, proxyCase string
}

func TestRoleMatrix(t *testing.T) {
	h := start(t)
	admin := h.setupAndLogin()
	bearer := func(token string) string { return "Bearer " + token }
	clerk := h.person(admin, "clerk1", "clerk")
	assistant := h.person(admin, "assistant1", "assistant")
	revoked, revokedID := h.pairWithID(admin, "kiosk", 0)
	if code, out := h.do("DELETE", "/api/v1/devices/"+revokedID, admin, ""); code != 204 {
		t.Fatalf("revoke: %d %v", code, out)
	}
	callers := []caller{
		{name: "none"},
		{name: "admin", role: "admin", auth: bearer(admin)},
		{name: "clerk", role: "clerk", auth: bearer(clerk)},
		{name: "duty", role: "duty", auth: bearer(h.person(admin, "duty1", "duty"))},
		{name: "assistant", role: "assistant", auth: bearer(assistant)},
		{name: "kiosk", device: "kiosk", auth: h.pair(admin, "kiosk", 0)},
		{name: "pad1", device: "rating_pad", window: 1, auth: h.pair(admin, "rating_pad", 1)},
		{name: "pad2", device: "rating_pad", window: 2, auth: h.pair(admin, "rating_pad", 2)},
		{name: "display", device: "display", auth: h.pair(admin, "display", 0)},
		{name: "revokedKiosk", auth: revoked},
		{name: "staleSession", auth: bearer("0123456789abcdef"), stale: true},
	}
	fx := h.matrixFixtures(admin, clerk)
	fx.proxyCase = h.proxyCase(assistant, proxyRequest)
	_, fx.device = h.pairWithID(admin, "display", 0)
	params := strings.NewReplacer(
		"{id}", "ID", "{n}", "1", "{date}", "2026-11-27", "{year}", "2027", "{code}", "MZ-001",
		"{tag}", "zero-material", "{prefix}", "A", "{line}", "A", "{name}", "nope", "{action}", "recall", "{index}", "1", "{photo}", "nope", "{aid}", "0190f000-0000-7000-8000-000000000001",
	)
	for _, pattern := range registeredRoutes(t) {
		want, ok := routeAccess[pattern]
		if !ok {
			continue // reported by TestRoleMatrix_CoversEveryRoute
		}
		method, path, _ := strings.Cut(pattern, " ")
		path = strings.Replace(params.Replace(path), "ID", fx.idFor(path), 1)
		for _, c := range callers {
			if pattern == "POST /api/v1/logout" && c.auth != "" {
				continue // would end the session the rest of the matrix uses
			}
			t.Run(pattern+"/"+c.name, func(t *testing.T) {
				code := h.matrixCall(method, path, c.auth, matrixBodies[pattern])
				guarded := code == http.StatusUnauthorized || code == http.StatusForbidden || code == http.StatusTooManyRequests
				switch {
				case want.allows(c) && guarded:
					t.Errorf("%s %s as %s: got %d, want past the guard", method, path, c.name, code)
				case !want.allows(c) && !guarded:
					t.Errorf("%s %s as %s: got %d, want 401 or 403", method, path, c.name, code)
				}
			})
		}
	}
}

// idFor picks the fixture a path's {id} names.
func (fx matrixFixtures) idFor(path string) string {
	switch {
	case strings.HasSuffix(path, "/calendar.ics"):
		return fx.adminID
	case strings.HasPrefix(path, "/api/v1/staff/"):
		return fx.clerkID
	case strings.HasPrefix(path, "/api/v1/tickets/"):
		return fx.ticket
	case strings.HasPrefix(path, "/api/v1/booking"):
		return fx.booking
	case strings.HasPrefix(path, "/api/v1/proxy/cases/"):
		return fx.proxyCase
	case strings.HasPrefix(path, "/api/v1/cases/"):
		return fx.caseID
	case strings.HasPrefix(path, "/api/v1/ratings/"):
		return fx.rating
	case strings.HasPrefix(path, "/api/v1/devices/"):
		return fx.device
	}
	return "0190f000-0000-7000-8000-000000000000"
}

// matrixFixtures makes one of each record through the API and the rating
// service: a served ticket with a bad rating, a booking, a clerk's case.
func (h *harness) matrixFixtures(admin, clerk string) matrixFixtures {
	h.t.Helper()
	var fx matrixFixtures
	_, me := h.do("GET", "/api/v1/me", admin, "")
	fx.adminID, _ = me["id"].(string)
	_, me = h.do("GET", "/api/v1/me", clerk, "")
	fx.clerkID, _ = me["id"].(string)
	code, tk := h.do("POST", "/api/v1/tickets", admin, `{"line":"A"}`)
	if code != 201 {
		h.t.Fatalf("issue: %d %v", code, tk)
	}
	fx.ticket = tk["id"].(string)
	if code, out := h.do("POST", "/api/v1/windows/1/call-next", clerk, ""); code != 200 {
		h.t.Fatalf("call: %d %v", code, out)
	}
	if code, out := h.do("POST", "/api/v1/tickets/"+fx.ticket+"/complete", clerk, ""); code != 200 {
		h.t.Fatalf("complete: %d %v", code, out)
	}
	r, err := h.core.Ratings.Submit(context.Background(), audit.Actor{Login: "pad"}, 1, rating.Submission{
		TicketID: fx.ticket, Level: 1, Attitude: 1, Efficiency: 1, Competence: 1, Reason: "等太久"})
	if err != nil {
		h.t.Fatalf("rate: %v", err)
	}
	fx.rating = r.ID
	code, b := h.do("POST", "/api/v1/bookings", admin, `{"line":"A","slot_start":"2026-11-26T09:00:00+08:00","name":"张三","phone":"13812345678"}`)
	if code != 201 {
		h.t.Fatalf("book: %d %v", code, b)
	}
	fx.booking = b["id"].(string)
	code, c := h.do("POST", "/api/v1/cases", clerk, `{"item_code":"MZ-001","name":"张小三","id_number":"511725199003071232","phone":"13812345678"}`)
	if code != 201 {
		h.t.Fatalf("case: %d %v", code, c)
	}
	fx.caseID = c["id"].(string)
	return fx
}

// matrixCall sends one request with an empty JSON object as the body of a
// write, and returns the status. A stream is closed once its status is in.
func (h *harness) matrixCall(method, path, auth, payload string) int {
	h.t.Helper()
	var body io.Reader
	if method == "POST" || method == "PUT" {
		if payload == "" {
			payload = "{}"
		}
		body = strings.NewReader(payload)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
