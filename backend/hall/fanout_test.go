package hall

import (
	"strings"
	"testing"
	"time"

	"budayang/backend/events"
)

// A stream that stops reading is ended once it is streamBacklog writes
// behind, and the others go on hearing everything.
func TestFanout_EndsAStalledStreamOnly(t *testing.T) {
	f := newFanout(events.NewBus())
	stalled, reading := f.join(false), f.join(false)
	defer f.leave(reading)
	for i := 0; i <= streamBacklog; i++ {
		f.send([]byte("event: ticket:issued\n\n"), nil)
		<-reading.frames
	}
	f.mu.Lock()
	_, kept := f.streams[stalled]
	f.mu.Unlock()
	if kept {
		t.Fatal("the stalled stream is still served")
	}
	// Its channel is closed behind the writes it had not read.
	n := 0
	for range stalled.frames {
		n++
	}
	if n != streamBacklog {
		t.Errorf("the stalled stream kept %d writes, want %d", n, streamBacklog)
	}
	f.send([]byte("x"), nil)
	if got := string(<-reading.frames); got != "x" {
		t.Errorf("the reading stream got %q after the other was ended", got)
	}
	f.leave(stalled)
}

// Public streams get only the public frames of a batch, staff streams all
// of it, each in the order published; the bus subscription lasts only while
// a stream is open.
func TestFanout_BatchesByAudience(t *testing.T) {
	bus := events.NewBus()
	f := newFanout(bus)
	public, staff := f.join(false), f.join(true)
	publish := []events.Event{
		{Type: "ticket:issued", JSON: []byte(`{"number":"A001"}`)},
		{Type: "staff:changed", JSON: []byte(`{"login":"clerk1"}`)},
		{Type: "ticket:called", JSON: []byte(`{"window":3}`)},
	}
	for _, e := range publish {
		bus.Publish(e)
	}
	want := map[*stream]string{
		public: "event: ticket:issued\ndata: {\"number\":\"A001\"}\n\n" +
			"event: ticket:called\ndata: {\"window\":3}\n\n",
		staff: "event: ticket:issued\ndata: {\"number\":\"A001\"}\n\n" +
			"event: staff:changed\ndata: {\"login\":\"clerk1\"}\n\n" +
			"event: ticket:called\ndata: {\"window\":3}\n\n",
	}
	for st, w := range want {
		var got strings.Builder
		deadline := time.After(5 * time.Second)
		for got.Len() < len(w) {
			select {
			case b := <-st.frames:
				got.Write(b)
			case <-deadline:
				t.Fatalf("staff=%v heard only %q", st.staff, got.String())
			}
		}
		if got.String() != w {
			t.Errorf("staff=%v heard %q, want %q", st.staff, got.String(), w)
		}
	}
	f.leave(public)
	f.leave(staff)
	if f.sub != nil {
		t.Error("the bus subscription outlived the last stream")
	}
}
