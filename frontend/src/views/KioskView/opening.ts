import type { Day } from '@/api/calendar'
import type { Line } from '@/api/queue'

/** Whether the kiosk gives tickets now, and if not, when it next does. */
export interface Opening {
  open: boolean
  /** The next day and time tickets are given; absent while open or when no open day is known. */
  next?: { date: string; time: string }
}

/** A day the doors open for everyone (extended hours are by staff appointment only). */
const opensToWalkIns = (d: Day) => d.hours.some((h) => !h.appointment_only)

/**
 * When the kiosk gives tickets, from the host's lines (their ticket hours, as the host checks them
 * when it issues) and its calendar (the days the centre opens). `today` and `hm` are the host's
 * date and time in Asia/Shanghai ("2026-11-25", "19:00"); `days` run from today on. A day missing
 * from the calendar counts as open: the host still decides when a ticket is asked for.
 */
export function kioskOpening(lines: Line[], days: Day[], today: string, hm: string): Opening {
  const active = lines.filter((l) => l.active)
  if (active.length === 0) return { open: false }
  const todays = days.find((d) => d.date === today)
  const openToday = !todays || opensToWalkIns(todays)
  if (openToday && active.some((l) => l.opens <= hm && hm < l.closes)) return { open: true }
  const opens = active.map((l) => l.opens).sort()
  const laterToday = opens.find((o) => o > hm)
  if (openToday && laterToday) return { open: false, next: { date: today, time: laterToday } }
  const first = opens[0] ?? ''
  const later = days.find((d) => d.date > today && opensToWalkIns(d))
  return later ? { open: false, next: { date: later.date, time: first } } : { open: false }
}
