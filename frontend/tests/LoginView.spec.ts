import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import LoginView from '@/views/LoginView/LoginView.vue'
import { setToken } from '@/api/transport'
import { feedback, jsonResponse, mountView, settle } from './helpers'

const fetchMock = vi.fn()

/** The host: its windows for the picker, and `login` for the sign-in. */
function host(login: Response) {
  fetchMock.mockImplementation((url: string) =>
    Promise.resolve(
      url === '/api/v1/windows'
        ? jsonResponse(200, [{ id: 'w2', number: 2, name: '2号窗口', lines: [], paused: false }])
        : login,
    ),
  )
}
const loginCalls = () => fetchMock.mock.calls.filter(([url]) => url === '/api/v1/login')

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
  host(jsonResponse(500, {}))
  localStorage.clear()
})

afterEach(() => {
  document.body.innerHTML = ''
  setToken('')
  vi.unstubAllGlobals()
})

async function fill(name: string, value: string) {
  const input = document.querySelector<HTMLInputElement>(`input[name="${name}"]`)!
  input.value = value
  input.dispatchEvent(new Event('input'))
  await settle()
}

async function submit() {
  document
    .querySelector<HTMLFormElement>('[data-test="login-form"]')!
    .dispatchEvent(new Event('submit', { cancelable: true }))
  await settle()
}

describe('LoginView', () => {
  it('asks for the user name and password before calling the host', async () => {
    await mountView(LoginView, '/login')
    await submit()
    expect(feedback()).toEqual(['请填写用户名', '请填写密码'])
    expect(loginCalls()).toEqual([])
  })

  it('shows the host’s Chinese sentence for a wrong password and clears the password', async () => {
    host(jsonResponse(401, { error: '用户名或密码错误。', code: 'unauthorized' }))
    await mountView(LoginView, '/login')
    await fill('user', 'admin')
    await fill('password', 'wrong-one')
    await submit()
    expect(loginCalls()).toHaveLength(1)
    const [, init] = loginCalls()[0] as [string, RequestInit]
    expect(JSON.parse(String(init.body))).toMatchObject({ user: 'admin', password: 'wrong-one' })
    expect(document.querySelector('[data-test="login-error"]')?.textContent).toContain(
      '用户名或密码错误。',
    )
    expect(document.querySelector<HTMLInputElement>('input[name="password"]')!.value).toBe('')
  })

  it('shows the lock-out sentence with its time', async () => {
    host(jsonResponse(423, { error: '登录失败次数过多，账户已锁定至 10:45。', code: 'locked' }))
    await mountView(LoginView, '/login')
    await fill('user', 'clerk1')
    await fill('password', 'whatever1')
    await submit()
    expect(document.querySelector('[data-test="login-error"]')?.textContent).toContain(
      '账户已锁定至 10:45',
    )
  })

  it('stores the token and goes to the redirect target on success', async () => {
    host(
      jsonResponse(200, {
        token: 'tok-9',
        expires_at: '2030-01-01T00:00:00Z',
        staff: {
          id: '1',
          login: 'admin',
          name: '管理员',
          role: 'admin',
          active: true,
          created_at: '',
        },
      }),
    )
    const { router } = await mountView(LoginView, '/login?redirect=/setup')
    await fill('user', 'admin')
    await fill('password', 'Admin12345')
    await submit()
    expect(sessionStorage.getItem('budayang.token')).toBe('tok-9')
    expect(router.currentRoute.value.fullPath).toBe('/setup')
  })

  it('signs in at the window this machine stands at, for the audit log and the queue page', async () => {
    host(jsonResponse(401, { error: '用户名或密码错误。', code: 'unauthorized' }))
    localStorage.setItem('budayang.window', '2')
    await mountView(LoginView, '/login')
    await fill('user', 'clerk1')
    await fill('password', 'Clerk12345')
    await submit()
    const [, init] = loginCalls()[0] as [string, RequestInit]
    expect(JSON.parse(String(init.body))).toMatchObject({ workstation: '2号窗口' })
  })
})
