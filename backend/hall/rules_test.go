package hall_test

import (
	"testing"

	"budayang/backend/citizen"
)

// The kiosk and the rating pad read the phone rule before anyone signs in.
func TestAPI_RulesArePublic(t *testing.T) {
	h := start(t)
	code, body := h.do("GET", "/api/v1/rules", "", "")
	if code != 200 {
		t.Fatalf("rules: got %d, want 200", code)
	}
	phone, _ := body["phone"].(map[string]any)
	if phone["pattern"] != citizen.PhonePattern || phone["strip"] != citizen.PhoneStrip || phone["description"] != citizen.PhoneDescription {
		t.Errorf("phone rule: got %v", phone)
	}
	id, _ := body["id_number"].(map[string]any)
	if id["length"] != float64(18) || id["earliest_birth_year"] != float64(1900) {
		t.Errorf("id rule: got %v", id)
	}
}
