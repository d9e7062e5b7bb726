import { describe, expect, it } from 'vitest'
import { addDays, fromWall, shanghaiTime, slotRange, todayShanghai, toWall } from '@/utils/shanghai'

describe('Shanghai wall-clock times for the calendar', () => {
  it('writes an instant as Shanghai wall-clock time, whatever zone it came in', () => {
    expect(toWall('2026-11-26T01:00:00Z')).toBe('2026-11-26T09:00:00')
    expect(toWall('2026-11-26T09:00:00+08:00')).toBe('2026-11-26T09:00:00')
    expect(toWall('2026-11-25T16:30:00Z')).toBe('2026-11-26T00:30:00')
  })

  it('turns a wall-clock date held in UTC fields back into the +08:00 instant', () => {
    const wall = new Date('2026-10-10T14:30:00Z')
    expect(fromWall(wall)).toBe('2026-10-10T14:30:00+08:00')
    expect(Date.parse(fromWall(wall))).toBe(Date.parse('2026-10-10T06:30:00Z'))
  })

  it('round-trips a slot start through the calendar', () => {
    const start = '2026-11-26T01:30:00Z'
    const wall = new Date(`${toWall(start)}Z`)
    expect(Date.parse(fromWall(wall))).toBe(Date.parse(start))
  })

  it('knows the date in Shanghai, which runs eight hours ahead of UTC', () => {
    expect(todayShanghai(new Date('2026-11-25T15:59:00Z'))).toBe('2026-11-25')
    expect(todayShanghai(new Date('2026-11-25T16:00:00Z'))).toBe('2026-11-26')
  })

  it('adds days across months and years', () => {
    expect(addDays('2026-09-30', 1)).toBe('2026-10-01')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })

  it('formats slot times', () => {
    expect(shanghaiTime('2026-11-26T00:30:00Z')).toBe('08:30')
    expect(slotRange('2026-11-26T01:00:00Z', '2026-11-26T01:30:00Z')).toBe('09:00–09:30')
  })
})
