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

interface Plan {
  id: string
  status: string
  assignments: { id: string; date: string; staff_id: string }[]
}

// The head's month: set the shifts, draft the National Day quarter, change a place, publish.
describe('the duty roster', () => {
  let server: Server
  let browser: Browser
  let page: Page
  let admin = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await startServer({ init: true, clock: '2026-09-15T10:00:00+08:00' })
    admin = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    for (const n of [1, 2, 3, 4, 5]) {
      const res = await api(
        server,
        'POST',
        '/api/v1/staff',
        { login: `duty${n}`, name: `值班员${n}`, role: 'duty', password: 'Passw0rd123' },
        admin,
      )
      expect(res.status).toBe(201)
    }
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.setDefaultTimeout(10_000)
    await page.goto(server.baseURL)
    await uiLogin(page, 'admin', ADMIN_PASSWORD)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('sets a holiday shift and the duty phone', async () => {
    await page.goto(`${server.baseURL}/#/roster`)
    await page.click('[data-test="roster-edit-shifts"]')
    await page.fill('[data-test="roster-duty-phone"] input', '0818-5212345')
    await page.click('[data-test="roster-shift-add"]')
    const row = page.locator('[data-test="roster-shift-row"]').first()
    await row.locator('input').first().fill('节假日白班')
    await row.locator('.n-input-number input').first().fill('2')
    await row.locator('.n-input-number input').first().press('Tab')
    await page.click('[data-test="roster-shifts-save"]')
    await page.locator('text=班次已保存').waitFor()
    const res = await api<{
      shifts: { name: string; people: number; weight: number }[]
      duty_phone: string
    }>(server, 'GET', '/api/v1/roster/shifts', undefined, admin)
    expect(res.body.duty_phone).toBe('0818-5212345')
    expect(res.body.shifts.map((s) => [s.name, s.people, s.weight])).toEqual([['节假日白班', 2, 1]])
  })

  it('drafts the quarter and lists each person’s October', async () => {
    await page.fill('[data-test="roster-from"] input', '2026-10-01')
    await page.keyboard.press('Enter')
    await page.fill('[data-test="roster-to"] input', '2026-12-31')
    await page.keyboard.press('Enter')
    await page.click('[data-test="roster-generate"]')
    await page.locator('text=已生成草稿').waitFor()
    const table = page.locator('[data-test="roster-by-person"]')
    await table.locator('text=值班员1').waitFor()
    expect(await table.innerText()).toContain('10-01 节假日白班')
    await shot(page, 'roster-01-by-person')
  })

  it('refuses a change that breaks a rule, naming it, and takes one that does not', async () => {
    const list = await api<{ plans: { id: string }[] }>(
      server,
      'GET',
      '/api/v1/roster/plans',
      undefined,
      admin,
    )
    const plan = (
      await api<Plan>(
        server,
        'GET',
        `/api/v1/roster/plans/${list.body.plans[0]!.id}`,
        undefined,
        admin,
      )
    ).body
    const [first, second] = plan.assignments.filter((a) => a.date === '2026-10-01')
    await page.click('.n-tabs-tab:has-text("按日期")')
    const other = (
      await api<{ id: string; name: string }[]>(
        server,
        'GET',
        '/api/v1/staff/directory',
        undefined,
        admin,
      )
    ).body
    const secondName = other.find((p) => p.id === second!.staff_id)!.name
    await pickOption(page, `[data-test="roster-place-${first!.id}"]`, secondName)
    await page.locator('text=已有时间重叠的值班').waitFor()
    await pickOption(page, `[data-test="roster-place-${first!.id}"]`, '空缺')
    await page.locator('[data-test="roster-unfilled"]').waitFor()
    await shot(page, 'roster-02-by-day')
  })

  it('will not publish with a vacant place, then publishes once it is filled', async () => {
    await page.click('[data-test="roster-publish"]')
    await page.locator('.n-message__content', { hasText: '不能发布' }).waitFor()
    const list = await api<{ plans: { id: string }[] }>(
      server,
      'GET',
      '/api/v1/roster/plans',
      undefined,
      admin,
    )
    const plan = (
      await api<Plan>(
        server,
        'GET',
        `/api/v1/roster/plans/${list.body.plans[0]!.id}`,
        undefined,
        admin,
      )
    ).body
    const vacant = plan.assignments.find((a) => a.staff_id === '')!
    const busy = new Set(
      plan.assignments.filter((a) => a.date === vacant.date).map((a) => a.staff_id),
    )
    const dir = (
      await api<{ id: string; name: string }[]>(
        server,
        'GET',
        '/api/v1/staff/directory',
        undefined,
        admin,
      )
    ).body
    const free = dir.find((p) => p.name.startsWith('值班员') && !busy.has(p.id))!
    await pickOption(page, `[data-test="roster-place-${vacant.id}"]`, free.name)
    await page.locator('[data-test="roster-unfilled"]').waitFor({ state: 'detached' })
    await page.click('[data-test="roster-publish"]')
    await page.locator('text=排班已发布').waitFor()
    const now = await api<{ duty_phone: string }>(server, 'GET', '/api/v1/roster/now')
    expect(now.body.duty_phone).toBe('0818-5212345')
    expect(pageErrors).toEqual([])
  })

  it('the home screen names who is on the next duty, with the duty phone', async () => {
    await page.click('[data-test="main-menu"] >> text=首页')
    const card = page.locator('[data-test="duty-now"]')
    await expect.poll(() => card.textContent()).toContain('下一班')
    const text = (await card.textContent()) ?? ''
    expect(text).toContain('值班电话 0818-5212345')
    expect(text).toContain('10-01')
    expect(text).toMatch(/值班员\d|管理员/)
    await shot(page, 'roster-03-home-duty')
  })

  it('the hall display gives the duty phone in its footer', async () => {
    const tv = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    await tv.goto(`${server.baseURL}/#/display`)
    await expect
      .poll(() => tv.locator('[data-test="display-duty"]').textContent())
      .toContain('值班电话 0818-5212345')
    await shot(tv, 'roster-04-display-duty')
    await tv.close()
  })
})
