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
  type Server,
} from './harness'

// The hall's LAN pages on the screens halls have, not only the ones they were drawn for.
describe('the display and the rating pad on smaller screens', () => {
  let server: Server
  let browser: Browser
  let token = ''

  beforeAll(async () => {
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    token = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    for (let i = 0; i < 4; i++) await api(server, 'POST', '/api/v1/tickets', { line: 'A' }, token)
    // Window 2 served A001 and waits for its rating; window 1 calls A002.
    const served = await api<{ ticket: { id: string } }>(
      server,
      'POST',
      '/api/v1/windows/2/call-next',
      {},
      token,
    )
    await api(server, 'POST', `/api/v1/tickets/${served.body.ticket.id}/complete`, {}, token)
    await api(server, 'POST', '/api/v1/windows/1/call-next', {}, token)
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  // Hall TVs are often 1366×768 panels, and TV browsers often report 1280×720 on a 1080p panel:
  // the display must show the whole 1920×1080 screen, scaled, not a reflowed and clipped one.
  for (const [width, height] of [
    [1280, 720],
    [1366, 768],
  ] as const) {
    it(`display at ${width}×${height}: the whole screen, every window card inside it`, async () => {
      const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' })
      page.setDefaultTimeout(10_000)
      // The display reads public data unpaired; the smaller one is paired, as a hall may do.
      if (width === 1280) {
        await pairPage(page, server, token, 'display', `${server.baseURL}/#/display?pair`)
      } else {
        await page.goto(`${server.baseURL}/#/display`)
      }
      await expect.poll(() => page.textContent('[data-test="display-latest"]')).toContain('A002')
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

  // Rating pads are cheap tablets, landscape 1024×768 or portrait 800×1280: the five levels in
  // one row, each on one line, the three scores and the bad rating's form all on screen.
  for (const [width, height] of [
    [1024, 768],
    [800, 1280],
  ] as const) {
    it(`rating pad at ${width}×${height}: a bad rating's whole form fits`, async () => {
      const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' })
      page.setDefaultTimeout(10_000)
      await pairPage(page, server, token, 'rating_pad', `${server.baseURL}/#/rate/2`, 2)
      await page.click('[data-test="rate-level-2"]')
      await page.locator('[data-test="rate-bad"]').waitFor()
      const m = await page.evaluate(() => {
        const box = (sel: string) => {
          const r = document.querySelector(sel)?.getBoundingClientRect()
          return { right: r?.right ?? 1e9, bottom: r?.bottom ?? 1e9, height: r?.height ?? 1e9 }
        }
        return {
          scrollWidth: document.documentElement.scrollWidth,
          levels: [1, 2, 3, 4, 5].map((l) => box(`[data-test="rate-level-${l}"]`)),
          scores: ['attitude', 'efficiency', 'competence'].map((k) =>
            box(`[data-test="rate-score-${k}"]`),
          ),
          submit: box('[data-test="rate-submit"]'),
        }
      })
      expect(m.scrollWidth, 'the pad scrolls sideways').toBeLessThanOrEqual(width)
      for (const b of [...m.levels, ...m.scores]) expect(b.right).toBeLessThanOrEqual(width)
      // A level broken over two lines stands about 150 px high; on one line, under 120.
      for (const b of m.levels) expect(b.height).toBeLessThan(120)
      // A score whose label broke one character a line stood 90–170 px high.
      for (const b of m.scores) expect(b.height).toBeLessThan(100)
      expect(m.submit.bottom).toBeLessThanOrEqual(height)
      await shot(page, `46-rate-${width}x${height}`)
      await page.close()
    })
  }
})
