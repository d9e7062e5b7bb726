package county_test

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"

	"budayang/backend/county"
)

// enrolledKind registers and enrolls a site of kind.
func enrolledKind(t *testing.T, st county.Store, id, kind string) {
	t.Helper()
	ctx := context.Background()
	if err := st.CreateSite(ctx, id, "站点"+id, kind, "code-"+id, now, now.Add(county.CodeTTL)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Enroll(ctx, "code-"+id, []byte("cred-"+id), now); err != nil {
		t.Fatal(err)
	}
}

func relayMsg(id, to, kind, caseID, body string) county.RelayMessage {
	return county.RelayMessage{ID: id, To: to, Kind: kind, CaseID: caseID, Body: body, CreatedAt: stamp(now)}
}

func TestStore_Relay(t *testing.T) {
	key := func(b byte) []byte { return bytes.Repeat([]byte{b}, county.RelayKeySize) }
	eachStore(t, func(t *testing.T, st county.Store, raw *sql.DB) {
		ctx := context.Background()
		enrolledKind(t, st, "v1", "village")
		enrolledKind(t, st, "v2", "village")
		enrolledKind(t, st, "c1", "town")
		enrolledKind(t, st, "c2", "township")

		t.Run("centres are the enrolled town, township and street sites that published a key", func(t *testing.T) {
			list, err := st.Centres(ctx)
			if err != nil || len(list) != 0 {
				t.Fatalf("centres before any key: %v %v", list, err)
			}
			if _, err := st.Relay(ctx, "c1", key(1), nil, now); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Relay(ctx, "v1", key(2), nil, now); err != nil {
				t.Fatal(err)
			}
			list, err = st.Centres(ctx)
			if err != nil || len(list) != 1 || list[0].ID != "c1" || list[0].Kind != "town" || !bytes.Equal(list[0].PublicKey, key(1)) {
				t.Fatalf("centres %+v %v, want c1 with its key", list, err)
			}
		})

		t.Run("a message is kept once per sender and id, and read after a cursor", func(t *testing.T) {
			for range 2 {
				reply, err := st.Relay(ctx, "v1", nil, []county.RelayMessage{relayMsg("m1", "c1", county.RelayCase, "case-1", "c2VhbGVk")}, now)
				if err != nil || len(reply.Rejected) != 0 {
					t.Fatalf("relay: %+v %v", reply, err)
				}
			}
			in, err := st.RelayInbox(ctx, "c1", 0, 10)
			if err != nil || len(in) != 1 || in[0].From != "v1" || in[0].CaseID != "case-1" || in[0].Body != "c2VhbGVk" || in[0].Seq == 0 {
				t.Fatalf("inbox %+v %v, want the one message", in, err)
			}
			if more, err := st.RelayInbox(ctx, "c1", in[0].Seq, 10); err != nil || len(more) != 0 {
				t.Fatalf("inbox after the cursor: %+v %v", more, err)
			}
			if other, err := st.RelayInbox(ctx, "v2", 0, 10); err != nil || len(other) != 0 {
				t.Fatalf("another site's inbox: %+v %v", other, err)
			}
		})

		t.Run("refused: a status from a site that is not the case's addressee, a case to a village or a second centre, an unknown addressee, a clear ID number", func(t *testing.T) {
			before := countRelay(t, raw)
			reply, err := st.Relay(ctx, "c2", nil, []county.RelayMessage{relayMsg("s1", "v1", county.RelayStatus, "case-1", `{"state":"accepted"}`)}, now)
			if err != nil || len(reply.Rejected) != 1 || !strings.Contains(reply.Rejected[0].Reason, "不是这个代办件的受理中心") {
				t.Fatalf("status from c2: %+v %v", reply, err)
			}
			reply, err = st.Relay(ctx, "v2", nil, []county.RelayMessage{
				relayMsg("x1", "v1", county.RelayCase, "case-9", "abc"),
				relayMsg("x2", "nowhere", county.RelayCase, "case-9", "abc"),
				relayMsg("x3", "c1", county.RelayCase, "case-9", `{"id_number":"511725199003071232"}`),
			}, now)
			if err != nil || len(reply.Rejected) != 3 {
				t.Fatalf("refusals: %+v %v", reply, err)
			}
			reply, err = st.Relay(ctx, "v1", nil, []county.RelayMessage{relayMsg("m2", "c2", county.RelayCase, "case-1", "abc")}, now)
			if err != nil || len(reply.Rejected) != 1 || !strings.Contains(reply.Rejected[0].Reason, "另一个中心") {
				t.Fatalf("case to a second centre: %+v %v", reply, err)
			}
			if after := countRelay(t, raw); after != before {
				t.Fatalf("%d messages after the refusals, want %d", after, before)
			}
		})

		t.Run("the addressee's status goes back to the sender", func(t *testing.T) {
			reply, err := st.Relay(ctx, "c1", nil, []county.RelayMessage{relayMsg("s2", "v1", county.RelayStatus, "case-1", `{"state":"accepted"}`)}, now)
			if err != nil || len(reply.Rejected) != 0 {
				t.Fatalf("status from c1: %+v %v", reply, err)
			}
			in, err := st.RelayInbox(ctx, "v1", 0, 10)
			if err != nil || len(in) != 1 || in[0].From != "c1" || in[0].Kind != county.RelayStatus {
				t.Fatalf("v1 inbox %+v %v", in, err)
			}
		})
	})
}

func countRelay(t *testing.T, raw *sql.DB) int {
	t.Helper()
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM relay_message`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
