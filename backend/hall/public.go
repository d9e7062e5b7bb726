package hall

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// rowKeys are the fields that name a row or a person: a write accepts them
// (a ticket id rates or books a service, a login signs in), so what the hall's
// public pages and the public event stream carry has none of them. Numbers,
// window numbers, line prefixes and names on the desk sign stay.
var rowKeys = map[string]bool{
	"id": true, "ticket_id": true, "appointment_id": true, "staff_id": true, "case_id": true,
	"rating_id": true, "booking_id": true, "from_ticket_id": true, "served_by": true, "phone": true,
}

// publicJSON returns raw without any of rowKeys, at any depth. Input that is
// not JSON becomes null rather than passing through unchecked.
func publicJSON(raw []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []byte("null")
	}
	out, err := json.Marshal(stripRows(v))
	if err != nil {
		return []byte("null")
	}
	return out
}

func stripRows(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if rowKeys[k] {
				delete(x, k)
				continue
			}
			x[k] = stripRows(e)
		}
	case []any:
		for i, e := range x {
			x[i] = stripRows(e)
		}
	}
	return v
}

// respondPublic answers a route that anyone may read: a staff session gets v
// whole, every other caller (a device, nobody) its public projection.
func (s *Server) respondPublic(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	if s.signedIn(r) {
		writeJSON(w, http.StatusOK, v)
		return
	}
	raw, err := json.Marshal(v)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(publicJSON(raw), '\n'))
}
