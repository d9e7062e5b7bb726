import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import CallForm from '@/views/DutyDeskView/components/CallForm.vue'
import type { Call } from '@/api/calllog'
import { setToken } from '@/api/transport'
import { feedback, jsonResponse, mountView, settle } from './helpers'

const fetchMock = vi.fn()
const saved: Call[] = []
let answer: () => Promise<Response>

const posts = () =>
  fetchMock.mock.calls.filter(
    ([url, init]) => url === '/api/v1/duty/calls' && (init as RequestInit)?.method === 'POST',
  )
const body = (i = 0) => JSON.parse(String((posts()[i]![1] as RequestInit).body))

/** The form opened, as the duty desk opens it. */
const Host = defineComponent({
  setup() {
    const show = ref(true)
    return () =>
      h(CallForm, {
        show: show.value,
        'onUpdate:show': (v: boolean) => (show.value = v),
        onSaved: (c: Call) => saved.push(c),
      })
  },
})

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
  saved.length = 0
  answer = () => Promise.resolve(jsonResponse(201, { id: 'c1', phone: '139****8888' }))
  fetchMock.mockImplementation((url: string) => {
    if (url === '/api/v1/duty/calls') return answer()
    if (url === '/api/v1/catalog/map') return Promise.resolve(jsonResponse(200, []))
    return Promise.resolve(jsonResponse(500, {}))
  })
})

afterEach(() => {
  document.body.innerHTML = ''
  setToken('')
  vi.unstubAllGlobals()
})

async function fill(name: string, value: string) {
  const el = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`)!
  el.value = value
  el.dispatchEvent(new Event('input'))
  await settle()
}

async function click(test: string) {
  document.querySelector<HTMLElement>(`[data-test="${test}"]`)!.click()
  await settle()
}

async function submit() {
  document
    .querySelector<HTMLFormElement>('[data-test="call-form"] form')!
    .dispatchEvent(new Event('submit', { cancelable: true }))
  await settle()
}

describe('CallForm', () => {
  it('asks for the phone and the need before calling the host', async () => {
    await mountView(Host)
    await submit()
    expect(feedback()).toEqual(['请填写电话', '请填写诉求'])
    expect(posts()).toEqual([])
  })

  it('sends the call with its category and referral, trimmed', async () => {
    await mountView(Host)
    await fill('call-name', ' 欧阳春燕 ')
    await fill('call-phone', '13977778888 ')
    await fill('call-village', '青龙村')
    await fill('call-need', '  问养老认证  ')
    await click('call-category-complaint')
    await click('call-referral-hotline')
    await submit()
    expect(posts()).toHaveLength(1)
    expect(body()).toEqual({
      caller_name: '欧阳春燕',
      phone: '13977778888',
      village: '青龙村',
      need: '问养老认证',
      category: 'complaint',
      handling: '',
      referral: { kind: 'hotline' },
      close: false,
    })
    expect(saved.map((c) => c.id)).toEqual(['c1'])
  })

  it('shows the host’s sentence for the same call within a minute and saves nothing', async () => {
    answer = () =>
      Promise.resolve(
        jsonResponse(409, {
          error: '一分钟内已登记过电话139****8888的同一诉求（09:00），请勿重复提交。',
          code: 'conflict',
        }),
      )
    await mountView(Host)
    await fill('call-phone', '13977778888')
    await fill('call-need', '问养老认证')
    await submit()
    expect(document.querySelector('[data-test="call-error"]')?.textContent).toContain(
      '请勿重复提交',
    )
    expect(saved).toEqual([])
  })

  it('sends one call for a double press while the host is answering', async () => {
    let release: (r: Response) => void = () => undefined
    answer = () => new Promise((r) => (release = r))
    await mountView(Host)
    await fill('call-phone', '13977778888')
    await fill('call-need', '问养老认证')
    await submit()
    await submit()
    expect(posts()).toHaveLength(1)
    release(jsonResponse(201, { id: 'c1', phone: '139****8888' }))
    await settle()
    expect(saved).toHaveLength(1)
  })
})
