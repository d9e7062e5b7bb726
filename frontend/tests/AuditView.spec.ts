import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuditPage } from '@/api/audit'
import AuditView from '@/views/AuditView/AuditView.vue'
import { jsonResponse, mountView, settle } from './helpers'

const fetchMock = vi.fn()

const entry = (seq: number, action: string, target: string, extra = {}) => ({
  seq,
  at: '2026-11-25T01:00:00Z',
  actor: 'admin',
  actor_name: '管理员',
  action,
  target,
  detail: '',
  workstation: '窗口1',
  hash: 'x',
  ...extra,
})

const page: AuditPage = {
  entries: [
    entry(3, 'staff.create', 'clerk1', { target_label: '张晓梅' }),
    entry(2, 'case.read_id', '0192f1e4-aaaa-7bbb-8ccc-111122223333', {
      target_label: '20261125-001',
    }),
    entry(1, 'county.sync', 'v2', { actor: 'system', actor_name: undefined }),
  ],
  chain_ok: true,
  broken_at: null,
  cut: false,
}

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
  fetchMock.mockImplementation(() => Promise.resolve(jsonResponse(200, page)))
})

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const rows = () =>
  [...document.querySelectorAll('[data-test="audit-table"] tbody tr')].map(
    (r) => r.textContent ?? '',
  )

describe('the audit page', () => {
  it('shows actions as sentences and targets by name in Chinese', async () => {
    await mountView(AuditView, '/', 'zh-CN')
    await settle()
    const [created, read, unknown] = rows()
    expect(created).toContain('新增人员')
    expect(created).toContain('张晓梅')
    expect(created).not.toContain('staff.create')
    expect(read).toContain('查看办件申请人的完整身份证号码')
    expect(read).toContain('20261125-001')
    expect(read).not.toContain('0192f1e4')
    expect(unknown).toContain('county.sync')
    expect(unknown).toContain('系统')
  })

  it('shows the same in English', async () => {
    await mountView(AuditView, '/', 'en')
    await settle()
    const [created, read, unknown] = rows()
    expect(created).toContain('Added a staff member')
    expect(created).toContain('张晓梅')
    expect(read).toContain("Viewed an applicant's full ID number")
    expect(unknown).toContain('System')
  })
})
