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

interface Call {
  id: string
  phone: string
  status: string
  booking_id?: string
  referral: { kind: string; phone?: string }
}

// A Wednesday evening at the duty desk: a villager phones, the duty officer logs the call, refers
// it to 12345, then books the villager for Thursday morning; a colleague's whereabouts message
// reaches the hall display while it is open.
describe('the duty desk', () => {
  let server: Server
  let browser: Browser
  let page: Page
  let admin = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await startServer({ init: true, clock: '2026-11-25T19:00:00+08:00' })
    admin = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    const res = await api(
      server,
      'POST',
      '/api/v1/staff',
      { login: 'duty1', name: '王值班', role: 'duty', password: 'Passw0rd123' },
      admin,
    )
    expect(res.status).toBe(201)
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.setDefaultTimeout(10_000)
    await page.goto(server.baseURL)
    await uiLogin(page, 'duty1', 'Passw0rd123')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  const calls = async () =>
    (await api<{ calls: Call[] }>(server, 'GET', '/api/v1/duty/calls', undefined, admin)).body.calls

  it('logs a call from the keyboard, the phone masked in the list', async () => {
    await page.goto(`${server.baseURL}/#/duty-desk`)
    await page.locator('[data-test="calls-table"]').waitFor()
    await page.keyboard.press('n')
    await page.locator('[data-test="call-form"]').waitFor()
    await page.fill('input[name="call-name"]', '欧阳春燕')
    await page.fill('input[name="call-phone"]', '13977778888')
    await page.fill('input[name="call-village"]', '青龙村')
    await page.fill('textarea[name="call-need"]', '母亲的养老保险待遇认证怎么办')
    await page.click('[data-test="call-category-business"]')
    await page.click('[data-test="call-save"]')
    await page.locator('[data-test="call-form"]').waitFor({ state: 'detached' })
    const caller = page.locator('[data-test="call-caller"]').first()
    await expect.poll(() => caller.innerText()).toContain('139****8888')
    expect(await page.locator('[data-test="calls-table"]').innerText()).not.toContain('13977778888')
    expect((await calls()).map((c) => [c.phone, c.status])).toEqual([['139****8888', 'open']])
  })

  it('reveals the full number once, on request', async () => {
    await page.click('[data-test="call-reveal"]')
    await expect
      .poll(() => page.locator('[data-test="call-caller"]').first().innerText())
      .toContain('13977778888')
  })

  it('refers the call to the 12345 hotline', async () => {
    await page.click('[data-test="call-handle"]')
    await page.locator('[data-test="call-handle-dialog"]').waitFor()
    await page.fill('textarea[name="handle-handling"]', '已告知可转12345咨询')
    await page.click('[data-test="handle-referral-hotline"]')
    await page.click('[data-test="handle-save"]')
    await expect
      .poll(() => page.locator('[data-test="call-referral"]').first().innerText())
      .toContain('12345热线')
    expect(await page.locator('[data-test="call-status"]').first().innerText()).toBe('已转办')
    await shot(page, 'dutydesk-01-call-log')
  })

  it('turns the call into an appointment through the booking form', async () => {
    await page.click('[data-test="call-to-booking"]')
    const dialog = page.locator('[data-test="call-booking-dialog"]')
    await dialog.waitFor()
    // Name and phone come as the list shows them; the host books the call's own.
    expect(await page.inputValue('input[name="call-booking-phone"]')).toBe('139****8888')
    await page.fill('[data-test="call-booking-date"] input', '2026-11-26')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.locator('[data-test="call-booking-slot"]').innerText())
      .toContain('09:00')
    await shot(page, 'dutydesk-02-booking')
    await page.click('[data-test="call-booking-save"]')
    await page.locator('text=签到码').waitFor()
    await dialog.waitFor({ state: 'detached' })
    const [call] = await calls()
    expect(call!.status).toBe('booked')
    const booking = await api<{ phone: string; date: string; channel: string }>(
      server,
      'GET',
      `/api/v1/bookings/${call!.booking_id}`,
      undefined,
      admin,
    )
    expect(booking.body).toMatchObject({
      phone: '13977778888',
      date: '2026-11-26',
      channel: 'phone',
    })
    expect(await page.locator('[data-test="call-status"]').first().innerText()).toBe('已转预约')
  })

  it('leaves the window and comes back from the home screen', async () => {
    await page.goto(`${server.baseURL}/#/`)
    await page.click('[data-test="whereabouts-leave"]')
    await page.fill('input[name="whereabouts-where"]', '县局开会')
    await page.click('[data-test="whereabouts-save"]')
    const row = page.locator('[data-test="whereabouts-row"]')
    await expect.poll(() => row.innerText()).toContain('王值班：县局开会')
    const board = await api<{ notices: { staff_name: string }[] }>(
      server,
      'GET',
      '/api/v1/whereabouts',
    )
    expect(board.body.notices.map((n) => n.staff_name)).toEqual(['王值班'])
    await shot(page, 'dutydesk-03-whereabouts')
    await page.click('[data-test="whereabouts-back"]')
    await row.waitFor({ state: 'detached' })
  })

  it('shows a whereabouts message on the hall display as it is left', async () => {
    const display = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await display.goto(`${server.baseURL}/#/display`)
    await display.locator('.foot').waitFor()
    const res = await api(
      server,
      'POST',
      '/api/v1/whereabouts',
      { where: '入户代办', back_at: '2026-11-25T12:30:00Z', window: 2 },
      admin,
    )
    expect(res.status).toBe(201)
    const strip = display.locator('[data-test="display-whereabouts"]')
    await expect.poll(() => strip.innerText(), { timeout: 10_000 }).toContain('入户代办')
    expect(await strip.innerText()).toContain('2号窗口')
    await shot(display, 'dutydesk-04-display')
    await display.close()
    expect(pageErrors).toEqual([])
  })
})
