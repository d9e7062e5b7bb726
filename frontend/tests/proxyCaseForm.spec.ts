import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import ItemPicker from '@/components/ItemPicker.vue'
import ProxyCaseForm from '@/views/ProxyView/components/ProxyCaseForm.vue'
import { jsonResponse, mountView, settle } from './helpers'

const fetchMock = vi.fn()

const guide = {
  code: 'MZ-005',
  name: '老年人优待证办理',
  department: '民政',
  office: '镇民政办',
  phone: '0818-XXXXXXX',
  levels: ['village', 'town'],
  limit_days: 5,
  fee: '不收费',
  materials: [
    { name: '居民身份证', form: 'original', count: 1, required: true },
    { name: '近期免冠照片', form: 'original', count: 1, required: false },
  ],
  steps: [],
  basis: [],
  tags: [],
}

/** Every request the form made, as method, path and body. */
const calls = () =>
  fetchMock.mock.calls.map((call: unknown[]) => {
    const [path, init] = call as [string, RequestInit | undefined]
    return {
      method: init?.method ?? 'GET',
      path,
      body:
        typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : null,
    }
  })

let answerToOpen: Response

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
  answerToOpen = jsonResponse(201, { id: 'p1', number: 'DB-20261125-001' })
  fetchMock.mockImplementation((path: string, init?: RequestInit) => {
    if (path === '/api/v1/villages') {
      return Promise.resolve(
        jsonResponse(200, [{ id: 'v1', name: '石桥村', room: '石桥村便民服务室' }]),
      )
    }
    if (path.startsWith('/api/v1/catalog/items/')) return Promise.resolve(jsonResponse(200, guide))
    if (path === '/api/v1/proxy/cases' && init?.method === 'POST')
      return Promise.resolve(answerToOpen)
    if (path === '/api/v1/rules/id-number') return Promise.resolve(jsonResponse(200, { ok: true }))
    return Promise.resolve(jsonResponse(404, { error: '没有这个接口', code: 'not_found' }))
  })
})

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const input = (name: string) => document.querySelector(`input[name="${name}"]`) as HTMLInputElement
const submit = () => document.querySelector('[data-test="proxy-form-submit"]') as HTMLButtonElement

async function type(name: string, value: string) {
  const el = input(name)
  el.value = value
  el.dispatchEvent(new Event('input'))
  await settle()
}

async function fill(wrapper: VueWrapper) {
  const picker = wrapper.findComponent(ItemPicker)
  picker.vm.$emit('update:modelValue', 'MZ-005')
  picker.vm.$emit('picked', { code: 'MZ-005' })
  await settle()
  await type('citizen-name', '张小三')
  await type('citizen-id', '511725199003071232')
  await type('citizen-phone', '13812345678')
  await type('proxy-where', '石桥村便民服务室')
}

describe('the new proxy case form', () => {
  it('shows the picked item’s checklist and its fee, and waits for every required field', async () => {
    const { wrapper } = await mountView(ProxyCaseForm)
    expect(submit().disabled).toBe(true)
    await fill(wrapper)
    const lines = [...document.querySelectorAll('[data-test="proxy-form-material"]')].map(
      (e) => e.textContent ?? '',
    )
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain('居民身份证')
    expect(lines[1]).toContain('可选')
    expect(document.body.textContent).toContain('不收费')
    expect(submit().disabled).toBe(false)
    await type('proxy-where', ' ')
    expect(submit().disabled).toBe(true)
  })

  it('sends the villager, channel and place, and reports the new case', async () => {
    const { wrapper } = await mountView(ProxyCaseForm)
    await fill(wrapper)
    ;(
      document.querySelector('[data-test="proxy-channel-home_visit"] input') as HTMLInputElement
    ).click()
    await settle()
    submit().click()
    await settle()
    const sent = calls().find((c) => c.method === 'POST' && c.path === '/api/v1/proxy/cases')
    expect(sent?.body).toMatchObject({
      item_code: 'MZ-005',
      name: '张小三',
      id_number: '511725199003071232',
      phone: '13812345678',
      channel: 'home_visit',
      where: '石桥村便民服务室',
    })
    expect(wrapper.findComponent(ProxyCaseForm).emitted('created')?.[0]?.[0]).toMatchObject({
      number: 'DB-20261125-001',
    })
  })

  it('shows the host’s reason when it refuses, and reports nothing', async () => {
    answerToOpen = jsonResponse(409, {
      error: '这位群众的“老年人优待证办理”代办件（DB-20261125-001）正在办理中，请勿重复登记。',
      code: 'conflict',
    })
    const { wrapper } = await mountView(ProxyCaseForm)
    await fill(wrapper)
    submit().click()
    await settle()
    expect(document.querySelector('[data-test="proxy-form-error"]')?.textContent).toContain(
      '请勿重复登记',
    )
    expect(wrapper.findComponent(ProxyCaseForm).emitted('created')).toBeUndefined()
  })
})
