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

describe('the centre head’s reports', () => {
  let server: Server
  let browser: Browser
  let page: Page
  let admin: string
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    admin = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.setDefaultTimeout(10_000)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  const issued = () => page.locator('[data-test="home-dashboard"] [data-test="dash-issued"]')

  it('shows the dashboard on the home screen and keeps it live as tickets are issued', async () => {
    await page.goto(server.baseURL)
    await page.waitForURL(/#\/login/)
    await uiLogin(page, 'admin', ADMIN_PASSWORD)
    await issued().waitFor()
    expect(await issued().textContent()).toContain('0')
    for (let i = 0; i < 3; i++) {
      expect((await api(server, 'POST', '/api/v1/tickets', { line: 'A' }, admin)).status).toBe(201)
    }
    // No reload: the ticket events bring the figures in.
    await expect.poll(() => issued().textContent()).toContain('3')
    await expect
      .poll(() =>
        page.locator('[data-test="home-dashboard"] [data-test="dash-waiting"]').textContent(),
      )
      .toContain('3')
    await shot(page, 'reports-01-home-dashboard')
  })

  it('opens 统计报表 with the figures by line and by window', async () => {
    await page.click('[data-test="main-menu"] >> text=统计报表')
    await page.waitForURL(/#\/reports$/)
    const byLine = page.locator('[data-test="dash-by-line"]')
    await byLine.waitFor()
    expect(await byLine.textContent()).toContain('A')
    await page.locator('[data-test="dash-by-window"]').waitFor()
    await shot(page, 'reports-02-dashboard')
  })

  it('checks the plan on one page and follows a change to the site profile', async () => {
    await page.click('[data-test="reports-nav"] >> text=达标核对')
    await page.waitForURL(/#\/reports\/compliance/)
    const table = page.locator('[data-test="plan-compliance"]')
    await table.locator('text=自助设备').first().waitFor()
    const row = table.locator('tr', { hasText: '自助设备' })
    expect(await row.textContent()).toContain('未达标')
    expect(await table.textContent()).toContain('尚未登记村（社区）名单')
    await shot(page, 'reports-03-compliance')
    const site = await api<Record<string, unknown>>(server, 'GET', '/api/v1/site', undefined, admin)
    const put = await api(
      server,
      'PUT',
      '/api/v1/site',
      { ...site.body, id: undefined, created_at: undefined, terminals: 1 },
      admin,
    )
    expect(put.status).toBe(200)
    // The table re-renders as the change arrives: wait for the row to say both things at once.
    await expect
      .poll(async () => {
        const text = (await row.textContent()) ?? ''
        return text.includes('1 台') && !text.includes('未达标')
      })
      .toBe(true)
    expect(pageErrors).toEqual([])
  })
  it('follows one number from the dashboard and from the period report down to the ticket behind it', async () => {
    const call = await api<{ ticket: { id: string; number: string } }>(
      server,
      'POST',
      '/api/v1/windows/1/call-next',
      undefined,
      admin,
    )
    expect(call.status).toBe(200)
    const done = await api(
      server,
      'POST',
      `/api/v1/tickets/${call.body.ticket.id}/complete`,
      undefined,
      admin,
    )
    expect(done.status).toBe(200)
    // From the dashboard: the line's served count opens the ticket behind it.
    await page.click('[data-test="reports-nav"] >> text=工作台')
    const dashServed = page.locator('[data-test="dash-served-line-A"]')
    await dashServed.waitFor()
    await dashServed.click()
    const dashDrawer = page.locator('[data-test="evidence-drawer"]')
    await dashDrawer
      .locator('[data-test="evidence-rows"]')
      .locator(`text=${call.body.ticket.number}`)
      .waitFor()
    await shot(page, 'reports-04a-dashboard-evidence')
    await page.keyboard.press('Escape')
    await dashDrawer.waitFor({ state: 'hidden' })
    await page.click('[data-test="reports-nav"] >> text=时段统计')
    await page.waitForURL(/#\/reports\/period/)
    const table = page.locator('[data-test="period-table"]')
    await table.locator('tr', { hasText: '管理员' }).waitFor()
    const served = table.locator('tr', { hasText: '管理员' }).locator('[data-test="cell-served"]')
    await expect.poll(() => served.textContent()).toBe('1')
    await shot(page, 'reports-04-period')
    await served.click()
    const drawer = page.locator('[data-test="evidence-drawer"]')
    await drawer
      .locator('[data-test="evidence-rows"]')
      .locator(`text=${call.body.ticket.number}`)
      .waitFor()
    expect(await drawer.locator('[data-test="evidence-count"]').textContent()).toContain('1')
    await shot(page, 'reports-05-evidence')
    await page.keyboard.press('Escape')
    await page.click('[data-test="reports-nav"] >> text=评星排名')
    await page.waitForURL(/#\/reports\/ranking/)
    await page.locator('[data-test="ranking-window"]').locator('text=管理员').waitFor()
    expect(await page.locator('[data-test="ranking-window"]').textContent()).toContain('不参评')
    await shot(page, 'reports-06-ranking')
    expect(pageErrors).toEqual([])
  })

  it('takes the period from its picker: a day still to come gets the server’s sentence', async () => {
    await page.click('[data-test="reports-nav"] >> text=时段统计')
    await page.waitForURL(/#\/reports\/period/)
    await page.locator('[data-test="period-table"]').waitFor()
    const date = page.locator('[data-test="period-date"] input')
    await date.click()
    await date.fill('2026-12-10')
    await date.press('Enter')
    const error = page.locator('[data-test="period-error"]')
    await expect.poll(() => error.textContent()).toContain('将来')
    await expect.poll(() => page.locator('[data-test="period-table"]').count()).toBe(0)
    await shot(page, 'reports-07-future-period')
    await date.fill('2026-11-25')
    await date.press('Enter')
    await page.locator('[data-test="period-table"]').waitFor()
    expect(await page.locator('[data-test="period-range"]').textContent()).toContain('2026-11-25')
    expect(pageErrors).toEqual([])
  })
})
