import { describe, expect, it } from 'vitest'
import type { Day, Span } from '@/api/calendar'
import type { Line } from '@/api/queue'
import { kioskOpening } from '@/views/KioskView/opening'

const line = (prefix: string, opens: string, closes: string, active = true): Line => ({
  id: prefix,
  prefix,
  name: prefix,
  opens,
  closes,
  daily_cap: 0,
  warn_wait_minutes: 30,
  active,
})

const office: Span = { start: '08:30', end: '17:30', kind: 'office', appointment_only: false }
const extended: Span = { start: '18:00', end: '20:00', kind: 'extended', appointment_only: true }

const day = (date: string, hours: Span[]): Day => ({
  date,
  weekday: 1,
  lunar: '',
  workday: hours.length > 0,
  holiday: '',
  adjusted_workday: false,
  market_day: false,
  hours,
})

// Wednesday 25 November 2026, open; Saturday 28 and Sunday 29 closed; Monday 30 open.
const week = [
  day('2026-11-25', [office, extended]),
  day('2026-11-26', [office]),
  day('2026-11-27', [office]),
  day('2026-11-28', []),
  day('2026-11-29', []),
  day('2026-11-30', [office]),
]
const lines = [line('A', '08:30', '17:30'), line('B', '09:00', '12:00')]

describe('kioskOpening', () => {
  it.each([
    ['inside the hours', '2026-11-25', '09:00', { open: true }],
    [
      'at the closing minute',
      '2026-11-25',
      '17:30',
      { open: false, next: { date: '2026-11-26', time: '08:30' } },
    ],
    [
      'in the evening, extended hours being by appointment only',
      '2026-11-25',
      '19:00',
      { open: false, next: { date: '2026-11-26', time: '08:30' } },
    ],
    [
      'before the first line opens',
      '2026-11-25',
      '07:50',
      { open: false, next: { date: '2026-11-25', time: '08:30' } },
    ],
    [
      'on Friday evening: Monday next',
      '2026-11-27',
      '18:00',
      { open: false, next: { date: '2026-11-30', time: '08:30' } },
    ],
    [
      'on a closed Saturday morning',
      '2026-11-28',
      '10:00',
      { open: false, next: { date: '2026-11-30', time: '08:30' } },
    ],
  ])('%s', (_name, today, hm, want) => {
    expect(kioskOpening(lines, week, today, hm)).toEqual(want)
  })

  it('between two lines’ hours: the later line’s opening today', () => {
    const split = [line('A', '08:30', '11:30'), line('B', '14:00', '17:00')]
    expect(kioskOpening(split, week, '2026-11-25', '12:00')).toEqual({
      open: false,
      next: { date: '2026-11-25', time: '14:00' },
    })
  })

  it('counts only active lines', () => {
    const stopped = [line('A', '08:30', '17:30', false), line('B', '13:00', '17:00')]
    expect(kioskOpening(stopped, week, '2026-11-25', '09:00')).toEqual({
      open: false,
      next: { date: '2026-11-25', time: '13:00' },
    })
    expect(kioskOpening([line('A', '08:30', '17:30', false)], week, '2026-11-25', '09:00')).toEqual(
      {
        open: false,
      },
    )
  })

  it('leaves a day the calendar does not cover to the host', () => {
    expect(kioskOpening(lines, [], '2026-11-25', '09:00')).toEqual({ open: true })
    expect(kioskOpening(lines, [], '2026-11-25', '19:00')).toEqual({ open: false })
  })
})
