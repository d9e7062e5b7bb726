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

async function submit(form = 'setup-form') {
  document
    .querySelector<HTMLFormElement>(`[data-test="${form}"]`)!
    .dispatchEvent(new Event('submit', { cancelable: true }))
  await settle()
}

/** The writes sent: the first-run screen reads its state on opening, and nothing else unasked. */
function posts(): [string, RequestInit][] {
  return (fetchMock.mock.calls as [string, RequestInit | undefined][]).filter(
    (c): c is [string, RequestInit] => c[1]?.method === 'POST',
  )
}

/** Answers GET /api/v1/setup as the host does; joinHall says whether it offers joining a hall. */
function setupState(joinHall: boolean, answer: (url: string) => Response) {
  fetchMock.mockImplementation(async (url: string, init?: RequestInit) =>
    url === '/api/v1/setup' && (init?.method ?? 'GET') === 'GET'
      ? jsonResponse(200, { needed: true, join_hall: joinHall })
      : answer(url),
  )
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
    expect(posts()).toEqual([])
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
    expect(posts()).toEqual([])
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
    const setupCall = posts().find(([u]) => u === '/api/v1/setup')
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

  it('offers no join choice where the host does not (a browser on the LAN)', async () => {
    setupState(false, () => jsonResponse(404, {}))
    await mountView(SetupView, '/setup')
    expect(document.querySelector('[data-test="setup-choice"]')).toBeNull()
    expect(document.querySelector('[data-test="setup-form"]')).not.toBeNull()
  })

  it('joins a hall with the join code in the desktop window and says it reopens', async () => {
    setupState(true, (url) =>
      url === '/api/v1/setup/join-hall'
        ? jsonResponse(200, { host: 'https://192.168.1.10:8470', fingerprint: 'AB12 CD34' })
        : jsonResponse(404, {}),
    )
    await mountView(SetupView, '/setup')
    const choice = document.querySelector('[data-test="setup-choice"]')
    expect(choice?.textContent).toContain('本机是大厅的窗口：加入大厅')
    document.querySelector<HTMLInputElement>('[data-test="setup-choice-join"] input')!.click()
    await settle()
    expect(document.querySelector('[data-test="setup-form"]')).toBeNull()
    await submit('join-form')
    expect(feedback()).toEqual(['请填写加入码'])
    expect(posts()).toEqual([])

    await fill('join_code', ' ABCD-EFGH-2345 ')
    await submit('join-form')
    expect(posts().map(([u, init]) => [u, JSON.parse(String(init.body))])).toEqual([
      ['/api/v1/setup/join-hall', { code: 'ABCD-EFGH-2345' }],
    ])
    expect(document.querySelector('[data-test="setup-joined"]')?.textContent).toContain(
      '已加入大厅，正在以窗口身份重新打开…',
    )
  })

  it("shows the host's sentence for a code it refuses", async () => {
    setupState(true, () =>
      jsonResponse(400, {
        error: '加入码“ABCD”不正确，请核对后重新输入（在主机的 设置 → 窗口加入码 查看）。',
        code: 'invalid',
      }),
    )
    await mountView(SetupView, '/setup')
    document.querySelector<HTMLInputElement>('[data-test="setup-choice-join"] input')!.click()
    await settle()
    await fill('join_code', 'ABCD')
    await submit('join-form')
    expect(document.querySelector('[data-test="setup-error"]')?.textContent).toContain(
      '加入码“ABCD”不正确',
    )
    expect(document.querySelector('[data-test="setup-joined"]')).toBeNull()
  })
})
