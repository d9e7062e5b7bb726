import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  OFFICE_HOURS,
  apiLogin,
  launchBrowser,
  pairPage,
  shot,
  startServer,
  type Server,
} from './harness'

// Many kiosks are landscape screens 768 px high. Every step must show its buttons and the way
// back without scrolling: an elderly citizen does not know to scroll a touch screen.
const screens = [
  { width: 1366, height: 768, phone: '13500135000' },
  { width: 1024, height: 768, phone: '13600136000' },
]

describe('the kiosk fits a 768 px high screen at every step', () => {
  let server: Server
  let browser: Browser
  let admin: string

  beforeAll(async () => {
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    browser = await launchBrowser()
    admin = await apiLogin(server, 'admin', ADMIN_PASSWORD)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** Fails when the kiosk scrolls or a button ends below the screen's edge. */
  async function fits(page: Page, step: string, height: number) {
    const m = await page.evaluate(() => {
      const k = document.querySelector<HTMLElement>('[data-test="kiosk"]')
      const bottoms = [...document.querySelectorAll('[data-test="kiosk"] button')].map(
        (b) => b.getBoundingClientRect().bottom,
      )
      return {
        scroll: k?.scrollHeight ?? 0,
        client: k?.clientHeight ?? 0,
        lowest: Math.max(...bottoms),
      }
    })
    expect(m.scroll, `${step}: the kiosk scrolls`).toBeLessThanOrEqual(m.client)
    expect(m.lowest, `${step}: a button is below the screen`).toBeLessThanOrEqual(height)
  }

  for (const s of screens) {
    it(`${s.width}×${s.height}: take a ticket, check in, book a later day`, async () => {
      const page = await browser.newPage({
        viewport: { width: s.width, height: s.height },
        locale: 'zh-CN',
      })
      page.setDefaultTimeout(10_000)
      const size = `${s.width}x${s.height}`
      await pairPage(page, server, admin, 'kiosk', `${server.baseURL}/#/kiosk`)
      await page.locator('[data-test="kiosk-line-A"]').waitFor()
      await fits(page, 'start', s.height)

      await page.click('[data-test="kiosk-line-A"]')
      for (const d of s.phone) await page.click(`[data-test="key-${d}"]`)
      await fits(page, 'phone', s.height)
      await shot(page, `35-kiosk-${size}-phone`)
      await page.click('[data-test="kiosk-issue"]')
      await page.locator('[data-test="kiosk-number"]').waitFor()
      expect(await page.locator('[data-test="kiosk-number"]').innerText()).toMatch(/^A\d{3}$/)
      await fits(page, 'issued', s.height)
      await shot(page, `36-kiosk-${size}-issued`)
      await page.click('[data-test="kiosk-done"]')

      await page.click('[data-test="kiosk-green"]')
      await page.locator('[data-test="kiosk-group"]').first().waitFor()
      await fits(page, 'green channel', s.height)
      await page.click('[data-test="kiosk-back"]')

      await page.click('[data-test="kiosk-checkin"]')
      await page.locator('[data-test="kiosk-checkin-submit"]').waitFor()
      await fits(page, 'check-in by code', s.height)
      await page.click('[data-test="kiosk-checkin-by-phone"]')
      await fits(page, 'check-in by phone', s.height)
      await shot(page, `37-kiosk-${size}-checkin`)
      for (const d of '13800138000') await page.click(`[data-test="key-${d}"]`)
      await page.click('[data-test="kiosk-checkin-next"]')
      await page.locator('[data-test="kiosk-code"]').waitFor()
      await fits(page, 'check-in by phone: the code', s.height)
      await page.click('[data-test="kiosk-back"]')

      await page.click('[data-test="kiosk-book"]')
      await page.locator('[data-test="kiosk-day-2026-11-27"]').waitFor()
      await fits(page, 'booking: day', s.height)
      await page.click('[data-test="kiosk-day-2026-11-27"]')
      await page.locator('[data-test="kiosk-slot"]').first().waitFor()
      await shot(page, `38-kiosk-${size}-slots`)
      await fits(page, 'booking: slot', s.height)
      await page.locator('[data-test="kiosk-slot"]').first().click()
      await page.fill('[data-test="kiosk-name"]', '周十')
      await fits(page, 'booking: name', s.height)
      await page.click('[data-test="kiosk-name-next"]')
      for (const d of s.phone) await page.click(`[data-test="key-${d}"]`)
      await fits(page, 'booking: phone', s.height)
      await page.click('[data-test="kiosk-book-submit"]')
      await page.locator('[data-test="kiosk-booked-code"]').waitFor()
      expect(await page.locator('[data-test="kiosk-booked-code"]').innerText()).toMatch(/\d/)
      await fits(page, 'booking: done', s.height)
      await shot(page, `38-kiosk-${size}-booked`)
      await page.close()
    })
  }
})
