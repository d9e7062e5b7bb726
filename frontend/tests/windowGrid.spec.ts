import { describe, expect, it } from 'vitest'
import { windowGrid } from '@/views/DisplayView/windowGrid'

describe('windowGrid', () => {
  it.each([
    [0, 1, 1],
    [1, 1, 1],
    [3, 3, 1],
    [4, 4, 1],
    [5, 3, 2],
    [6, 3, 2],
    [7, 4, 2],
    [9, 5, 2],
    [12, 6, 2],
  ])('%i windows: %i columns, %i rows', (n, cols, rows) => {
    expect(windowGrid(n)).toEqual({ cols, rows })
  })

  it('holds every window of a hall up to 12', () => {
    for (let n = 1; n <= 12; n++) {
      const g = windowGrid(n)
      expect(g.cols * g.rows).toBeGreaterThanOrEqual(n)
      expect(g.rows).toBeLessThanOrEqual(2)
    }
  })
})
