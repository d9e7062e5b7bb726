import { describe, expect, it } from 'vitest'
import { idNumberHint, normalizeIdNumber } from '@/utils/citizen'
import { normalizePhone, phoneMatches, type PhoneRule } from '@/api/rules'

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

// The rule as GET /api/v1/rules serves it (backend/citizen PublicRules); the host's own test checks
// the served rule gives its verdicts, this one that the UI applies it the same way.
const served: PhoneRule = {
  pattern: '^(?:1[3-9]\\d{9}|0\\d{2,3}\\d{7,8})$',
  strip: '[\\s()（）-]',
  prefixes: ['+86', '0086'],
  description: '手机号应为11位（如13812345678），座机须带区号（如0818-7654321）。',
}

describe('phoneMatches with the host rule', () => {
  it.each([
    ['13800138000', true],
    ['0818-7654321', true],
    ['08187654321', true],
    ['(0818)7654321', true],
    ['+86 138 0013 8000', true],
    ['12812345678', false],
    ['10012345678', false],
    ['1380013800', false],
    ['7654321', false],
    ['23800138000', false],
  ])('%s → %s', (raw, ok) => {
    expect(phoneMatches(served, raw)).toBe(ok)
  })

  it('normalises as the host stores the number', () => {
    expect(normalizePhone(served, '+86 138-0013-8000')).toBe('13800138000')
    expect(normalizePhone(served, '（0818）765 4321')).toBe('08187654321')
  })
})
