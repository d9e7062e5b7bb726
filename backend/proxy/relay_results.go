package proxy

import (
	"context"
	"fmt"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/schedule"
)

// InboundResultsSpec runs InboundResults every minute.
const InboundResultsSpec = "* * * * *"

// resultsMover is who marks an inbound case's result ready when its window
// case has its result: the centre itself, as the audit log names it.
var resultsMover = account.Principal{Staff: account.Staff{Login: "system", Name: "中心办件办结", Role: account.RoleAdmin}}

// Jobs are the proxy service's scheduled jobs.
func (s *Service) Jobs() []schedule.Job {
	return []schedule.Job{{Name: "proxy-inbound-results", Description: "每分钟把中心办件已出证或办结的转来代办件标记为结果已出，并回传村服务室",
		Spec: InboundResultsSpec, Run: s.InboundResults}}
}

// InboundResults marks result_ready every inbound case accepted into a
// window case that has since issued its certificate or completed, through
// MoveInbound (so its status goes back to the village room in the same
// transaction). A case a clerk moved meanwhile is passed over; a run that
// dies halfway is finished by the next, since it looks only at the state.
func (s *Service) InboundResults(ctx context.Context, _ time.Time) error {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT i.id, c.number FROM proxy_inbound i JOIN case_file c ON c.id = i.window_case_id
		WHERE i.state = ? AND c.status IN ('certificate_issued', 'completed') ORDER BY i.received_at`, Accepted)
	if err != nil {
		return fmt.Errorf("find inbound results: %w", err)
	}
	type ready struct{ id, number string }
	var list []ready
	for rows.Next() {
		var r ready
		if err := rows.Scan(&r.id, &r.number); err != nil {
			rows.Close()
			return err
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range list {
		_, err := s.MoveInbound(ctx, resultsMover, r.id, Move{To: ResultReady, Where: "便民服务中心", Note: "中心办件" + r.number + "已出结果"})
		if err != nil && apperr.Code(err) != apperr.Conflict {
			return err
		}
	}
	return nil
}
