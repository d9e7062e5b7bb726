import { describe, expect, it } from 'vitest'
import type { Slot } from '@/api/booking'
import { bookingBaseDay, firstFreeSlot, ticketSlots } from '@/views/QueueView/unserved'

const slot = (start: string, available: number, appointmentOnly = false): Slot => ({
  start,
  end: start,
  kind: appointmentOnly ? 'extended' : 'office',
  appointment_only: appointmentOnly,
  capacity: 2,
  booked: 2 - available,
  available,
})

describe('turning an unserved ticket into an appointment', () => {
  it('counts the next working day from the ticket’s day, or from today for an older ticket', () => {
    expect(bookingBaseDay('2026-11-25', '2026-11-25')).toBe('2026-11-25')
    expect(bookingBaseDay('2026-11-20', '2026-11-25')).toBe('2026-11-25')
  })

  it('offers ordinary hours only: extended hours need a named staff member', () => {
    const list = [
      slot('2026-11-26T01:00:00Z', 1),
      slot('2026-11-26T09:30:00Z', 2, true),
      slot('2026-11-26T01:30:00Z', 0),
    ]
    expect(ticketSlots(list).map((s) => s.start)).toEqual([
      '2026-11-26T01:00:00Z',
      '2026-11-26T01:30:00Z',
    ])
  })

  it('picks the first slot with a free place by default', () => {
    expect(firstFreeSlot([slot('a', 0), slot('b', 1), slot('c', 2)])?.start).toBe('b')
    expect(firstFreeSlot([slot('a', 0)])).toBeNull()
  })
})
