import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  api,
  apiLogin,
  launchBrowser,
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

// The head's month: define a shift, draft October, change two places (one refused naming the
// rule, one taken), publish, and find the roster on the month calendar.
describe('the head’s month on the calendar', () => {
  let server: Server
  let browser: Browser
  let page: Page
  let admin = ''
  const ids = new Map<string, string>() // name → staff id
  const pageErrors: string[] = []

  const plan = async () => {
    const list = await api<{ plans: { id: string }[] }>(
      server,
      'GET',
      '/api/v1/roster/plans',
      undefined,
      admin,
    )
    const id = list.body.plans[0]!.id
    return (await api<Plan>(server, 'GET', `/api/v1/roster/plans/${id}`, undefined, admin)).body
  }

  // The roster:changed event reloads the plan a moment after each change, and the re-render can
  // close a dropdown the test just opened: open it again. A menu still fading out would take the
  // click meant for the new one, so none may be left open first.
  const choose = async (selector: string, label: string) => {
    await expect.poll(() => page.locator('.n-base-select-menu:visible').count()).toBe(0)
    for (let i = 0; ; i++) {
      await page.locator(selector).click()
      try {
        await page
          .locator('.n-base-select-option:visible', { hasText: label })
          .first()
          .click({ timeout: 2000 })
        return
      } catch (err) {
        if (i >= 2) throw err
        await page.keyboard.press('Escape')
      }
    }
  }

  // A date picker takes a typed date on Enter; its panel, still open, can swallow the next
  // keystrokes, so each date is checked and the panel closed before the next.
  const setDate = async (selector: string, date: string) => {
    const input = page.locator(`${selector} input`)
    for (let i = 0; i < 3; i++) {
      await input.fill(date)
      await input.press('Enter')
      await page.keyboard.press('Escape')
      if ((await input.inputValue()) === date) return
    }
    expect(await input.inputValue()).toBe(date)
  }

  beforeAll(async () => {
    server = await startServer({ init: true, clock: '2026-09-15T10:00:00+08:00' })
    admin = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    for (const n of [1, 2, 3]) {
      const res = await api<{ id: string }>(
        server,
        'POST',
        '/api/v1/staff',
        { login: `duty${n}`, name: `值班员${n}`, role: 'duty', password: 'Passw0rd123' },
        admin,
      )
      expect(res.status).toBe(201)
      ids.set(`值班员${n}`, res.body.id)
    }
    const leave = await api(
      server,
      'POST',
      `/api/v1/staff/${ids.get('值班员1')}/unavailable`,
      { from: '2026-10-03', to: '2026-10-03', reason: '年假' },
      admin,
    )
    expect(leave.status).toBe(201)
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.setDefaultTimeout(10_000)
    await page.goto(server.baseURL)
    await uiLogin(page, 'admin', ADMIN_PASSWORD)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('defines a weekend and holiday shift', async () => {
    await page.goto(`${server.baseURL}/#/roster`)
    await page.click('[data-test="roster-edit-shifts"]')
    await page.click('[data-test="roster-shift-add"]')
    const row = page.locator('[data-test="roster-shift-row"]').first()
    await row.locator('input').first().fill('周末白班')
    await page.click('[data-test="roster-shifts-save"]')
    await page.locator('text=班次已保存').waitFor()
  })

  it('drafts October', async () => {
    await setDate('[data-test="roster-from"]', '2026-10-01')
    await setDate('[data-test="roster-to"]', '2026-10-31')
    await page.click('[data-test="roster-generate"]')
    await page.locator('text=已生成草稿').waitFor()
    const p = await plan()
    expect(p.status).toBe('draft')
    expect(p.assignments.find((a) => a.date === '2026-10-03')?.staff_id).not.toBe(
      ids.get('值班员1'),
    )
  })

  it('refuses 值班员1 on their day of leave, naming it, and takes a change that keeps the rules', async () => {
    const p = await plan()
    await page.click('.n-tabs-tab:has-text("按日期")')
    const oct3 = p.assignments.find((a) => a.date === '2026-10-03')!
    await choose(`[data-test="roster-place-${oct3.id}"]`, '值班员1')
    await page.locator('.n-message__content', { hasText: '不能值班（年假' }).waitFor()
    expect((await plan()).assignments.find((a) => a.id === oct3.id)!.staff_id).toBe(oct3.staff_id)

    const oct17 = p.assignments.find((a) => a.date === '2026-10-17')!
    const [name, id] = [...ids].find(([, id]) => id !== oct17.staff_id)!
    await choose(`[data-test="roster-place-${oct17.id}"]`, name)
    await expect
      .poll(async () => (await plan()).assignments.find((a) => a.id === oct17.id)!.staff_id)
      .toBe(id)
    await expect
      .poll(() => page.locator(`[data-test="roster-place-${oct17.id}"]`).innerText())
      .toContain(name)
  })

  it('publishes and shows the month on the calendar, by site and by person', async () => {
    await page.click('[data-test="roster-publish"]')
    await page.locator('text=排班已发布').waitFor()
    await page.click('.n-tabs-tab:has-text("月历")')
    const month = page.locator('[data-test="roster-month"]')
    await month.locator('.fc-toolbar-title', { hasText: '2026年10月' }).waitFor()
    const p = await plan()
    const oct17 = p.assignments.find((a) => a.date === '2026-10-17')!
    const who = [...ids].find(([, id]) => id === oct17.staff_id)![0]
    const cell = month.locator('td[data-date="2026-10-17"]')
    await expect.poll(() => cell.innerText()).toContain(`周末白班 · ${who}`)
    await shot(page, 'roster-month-01-site')

    await choose('[data-test="roster-month-who"]', who)
    await expect.poll(() => cell.innerText()).toContain('周末白班')
    expect(await cell.innerText()).not.toContain(' · ')
    const theirs = p.assignments.filter((a) => a.staff_id === oct17.staff_id).length
    await expect.poll(() => month.locator('.fc-event').count()).toBe(theirs)
    await shot(page, 'roster-month-02-person')
  })

  it('shows the published month to a duty officer on 值班表, with their own duties', async () => {
    const officer = await browser.newPage({
      viewport: { width: 1366, height: 900 },
      locale: 'zh-CN',
    })
    officer.on('pageerror', (e) => pageErrors.push(e.message))
    await officer.goto(server.baseURL)
    await uiLogin(officer, 'duty2', 'Passw0rd123')
    await officer.click('[data-test="main-menu"] >> text=值班表')
    const month = officer.locator('[data-test="roster-month"]')
    await month.locator('.fc-toolbar-title', { hasText: '2026年10月' }).waitFor()
    await expect.poll(() => month.locator('.fc-event').count()).toBeGreaterThan(5)
    await officer.locator('[data-test="my-duties"]').waitFor()
    await shot(officer, 'roster-month-03-duties')
    await officer.close()
    expect(pageErrors).toEqual([])
  })

  it('drafts the market-day rota from the villages and shows today’s on the home screen', async () => {
    const rule = await api(
      server,
      'PUT',
      '/api/v1/calendar/market',
      { kind: 'solar', days: [5, 15, 25] },
      admin,
    )
    expect(rule.status).toBe(200)
    await page.goto(`${server.baseURL}/#/roster`)
    const panel = page.locator('[data-test="market-rota"]')
    for (const [name, village] of [
      ['值班员1', '石桥村'],
      ['值班员2', '石桥村'],
      ['值班员3', '白鹤村'],
    ] as const) {
      const input = panel.locator(`[data-test="market-village-${ids.get(name)}"] input`)
      await input.fill(village)
      await input.press('Enter')
      await page.locator('.n-message__content', { hasText: '所在村已保存' }).first().waitFor()
    }
    await setDate('[data-test="market-from"]', '2026-09-15')
    await setDate('[data-test="market-to"]', '2026-10-31')
    await page.click('[data-test="market-draft"]')
    // 15 and 25 September, 5, 15 and 25 October.
    await page.locator('.n-message__content', { hasText: '已生成5个逢场天的轮值' }).waitFor()
    const table = page.locator('[data-test="market-rota-table"]')
    await expect.poll(() => table.innerText()).toContain('2026-09-15')
    await shot(page, 'roster-month-04-market')

    await page.click('[data-test="main-menu"] >> text=首页')
    const card = page.locator('[data-test="market-today"]')
    await expect.poll(() => card.innerText()).toContain('白鹤村')
    const text = await card.innerText()
    expect(text).toContain('值班员3')
    expect(text).toMatch(/石桥村\s*值班员[12]/)
    await shot(page, 'roster-month-05-home-market')
  })
})
