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
})
