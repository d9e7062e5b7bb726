import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider } from 'naive-ui'
import { createAppI18n } from '@/i18n'
import type { Inspection, SiteInspection } from '@/api/county'
import CountyInspectionView from '@/views/CountyInspectionView/CountyInspectionView.vue'
import { jsonResponse } from './helpers'

/* eslint-disable vue/one-component-per-file -- a stub route and a provider root, test-only */

const fetchMock = vi.fn()

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
  sessionStorage.setItem('budayang.countyToken', 'county-token')
})

afterEach(() => {
  vi.unstubAllGlobals()
  sessionStorage.clear()
  document.body.innerHTML = ''
})

const cover = (places: number, filled: number, rostered = true) => ({
  dates: ['2026-11-28', '2026-11-29'],
  places,
  filled,
  rostered,
  covered: rostered && places === filled,
})

const line = (name: string, extra: Partial<SiteInspection>): SiteInspection => ({
  site_id: `id-${name}`,
  name,
  kind: 'town',
  revoked: false,
  last_sync_at: '2026-11-25T01:00:00Z',
  silent: false,
  issued: 5,
  waiting: 2,
  served: 2,
  overdue_cases: 0,
  ratings: 2,
  bad_ratings: 0,
  late_followups: 0,
  duty_today: cover(1, 1),
  duty_weekend: cover(2, 2),
  profile_known: true,
  population: 42000,
  window_staff: 7,
  window_staff_min: 7,
  staffing_ok: true,
  flags: [],
  ...extra,
})

const inspection: Inspection = {
  date: '2026-11-25',
  weekend: ['2026-11-28', '2026-11-29'],
  sites: [
    line('青山镇', {
      overdue_cases: 2,
      duty_weekend: cover(2, 1),
      window_staff: 2,
      staffing_ok: false,
      flags: ['overdue', 'duty', 'understaffed'],
    }),
    line('白鹤乡', {}),
    line('石桥村', {
      silent: true,
      last_sync_at: null,
      duty_today: cover(0, 0, false),
      flags: ['silent', 'duty'],
    }),
  ],
  totals: {
    sites: 3,
    issued: 15,
    waiting: 6,
    served: 6,
    overdue_cases: 2,
    ratings: 6,
    bad_ratings: 1,
    late_followups: 0,
    silent: 1,
    duty_uncovered: 2,
    understaffed: 1,
  },
}

const ranking = {
  from: '2026-10-27',
  to: '2026-11-25',
  min_volume: 20,
  people: [
    {
      key: 'a',
      name: '张一',
      site_name: '青山镇',
      volume: 40,
      rated: 10,
      good: 9,
      closed: 5,
      on_time: 4,
      complaints: 0,
      score: 890,
      qualified: true,
      rank: 1,
      tie: true,
      medal: 'gold',
      site_id: 'a',
      staff_id: '1',
    },
    {
      key: 'b',
      name: '李二',
      site_name: '白鹤乡',
      volume: 40,
      rated: 10,
      good: 9,
      closed: 5,
      on_time: 4,
      complaints: 0,
      score: 890,
      qualified: true,
      rank: 1,
      tie: true,
      medal: 'gold',
      site_id: 'b',
      staff_id: '2',
    },
    {
      key: 'c',
      name: '王三',
      site_name: '青山镇',
      volume: 5,
      rated: 0,
      good: 0,
      closed: 0,
      on_time: 0,
      complaints: 0,
      score: 0,
      qualified: false,
      rank: 0,
      tie: false,
      site_id: 'a',
      staff_id: '3',
    },
  ],
}

async function mountView() {
  setActivePinia(createPinia())
  const Stub = defineComponent({ render: () => h('div') })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/county/inspection', name: 'county-inspection', component: Stub },
      { path: '/county/sites/:id', name: 'county-site', component: Stub },
    ],
  })
  await router.push('/county/inspection')
  const Root = defineComponent({
    render: () => h(NMessageProvider, () => h(NDialogProvider, () => h(CountyInspectionView))),
  })
  mount(Root, { global: { plugins: [createAppI18n('zh-CN'), router] }, attachTo: document.body })
  await flushPromises()
}

const rowOf = (name: string) =>
  [...document.querySelectorAll('[data-test="inspection-table"] tbody tr')].find((r) =>
    r.textContent?.includes(name),
  ) as HTMLElement

describe('the county inspection page', () => {
  it("shows the county's totals and flags each site's problems", async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, inspection))
    await mountView()
    expect(String(fetchMock.mock.calls[0]?.[0])).toContain('/api/v1/county/inspection?date=')
    const totals = document.querySelector('[data-test="inspection-totals"]')?.textContent ?? ''
    expect(totals).toContain('超期办件')
    expect(totals).toContain('超过24小时未同步')
    const qs = rowOf('青山镇')
    expect([...qs.querySelectorAll('[data-test^="flag-"]')].map((f) => f.textContent)).toEqual([
      '超期',
      '值班缺口',
      '人员不足',
    ])
    expect(qs.textContent).toContain('1/2 缺1人')
    expect(qs.textContent).toContain('2/7')
    expect(rowOf('白鹤乡').querySelectorAll('[data-test^="flag-"]')).toHaveLength(0)
    expect(rowOf('石桥村').textContent).toContain('从未同步')
    expect(rowOf('石桥村').textContent).toContain('未发布排班')
  })

  it('keeps only the flagged sites when asked', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, inspection))
    await mountView()
    ;(document.querySelector('.n-checkbox') as HTMLElement).click()
    await flushPromises()
    expect(rowOf('白鹤乡')).toBeUndefined()
    expect(rowOf('青山镇')).toBeDefined()
  })

  it('says why a date is refused', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(400, { error: '2026-11-26还没有到，不能督查未来的日子。', code: 'invalid' }),
    )
    await mountView()
    expect(document.querySelector('[data-test="inspection-error"]')?.textContent).toContain(
      '不能督查未来的日子',
    )
  })

  it('ranks across the county with shared medals for a tie and the unranked after', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, inspection))
    await mountView()
    fetchMock.mockResolvedValueOnce(jsonResponse(200, ranking))
    const tab = [...document.querySelectorAll('.n-tabs-tab')].find((el) =>
      el.textContent?.includes('金银铜牌排名'),
    ) as HTMLElement
    tab.click()
    await flushPromises()
    expect(String(fetchMock.mock.calls[1]?.[0])).toContain('/api/v1/county/ranking?from=&to=')
    const medals = [...document.querySelectorAll('[data-test="medal-gold"]')]
    expect(medals.map((m) => m.textContent)).toEqual(['1（并列） 金牌', '1（并列） 金牌'])
    const rows = [...document.querySelectorAll('[data-test="ranking-table"] tbody tr')]
    expect(rows[2]?.textContent).toContain('未达最低办件量')
    expect(rows[0]?.textContent).toContain('90%')
    expect(document.body.textContent).toContain('办件量不足 20 件不参与排名')
  })
})
