import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import zhCN from '@/i18n/locales/zh-CN'
import en from '@/i18n/locales/en'

/** Every leaf key of a message tree, dotted. */
function keys(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return [prefix]
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
}

/** Placeholders of a message: `{n}`, `{name}`. */
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

function leaf(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], tree)
}

describe('the locales', () => {
  it('have the same keys in English as in Chinese, so no English screen falls back to Chinese', () => {
    const zh = keys(zhCN).sort()
    const e = keys(en).sort()
    expect(e.filter((k) => !zh.includes(k))).toEqual([])
    expect(zh.filter((k) => !e.includes(k))).toEqual([])
  })

  it('use the same placeholders in both languages', () => {
    const differ = keys(zhCN).filter((k) => {
      const a = leaf(zhCN, k)
      const b = leaf(en, k)
      return typeof a === 'string' && typeof b === 'string'
        ? placeholders(a).join() !== placeholders(b).join()
        : false
    })
    expect(differ).toEqual([])
  })

  // Han ideographs, CJK punctuation (、。「」), full-width forms (：；，（）) and curly quotes, which a
  // CJK font draws full width (“Today’ s”).
  it('hold no Chinese characters, CJK punctuation or curly quotes in English', () => {
    const bad = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018\u2019\u201c\u201d]/
    const found = keys(en).filter((k) => {
      const v = leaf(en, k)
      return bad.test(String(v))
    })
    expect(found).toEqual([])
  })

  it('word every action the host records in its audit log, in both languages', () => {
    const path = resolve(process.cwd(), '../backend/audit/actions.json')
    const actions = JSON.parse(readFileSync(path, 'utf8')) as string[]
    expect(actions.length).toBeGreaterThan(50)
    for (const tree of [zhCN, en]) {
      const missing = actions.filter((a) => typeof leaf(tree.auditAction, a) !== 'string')
      expect(missing).toEqual([])
    }
  })
})
