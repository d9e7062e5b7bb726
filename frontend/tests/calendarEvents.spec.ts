import { describe, expect, it } from 'vitest'
import type { Booking } from '@/api/booking'
import type { Day } from '@/api/calendar'
import type { Visit } from '@/api/proxy'
import {
  bookingToEvent,
  byDate,
  dayClassNames,
  dayLabels,
  dayMarks,
  hoursToBackground,
  visitToEvent,
} from '@/views/CalendarView/calendarEvents'

const office = [
  { start: '08:30', end: '12:00', kind: 'office' as const, appointment_only: false },
  { start: '13:30', end: '17:30', kind: 'office' as const, appointment_only: false },
]

function day(date: string, over: Partial<Day> = {}): Day {
  return {
    date,
    weekday: 3,
    lunar: '',
    workday: true,
    holiday: '',
    adjusted_workday: false,
    market_day: false,
    hours: office,
    ...over,
  }
}

const words = { adjusted: '补班', market: '逢场', closed: '闭馆', open: '开放' }

describe('calendar days as FullCalendar marks', () => {
  it('labels National Day with its name and shades it as a holiday', () => {
    const d = day('2026-10-01', { weekday: 4, workday: false, holiday: '国庆节', hours: [] })
    expect(dayMarks(d)).toEqual(['holiday'])
    expect(dayLabels(d, words)).toEqual([{ kind: 'holiday', text: '国庆节' }])
    expect(dayClassNames(d)).toEqual(['cal-day-holiday'])
  })

  it('labels the Saturday worked for National Day (10/10) as 补班', () => {
    const d = day('2026-10-10', { weekday: 6, adjusted_workday: true })
    expect(dayLabels(d, words)).toEqual([{ kind: 'adjusted', text: '补班' }])
  })

  it('marks a market day that falls on a holiday with both', () => {
    const d = day('2026-10-04', { workday: false, holiday: '国庆节', market_day: true, hours: [] })
    expect(dayLabels(d, words).map((l) => l.text)).toEqual(['国庆节', '逢场'])
  })

  it('shows a closure with its reason first, and an ordinary weekend as a rest day', () => {
    const closed = day('2026-11-27', {
      workday: false,
      override: { date: '2026-11-27', kind: 'closed', reason: '停电检修' },
      hours: [],
    })
    expect(dayLabels(closed, words)).toEqual([{ kind: 'closed', text: '闭馆·停电检修' }])
    expect(dayClassNames(day('2026-11-29', { weekday: 7, workday: false, hours: [] }))).toEqual([
      'cal-day-rest',
    ])
  })

  it('flags the days of a year with no arrangement loaded', () => {
    const d = day('2027-01-01', { warning: '2027年节假日安排尚未导入，暂按周末休息计算' })
    expect(dayClassNames(d)).toContain('cal-day-warning')
    expect(dayClassNames(undefined)).toEqual([])
  })

  it('turns opening hours into background events, naming extended hours', () => {
    const d = day('2026-11-29', {
      weekday: 7,
      workday: false,
      hours: [
        {
          start: '09:00',
          end: '12:00',
          kind: 'extended',
          appointment_only: true,
          name: '周末延时',
        },
      ],
    })
    const words2 = {
      office: '办公时间',
      market: '逢场天时间',
      extended: '延时服务',
      appointmentOnly: '仅预约',
    }
    const [office1, office2] = hoursToBackground([day('2026-11-26')], words2)
    expect(office1).toMatchObject({
      start: '2026-11-26T08:30:00',
      end: '2026-11-26T12:00:00',
      display: 'background',
      classNames: ['cal-hours-office'],
    })
    expect(office2?.start).toBe('2026-11-26T13:30:00')
    expect(hoursToBackground([d], words2)[0]).toMatchObject({
      title: '周末延时（仅预约）',
      classNames: ['cal-hours-extended'],
    })
  })

  it('indexes days by date', () => {
    expect(byDate([day('2026-11-26')]).get('2026-11-26')?.weekday).toBe(3)
  })
})

describe('bookings as events', () => {
  const booking: Booking = {
    id: 'b1',
    line: 'A',
    date: '2026-11-26',
    slot_start: '2026-11-26T01:00:00Z',
    slot_end: '2026-11-26T01:30:00Z',
    slot_kind: 'office',
    citizen_name: '张三',
    phone: '13812345678',
    channel: 'phone',
    booked_by: 'clerk1',
    code: '048213',
    status: 'booked',
    reschedules: 0,
    created_at: '2026-11-25T01:00:00Z',
  }

  it('places a booking at its Shanghai slot time and lets it be dragged while open', () => {
    expect(bookingToEvent(booking)).toMatchObject({
      id: 'b1',
      title: 'A 张三',
      start: '2026-11-26T09:00:00',
      end: '2026-11-26T09:30:00',
      editable: true,
    })
  })

  it('keeps a checked-in or cancelled booking where it is', () => {
    const done = bookingToEvent({ ...booking, status: 'checked_in' })
    expect(done.editable).toBe(false)
    expect(done.classNames).toContain('cal-booking-checked_in')
    expect(bookingToEvent({ ...booking, status: 'cancelled' }).editable).toBe(false)
  })
})

describe('home visits as events', () => {
  const visit: Visit = {
    id: 'v1',
    owner_id: 's1',
    owner_name: '赵代办',
    village_id: 'vil1',
    village_name: '石桥村',
    village_position: 1,
    citizen_name: '王*爷',
    phone: '139****1111',
    masked: true,
    date: '2026-11-26',
    time: '09:00',
    minutes: 30,
    reason: '代办高龄津贴',
    outcome: '',
    outcome_name: '',
    created_at: '2026-11-25T01:00:00Z',
    start: '2026-11-26T01:00:00Z',
    end: '2026-11-26T01:30:00Z',
  }

  it('places a visit at its Shanghai time, fixed, with the masked villager', () => {
    expect(visitToEvent(visit, '上门：石桥村')).toMatchObject({
      id: 'visit-v1',
      title: '上门：石桥村 王*爷',
      start: '2026-11-26T09:00:00',
      end: '2026-11-26T09:30:00',
      editable: false,
      classNames: ['cal-visit', 'cal-visit-open'],
    })
  })

  it('marks a visit that found nobody by its outcome', () => {
    expect(visitToEvent({ ...visit, outcome: 'not_home' }, '上门').classNames).toContain(
      'cal-visit-not_home',
    )
  })
})
