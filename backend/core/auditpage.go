package core

import (
	"context"
	"strings"

	"budayang/backend/audit"
)

// AuditPage returns up to limit audit entries older than before (0: the
// newest), newest first, each with its actor's name and its target named
// for the reader: a staff login by the name, a case id by its number, a
// booking id by its date, time and line, an extended-hours window by its
// name, a duty call by its time and category, the site id by its name, a
// proxy case id by its number, a village id by its name. It asks
// each owning service once for the whole page; a target it cannot name keeps
// no label.
func (c *Core) AuditPage(ctx context.Context, before int64, limit int) ([]audit.Entry, error) {
	entries, err := c.Audit.List(ctx, before, limit)
	if err != nil {
		return nil, err
	}
	var logins, caseIDs, bookingIDs, windowIDs, callIDs, proxyIDs []string
	for _, e := range entries {
		logins = append(logins, e.Actor)
		switch {
		case strings.HasPrefix(e.Action, "staff."), e.Action == "assistant.card":
			logins = append(logins, e.Target)
		case strings.HasPrefix(e.Action, "case."):
			caseIDs = append(caseIDs, e.Target)
		case strings.HasPrefix(e.Action, "proxy."), e.Action == "village.create":
			proxyIDs = append(proxyIDs, e.Target)
		case strings.HasPrefix(e.Action, "booking."):
			bookingIDs = append(bookingIDs, e.Target)
		case strings.HasPrefix(e.Action, "calendar.extended_"):
			windowIDs = append(windowIDs, e.Target)
		case strings.HasPrefix(e.Action, "calllog."):
			callIDs = append(callIDs, e.Target)
		}
	}
	names, err := c.Accounts.NamesByLogin(ctx, dedupe(logins))
	if err != nil {
		return nil, err
	}
	numbers, err := c.Cases.Numbers(ctx, dedupe(caseIDs))
	if err != nil {
		return nil, err
	}
	bookings, err := c.Bookings.Labels(ctx, dedupe(bookingIDs))
	if err != nil {
		return nil, err
	}
	windows, err := c.Calendar.ExtendedNames(ctx, dedupe(windowIDs))
	if err != nil {
		return nil, err
	}
	calls, err := c.CallLog.Labels(ctx, dedupe(callIDs))
	if err != nil {
		return nil, err
	}
	proxyLabels, err := c.Proxy.Labels(ctx, dedupe(proxyIDs))
	if err != nil {
		return nil, err
	}
	siteName := ""
	for _, e := range entries {
		if e.Action == "site.update" {
			st, err := c.Site.Get(ctx)
			if err != nil {
				return nil, err
			}
			siteName = st.Name
			break
		}
	}
	for i := range entries {
		e := &entries[i]
		e.ActorName = names[e.Actor]
		switch {
		case strings.HasPrefix(e.Action, "staff."), e.Action == "assistant.card":
			e.TargetLabel = names[e.Target]
		case strings.HasPrefix(e.Action, "case."):
			e.TargetLabel = numbers[e.Target]
		case strings.HasPrefix(e.Action, "proxy."), e.Action == "village.create":
			e.TargetLabel = proxyLabels[e.Target]
		case strings.HasPrefix(e.Action, "booking."):
			e.TargetLabel = bookings[e.Target]
		case strings.HasPrefix(e.Action, "calendar.extended_"):
			e.TargetLabel = windows[e.Target]
		case strings.HasPrefix(e.Action, "calllog."):
			e.TargetLabel = calls[e.Target]
		case e.Action == "site.update":
			e.TargetLabel = siteName
		}
	}
	return entries, nil
}

func dedupe(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := keys[:0:0]
	for _, k := range keys {
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
