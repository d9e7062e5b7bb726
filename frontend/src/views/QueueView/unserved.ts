// Pure rules of turning an unserved ticket into an appointment (未办理号票转预约).
import type { Slot } from '@/api/booking'

/**
 * The day to count the next working day from: the ticket's day, or today when the ticket is from
 * an earlier day (its next working day may have passed). Dates are YYYY-MM-DD, so they compare
 * as text.
 */
export function bookingBaseDay(ticketDay: string, today: string): string {
  return today > ticketDay ? today : ticketDay
}

/**
 * The slots a ticket can become: ordinary opening hours only, since extended hours need a named
 * staff member that the ticket's booking does not carry. Full slots stay listed (disabled).
 */
export function ticketSlots(slots: Slot[]): Slot[] {
  return slots.filter((s) => !s.appointment_only)
}

/** The first slot with a free place, or null. */
export function firstFreeSlot(slots: Slot[]): Slot | null {
  return slots.find((s) => s.available > 0) ?? null
}
