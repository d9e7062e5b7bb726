package booking_test

import (
	"testing"
	"time"

	"budayang/backend/booking"
	"budayang/backend/clock"
	"budayang/backend/store"
)

// Group commit runs a write's closure again, alone, when its group's
// transaction breaks; the call list's count must be of the run that
// committed, not of both.
func TestBooking_CallListCountSurvivesARerun(t *testing.T) {
	f := setup(t)
	f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-26", "09:00"), Name: "张三", Phone: "13812345678"})
	f.book(f.clerk, booking.Request{Line: "A", SlotStart: at("2026-11-26", "10:00"), Name: "李四", Phone: "13900001111"})

	// Hold the writer so the call list's write and a write that breaks the
	// transaction queue up and are committed as one group, in that order.
	release := make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- f.core.DB.Write(f.ctx, func(tx *store.Tx) error { <-release; return nil })
	}()
	time.Sleep(50 * time.Millisecond)
	built := make(chan error, 1)
	go func() {
		_, err := f.core.Bookings.BuildCallList(f.ctx, time.Date(2026, 11, 25, 16, 0, 0, 0, clock.Shanghai))
		built <- err
	}()
	time.Sleep(100 * time.Millisecond)
	broke := make(chan error, 1)
	go func() {
		broke <- f.core.DB.Write(f.ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(f.ctx, "ROLLBACK")
			return err
		})
	}()
	time.Sleep(100 * time.Millisecond)
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if err := <-built; err != nil {
		t.Fatal(err)
	}
	<-broke

	var detail string
	if err := f.core.DB.Read().QueryRowContext(f.ctx, `SELECT detail FROM audit_log WHERE action = 'booking.call_list'`).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if detail != "新增2条" {
		t.Errorf("call list audit: got %q, want 新增2条", detail)
	}
	if n := f.count("booking_call"); n != 2 {
		t.Errorf("call list rows: got %d, want 2", n)
	}
}
