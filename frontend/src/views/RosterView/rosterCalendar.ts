// The roster as FullCalendar events for the month view. The calendar runs in UTC and is fed
// Shanghai wall-clock times (see utils/shanghai), so a duty at 18:00 shows at 18:00 anywhere.

import type { EventInput } from '@fullcalendar/core'
import type { Assignment, Plan } from '@/api/roster'
import { toWall } from '@/utils/shanghai'

/** Who the month shows: everyone on the site, or one person. */
export type RosterFilter = { kind: 'site' } | { kind: 'person'; staffID: string }

export interface RosterCalendarNames {
  shift: (id: string) => string
  person: (id: string) => string
  vacant: string
}

/**
 * One event per shift and date: the shift's name and everyone on it ("节假日白班 · 张三、李四"),
 * a vacant place named as such and coloured as a warning. Filtered to one person, only their
 * duties, each titled with the shift alone. The draft's events are marked so the head tells it
 * from the published roster.
 */
export function rosterEvents(
  plan: Plan,
  filter: RosterFilter,
  names: RosterCalendarNames,
  separator = '、',
): EventInput[] {
  const groups = new Map<string, Assignment[]>()
  for (const a of plan.assignments) {
    if (filter.kind === 'person' && a.staff_id !== filter.staffID) continue
    const key = `${a.date}/${a.shift_id}`
    const list = groups.get(key) ?? []
    list.push(a)
    groups.set(key, list)
  }
  const out: EventInput[] = []
  for (const [key, list] of groups) {
    const first = list[0]!
    const vacant = list.some((a) => a.staff_id === '')
    const people = list.map((a) => (a.staff_id ? names.person(a.staff_id) : names.vacant))
    const shift = names.shift(first.shift_id)
    const classNames = ['roster-event', `roster-event-${plan.status}`]
    if (vacant) classNames.push('roster-event-vacant')
    out.push({
      id: key,
      title: filter.kind === 'person' ? shift : `${shift} · ${people.join(separator)}`,
      start: toWall(first.start),
      end: toWall(first.end),
      allDay: false,
      classNames,
      extendedProps: { date: first.date, shiftID: first.shift_id, people, vacant },
    })
  }
  return out.sort((a, b) => String(a.start).localeCompare(String(b.start)))
}

/** The first day of a month (YYYY-MM) the calendar opens on. */
export const monthStart = (month: string) => `${month}-01`

/** The duties not yet ended at `now`, soonest first, at most `limit` (我的值班). */
export function upcoming<T extends { start: string; end: string }>(
  duties: T[],
  now: Date,
  limit: number,
): T[] {
  return duties
    .filter((d) => Date.parse(d.end) > now.getTime())
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .slice(0, limit)
}
