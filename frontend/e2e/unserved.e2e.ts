import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  OFFICE_HOURS,
  api,
  apiLogin,
  apiPairDevice,
  launchBrowser,
  shot,
  startServer,
  uiLogin,
  type Server,
} from './harness'

const CLERK = { login: 'clerk1', name: '王小明', password: 'Clerk12345' }
// The clock starts at 09:00 on Wednesday 2026-11-25; the next working day is Thursday.
const THURSDAY = '2026-11-26'

interface Ticket {
  id: string
  number: string
}

describe('unserved tickets: the admin closes the day, a clerk turns one into an appointment', () => {
  let server: Server
  let browser: Browser
  let admin: Page
  let clerk: Page
  const pageErrors: string[] = []
  let kiosk = ''

  beforeAll(async () => {
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    const adminToken = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    kiosk = await apiPairDevice(server, adminToken, 'kiosk')
    const created = await api(
      server,
      'POST',
      '/api/v1/staff',
      { login: CLERK.login, name: CLERK.name, role: 'clerk', password: CLERK.password },
      adminToken,
    )
    expect(created.status).toBe(201)
    browser = await launchBrowser()
    const open = async () => {
      const p = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
      p.on('pageerror', (e) => pageErrors.push(e.message))
      p.setDefaultTimeout(10_000)
      await p.goto(server.baseURL)
      await p.waitForURL(/#\/login/)
      return p
    }
    admin = await open()
    clerk = await open()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('two tickets are taken at the kiosk level', async () => {
    const a = await api<Ticket>(
      server,
      'POST',
      '/api/v1/tickets',
      { line: 'A', priority: false },
      kiosk,
    )
    const b = await api<Ticket>(
      server,
      'POST',
      '/api/v1/tickets',
      { line: 'A', priority: false, phone: '13800138000' },
      kiosk,
    )
    expect([a.status, b.status]).toEqual([201, 201])
    expect([a.body.number, b.body.number]).toEqual(['A001', 'A002'])
  })

  it('the admin closes today’s queue after confirming and sees what was left', async () => {
    await uiLogin(admin, 'admin', ADMIN_PASSWORD)
    await admin.click('[data-test="main-menu"] >> text=叫号')
    await admin.waitForURL(/#\/queue/)
    await admin.click('[data-test="queue-close-day"]')
    const confirm = admin.locator('.n-dialog', { hasText: '确定结束今日叫号吗' })
    await confirm.waitFor()
    await shot(admin, '95-unserved-close-confirm')
    await confirm.locator('button', { hasText: '结束今日叫号' }).click()
    await admin.locator('.n-message', { hasText: '已结束今日叫号，2 张号票未办理' }).waitFor()
    const table = admin.locator('[data-test="unserved-table"]')
    await table.locator('tr', { hasText: 'A002' }).waitFor()
    expect(await table.locator('tbody tr').count()).toBe(2)
  })

  it('the clerk does not get the close button; the list shows the phone masked', async () => {
    await uiLogin(clerk, CLERK.login, CLERK.password)
    await clerk.click('[data-test="main-menu"] >> text=叫号')
    await clerk.waitForURL(/#\/queue/)
    await clerk.locator('[data-test="queue-unserved"]').waitFor()
    expect(await clerk.locator('[data-test="queue-close-day"]').count()).toBe(0)
    await clerk.click('[data-test="queue-unserved"]')
    const table = clerk.locator('[data-test="unserved-table"]')
    const row = table.locator('tr', { hasText: 'A002' })
    await row.waitFor()
    expect(await row.textContent()).toContain('138****8000')
    expect(await row.textContent()).not.toContain('13800138000')
    await shot(clerk, '96-unserved-list')
  })

  it('转为预约: Thursday by default, the phone prefilled masked and booked whole; the booking shows in the calendar', async () => {
    const table = clerk.locator('[data-test="unserved-table"]')
    await table.locator('tr', { hasText: 'A002' }).locator('[data-test="unserved-book"]').click()
    const dialog = clerk.locator('[data-test="ticket-booking-dialog"]')
    await dialog.waitFor()
    await expect.poll(() => dialog.locator('.n-date-picker input').inputValue()).toBe(THURSDAY)
    await expect
      .poll(() => dialog.locator('[data-test="ticket-booking-slot"]').textContent())
      .toContain('08:30–09:00')
    expect(await clerk.inputValue('input[name="ticket-booking-phone"]')).toBe('138****8000')
    await clerk.fill('input[name="ticket-booking-name"]', '钱十一')
    await shot(clerk, '97-unserved-book-dialog')
    await clerk.click('[data-test="ticket-booking-save"]')
    await clerk.locator('.n-message', { hasText: 'A002 已转为预约：钱十一' }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    await table
      .locator('tr', { hasText: 'A002' })
      .locator('[data-test="unserved-booked"]')
      .waitFor()
  })

  it('the host’s sentence shows when it refuses: the same phone already booked at that time', async () => {
    const table = clerk.locator('[data-test="unserved-table"]')
    await table.locator('tr', { hasText: 'A001' }).locator('[data-test="unserved-book"]').click()
    const dialog = clerk.locator('[data-test="ticket-booking-dialog"]')
    await dialog.waitFor()
    await expect
      .poll(() => dialog.locator('[data-test="ticket-booking-slot"]').textContent())
      .toContain('08:30–09:00')
    expect(await clerk.inputValue('input[name="ticket-booking-phone"]')).toBe('')
    await clerk.fill('input[name="ticket-booking-name"]', '钱十一')
    await clerk.fill('input[name="ticket-booking-phone"]', '13800138000')
    await clerk.click('[data-test="ticket-booking-save"]')
    const refused = dialog.locator('[data-test="ticket-booking-error"]')
    await refused.waitFor()
    expect(await refused.textContent()).toContain('同一时段不能重复预约')
    await shot(clerk, '98-unserved-refused')
    await dialog.locator('button', { hasText: '取消' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await clerk.keyboard.press('Escape')
    await clerk.locator('[data-test="unserved-dialog"]').waitFor({ state: 'hidden' })
  })

  it('opened again after a reload, the list still shows A002 as booked and offers no second booking', async () => {
    await clerk.reload()
    await clerk.click('[data-test="queue-unserved"]')
    const table = clerk.locator('[data-test="unserved-table"]')
    const a002 = table.locator('tr', { hasText: 'A002' })
    await a002.locator('[data-test="unserved-booked"]').waitFor()
    expect(await a002.locator('[data-test="unserved-book"]').count()).toBe(0)
    expect(await a002.textContent()).toContain('11-26')
    await table.locator('tr', { hasText: 'A001' }).locator('[data-test="unserved-book"]').waitFor()
    await clerk.keyboard.press('Escape')
    await clerk.locator('[data-test="unserved-dialog"]').waitFor({ state: 'hidden' })
  })

  it('the clerk finds the appointment on Thursday in the calendar, naming the ticket', async () => {
    await clerk.click('[data-test="main-menu"] >> text=预约日历')
    await clerk.waitForURL(/#\/calendar/)
    await clerk.locator(`td.fc-timegrid-col[data-date="${THURSDAY}"]`).waitFor()
    const event = clerk.locator('.fc-event', { hasText: 'A 钱十一' })
    await event.waitFor()
    await event.click()
    const drawer = clerk.locator('[data-test="booking-drawer"]')
    await drawer.waitFor()
    const text = (await drawer.textContent()) ?? ''
    expect(text).toContain(`${THURSDAY} 08:30–09:00`)
    expect(text).toContain('未办理号票A002')
    // The booking took the whole number the citizen gave at the kiosk.
    expect(text).toContain('13800138000')
    await shot(clerk, '99-unserved-in-calendar')
    expect(pageErrors).toEqual([])
  })
})
