import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  OFFICE_HOURS,
  api,
  apiLogin,
  launchBrowser,
  shot,
  startServer,
  type Server,
} from './harness'

// Hall TVs are often 1366×768 panels, and TV browsers often report 1280×720 on a 1080p panel:
// the display must show the whole 1920×1080 screen, scaled, not a reflowed and clipped one.
describe('the hall display on a TV smaller than 1920×1080', () => {
  let server: Server
  let browser: Browser

  beforeAll(async () => {
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    const token = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    for (let i = 0; i < 3; i++) await api(server, 'POST', '/api/v1/tickets', { line: 'A' })
    await api(server, 'POST', '/api/v1/windows/1/call-next', {}, token)
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  for (const [width, height] of [
    [1280, 720],
    [1366, 768],
  ] as const) {
    it(`${width}×${height}: the whole screen, every window card inside it`, async () => {
      const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' })
      page.setDefaultTimeout(10_000)
      await page.goto(`${server.baseURL}/#/display`)
      await expect.poll(() => page.textContent('[data-test="display-latest"]')).toContain('A001')
      const boxes = await page.evaluate(() =>
        [
          '[data-test="display"]',
          '[data-test="display-latest"]',
          ...[1, 2, 3].map((n) => `[data-test="display-window-${n}"]`),
          '[data-test="display-line-A"]',
        ].map((sel) => {
          const r = document.querySelector(sel)?.getBoundingClientRect()
          return {
            sel,
            left: r?.left ?? -1,
            top: r?.top ?? -1,
            right: r?.right ?? 1e9,
            bottom: r?.bottom ?? 1e9,
            height: r?.height ?? 0,
          }
        }),
      )
      for (const b of boxes) {
        expect(b.left, `${b.sel} left`).toBeGreaterThanOrEqual(-0.5)
        expect(b.top, `${b.sel} top`).toBeGreaterThanOrEqual(-0.5)
        expect(b.right, `${b.sel} right`).toBeLessThanOrEqual(width + 0.5)
        expect(b.bottom, `${b.sel} bottom`).toBeLessThanOrEqual(height + 0.5)
      }
      // The stage fills the screen's height, and the call is one line, as on 1920×1080.
      expect(boxes[0]!.height).toBeCloseTo(height, 0)
      expect(boxes[1]!.height).toBeLessThan(height / 4)
      await page.click('[data-test="display-unlock"]')
      await shot(page, `45-display-${width}x${height}`)
      await page.close()
    })
  }
})
