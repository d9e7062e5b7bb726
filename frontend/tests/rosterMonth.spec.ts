import { describe, expect, it } from 'vitest'
import type { Plan } from '@/api/roster'
import { byPerson, monthsOf, placesOf } from '@/views/RosterView/rosterMonth'

const duty = (id: string, date: string, staff: string, weight: number) => ({
  id,
  date,
  shift_id: 'day',
  start: `${date}T08:30:00+08:00`,
  end: `${date}T18:00:00+08:00`,
  staff_id: staff,
  weight,
})

const plan: Plan = {
  id: 'p',
  status: 'draft',
  from: '2026-10-01',
  to: '2026-12-31',
  created_at: '',
  assignments: [
    duty('1', '2026-10-01', 'a', 2),
    duty('2', '2026-10-01', '', 2),
    duty('3', '2026-10-11', 'a', 1),
    duty('4', '2026-11-01', 'b', 1),
  ],
  unfilled: [{ date: '2026-10-01', shift_id: 'day', missing: 1, reason: '没有可排班的人员。' }],
  load: [
    { staff_id: 'a', weight: 3, carried: 0 },
    { staff_id: 'b', weight: 1, carried: 0.5 },
  ],
  history: [],
}

describe('the roster month', () => {
  it('lists the months a period touches, across a year end', () => {
    expect(monthsOf('2026-10-01', '2026-12-31')).toEqual(['2026-10', '2026-11', '2026-12'])
    expect(monthsOf('2026-12-15', '2027-02-01')).toEqual(['2026-12', '2027-01', '2027-02'])
  })

  it('lists each person in the directory order with the month’s duties and load, free people too', () => {
    const rows = byPerson(plan, '2026-10', ['b', 'a'])
    expect(rows.map((r) => r.staffID)).toEqual(['b', 'a'])
    expect(rows[0]).toEqual({ staffID: 'b', duties: [], weight: 0 })
    expect(rows[1]?.duties.map((d) => d.id)).toEqual(['1', '3'])
    expect(rows[1]?.weight).toBe(3)
  })

  it('keeps vacant places in the month by day', () => {
    expect(placesOf(plan, '2026-10').map((a) => a.id)).toEqual(['1', '2', '3'])
  })
})
