// The hall host's clock is the one that counts (deadlines, check-in windows, the queue's day); a
// workstation's own clock may be wrong. The status read carries the host's time, and the
// difference is kept so "now" and "today" follow the host between reads.

import { todayShanghai } from './shanghai'

/**
 * How far the host's clock is ahead of this machine's, in milliseconds: the host's `now` against
 * the middle of the request (sent at `sentAt`, answered at `receivedAt`). 0 when `now` is missing
 * or malformed (an older host), so the machine's clock is used as before.
 */
export function clockOffset(
  hostNow: string | undefined,
  sentAt: number,
  receivedAt: number,
): number {
  const at = hostNow ? Date.parse(hostNow) : NaN
  if (Number.isNaN(at)) return 0
  return Math.round(at - (sentAt + receivedAt) / 2)
}

/** The host's moment for this machine's `local` time, given the offset. */
export function hostMoment(offsetMs: number, local: number = Date.now()): Date {
  return new Date(local + offsetMs)
}

/** Today at the host: its own `today` when it sent one, else the date of the host's moment. */
export function hostDate(today: string | undefined, offsetMs: number, local?: number): string {
  return today && /^\d{4}-\d{2}-\d{2}$/.test(today)
    ? today
    : todayShanghai(hostMoment(offsetMs, local))
}
