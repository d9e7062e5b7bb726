package hall_test

import (
	"context"
	"testing"
	"time"

	"budayang/backend/audit"
	"budayang/backend/clock"
	"budayang/backend/queue"
	"budayang/backend/store/storetest"
)

// The jobs page shows when each job last ran and whether that run made up a
// time the machine was off.
func TestAPI_JobsShowCaughtUp(t *testing.T) {
	h := start(t)
	h.setupAndLogin()
	ctx := context.Background()
	if _, err := h.core.Jobs.CatchUp(ctx); err != nil { // first start: Wednesday 09:00
		t.Fatal(err)
	}
	// Switched off over night, on again Thursday 08:00.
	thursday := storetest.Epoch.Add(23 * time.Hour)
	h.core.Clock.(*clock.Fixed).Set(thursday)
	if _, err := h.core.Jobs.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	_, login := h.do("POST", "/api/v1/login", "", `{"user":"admin","password":"Admin12345","workstation":"窗口1"}`)
	admin, _ := login["token"].(string)
	code, list := h.doList("GET", "/api/v1/jobs", admin)
	if code != 200 {
		t.Fatalf("jobs: %d", code)
	}
	want := map[string]string{ // job → the missed time it made up (UTC)
		"backup":     "2026-11-25T18:30:00Z", // Thursday 02:30
		"end-of-day": "2026-11-25T13:00:00Z", // Wednesday 21:00
	}
	for _, j := range list {
		job := j.(map[string]any)
		missed, ok := want[job["name"].(string)]
		if !ok {
			continue
		}
		delete(want, job["name"].(string))
		if job["caught_up"] != true || job["caught_up_for"] != missed || job["last_run"] != "2026-11-26T00:00:00Z" {
			t.Errorf("%s: got caught_up=%v caught_up_for=%v last_run=%v, want true, %s, 2026-11-26T00:00:00Z",
				job["name"], job["caught_up"], job["caught_up_for"], job["last_run"], missed)
		}
	}
	if len(want) != 0 {
		t.Errorf("jobs missing from the list: %v", want)
	}
	// The end of day caught up closed Wednesday, not Thursday: tickets are
	// issued this morning.
	h.core.Clock.(*clock.Fixed).Set(thursday.Add(90 * time.Minute))
	if _, err := h.core.Queue.Issue(ctx, audit.System, queue.IssueRequest{Line: "A"}); err != nil {
		t.Errorf("issue on Thursday morning: %v", err)
	}
}
