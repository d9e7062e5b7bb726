import { describe, expect, it } from 'vitest'
import type { RouteRecordRaw } from 'vue-router'
import { activeMenuKey, menuEntries } from '@/layouts/menu'
import { routes } from '@/router'

const children = routes.find((r) => r.path === '/')?.children ?? []
const route = (name: string): RouteRecordRaw => {
  const r = children.find((c) => c.name === name)
  if (!r) throw new Error(`no route ${name}`)
  return r
}
const keyOf = (name: string) => activeMenuKey({ name, meta: route(name).meta })

describe('the menu entry a page highlights', () => {
  it('is the page itself for a menu entry', () => {
    expect(keyOf('queue')).toBe('queue')
    expect(keyOf('calendar')).toBe('calendar')
  })

  it('is the parent entry on a sub-page', () => {
    expect(keyOf('case')).toBe('cases')
    expect(keyOf('case-new')).toBe('cases')
    expect(keyOf('catalog-lists')).toBe('catalog')
    expect(keyOf('catalog-map')).toBe('catalog')
  })

  it('is always an entry of the menu for every page inside the layout', () => {
    const names = new Set(menuEntries.map((e) => e.name))
    for (const c of children) expect(names).toContain(keyOf(String(c.name)))
  })

  it('is empty for an unnamed route', () => {
    expect(activeMenuKey({ name: undefined })).toBe('')
  })
})
