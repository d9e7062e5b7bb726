package roster

import (
	"context"
	"fmt"

	"budayang/backend/store"
)

// CoverKind is the outbox kind of a plan's cover: every change to a plan
// (generated, a place assigned, published, a swap approved) sends the whole
// plan's places counted per date and shift, under the plan's id, so the
// county's inspection reads the duty cover the sites hold without a single
// staff member's name or id.
const CoverKind = "duty.plan"

// Cover is a plan's places as the county sees them.
type Cover struct {
	ID     string       `json:"id"`
	Status string       `json:"status"`
	From   string       `json:"from"`
	To     string       `json:"to"`
	Places []CoverPlace `json:"places"`
}

// CoverPlace counts the places of one shift on one date and those filled.
type CoverPlace struct {
	Date    string `json:"date"`
	ShiftID string `json:"shift_id"`
	Places  int    `json:"places"`
	Filled  int    `json:"filled"`
}

// CoverOf counts p's places per date and shift, in the plan's order.
func CoverOf(p Plan) Cover {
	c := Cover{ID: p.ID, Status: p.Status, From: p.From, To: p.To, Places: []CoverPlace{}}
	at := map[[2]string]int{}
	for _, d := range p.Assignments {
		k := [2]string{d.Date, d.ShiftID}
		i, ok := at[k]
		if !ok {
			i = len(c.Places)
			at[k] = i
			c.Places = append(c.Places, CoverPlace{Date: d.Date, ShiftID: d.ShiftID})
		}
		c.Places[i].Places++
		if d.StaffID != "" {
			c.Places[i].Filled++
		}
	}
	return c
}

// pushCover sends plan id's cover to the outbox in tx, after the change.
func pushCover(ctx context.Context, tx *store.Tx, id string) error {
	p, err := loadPlan(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := tx.Outbox(ctx, CoverKind, id, CoverOf(p)); err != nil {
		return fmt.Errorf("roster cover %s: %w", id, err)
	}
	return nil
}
