package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/store"
)

// markClosedTx notes that day is closed, so no ticket is issued or called on
// it afterwards; closing a day twice keeps the first close.
func markClosedTx(ctx context.Context, tx *store.Tx, who audit.Actor, day string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO queue_day_closed (day, closed_at, closed_by) VALUES (?,?,?) ON CONFLICT(day) DO NOTHING`,
		day, store.FormatTime(tx.Now), who.Login)
	if err != nil {
		return fmt.Errorf("mark day %s closed: %w", day, err)
	}
	return nil
}

// dayClosedTx reports whether day has been closed.
func dayClosedTx(ctx context.Context, tx *store.Tx, day string) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM queue_day_closed WHERE day = ?`, day).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("is day %s closed: %w", day, err)
	}
	return true, nil
}

// refuseIfClosedTx refuses a ticket issued or called on a closed day; what
// tells the citizen or the clerk when it opens again.
func refuseIfClosedTx(ctx context.Context, tx *store.Tx, day, what string) error {
	closed, err := dayClosedTx(ctx, tx, day)
	if err != nil {
		return err
	}
	if closed {
		return apperr.Errorf(apperr.Conflict, "今天的叫号已经结束，%s", what)
	}
	return nil
}

// Sentences for a closed day.
const (
	closedIssue = "明天上班后再来取号，或电话预约。"
	closedCall  = "明天上班后才能叫号。"
)
