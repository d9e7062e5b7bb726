import { describe, expect, it } from 'vitest'
import { stageScale } from '@/composables/useStageScale'

describe('the hall display stage scale', () => {
  it.each([
    { screen: '1920×1080 TV', vw: 1920, vh: 1080, want: 1 },
    { screen: '1280×720 TV browser', vw: 1280, vh: 720, want: 2 / 3 },
    { screen: '1366×768 TV (its height decides)', vw: 1366, vh: 768, want: 768 / 1080 },
    { screen: '4K TV', vw: 3840, vh: 2160, want: 2 },
    { screen: 'a 4:3 monitor, letterboxed', vw: 1024, vh: 768, want: 1024 / 1920 },
    { screen: 'a portrait screen', vw: 1080, vh: 1920, want: 1080 / 1920 },
  ])('fits the whole 1920×1080 stage on a $screen', ({ vw, vh, want }) => {
    expect(stageScale(1920, 1080, vw, vh)).toBeCloseTo(want, 6)
  })

  it('keeps scale 1 while the window has no size yet', () => {
    expect(stageScale(1920, 1080, 0, 0)).toBe(1)
    expect(stageScale(1920, 1080, Number.NaN, 720)).toBe(1)
  })
})
