import { describe, expect, it } from 'vitest'
import {
  lunarDayName,
  presetOf,
  solarPresets,
  toRows,
  toSpans,
} from '@/views/SettingsView/components/calendar/officeHours'

const defaults = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, start: '08:30', end: '12:00' },
  { weekday, start: '13:30', end: '17:30' },
])

describe('the office-hours form', () => {
  it('shows Monday–Friday open with a lunch break and the weekend closed', () => {
    const rows = toRows(defaults)
    expect(rows).toHaveLength(7)
    expect(rows[0]).toMatchObject({ weekday: 1, open: true, lunch: true, amEnd: '12:00' })
    expect(rows[5]).toMatchObject({ weekday: 6, open: false })
    expect(toSpans(rows)).toEqual(defaults)
  })

  it('stores one span for a day without a lunch break', () => {
    const rows = toRows(defaults)
    const sat = rows[5]!
    Object.assign(sat, { open: true, lunch: false, amStart: '09:00', pmEnd: '12:00' })
    expect(toSpans(rows).filter((s) => s.weekday === 6)).toEqual([
      { weekday: 6, start: '09:00', end: '12:00' },
    ])
    expect(toRows(toSpans(rows))[5]).toMatchObject({ open: true, lunch: false, amStart: '09:00' })
  })
})

describe('market-day rules', () => {
  it('recognises 逢1、4、7 and friends, in any order', () => {
    expect(presetOf([31, 1, 4, 7, 11, 14, 17, 21, 24, 27])).toBe('147')
    expect(presetOf(solarPresets['369']!)).toBe('369')
    expect(presetOf([1, 15])).toBe('')
  })

  it('names lunar days as the almanac does', () => {
    expect([1, 10, 11, 20, 21, 30].map(lunarDayName)).toEqual([
      '初一',
      '初十',
      '十一',
      '二十',
      '廿一',
      '三十',
    ])
  })
})
