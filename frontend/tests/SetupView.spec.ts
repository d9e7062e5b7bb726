import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import SetupView from '@/views/SetupView/SetupView.vue'
import { feedback, jsonResponse, mountView, settle } from './helpers'

const fetchMock = vi.fn()

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
})

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

async function fill(name: string, value: string) {
  const input = document.querySelector<HTMLInputElement>(`input[name="${name}"]`)!
  input.value = value
  input.dispatchEvent(new Event('input'))
  input.dispatchEvent(new Event('blur'))
  await settle()
}

async function submit() {
  document
    .querySelector<HTMLFormElement>('[data-test="setup-form"]')!
    .dispatchEvent(new Event('submit', { cancelable: true }))
  await settle()
}

describe('SetupView', () => {
  it('lists every missing field in Chinese', async () => {
    await mountView(SetupView, '/setup')
    await submit()
    expect(feedback()).toEqual([
      '请填写中心名称',
      '请填写户籍人口',
      '请填写服务场所面积',
      '请填写管理员密码',
      '请填写再次输入密码',
    ])
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('offers the five kinds of site with Chinese labels', async () => {
    await mountView(SetupView, '/setup')
    expect(document.querySelector('[data-test="kind-select"]')?.textContent).toContain('镇')
  })

  it('rejects a short password and two passwords that differ', async () => {
    await mountView(SetupView, '/setup')
    await fill('site_name', '渠县某镇便民服务中心')
    await fill('population', '42000')
    await fill('floor_area_m2', '320')
    await fill('admin_password', 'short')
    await fill('repeat', 'other')
    await submit()
    expect(feedback()).toEqual(['管理员密码至少 8 位', '两次输入的密码不一致'])
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('posts the site and goes to login', async () => {
    fetchMock.mockImplementation(async (url: string) =>
      url === '/api/v1/setup'
        ? jsonResponse(201, {
            id: 's',
            name: '渠县某镇便民服务中心',
            kind: 'town',
            population: 42000,
            floor_area_m2: 320,
            created_at: '2025-01-01T00:00:00Z',
          })
        : jsonResponse(200, {
            version: 'x',
            site_name: '渠县某镇便民服务中心',
            setup_needed: false,
            county: { state: 'unconfigured', last_sync: null },
          }),
    )
    const { router } = await mountView(SetupView, '/setup')
    await fill('site_name', '渠县某镇便民服务中心')
    await fill('population', '42000')
    await fill('floor_area_m2', '320')
    await fill('admin_password', 'Admin12345')
    await fill('repeat', 'Admin12345')
    await submit()
    const setupCall = fetchMock.mock.calls.find(([u]) => u === '/api/v1/setup') as
      [string, RequestInit] | undefined
    expect(setupCall).toBeDefined()
    expect(JSON.parse(String(setupCall![1].body))).toEqual({
      site_name: '渠县某镇便民服务中心',
      kind: 'town',
      population: 42000,
      floor_area_m2: 320,
      admin_password: 'Admin12345',
    })
    expect(router.currentRoute.value.name).toBe('login')
  })
})
