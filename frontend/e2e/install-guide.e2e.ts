// Walks the afternoon of docs/install.md on the real program, asserting each step, so a guide whose
// screens drift from the program fails here. The pictures go to e2e/screenshots/install-guide; with
// BUDAYANG_GUIDE_SHOTS=1 they replace the guide's own in docs/install/ (`make guide-shots`), so an
// ordinary test run never rewrites tracked files.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  OFFICE_HOURS,
  apiLogin,
  apiPairing,
  launchBrowser,
  pickOption,
  startServer,
  uiLogin,
  type Server,
} from './harness'

const here = dirname(fileURLToPath(import.meta.url))
const guideDir =
  process.env.BUDAYANG_GUIDE_SHOTS === '1'
    ? resolve(here, '..', '..', 'docs', 'install')
    : resolve(here, 'screenshots', 'install-guide')
const PASSWORD = 'Hall12345'

/** The guide's pictures: the visible viewport only, so each PNG stays small. */
async function guideShot(page: Page, name: string): Promise<void> {
  mkdirSync(guideDir, { recursive: true })
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(guideDir, `${name}.png`) })
}

describe('the install guide: one afternoon on a hall host, step by step', () => {
  let server: Server
  let browser: Browser
  let page: Page
  let device: Page
  let adminToken = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await startServer({ init: false, clock: OFFICE_HOURS })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
    device = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
    for (const p of [page, device]) {
      p.on('pageerror', (e) => pageErrors.push(e.message))
      p.setDefaultTimeout(10_000)
    }
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it("a window's PC: the first screen offers joining the hall with its join code", async () => {
    // The choice shows only in the computer's own desktop window, which a browser is not: the
    // host's answer is made to say so, and the join itself is left to the Go tests.
    const win = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
    win.on('pageerror', (e) => pageErrors.push(e.message))
    await win.route('**/api/v1/setup', async (route) => {
      if (route.request().method() !== 'GET') return route.fallback()
      await route.fulfill({ json: { needed: true, join_hall: true } })
    })
    await win.goto(`${server.baseURL}/#/login`)
    await win.waitForURL(/#\/setup/)
    await win.click('[data-test="setup-choice-join"]')
    await win.fill(
      'input[name="join_code"]',
      'AFUK-3QZA-H4NF-AAH5-6BTR-2WLC-QJ7D-MX4E-KP2S-YV6G-ZN3H-T5RA',
    )
    await win.click('h2')
    expect(await win.textContent('[data-test="setup-choice"]')).toContain(
      '本机是大厅的窗口：加入大厅',
    )
    await guideShot(win, '12-join-hall')
    await win.close()
  })

  it('first start: the setup wizard creates the centre and its administrator', async () => {
    await page.goto(`${server.baseURL}/#/login`)
    await page.waitForURL(/#\/setup/)
    await page.fill('input[name="site_name"]', '某某镇便民服务中心')
    await page.fill('input[name="population"]', '42000')
    await page.fill('input[name="floor_area_m2"]', '600')
    await page.fill('input[name="admin_password"]', PASSWORD)
    await page.fill('input[name="repeat"]', PASSWORD)
    await page.click('h2')
    await guideShot(page, '01-setup')
    await page.press('input[name="repeat"]', 'Enter')
    await page.waitForURL(/#\/login/)
    await uiLogin(page, 'admin', PASSWORD)
    expect(await page.textContent('[data-test="header-site"]')).toContain('某某镇便民服务中心')
    adminToken = await apiLogin(server, 'admin', PASSWORD)
    // The wizard's "log in as admin" message would otherwise sit over the next pictures.
    await page.locator('.n-message').waitFor({ state: 'detached', timeout: 15_000 })
  })

  it('settings → devices makes a one-time pairing code', async () => {
    await page.click('[data-test="main-menu"] >> text=站点设置')
    await page.click('.n-tabs-tab >> text=设备')
    await page.click('[data-test="device-add"]')
    await pickOption(page, '[data-test="device-kind"]', '取号机')
    await page.fill('input[name="device-name"]', '大厅取号机')
    await page.click('[data-test="device-create"]')
    const code = page.locator('[data-test="device-code"]')
    await code.waitFor()
    expect(await code.textContent()).toMatch(/^[2-9A-HJKMNP-Z]{8}$/)
    await guideShot(page, '02-device-code')

    await device.goto(`${server.baseURL}/#/kiosk`)
    await device.locator('[data-test="device-pair"]').waitFor()
    await device.fill('input[name="device-code"]', (await code.textContent()) ?? '')
    await guideShot(device, '03-kiosk-pair')
    await device.click('[data-test="device-pair-submit"]')
    await device.locator('[data-test="device-pair"]').waitFor({ state: 'detached' })
    await guideShot(device, '04-kiosk')
    await page.keyboard.press('Escape')
  })

  it('the TV display and the rating pad pair the same way', async () => {
    await device.goto(`${server.baseURL}/#/display?pair`)
    await device.locator('[data-test="device-pair"]').waitFor()
    await device.fill('input[name="device-code"]', await apiPairing(server, adminToken, 'display'))
    await device.click('[data-test="device-pair-submit"]')
    await device.locator('[data-test="device-pair"]').waitFor({ state: 'detached' })
    await device.locator('[data-test="display-window-1"]').waitFor()
    await guideShot(device, '05-display')

    await device.goto(`${server.baseURL}/#/rate/1`)
    await device.locator('[data-test="device-pair"]').waitFor()
    await device.fill(
      'input[name="device-code"]',
      await apiPairing(server, adminToken, 'rating_pad', 1),
    )
    await device.click('[data-test="device-pair-submit"]')
    await device.locator('[data-test="device-pair"]').waitFor({ state: 'detached' })
    await guideShot(device, '06-rating-pad')

    await page.reload()
    await page.click('.n-tabs-tab >> text=设备')
    const list = page.locator('[data-test="device-list"]')
    await list.locator('text=大厅取号机').waitFor()
    expect(await list.textContent()).toContain('1号窗口')
    await guideShot(page, '07-devices')
  })

  it('settings → window join code, for the other windows of the hall', async () => {
    await page.click('.n-tabs-tab >> text=窗口加入码')
    await page.click('[data-test="join-code-make"]')
    const value = page.locator('[data-test="join-code-value"]')
    await value.waitFor()
    expect((await value.textContent())?.trim().length).toBeGreaterThan(10)
    await guideShot(page, '08-join-code')
  })

  it('settings → county sync takes the county enrolment code', async () => {
    await page.click('.n-tabs-tab >> text=县平台同步')
    await page.locator('[data-test="county-enroll"]').waitFor()
    await guideShot(page, '09-county')
  })

  it('data backup: back up now, the newest copies are listed', async () => {
    await page.click('[data-test="main-menu"] >> text=数据备份')
    await page.click('[data-test="backup-now"]')
    await page.locator('[data-test="backups-table"] td', { hasText: '.db' }).first().waitFor()
    await guideShot(page, '10-backups')
  })

  it('a damaged database opens the recovery page with the backups to restore from', async () => {
    const dataDir = server.dataDir
    const port = Number(new URL(server.baseURL).port)
    await server.stop({ keepData: true })
    for (const f of readdirSync(dataDir)) {
      if (f.startsWith('budayang.db-')) rmSync(join(dataDir, f))
    }
    writeFileSync(join(dataDir, 'budayang.db'), 'this is not a database '.repeat(400))
    server = await startServer({ init: false, dataDir, port, clock: OFFICE_HOURS })
    await page.goto(server.baseURL)
    await page.waitForURL(/#\/recovery/)
    await page.locator('[data-test="recovery-error"]').waitFor()
    await page
      .locator('[data-test="recovery-backups"] [data-test="recovery-restore"]')
      .first()
      .waitFor()
    await guideShot(page, '11-recovery')
  })

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
