// Pure mapping from the working calendar and the bookings to FullCalendar's inputs.
import type { EventInput } from '@fullcalendar/core'
import type { Booking } from '@/api/booking'
import type { Visit } from '@/api/proxy'
import type { Day } from '@/api/calendar'
import { toWall } from '@/utils/shanghai'

/** How a day is marked: a legal holiday, 补班, 逢场天, the site's closure or opening, a rest day. */
export type DayMark = 'holiday' | 'adjusted' | 'market' | 'closed' | 'open' | 'rest' | 'warning'

export interface DayLabel {
  kind: DayMark
  text: string
}

/** The words of the labels, from the locale. */
export interface LabelWords {
  adjusted: string
  market: string
  closed: string
  open: string
}

/** The words of the opening-hours background events. */
export interface HoursWords {
  office: string
  market: string
  extended: string
  appointmentOnly: string
}

/** Every mark of a day, most important first. */
export function dayMarks(day: Day): DayMark[] {
  const marks: DayMark[] = []
  if (day.override?.kind === 'closed') marks.push('closed')
  if (day.override?.kind === 'open') marks.push('open')
  if (day.holiday) marks.push('holiday')
  if (day.adjusted_workday) marks.push('adjusted')
  if (day.market_day) marks.push('market')
  if (!day.workday && !day.holiday && day.override?.kind !== 'closed') marks.push('rest')
  if (day.warning) marks.push('warning')
  return marks
}

/** The CSS classes of a day cell: `cal-day-<mark>` for each mark. */
export function dayClassNames(day: Day | undefined): string[] {
  return day ? dayMarks(day).map((m) => `cal-day-${m}`) : []
}

/** The short labels written in a day cell or column header. */
export function dayLabels(day: Day, words: LabelWords): DayLabel[] {
  const out: DayLabel[] = []
  for (const kind of dayMarks(day)) {
    switch (kind) {
      case 'holiday':
        out.push({ kind, text: day.holiday })
        break
      case 'adjusted':
        out.push({ kind, text: words.adjusted })
        break
      case 'market':
        out.push({ kind, text: words.market })
        break
      case 'closed':
      case 'open': {
        const reason = day.override?.reason ?? ''
        out.push({ kind, text: reason ? `${words[kind]}·${reason}` : words[kind] })
        break
      }
    }
  }
  return out
}

/** The opening hours of each day as background events for the time grid. */
export function hoursToBackground(days: Day[], words: HoursWords): EventInput[] {
  const out: EventInput[] = []
  for (const day of days) {
    for (const [i, span] of day.hours.entries()) {
      let title = words[span.kind]
      if (span.appointment_only) {
        title = `${span.name || words.extended}（${words.appointmentOnly}）`
      }
      out.push({
        id: `hours-${day.date}-${i}`,
        start: `${day.date}T${span.start}:00`,
        end: `${day.date}T${span.end}:00`,
        display: 'background',
        title,
        classNames: [`cal-hours-${span.kind}`],
        extendedProps: { kind: 'hours' },
      })
    }
  }
  return out
}

/** A booking as a calendar event: only open bookings can be dragged to another slot. */
export function bookingToEvent(b: Booking): EventInput {
  return {
    id: b.id,
    title: `${b.line} ${b.citizen_name}`,
    start: toWall(b.slot_start),
    end: toWall(b.slot_end),
    editable: b.status === 'booked',
    classNames: [`cal-booking`, `cal-booking-${b.status}`, `cal-booking-${b.slot_kind}`],
    extendedProps: { kind: 'booking', booking: b },
  }
}

/** An assistant's home visit as a calendar event: fixed (rebooked in the proxy page), masked. */
export function visitToEvent(v: Visit, title: string): EventInput {
  return {
    id: `visit-${v.id}`,
    title: `${title} ${v.citizen_name}`,
    start: toWall(v.start),
    end: toWall(v.end),
    editable: false,
    classNames: ['cal-visit', v.outcome ? `cal-visit-${v.outcome}` : 'cal-visit-open'],
    extendedProps: { kind: 'visit', visit: v },
  }
}

/** Indexes days by date for the cell hooks. */
export function byDate(days: Day[]): Map<string, Day> {
  return new Map(days.map((d) => [d.date, d]))
}
