import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { Locale } from '@/api/auth'
import type { Swap } from '@/api/rosterSwaps'
import { createAppI18n } from '@/i18n'
import SwapList from '@/views/MyDutyView/components/SwapList.vue'

const base: Swap = {
  id: 'w1',
  status: 'proposed',
  assignment_id: 'a1',
  plan_id: 'p1',
  date: '2026-09-17',
  shift_id: 'evening',
  shift: '工作日晚班',
  start: '2026-09-17T10:00:00Z',
  end: '2026-09-17T14:00:00Z',
  from_staff_id: 'zhang',
  from_name: '张三',
  to_staff_id: 'li',
  to_name: '李四',
  created_at: '2026-09-15T02:00:00Z',
  updated_at: '2026-09-15T02:00:00Z',
  decided_by: '',
}

function render(swaps: Swap[], me: string, admin = false, locale: Locale = 'zh-CN') {
  return mount(SwapList, {
    props: { swaps, me, admin },
    global: { plugins: [createAppI18n(locale)] },
    attachTo: document.body,
  })
}

const buttons = (w: ReturnType<typeof render>, id: string) =>
  w
    .findAll('button')
    .map((b) => b.attributes('data-test') ?? '')
    .filter((d) => d.endsWith(`-${id}`))
    .map((d) => d.replace(/^swap-/, '').replace(`-${id}`, ''))

afterEach(() => {
  document.body.innerHTML = ''
})

describe('the swap list', () => {
  it('offers the colleague asked to accept or decline a proposed swap, and the proposer to withdraw it', () => {
    expect(buttons(render([base], 'li'), 'w1')).toEqual(['accept', 'decline'])
    expect(buttons(render([base], 'zhang'), 'w1')).toEqual(['cancel'])
    expect(buttons(render([base], 'wang'), 'w1')).toEqual([])
  })

  it('offers the head to approve or decline an accepted swap, but not to accept for the colleague', () => {
    const accepted = { ...base, status: 'accepted' as const }
    expect(buttons(render([accepted], 'admin', true), 'w1')).toEqual(['approve', 'decline'])
    expect(buttons(render([base], 'admin', true), 'w1')).toEqual(['decline'])
    expect(buttons(render([accepted], 'li'), 'w1')).toEqual(['decline'])
  })

  it('offers nothing on a closed swap', () => {
    for (const status of ['approved', 'declined', 'cancelled'] as const) {
      const w = render([{ ...base, status }], 'li', true)
      expect(buttons(w, 'w1')).toEqual([])
      w.unmount()
    }
  })

  it('says who hands the duty to whom and where it stands, in both languages', () => {
    const zh = render([base], 'li')
    expect(zh.text()).toContain('2026-09-17 工作日晚班')
    expect(zh.text()).toContain('张三 → 李四')
    expect(zh.find('[data-test="swap-status-w1"]').text()).toBe('等待对方同意')
    zh.unmount()
    const en = render([{ ...base, status: 'accepted' }], 'li', false, 'en')
    expect(en.find('[data-test="swap-status-w1"]').text()).toBe('Waiting for the head')
    expect(en.text()).toContain('张三 to 李四')
  })

  it('tells the page which action was pressed on which swap', async () => {
    const w = render([base, { ...base, id: 'w2', to_staff_id: 'zhao' }], 'li')
    await w.find('[data-test="swap-accept-w1"]').trigger('click')
    const acts = w.emitted('act') as [Swap, string][]
    expect(acts.map(([s, a]) => `${s.id}:${a}`)).toEqual(['w1:accept'])
  })

  it('shows a line when there are none', () => {
    expect(render([], 'li').text()).toContain('暂无换班申请')
  })
})
