import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CountyAnnouncement, CountyDepartment } from '@/api/countyData'
import CountyAnnouncementsCard from '@/components/CountyAnnouncementsCard.vue'
import CountyDepartmentsCard from '@/components/CountyDepartmentsCard.vue'
import { jsonResponse, mountView, settle } from './helpers'

const fetchMock = vi.fn()
let announcements: CountyAnnouncement[]
let departments: CountyDepartment[]

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
  announcements = []
  departments = []
  fetchMock.mockImplementation((url: string) => {
    if (url.endsWith('/api/v1/county-data/announcements'))
      return Promise.resolve(jsonResponse(200, announcements))
    if (url.endsWith('/api/v1/county-data/departments'))
      return Promise.resolve(jsonResponse(200, departments))
    return Promise.resolve(jsonResponse(404, { error: 'no' }))
  })
})

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const text = (sel: string) => document.querySelector(`[data-test="${sel}"]`)?.textContent ?? ''

describe('the county data cards', () => {
  it('show nothing before the county published anything', async () => {
    await mountView(CountyAnnouncementsCard, '/', 'zh-CN')
    await settle()
    expect(document.querySelector('[data-test="home-announcements"]')).toBeNull()
  })

  it('show the announcements in zh-CN and the validity in English', async () => {
    announcements = [
      {
        title: '元旦放假安排',
        body: '1月1日至3日放假。',
        published_at: '2026-11-24T00:00:00Z',
        until: '2027-01-04T00:00:00Z',
      },
    ]
    await mountView(CountyAnnouncementsCard, '/', 'zh-CN')
    await settle()
    expect(text('home-announcements')).toContain('县平台公告')
    expect(text('home-announcements')).toContain('元旦放假安排')
    expect(text('home-announcements')).toContain('有效至')
    document.body.innerHTML = ''
    await mountView(CountyAnnouncementsCard, '/', 'en')
    await settle()
    expect(text('home-announcements')).toContain('County announcements')
    expect(text('home-announcements')).toContain('Until')
  })

  it('list the department directory with phone and hours', async () => {
    departments = [
      {
        name: '县民政局',
        phone: '0851-1234567',
        address: '县政府大楼三楼',
        hours: '工作日 8:30–17:30',
      },
    ]
    await mountView(CountyDepartmentsCard, '/', 'zh-CN')
    await settle()
    expect(text('county-departments')).toContain('县民政局')
    expect(text('county-departments')).toContain('0851-1234567')
    expect(text('county-departments')).toContain('工作日 8:30–17:30')
  })
})
