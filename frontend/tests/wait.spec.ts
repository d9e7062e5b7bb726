import { describe, expect, it } from 'vitest'
import { estimateWait } from '@/utils/wait'

describe('the kiosk wait estimate', () => {
  it('reckons five minutes per ticket ahead', () => {
    expect(estimateWait(0)).toBe(0)
    expect(estimateWait(1)).toBe(5)
    expect(estimateWait(7)).toBe(35)
  })

  it('never promises a negative or broken figure', () => {
    expect(estimateWait(-2)).toBe(0)
    expect(estimateWait(Number.NaN)).toBe(0)
    expect(estimateWait(2.7)).toBe(10)
  })
})
