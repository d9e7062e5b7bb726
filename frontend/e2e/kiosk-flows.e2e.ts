import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  OFFICE_HOURS,
  api,
  apiLogin,
  launchBrowser,
  pairPage,
  shot,
  startServer,
  uiLogin,
  type Server,
} from './harness'

/** The seconds the kiosk's countdown shows before it goes back to its start screen. */
const secondsLeft = async (text: Promise<string>) => Number((await text).match(/\d+/)?.[0] ?? -1)

describe('the kiosk in office hours', () => {
  let server: Server
  let browser: Browser
  let admin = ''

  beforeAll(async () => {
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    browser = await launchBrowser()
    admin = await apiLogin(server, 'admin', ADMIN_PASSWORD)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('a booking’s code stays until 完成 (two minutes idle, counted down) and prints on a slip', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    page.setDefaultTimeout(10_000)
    await page.clock.install()
    await pairPage(page, server, admin, 'kiosk', `${server.baseURL}/#/kiosk`)
    await page.click('[data-test="kiosk-book"]')
    await page.click('[data-test="kiosk-day-2026-11-27"]')
    await page.locator('[data-test="kiosk-slot"]').first().click()
    await page.fill('[data-test="kiosk-name"]', '周十一')
    await page.click('[data-test="kiosk-name-next"]')
    for (const d of '13700137000') await page.click(`[data-test="key-${d}"]`)
    await page.click('[data-test="kiosk-book-submit"]')
    const code = page.locator('[data-test="kiosk-booked-code"]')
    await code.waitFor()
    const booked = (await code.innerText()).trim()
    expect(booked).toMatch(/^\d{6}$/)
    const idle = page.locator('[data-test="kiosk-idle"]')
    expect(await secondsLeft(idle.innerText())).toBeGreaterThan(100)

    // Well past the 30 s of the other screens, the code is still there, counting down.
    await page.clock.fastForward(45_000)
    await expect.poll(() => secondsLeft(idle.innerText())).toBeLessThanOrEqual(75)
    expect(await code.innerText()).toBe(booked)

    await page.evaluate(() => {
      const w = window as unknown as { printed: number }
      w.printed = 0
      window.print = () => void w.printed++
    })
    await page.click('[data-test="kiosk-booked-print"]')
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)
    await page.emulateMedia({ media: 'print' })
    const slip = page.locator('[data-test="booking-slip"]')
    expect(await slip.isVisible()).toBe(true)
    const text = await slip.innerText()
    expect(text).toContain(booked)
    expect(text).toContain('11月27日')
    expect(text).toContain('综合受理')
    expect(text).toContain('周*')
    expect(text).not.toContain('周十一')
    const width = await slip.evaluate((el) => el.getBoundingClientRect().width)
    expect(width).toBeLessThan(220) // 54 mm at 96 dpi is 204 px
    await page.emulateMedia({ media: 'screen' })
    await shot(page, '39-kiosk-booked-print')

    // Two minutes after the last touch (the print button): back to the start screen.
    await page.clock.fastForward(125_000)
    await code.waitFor({ state: 'detached' })
    await page.locator('[data-test="kiosk-book"]').waitFor()
    await page.close()
  })

  it('the name may be left to the window (到窗口再填)', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    page.setDefaultTimeout(10_000)
    await pairPage(page, server, admin, 'kiosk', `${server.baseURL}/#/kiosk`)
    await page.click('[data-test="kiosk-book"]')
    await page.click('[data-test="kiosk-day-2026-11-27"]')
    await page.locator('[data-test="kiosk-slot"]').nth(1).click()
    await page.locator('[data-test="kiosk-name"]').waitFor()
    await shot(page, '38-kiosk-name-at-window')
    await page.click('[data-test="kiosk-name-skip"]')
    for (const d of '13700137001') await page.click(`[data-test="key-${d}"]`)
    await page.click('[data-test="kiosk-book-submit"]')
    await page.locator('[data-test="kiosk-booked-code"]').waitFor()
    expect(await page.locator('[data-test="booking-slip"]').textContent()).not.toContain('预约人')
    await page.close()

    // At the window the clerk fills the name into the booking.
    const desk = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    desk.setDefaultTimeout(10_000)
    await desk.goto(server.baseURL)
    await desk.waitForURL(/#\/login/)
    await uiLogin(desk, 'admin', ADMIN_PASSWORD)
    await desk.goto(`${server.baseURL}/#/calendar?date=2026-11-27&view=timeGridDay`)
    // The booking without a name shows as just its line.
    await desk.locator('.fc-timegrid-event', { hasText: /A\s*$/ }).first().click()
    const drawer = desk.locator('[data-test="booking-drawer"]')
    await drawer.waitFor()
    await drawer.locator('input[name="booking-name"]').fill('刘大爷')
    await drawer.locator('[data-test="booking-name-save"]').click()
    await desk.locator('.n-message', { hasText: '姓名已保存' }).waitFor()
    const list = await api<{ citizen_name: string; phone: string }[]>(
      server,
      'GET',
      '/api/v1/bookings?from=2026-11-27&to=2026-11-27',
      undefined,
      admin,
    )
    expect(list.body.find((x) => x.phone === '13700137001')?.citizen_name).toBe('刘大爷')
    await desk.close()
  })

  it('a bad phone: the host’s sentence, and 重新输入 goes back with the digits kept', async () => {
    const rules = await api<{ phone: { description: string } }>(server, 'GET', '/api/v1/rules')
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    page.setDefaultTimeout(10_000)
    await pairPage(page, server, admin, 'kiosk', `${server.baseURL}/#/kiosk`)
    await page.click('[data-test="kiosk-line-A"]')
    for (const d of '12345678901') await page.click(`[data-test="key-${d}"]`)
    await page.click('[data-test="kiosk-issue"]')
    const error = page.locator('[data-test="kiosk-error"]')
    await error.waitFor()
    expect((await error.innerText()).trim()).toBe(rules.body.phone.description)
    expect(await error.innerText()).not.toContain('应为11位')
    await page.locator('[data-test="kiosk-error-back"]').waitFor()
    await shot(page, '34-kiosk-bad-phone')
    await page.click('[data-test="kiosk-retype"]')
    expect((await page.locator('[data-test="kiosk-phone"]').innerText()).trim()).toBe('12345678901')
    await page.close()
  })
})

describe('the kiosk after hours', () => {
  let server: Server
  let browser: Browser
  let admin = ''

  beforeAll(async () => {
    server = await startServer({ init: true, clock: '2026-11-25T19:00:00+08:00' })
    browser = await launchBrowser()
    admin = await apiLogin(server, 'admin', ADMIN_PASSWORD)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('says on its first screen that it is closed, when it opens and the duty phone, and still books', async () => {
    const setup = { shifts: [], duty_phone: '0818-5212345' }
    expect((await api(server, 'PUT', '/api/v1/roster/shifts', setup, admin)).status).toBe(200)
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    page.setDefaultTimeout(10_000)
    await pairPage(page, server, admin, 'kiosk', `${server.baseURL}/#/kiosk`)
    const closed = page.locator('[data-test="kiosk-closed"]')
    await closed.waitFor()
    const text = await closed.innerText()
    expect(text).toContain('现在不是取号时间')
    expect(text).toContain('11月26日 周四 08:30')
    await expect
      .poll(() => page.locator('[data-test="kiosk-duty-phone"]').textContent())
      .toContain('值班电话 0818-5212345')
    expect(await page.locator('[data-test="kiosk-line-A"]').count()).toBe(0)
    expect(await page.locator('[data-test="kiosk-green"]').count()).toBe(0)
    await shot(page, '33-kiosk-after-hours')
    await page.click('[data-test="kiosk-book"]')
    await page.locator('[data-test="kiosk-day-2026-11-26"]').waitFor()
    await page.close()
  })
})
