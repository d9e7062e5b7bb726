import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  api,
  apiLogin,
  launchBrowser,
  pickOption,
  shot,
  startServer,
  uiLogin,
  type Server,
} from './harness'

interface Duty {
  id: string
  date: string
  shift_id: string
  staff_id: string
}

// 我的值班: a duty officer proposes a swap from their page, the colleague accepts, the head approves
// from the same page, and the roster changes hands.
describe('duty swaps', () => {
  let server: Server
  let browser: Browser
  let page: Page
  let admin = ''
  const ids: Record<string, string> = {}
  const names: Record<string, string> = {}
  let duty: Duty
  let giver = ''
  let taker = ''
  let planID = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await startServer({ init: true, clock: '2026-09-15T10:00:00+08:00' })
    admin = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    for (const n of [1, 2, 3, 4, 5]) {
      const res = await api<{ id: string; name: string }>(
        server,
        'POST',
        '/api/v1/staff',
        { login: `duty${n}`, name: `值班员${n}`, role: 'duty', password: 'Passw0rd123' },
        admin,
      )
      expect(res.status).toBe(201)
      ids[`duty${n}`] = res.body.id
      names[res.body.id] = res.body.name
    }
    const shifts = await api(
      server,
      'PUT',
      '/api/v1/roster/shifts',
      {
        shifts: [
          {
            id: 'evening',
            name: '工作日晚班',
            days: ['workday_evening'],
            start: '18:00',
            end: '22:00',
            people: 1,
            role: 'duty',
          },
        ],
      },
      admin,
    )
    expect(shifts.status).toBe(200)
    const plan = await api<{ id: string }>(
      server,
      'POST',
      '/api/v1/roster/plans',
      { from: '2026-09-16', to: '2026-09-30' },
      admin,
    )
    planID = plan.body.id
    const published = await api<{ assignments: Duty[] }>(
      server,
      'POST',
      `/api/v1/roster/plans/${planID}/publish`,
      undefined,
      admin,
    )
    expect(published.status).toBe(200)
    const all = published.body.assignments
    // The first duty whose holder has a colleague free the day before, of and after.
    for (const d of all) {
      const near = new Set(
        all
          .filter((x) => Math.abs(Date.parse(x.date) - Date.parse(d.date)) <= 86_400_000)
          .map((x) => x.staff_id),
      )
      const free = Object.values(ids).find((id) => !near.has(id))
      if (free && names[d.staff_id]) {
        duty = d
        taker = free
        giver = d.staff_id
        break
      }
    }
    expect(duty).toBeDefined()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.setDefaultTimeout(10_000)
    await page.goto(server.baseURL)
    const login = Object.entries(ids).find(([, id]) => id === giver)![0]
    await uiLogin(page, login, 'Passw0rd123')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('lists my duties and proposes a swap with a colleague', async () => {
    await page.click('[data-test="main-menu"] >> text=我的值班')
    await page.locator(`[data-test="duty-swap-${duty.id}"]`).click()
    await pickOption(page, '[data-test="swap-with"]', names[taker]!)
    await page.click('[data-test="swap-submit"]')
    await page.locator('text=已提出换班').waitFor()
    const row = page.locator('[data-test^="swap-status-"]').first()
    await expect.poll(() => row.textContent()).toBe('等待对方同意')
    await shot(page, 'duty-swaps-01-proposed')
  })

  it('the head approves once the colleague accepts, and the duty changes hands', async () => {
    const takerLogin = Object.entries(ids).find(([, id]) => id === taker)![0]
    const token = await apiLogin(server, takerLogin, 'Passw0rd123')
    const swaps = await api<{ swaps: { id: string }[] }>(
      server,
      'GET',
      '/api/v1/roster/swaps?open=1',
      undefined,
      token,
    )
    const id = swaps.body.swaps[0]!.id
    expect((await api(server, 'POST', `/api/v1/roster/swaps/${id}/accept`, {}, token)).status).toBe(
      200,
    )
    const head = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' })
    head.on('pageerror', (e) => pageErrors.push(e.message))
    await head.goto(server.baseURL)
    await uiLogin(head, 'admin', ADMIN_PASSWORD)
    await head.goto(`${server.baseURL}/#/my-duty`)
    await head.locator(`[data-test="swap-approve-${id}"]`).click()
    await head.locator('text=已批准，值班已换人').waitFor()
    await shot(head, 'duty-swaps-02-approved')
    const plan = await api<{ assignments: Duty[] }>(
      server,
      'GET',
      `/api/v1/roster/plans/${planID}`,
      undefined,
      admin,
    )
    expect(plan.body.assignments.find((a) => a.id === duty.id)!.staff_id).toBe(taker)
    await expect.poll(() => page.locator(`[data-test="duty-swap-${duty.id}"]`).count()).toBe(0)
    expect(pageErrors).toEqual([])
  })
})
