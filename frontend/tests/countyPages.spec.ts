import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider } from 'naive-ui'
import { createAppI18n } from '@/i18n'
import type { CountySite, DatasetPreview } from '@/api/county'
import { decideCounty } from '@/router/countyGuard'
import SitesTable from '@/views/CountySitesView/components/SitesTable.vue'
import DatasetPreviewPanel from '@/views/CountyDatasetsView/components/DatasetPreviewPanel.vue'
import PublishBar from '@/views/CountyDatasetsView/components/PublishBar.vue'
import { withYear } from '@/views/CountyDatasetsView/holidays'
import { jsonResponse, settle } from './helpers'

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

/** Mounts a component with props among the county routes, in Chinese. */
async function mountWith(component: unknown, props: Record<string, unknown>) {
  setActivePinia(createPinia())
  const Stub = defineComponent({ render: () => h('div') })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/county', name: 'county-sites', component: Stub },
      { path: '/county/sites/:id', name: 'county-site', component: Stub },
    ],
  })
  await router.push('/county')
  const Root = defineComponent({
    render: () =>
      h(NMessageProvider, () =>
        h(NDialogProvider, () => h(component as ReturnType<typeof defineComponent>, props)),
      ),
  })
  const wrapper = mount(Root, {
    global: { plugins: [createAppI18n('zh-CN'), router] },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

const site = (name: string, extra: Partial<CountySite> = {}): CountySite => ({
  id: `id-${name}`,
  name,
  kind: 'town',
  enrolled_at: '2026-11-20T02:00:00Z',
  last_sync_at: '2026-11-25T01:00:00Z',
  records: 120,
  pending: 3,
  dead: 0,
  skew_seconds: 2,
  skew_flagged: false,
  revoked: false,
  ...extra,
})

const rowOf = (name: string) =>
  [...document.querySelectorAll('[data-test="county-sites-table"] tbody tr')].find((r) =>
    r.textContent?.includes(name),
  ) as HTMLElement

describe('the county sites table', () => {
  it('flags in red a clock skew the county flags, and only that one', async () => {
    await mountWith(SitesTable, {
      sites: [
        site('青山镇'),
        site('白鹤乡', { skew_seconds: 75, skew_flagged: true }),
        site('石桥村', { skew_seconds: -400, skew_flagged: true, kind: 'village' }),
      ],
    })
    const flags = [...document.querySelectorAll('[data-test="skew-flag"]')]
    expect(flags.map((f) => f.textContent?.trim())).toEqual(['+75 秒', '-400 秒'])
    expect(
      flags.every((f) => f.classList.contains('n-tag') && f.classList.contains('skew-bad')),
    ).toBe(true)
    expect(rowOf('青山镇').querySelector('[data-test="skew-flag"]')).toBeNull()
    expect(rowOf('青山镇').querySelector('[data-test="skew"]')?.textContent).toBe('+2 秒')
  })

  it('shows sync health: last sync, rows waiting and rejected, records, enrolment and revocation', async () => {
    await mountWith(SitesTable, {
      sites: [
        site('青山镇', { dead: 4 }),
        site('新登记', { enrolled_at: null, last_sync_at: null, records: 0, pending: 0 }),
        site('已停用站', { revoked: true }),
      ],
    })
    const qs = rowOf('青山镇')
    expect(qs.textContent).toContain('2026-11-25 09:00:00')
    expect(qs.querySelector('[data-test="site-dead"]')?.className).toContain('bad')
    expect(qs.textContent).toContain('120')
    expect(rowOf('新登记').textContent).toContain('待接入')
    expect(rowOf('新登记').textContent).toContain('从未')
    const revoked = rowOf('已停用站')
    expect(revoked.querySelector('[data-test="revoked"]')?.textContent).toBe('已停用')
    expect(revoked.querySelector<HTMLButtonElement>('[data-test="site-revoke"]')?.disabled).toBe(
      true,
    )
    expect(qs.querySelector<HTMLButtonElement>('[data-test="site-revoke"]')?.disabled).toBe(false)
  })
})

const holidaysPreview: DatasetPreview = {
  kind: 'holidays',
  base: 1,
  same: false,
  holidays: [
    {
      year: 2026,
      change: 'unchanged',
      summary: {
        year: 2026,
        source: 'county',
        notice: '',
        holidays: 33,
        festivals: 7,
        workdays: 6,
      },
      days: [],
    },
    {
      year: 2027,
      change: 'added',
      summary: {
        year: 2027,
        source: 'county',
        notice: '',
        holidays: 10,
        festivals: 2,
        workdays: 1,
      },
      days: [
        {
          date: '2027-02-08',
          before: { workday: true },
          after: { workday: false, holiday: '春节' },
        },
        {
          date: '2027-02-20',
          before: { workday: false },
          after: { workday: true, holiday: '春节' },
        },
      ],
    },
  ],
}

describe('the dataset preview', () => {
  it('lists per year how it changes and the days that move', async () => {
    await mountWith(DatasetPreviewPanel, { preview: holidaysPreview })
    expect(document.querySelector('[data-test="preview-base"]')?.textContent).toContain(
      '与已发布的第 1 版相比（将发布为第 2 版）',
    )
    const y26 = document.querySelector('[data-test="preview-year-2026"]') as HTMLElement
    expect(y26.querySelector('[data-test="year-change"]')?.textContent?.trim()).toBe('不变')
    expect(y26.querySelector('[data-test="preview-days"]')).toBeNull()
    const y27 = document.querySelector('[data-test="preview-year-2027"]') as HTMLElement
    expect(y27.querySelector('[data-test="year-change"]')?.textContent?.trim()).toBe('新增')
    expect(y27.textContent).toContain('放假 10 天（2 个节日），调休上班 1 天；2 个日期有变化')
    const days = [...y27.querySelectorAll('[data-test="preview-days"] tbody tr')].map(
      (r) => r.textContent,
    )
    expect(days).toEqual(['2027-02-08工作日春节', '2027-02-20休息日春节调休上班'])
  })

  it('names the catalog items added, removed and changed, and counts a list', async () => {
    await mountWith(DatasetPreviewPanel, {
      preview: {
        kind: 'catalog',
        base: 3,
        same: false,
        catalog: {
          version: '2027.1',
          items: 2,
          added: [{ code: 'B-1', name: '残疾人两项补贴' }],
          removed: [],
          changed: [{ code: 'A-1', name: '低保申请' }],
        },
      },
    })
    expect(document.querySelector('[data-test="preview-catalog"]')?.textContent).toContain(
      '清单版本 2027.1，共 2 项：新增 1 项，删除 0 项，修改 1 项。',
    )
    expect(document.body.textContent).toContain('新增事项（1）')
    expect(document.body.textContent).not.toContain('删除事项')
  })

  it('says when the payload is the version already published, and publishing stays off', async () => {
    fetchMock.mockImplementation(() =>
      Promise.resolve(
        jsonResponse(200, {
          kind: 'departments',
          base: 2,
          same: true,
          list: { entries: 2, added: 0, removed: 0 },
        }),
      ),
    )
    const payload = [{ name: '民政局' }]
    const w = await mountWith(PublishBar, { kind: 'departments', payload })
    const publish = () => document.querySelector<HTMLButtonElement>('[data-test="dataset-publish"]')
    expect(publish()?.disabled).toBe(true)
    await w.find('[data-test="dataset-preview-button"]').trigger('click')
    await settle()
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit]
    expect(url).toBe('/api/v1/county/datasets/preview')
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer county-token')
    expect(JSON.parse(String(init.body))).toEqual({ kind: 'departments', payload })
    expect(document.querySelector('[data-test="preview-same"]')?.textContent).toContain(
      '内容与已发布的第 2 版相同',
    )
    expect(document.querySelector('[data-test="preview-list"]')?.textContent).toContain('共 2 项')
    expect(publish()?.disabled).toBe(true)
  })

  it('enables publishing once a differing payload is previewed', async () => {
    fetchMock.mockImplementation(() => Promise.resolve(jsonResponse(200, holidaysPreview)))
    const w = await mountWith(PublishBar, { kind: 'holidays', payload: [] })
    await w.find('[data-test="dataset-preview-button"]').trigger('click')
    await settle()
    expect(
      document.querySelector<HTMLButtonElement>('[data-test="dataset-publish"]')?.disabled,
    ).toBe(false)
  })
})

describe('publishing one year of holidays', () => {
  it('replaces that year and keeps the other years published, in year order', () => {
    const a = (year: number, notice = '') => ({ year, notice, holidays: [], workdays: [] })
    expect(
      withYear([a(2027, 'old'), a(2025)], a(2027, 'new')).map((x) => [x.year, x.notice]),
    ).toEqual([
      [2025, ''],
      [2027, 'new'],
    ])
    expect(withYear([a(2026)], a(2027)).map((x) => x.year)).toEqual([2026, 2027])
  })
})

describe('the county guard', () => {
  const to = (
    name: string,
    meta: { county?: boolean; public?: boolean },
    fullPath = `/${name}`,
  ) => ({
    name,
    meta,
    fullPath,
  })

  it('on the county opens only county pages, and those with a session', () => {
    const county = { isCounty: true, loggedIn: false }
    expect(decideCounty(to('home', {}, '/'), county)).toEqual({ name: 'county-sites' })
    expect(decideCounty(to('setup', { public: true }), county)).toEqual({ name: 'county-sites' })
    expect(decideCounty(to('county-sites', { county: true }, '/county'), county)).toEqual({
      name: 'county-login',
    })
    expect(decideCounty(to('county-audit', { county: true }, '/county/audit'), county)).toEqual({
      name: 'county-login',
      query: { redirect: '/county/audit' },
    })
    expect(decideCounty(to('county-login', { county: true, public: true }), county)).toBe(true)
    const in_ = { isCounty: true, loggedIn: true }
    expect(decideCounty(to('county-audit', { county: true }), in_)).toBe(true)
    expect(decideCounty(to('county-login', { county: true, public: true }), in_)).toEqual({
      name: 'county-sites',
    })
  })

  it('on a site host sends county pages home and leaves site pages to the site guard', () => {
    const site = { isCounty: false, loggedIn: true }
    expect(decideCounty(to('county-sites', { county: true }), site)).toEqual({ name: 'home' })
    expect(decideCounty(to('queue', {}), site)).toBeUndefined()
  })
})
