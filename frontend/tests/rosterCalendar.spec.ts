import { describe, expect, it } from 'vitest'
import type { Assignment, Plan } from '@/api/roster'
import { monthStart, rosterEvents, upcoming } from '@/views/RosterView/rosterCalendar'

function place(
  id: string,
  date: string,
  shift: string,
  staff: string,
  start: string,
  end: string,
): Assignment {
  return { id, date, shift_id: shift, start, end, staff_id: staff, weight: 1 }
}

const plan: Plan = {
  id: 'p1',
  status: 'published',
  from: '2026-10-01',
  to: '2026-10-31',
  created_at: '',
  assignments: [
    place(
      'a1',
      '2026-10-01',
      'day',
      's1',
      '2026-10-01T08:30:00+08:00',
      '2026-10-01T18:00:00+08:00',
    ),
    place(
      'a2',
      '2026-10-01',
      'day',
      's2',
      '2026-10-01T08:30:00+08:00',
      '2026-10-01T18:00:00+08:00',
    ),
    place(
      'a3',
      '2026-10-10',
      'evening',
      '',
      '2026-10-10T18:00:00+08:00',
      '2026-10-10T22:00:00+08:00',
    ),
    place(
      'a4',
      '2026-10-12',
      'night',
      's1',
      '2026-10-12T22:00:00+08:00',
      '2026-10-13T07:00:00+08:00',
    ),
  ],
  unfilled: [{ date: '2026-10-10', shift_id: 'evening', missing: 1, reason: '' }],
  load: [],
  history: [],
}

const names = {
  shift: (id: string) => ({ day: '节假日白班', evening: '工作日晚班', night: '夜班' })[id] ?? id,
  person: (id: string) => ({ s1: '张三', s2: '李四' })[id] ?? id,
  vacant: '空缺',
}

describe('the roster on the month calendar', () => {
  it('by site: one event a shift and day naming everyone on it, in Shanghai wall-clock time', () => {
    const events = rosterEvents(plan, { kind: 'site' }, names)
    expect(events.map((e) => [e.title, e.start, e.end])).toEqual([
      ['节假日白班 · 张三、李四', '2026-10-01T08:30:00', '2026-10-01T18:00:00'],
      ['工作日晚班 · 空缺', '2026-10-10T18:00:00', '2026-10-10T22:00:00'],
      ['夜班 · 张三', '2026-10-12T22:00:00', '2026-10-13T07:00:00'],
    ])
  })

  it('marks a vacant place and a published plan in the classes', () => {
    const [holiday, vacant] = rosterEvents(plan, { kind: 'site' }, names)
    expect(holiday!.classNames).toEqual(['roster-event', 'roster-event-published'])
    expect(vacant!.classNames).toEqual([
      'roster-event',
      'roster-event-published',
      'roster-event-vacant',
    ])
  })

  it('marks a draft so the head tells it from the roster in force', () => {
    const events = rosterEvents({ ...plan, status: 'draft' }, { kind: 'site' }, names)
    expect(events.every((e) => (e.classNames as string[]).includes('roster-event-draft'))).toBe(
      true,
    )
  })

  it('by person: only their duties, titled with the shift', () => {
    const events = rosterEvents(plan, { kind: 'person', staffID: 's1' }, names)
    expect(events.map((e) => [e.start, e.title])).toEqual([
      ['2026-10-01T08:30:00', '节假日白班'],
      ['2026-10-12T22:00:00', '夜班'],
    ])
    expect(rosterEvents(plan, { kind: 'person', staffID: 'nobody' }, names)).toEqual([])
  })

  it('opens on the first of the month', () => {
    expect(monthStart('2026-10')).toBe('2026-10-01')
  })
})

describe('my duties', () => {
  it('lists the duties not yet ended, soonest first, up to the limit', () => {
    const duties = [
      { id: 'c', start: '2026-10-12T22:00:00+08:00', end: '2026-10-13T07:00:00+08:00' },
      { id: 'a', start: '2026-10-01T08:30:00+08:00', end: '2026-10-01T18:00:00+08:00' },
      { id: 'b', start: '2026-10-05T08:30:00+08:00', end: '2026-10-05T18:00:00+08:00' },
      { id: 'd', start: '2026-10-20T18:00:00+08:00', end: '2026-10-20T22:00:00+08:00' },
    ]
    const now = new Date('2026-10-01T10:00:00+08:00')
    expect(upcoming(duties, now, 3).map((d) => d.id)).toEqual(['a', 'b', 'c'])
    expect(upcoming(duties, new Date('2026-10-01T18:00:00+08:00'), 9).map((d) => d.id)).toEqual([
      'b',
      'c',
      'd',
    ])
  })
})
