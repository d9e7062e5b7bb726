package calendar

import (
	"context"
	"sync/atomic"
)

// rulesCache keeps the loaded Rules between calls: a working-day question
// (a case's deadline, the next working day of the home screen's due list,
// a booking's day) would otherwise read the settings, the arrangements,
// the extended windows and every closure each time. Every calendar change
// goes through Service.write, which bumps the generation once it commits,
// so the next call loads afresh.
type rulesCache struct {
	gen    atomic.Uint64
	cached atomic.Pointer[cachedRules]
}

type cachedRules struct {
	gen   uint64
	rules Rules
}

// get returns the cached rules when no change has committed since they
// were loaded, else loads them. A load that overlaps a commit is stored
// under the generation it began with, so it is not served after the bump.
func (c *rulesCache) get(ctx context.Context, load func(context.Context) (Rules, error)) (Rules, error) {
	gen := c.gen.Load()
	if p := c.cached.Load(); p != nil && p.gen == gen {
		return p.rules, nil
	}
	r, err := load(ctx)
	if err != nil {
		return Rules{}, err
	}
	c.cached.Store(&cachedRules{gen: gen, rules: r})
	return r, nil
}

// invalidate makes the next get load afresh.
func (c *rulesCache) invalidate() { c.gen.Add(1) }
