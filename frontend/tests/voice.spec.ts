import { describe, expect, it } from 'vitest'
import { callClips, callText, clipNames, clipURL, speechText } from '@/utils/voice'

describe('the spoken call', () => {
  it('shows the call as 请A012号到3号窗口办理', () => {
    expect(callText('A012', 3)).toBe('请A012号到3号窗口办理')
  })

  it('joins the clips 请 A 0 1 2 号 到 3 号 窗口 办理 in order', () => {
    expect(callClips('A012', 3)).toEqual([
      'qing',
      'A',
      '0',
      '1',
      '2',
      'hao',
      'dao',
      '3',
      'hao',
      'chuangkou',
      'banli',
    ])
  })

  it('reads a green-channel ticket and a lower-case letter the same way', () => {
    expect(callClips('v003', 1).slice(0, 5)).toEqual(['qing', 'V', '0', '0', '3'])
  })

  it('reads window numbers from 10 up as Chinese does: 十, 十二, 二十三', () => {
    const win = (n: number) => callClips('A001', n).slice(7, -3)
    expect(win(10)).toEqual(['shi'])
    expect(win(12)).toEqual(['shi', '2'])
    expect(win(20)).toEqual(['2', 'shi'])
    expect(win(23)).toEqual(['2', 'shi', '3'])
  })

  it('leaves out characters that have no clip', () => {
    expect(callClips('A-1', 2)).toEqual([
      'qing',
      'A',
      '1',
      'hao',
      'dao',
      '2',
      'hao',
      'chuangkou',
      'banli',
    ])
  })

  it('uses only clips the hall host serves', () => {
    const known = new Set<string>(clipNames)
    for (const c of callClips('Z987', 45)) expect(known.has(c)).toBe(true)
    expect(clipURL('qing')).toBe('voice/qing.wav')
  })

  it('gives a Chinese voice the ticket digits one by one', () => {
    expect(speechText('A012', 3)).toBe('请A零一二号到三号窗口办理')
    expect(speechText('B100', 12)).toBe('请B一零零号到十二号窗口办理')
  })
})
