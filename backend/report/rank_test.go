package report_test

import (
	"context"
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/rank"
)

func TestService_Ranking(t *testing.T) {
	f := openPeriod(t)
	ctx := context.Background()
	if _, err := f.st.Core.Reports.Ranking(ctx, f.clerk1, week); apperr.Code(err) != apperr.Forbidden {
		t.Fatalf("clerk: got %v, want forbidden", err)
	}
	r, err := f.st.Core.Reports.Ranking(ctx, f.st.Admin, week)
	if err != nil {
		t.Fatal(err)
	}
	// Nobody reaches the minimum volume in the hand-made week: all listed, none ranked.
	if len(r.Window) != 2 || len(r.Assistants) != 1 || r.Assistants[0].Name != "王五" || r.MinVolume != rank.MinVolume {
		t.Fatalf("got %+v", r)
	}
	for _, x := range append(r.Window, r.Assistants...) {
		if x.Qualified || x.Rank != 0 || x.Medal != "" {
			t.Errorf("%s: got %+v, want unranked", x.Name, x)
		}
	}
	if r.Window[0].Volume+r.Window[1].Volume != 6 {
		t.Errorf("volumes: got %+v, want 张三 5 (2 served, 3 closed) and 李四 1", r.Window)
	}
}
