package cases_test

import (
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/cases"
)

// The state machine as the issue and the plan describe it, written out by
// hand: every state × every action is either allowed (to the state given)
// or refused with a conflict.
func TestNext_EveryTransition(t *testing.T) {
	allowed := map[string]map[string]string{
		cases.Consultation: {
			cases.ActAccept: cases.Accepted, cases.ActRequestSupplements: cases.AwaitingSupplements, cases.ActReject: cases.Rejected,
		},
		cases.AwaitingSupplements: {
			cases.ActSupply: cases.Accepted, cases.ActReject: cases.Rejected,
		},
		cases.Accepted: {
			cases.ActRequestSupplements: cases.AwaitingSupplements, cases.ActApprove: cases.Approved, cases.ActComplete: cases.Completed,
			cases.ActReject: cases.Rejected, cases.ActTransfer: cases.Transferred,
		},
		cases.Transferred: {
			cases.ActApprove: cases.Approved, cases.ActComplete: cases.Completed, cases.ActReject: cases.Rejected,
		},
		cases.Approved: {
			cases.ActIssueCertificate: cases.CertificateIssued, cases.ActComplete: cases.Completed,
		},
		cases.CertificateIssued: {cases.ActComplete: cases.Completed},
		cases.Completed:         {},
		cases.Rejected:          {},
	}
	for _, from := range cases.States {
		for _, action := range cases.Actions {
			want, ok := allowed[from][action]
			name := from + "/" + action
			t.Run(name, func(t *testing.T) {
				got, err := cases.Next(from, action)
				if ok {
					if err != nil || got != want {
						t.Errorf("got %q %v, want %q", got, err, want)
					}
					return
				}
				if apperr.Code(err) != apperr.Conflict {
					t.Errorf("got %q %v, want a conflict", got, err)
				}
				if apperr.Message(err) == "" {
					t.Error("refusal without a sentence")
				}
			})
		}
		t.Run(from+"/Allowed", func(t *testing.T) {
			if got := cases.Allowed(from); len(got) != len(allowed[from]) {
				t.Errorf("got %v, want %d actions", got, len(allowed[from]))
			}
		})
	}
	t.Run("UnknownAction", func(t *testing.T) {
		if _, err := cases.Next(cases.Accepted, "archive"); apperr.Code(err) != apperr.Invalid {
			t.Errorf("got %v, want invalid", err)
		}
	})
}
