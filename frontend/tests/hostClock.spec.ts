import { describe, expect, it } from 'vitest'
import { clockOffset, hostDate, hostMoment } from '@/utils/hostClock'

describe('the host’s clock', () => {
  const sent = Date.parse('2026-11-25T10:00:00Z')

  it('measures the host ahead of or behind this machine against the middle of the request', () => {
    // The host says 09:00 Shanghai (01:00Z) while this machine thinks it is 10:00Z.
    expect(clockOffset('2026-11-25T09:00:00+08:00', sent, sent + 200)).toBe(-9 * 3600_000 - 100)
    expect(clockOffset('2026-11-25T10:00:05Z', sent, sent)).toBe(5000)
  })

  it('keeps this machine’s clock when an older host sends no time, or a malformed one', () => {
    expect(clockOffset(undefined, sent, sent)).toBe(0)
    expect(clockOffset('yesterday', sent, sent)).toBe(0)
  })

  it('moves the host’s moment along with this machine’s clock', () => {
    const offset = clockOffset('2026-11-25T09:00:00+08:00', sent, sent)
    expect(hostMoment(offset, sent + 60_000).toISOString()).toBe('2026-11-25T01:01:00.000Z')
  })

  it('takes the host’s own today, else the Shanghai date of its moment', () => {
    expect(hostDate('2026-11-25', 0, sent)).toBe('2026-11-25')
    // 16:30Z is already the next day in Shanghai.
    const late = Date.parse('2026-11-25T16:30:00Z')
    expect(hostDate(undefined, 0, late)).toBe('2026-11-26')
    expect(hostDate('', 3600_000, late)).toBe('2026-11-26')
    expect(hostDate(undefined, -3 * 3600_000, late)).toBe('2026-11-25')
  })
})
