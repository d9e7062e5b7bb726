import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ProblemView from '@/views/ProblemView/ProblemView.vue'
import { jsonResponse, mountView, settle } from './helpers'

const fetchMock = vi.fn()

const PIN_SENTENCE =
  '叫号主机的证书与加入时记录的不一致（记录的指纹 AB12，收到的指纹 CD34），已拒绝连接：可能有其他设备冒充主机。'
const LOCK_SENTENCE = '数据目录 /home/zhang/.config/budayang 正在被另一个不打烊进程使用'

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
})

afterEach(() => {
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

/** Answers as the start-up problem door does: the status says why; the two buttons' calls succeed. */
function problemDoor(error: string, canRejoin: boolean) {
  fetchMock.mockImplementation(async (url: string, init?: RequestInit) => {
    if (url === '/api/v1/status') {
      return jsonResponse(200, {
        version: 'test',
        site_name: '',
        setup_needed: false,
        county: { state: 'unconfigured', last_sync: null },
        problem: { error, can_rejoin: canRejoin },
      })
    }
    if (url === '/api/v1/problem/rejoin' && init?.method === 'POST') {
      return jsonResponse(200, { rejoining: true })
    }
    if (url === '/api/v1/problem/quit' && init?.method === 'POST') {
      return jsonResponse(200, { quitting: true })
    }
    return jsonResponse(503, { error, code: 'unavailable' })
  })
}

const posted = () =>
  (fetchMock.mock.calls as [string, RequestInit | undefined][])
    .filter((c) => c[1]?.method === 'POST')
    .map((c) => c[0])

const el = (test: string) => document.querySelector<HTMLElement>(`[data-test="${test}"]`)

function click(test: string) {
  el(test)!.click()
  return settle()
}

function dialogButton(text: string): HTMLButtonElement | undefined {
  return [...document.querySelectorAll<HTMLButtonElement>('.n-dialog button')].find((b) =>
    b.textContent?.includes(text),
  )
}

describe('ProblemView', () => {
  it('shows why the program could not start, with 退出 and no rejoin where it cannot help', async () => {
    problemDoor(LOCK_SENTENCE, false)
    await mountView(ProblemView, '/')
    await settle()
    expect(el('problem-error')?.textContent).toContain(LOCK_SENTENCE)
    expect(el('problem-quit')?.textContent).toContain('退出')
    expect(el('problem-rejoin')).toBeNull()
    expect(posted()).toEqual([])
  })

  it('quits the program on 退出', async () => {
    problemDoor(LOCK_SENTENCE, false)
    await mountView(ProblemView, '/')
    await settle()
    await click('problem-quit')
    expect(posted()).toEqual(['/api/v1/problem/quit'])
    expect(el('problem-closing')?.textContent).toContain('正在退出')
  })

  it('asks before forgetting the hall host, and forgets nothing when cancelled', async () => {
    problemDoor(PIN_SENTENCE, true)
    await mountView(ProblemView, '/')
    await settle()
    expect(el('problem-error')?.textContent).toContain(PIN_SENTENCE)
    await click('problem-rejoin')
    expect(document.querySelector('.n-dialog')?.textContent).toContain('忘记原来记录的大厅主机')
    expect(posted()).toEqual([])
    dialogButton('取消')!.click()
    await settle()
    expect(posted()).toEqual([])
  })

  it('rejoins the hall once confirmed', async () => {
    problemDoor(PIN_SENTENCE, true)
    await mountView(ProblemView, '/')
    await settle()
    await click('problem-rejoin')
    dialogButton('重新加入大厅')!.click()
    await settle()
    expect(posted()).toEqual(['/api/v1/problem/rejoin'])
    expect(el('problem-closing')?.textContent).toContain('正在重新打开')
  })

  it('speaks English when asked', async () => {
    problemDoor(PIN_SENTENCE, true)
    await mountView(ProblemView, '/', 'en')
    await settle()
    expect(el('problem-quit')?.textContent).toContain('Quit')
    expect(el('problem-rejoin')?.textContent).toContain('Join the hall again')
  })
})
