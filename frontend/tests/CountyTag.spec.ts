import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { NTag } from 'naive-ui'
import { createPinia, setActivePinia } from 'pinia'
import CountyTag from '@/components/CountyTag.vue'
import { createAppI18n } from '@/i18n'
import type { Locale } from '@/api/auth'

type Props = InstanceType<typeof CountyTag>['$props']

function mountTag(props: Props, locale: Locale = 'zh-CN') {
  const pinia = createPinia()
  setActivePinia(pinia)
  return mount(CountyTag, { props, global: { plugins: [pinia, createAppI18n(locale)] } })
}

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.reject(new Error('no host in this test'))),
  )
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('CountyTag', () => {
  it('shows 同步停滞 in red with the time the queue last moved while the alarm is up', () => {
    const w = mountTag({
      state: 'online',
      lastSync: '2026-11-25T01:00:00Z',
      stalled: true,
      stalledSince: '2026-11-25T01:00:00Z',
    })
    const tag = w.get('[data-test="county-tag"]')
    expect(tag.text()).toContain('同步停滞')
    expect(tag.attributes('data-stalled')).toBe('true')
    expect(w.getComponent(NTag).props('type')).toBe('error')
    expect(tag.attributes('title')).toContain('没有进展')
  })

  it('says it in English too', () => {
    const w = mountTag(
      { state: 'online', stalled: true, stalledSince: '2026-11-25T01:00:00Z' },
      'en',
    )
    expect(w.get('[data-test="county-tag"]').text()).toContain('Sync stalled')
  })

  it.each([
    ['online', false, '县平台在线', 'success'],
    ['offline', false, '县平台离线', 'error'],
    ['unconfigured', true, '未接入县平台', 'default'],
  ] as const)('%s with stalled=%s shows %s', (state, stalled, text, type) => {
    const w = mountTag({ state, stalled, stalledSince: stalled ? '2026-11-25T01:00:00Z' : null })
    const tag = w.get('[data-test="county-tag"]')
    expect(tag.text()).toContain(text)
    expect(tag.text()).not.toContain('同步停滞')
    expect(tag.attributes('data-stalled')).toBeUndefined()
    expect(w.getComponent(NTag).props('type')).toBe(type)
  })
})
