import { describe, expect, it } from 'vitest'
import { idNumberHint, normalizeIdNumber, phoneHint } from '@/utils/citizen'

describe('idNumberHint', () => {
  it('says nothing while the field is empty or when the shape is right', () => {
    expect(idNumberHint('')).toBeNull()
    expect(idNumberHint('511725198001010036')).toBeNull()
    expect(idNumberHint('11010519491231002X')).toBeNull()
  })

  it('reads a lower-case x as X, and ignores spaces', () => {
    expect(normalizeIdNumber(' 11010519491231002x ')).toBe('11010519491231002X')
    expect(idNumberHint('11010519491231002x')).toBeNull()
    expect(idNumberHint('511725 19800101 0036')).toBeNull()
  })

  it('asks for 18 characters while too short or too long', () => {
    expect(idNumberHint('5117251980')).toBe('length')
    expect(idNumberHint('51172519800101003')).toBe('length')
    expect(idNumberHint('5117251980010100361')).toBe('chars')
  })

  it('refuses letters, and an X anywhere but last', () => {
    expect(idNumberHint('51172519800101003A')).toBe('chars')
    expect(idNumberHint('5117X5198001010036')).toBe('chars')
    expect(idNumberHint('X')).toBe('chars')
  })

  it('leaves the check digit to the host: a wrong one has the right shape', () => {
    expect(idNumberHint('511725198001010035')).toBeNull()
  })
})

describe('phoneHint', () => {
  it('accepts mobiles and landlines with the area code', () => {
    expect(phoneHint('')).toBeNull()
    expect(phoneHint('13800138000')).toBeNull()
    expect(phoneHint('0818-7654321')).toBeNull()
    expect(phoneHint('08187654321')).toBeNull()
  })

  it('flags a short mobile or a landline without its code', () => {
    expect(phoneHint('1380013800')).toBe('format')
    expect(phoneHint('7654321')).toBe('format')
    expect(phoneHint('23800138000')).toBe('format')
  })
})
