import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SyncReport } from '@/api/sync'
import CountySyncCard from '@/views/SettingsView/components/CountySyncCard.vue'
import { jsonResponse, mountView, settle } from './helpers'

const fetchMock = vi.fn()

const unenrolled: SyncReport = {
  enrolled: false,
  county: '',
  online: false,
  last_success_at: null,
  pending: 12,
  dead: 0,
  last_error: '',
  protocol: 1,
  datasets: [],
  upgrade_needed: [],
  dead_letters: [],
}

const enrolled: SyncReport = {
  ...unenrolled,
  enrolled: true,
  county: 'https://10.0.0.5:8480',
  online: true,
  last_success_at: '2026-11-25T01:00:00Z',
  pending: 0,
  dead: 1,
  dead_letters: [
    {
      entry_id: 'e-1',
      seq: 7,
      kind: 'ticket.issue',
      entity_id: 't-bad',
      reason: '记录含有未遮蔽的身份证号，县平台拒收。',
      failed_at: '2026-11-25T01:00:00Z',
    },
  ],
}

const status = {
  version: 'test',
  site_name: '测试镇',
  setup_needed: false,
  county: { state: 'online', last_sync: '2026-11-25T01:00:00Z' },
}

let report: SyncReport

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
  report = unenrolled
  fetchMock.mockImplementation((url: string, init?: RequestInit) => {
    if (url.endsWith('/api/v1/status')) return Promise.resolve(jsonResponse(200, status))
    if (url.endsWith('/api/v1/sync/enroll') && init?.method === 'POST') report = enrolled
    return Promise.resolve(jsonResponse(200, report))
  })
})

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const text = (sel: string) => document.querySelector(`[data-test="${sel}"]`)?.textContent ?? ''

describe('the county sync card', () => {
  it('enrols with the address and code, then shows the link and the refused records', async () => {
    await mountView(CountySyncCard, '/', 'zh-CN')
    await settle()
    expect(text('county-sync')).toContain('登记码')
    const type = (name: string, value: string) => {
      const input = document.querySelector<HTMLInputElement>(`input[name="${name}"]`)
      if (!input) throw new Error(`no input ${name}`)
      input.value = value
      input.dispatchEvent(new Event('input'))
    }
    type('county', 'https://10.0.0.5:8480')
    type('code', 'AEAA-BBBB')
    await settle()
    document.querySelector<HTMLButtonElement>('[data-test="county-enroll"]')?.click()
    await settle()

    const enroll = fetchMock.mock.calls.find(([u]) => String(u).endsWith('/api/v1/sync/enroll'))
    expect(JSON.parse(String(enroll?.[1]?.body))).toEqual({
      county: 'https://10.0.0.5:8480',
      code: 'AEAA-BBBB',
    })
    expect(text('county-sync-state')).toContain('在线')
    expect(text('county-sync-pending')).toBe('0')
    expect(text('county-dead-letters')).toContain('未遮蔽的身份证号')
  })

  it('warns of a stalled queue and of records a restored county lost for good', async () => {
    report = {
      ...enrolled,
      stalled: true,
      stalled_since: '2026-11-25T01:00:00Z',
      unrecoverable: 8,
    }
    await mountView(CountySyncCard, '/', 'zh-CN')
    await settle()
    expect(text('county-sync-stalled')).toContain('同步停滞')
    expect(text('county-sync-unrecoverable')).toContain('8 条记录')
  })

  it('shows neither while the queue moves', async () => {
    report = { ...enrolled, stalled: false, stalled_since: null, unrecoverable: 0 }
    await mountView(CountySyncCard, '/', 'zh-CN')
    await settle()
    expect(document.querySelector('[data-test="county-sync-stalled"]')).toBeNull()
    expect(document.querySelector('[data-test="county-sync-unrecoverable"]')).toBeNull()
  })

  it('syncs now on 立即同步 and says so in English too', async () => {
    report = enrolled
    await mountView(CountySyncCard, '/', 'en')
    await settle()
    expect(text('county-sync-state')).toContain('Online')
    document.querySelector<HTMLButtonElement>('[data-test="county-sync-now"]')?.click()
    await settle()
    expect(
      fetchMock.mock.calls.some(
        ([u, init]) => String(u).endsWith('/api/v1/sync/now') && init?.method === 'POST',
      ),
    ).toBe(true)
  })

  it('lists the county datasets applied and warns when the county publishes a newer format', async () => {
    report = {
      ...enrolled,
      datasets: [
        { kind: 'holidays', version: 3, applied_at: '2026-11-25T01:00:00Z' },
        { kind: 'departments', version: 1, applied_at: '2026-11-25T01:00:00Z' },
      ],
      upgrade_needed: ['catalog'],
    }
    await mountView(CountySyncCard, '/', 'zh-CN')
    await settle()
    expect(text('county-datasets')).toContain('节假日安排')
    expect(text('county-datasets')).toContain('第 3 版')
    expect(text('county-datasets')).toContain('部门通讯录')
    expect(text('county-upgrade')).toContain('县平台数据集版本较新，请升级本程序')
    expect(text('county-upgrade')).toContain('事项清单')
  })
})
