import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  OFFICE_HOURS,
  api,
  apiLogin,
  launchBrowser,
  shot,
  startServer,
  uiLogin,
  type Server,
} from './harness'

const ASSISTANT = { login: 'zhao', name: '赵代办', password: 'Assist12345' }
const CLERK = { login: 'clerk1', name: '王小明', password: 'Clerk12345' }

/** Valid resident ID numbers (GB 11643 check digit) of three villagers. */
const VILLAGERS = [
  { name: '张小三', id: '511725199003071232', phone: '13812345678' },
  { name: '李四妹', id: '511725194501010026', phone: '13900002222' },
  { name: '王五', id: '51172519500202003X', phone: '13900003333' },
]

interface Created {
  id: string
  number: string
}

describe('market day: an assistant hands two cases over and prints the list, a clerk accepts one', () => {
  let server: Server
  let browser: Browser
  let assistant: Page
  let clerk: Page
  const cases: Created[] = []
  let villageId = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    // Wednesday 25 November 2026, a market day under 逢5.
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    const admin = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    const person = async (p: { login: string; name: string; password: string }, role: string) => {
      const res = await api<{ id: string }>(server, 'POST', '/api/v1/staff', { ...p, role }, admin)
      expect(res.status).toBe(201)
      return res.body.id
    }
    const assistantId = await person(ASSISTANT, 'assistant')
    await person(CLERK, 'clerk')
    const village = await api<{ id: string }>(
      server,
      'POST',
      '/api/v1/villages',
      { name: '石桥村', room: '石桥村便民服务室', position: 1 },
      admin,
    )
    expect(village.status).toBe(201)
    villageId = village.body.id
    const card = await api(
      server,
      'PUT',
      `/api/v1/staff/${assistantId}/assistant-card`,
      { work_phone: '0818-7654321', wechat: '', hours: '', village_ids: [village.body.id] },
      admin,
    )
    expect(card.status).toBe(200)
    const market = await api(
      server,
      'PUT',
      '/api/v1/calendar/market',
      { kind: 'solar', days: [5, 15, 25] },
      admin,
    )
    expect(market.status).toBe(200)
    const token = await apiLogin(server, ASSISTANT.login, ASSISTANT.password)
    for (const [i, v] of VILLAGERS.entries()) {
      const opened = await api<Created>(
        server,
        'POST',
        '/api/v1/proxy/cases',
        {
          item_code: 'MZ-005',
          name: v.name,
          id_number: v.id,
          phone: v.phone,
          channel: 'phone',
          village_id: village.body.id,
          where: '石桥村便民服务室',
        },
        token,
      )
      expect(opened.status).toBe(201)
      cases.push(opened.body)
      if (i === 2) continue // the third still collects its materials
      const path = `/api/v1/proxy/cases/${opened.body.id}`
      expect(
        (
          await api(
            server,
            'POST',
            `${path}/materials`,
            { index: 0, collected: true, note: '原件已看' },
            token,
          )
        ).status,
      ).toBe(200)
      const moved = await api(
        server,
        'POST',
        `${path}/transition`,
        { to: 'materials_collected', where: '石桥村便民服务室' },
        token,
      )
      expect(moved.status).toBe(200)
    }
    browser = await launchBrowser()
    const open = async () => {
      const p = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
      p.on('pageerror', (e) => pageErrors.push(e.message))
      p.setDefaultTimeout(10_000)
      return p
    }
    assistant = await open()
    clerk = await open()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('the assistant signs in on the market day, hands two cases over and prints the list', async () => {
    await assistant.goto(server.baseURL)
    await assistant.waitForURL(/#\/login/)
    await uiLogin(assistant, ASSISTANT.login, ASSISTANT.password)
    const card = assistant.locator('[data-test="market-day-card"]')
    await expect.poll(() => card.locator('[data-test="market-handover-row"]').count()).toBe(2)
    expect(await card.textContent()).toContain('张*三')
    expect(await card.textContent()).not.toContain('张小三')

    await card.locator(`[data-test="market-select-${cases[0]!.number}"]`).click()
    await card.locator(`[data-test="market-select-${cases[1]!.number}"]`).click()
    await card.locator('[data-test="market-handover"]').click()
    await assistant.locator('.n-dialog').getByRole('button', { name: '交接' }).click()
    await expect
      .poll(() => assistant.locator('.n-message').first().textContent())
      .toContain('已交接2件')
    await expect.poll(() => card.locator('[data-test="market-handover-row"]').count()).toBe(0)
    await shot(assistant, 'proxy-market-handed-over')

    const [popup] = await Promise.all([
      assistant.waitForEvent('popup'),
      card.locator('[data-test="market-print"]').click(),
    ])
    await popup.waitForURL(/^blob:/)
    await popup.close()
  })

  it('a clerk accepts one handed-over case into a window case in one click', async () => {
    await clerk.goto(server.baseURL)
    await clerk.waitForURL(/#\/login/)
    await uiLogin(clerk, CLERK.login, CLERK.password)
    await clerk.goto(`${server.baseURL}/#/proxy`)
    const accept = clerk.locator(`[data-test="proxy-accept-${cases[0]!.number}"]`)
    await accept.click()
    await expect.poll(() => clerk.locator('.n-message').first().textContent()).toContain('已受理')
    await expect.poll(() => accept.count()).toBe(0)
    await expect
      .poll(() => clerk.locator(`[data-test="proxy-accept-${cases[1]!.number}"]`).count())
      .toBe(1)
    await shot(clerk, 'proxy-market-accepted')

    const token = await apiLogin(server, CLERK.login, CLERK.password)
    const got = await api<{ state: string; window_case_id: string; window_case_number: string }>(
      server,
      'GET',
      `/api/v1/proxy/cases/${cases[0]!.id}`,
      undefined,
      token,
    )
    expect(got.body.state).toBe('accepted')
    const windowCase = await api<{ status: string; item_code: string }>(
      server,
      'GET',
      `/api/v1/cases/${got.body.window_case_id}`,
      undefined,
      token,
    )
    expect(windowCase.body).toMatchObject({ status: 'accepted', item_code: 'MZ-005' })
    expect(pageErrors).toEqual([])
  })

  it("the assistant's home visits: the day's route with an outcome, and on the calendar", async () => {
    const token = await apiLogin(server, ASSISTANT.login, ASSISTANT.password)
    for (const [time, name] of [
      ['15:00', '刘大娘'],
      ['16:00', '陈伯伯'],
    ] as const) {
      const booked = await api(
        server,
        'POST',
        '/api/v1/proxy/visits',
        {
          village_id: villageId,
          name,
          phone: '13900005555',
          date: '2026-11-25',
          time,
          minutes: 30,
          reason: '行动不便，上门代办',
        },
        token,
      )
      expect(booked.status).toBe(201)
    }
    await assistant.goto(`${server.baseURL}/#/proxy`)
    await assistant.locator('.n-tabs-tab', { hasText: '上门服务' }).click()
    const stops = assistant.locator('[data-test="visit-stop"]')
    await expect.poll(() => stops.count()).toBe(2)
    expect(await assistant.locator('[data-test="visit-route"]').textContent()).toContain('石桥村')
    await stops.first().locator('[data-test="visit-outcome"]').click()
    await assistant.locator('.n-base-select-option:visible', { hasText: '已办完' }).first().click()
    await expect.poll(() => stops.first().textContent()).toContain('已办完')
    await shot(assistant, 'proxy-visits-route')

    await assistant.goto(`${server.baseURL}/#/calendar?view=timeGridDay&date=2026-11-25`)
    await expect.poll(() => assistant.locator('.cal-visit').count()).toBe(2)
    expect(pageErrors).toEqual([])
  })
})
