package queue_test

import (
	"context"
	"testing"

	"budayang/backend/audit"
	"budayang/backend/queue"
)

// BenchmarkQueue_Issue issues tickets into a growing queue through the
// service (no HTTP): the cost of one issue transaction.
func BenchmarkQueue_Issue(b *testing.B) {
	h := open(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.q.Issue(ctx, audit.Actor{Login: "kiosk"}, queue.IssueRequest{Line: "A"}); err != nil {
			b.Fatal(err)
		}
	}
}
