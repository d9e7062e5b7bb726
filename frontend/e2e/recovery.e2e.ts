import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
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

describe('a damaged database: the display waits, the recovery page restores a backup', () => {
  let server: Server
  let browser: Browser
  let page: Page
  let display: Page
  let dataDir = ''
  let port = 0
  let backupName = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    dataDir = server.dataDir
    port = Number(new URL(server.baseURL).port)
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' })
    display = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    for (const p of [page, display]) {
      p.on('pageerror', (e) => pageErrors.push(e.message))
      p.setDefaultTimeout(10_000)
    }
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('makes a backup through the API while the site is healthy', async () => {
    const token = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    const res = await api<{ name: string }>(server, 'POST', '/api/v1/backups', undefined, token)
    expect(res.status).toBe(201)
    backupName = res.body.name
    expect(
      (await api(server, 'POST', '/api/v1/tickets', { line: 'A', priority: false }, token)).status,
    ).toBe(201)
    await display.goto(`${server.baseURL}/#/display`)
    await display.locator('[data-test="display-window-1"]').waitFor()
    const unlock = display.locator('[data-test="display-unlock"]')
    if (await unlock.isVisible()) await unlock.click()
    await expect.poll(() => display.textContent('[data-test="display-line-A"]')).toContain('1 人')
  })

  it('the display shows the reconnect banner when the host goes away', async () => {
    await server.stop({ keepData: true })
    await display.locator('[data-test="display-offline"]').waitFor({ timeout: 15_000 })
    expect(await display.textContent('[data-test="display-offline"]')).toContain(
      '连接中断，正在重连',
    )
    await shot(display, '53-display-offline')
  })

  it('opens the recovery page instead of login when the database is damaged', async () => {
    for (const f of readdirSync(dataDir)) {
      if (f.startsWith('budayang.db-')) rmSync(join(dataDir, f))
    }
    expect(existsSync(join(dataDir, 'budayang.db'))).toBe(true)
    writeFileSync(join(dataDir, 'budayang.db'), 'this is not a database '.repeat(400))
    server = await startServer({ init: false, dataDir, port, clock: OFFICE_HOURS })
    await page.goto(server.baseURL)
    await page.waitForURL(/#\/recovery/)
    const error = page.locator('[data-test="recovery-error"]')
    await error.waitFor()
    expect(await error.textContent()).toContain('数据库文件已损坏')
    const row = page.locator('[data-test="recovery-backups"] tr', { hasText: backupName })
    await row.waitFor()
    expect(await row.textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
    await shot(page, '80-recovery')
    // Login is not reachable while the database is damaged.
    await page.goto(`${server.baseURL}/#/login`)
    await page.waitForURL(/#\/recovery/)
  })

  it('restores the backup after confirming, then returns to a working login', async () => {
    const row = page.locator('[data-test="recovery-backups"] tr', { hasText: backupName })
    await row.locator('[data-test="recovery-restore"]').click()
    const dialog = page.locator('.n-dialog')
    await dialog.waitFor()
    expect(await dialog.textContent()).toContain(backupName)
    await shot(page, '81-recovery-confirm')
    await dialog.locator('button', { hasText: '从此备份恢复' }).click()
    await page.locator('[data-test="recovery-done"]').waitFor()
    expect(await page.textContent('[data-test="recovery-done"]')).toContain('before-restore')
    await shot(page, '82-recovery-done')
    await page.waitForURL(/#\/login/, { timeout: 15_000 })
    await page.locator('[data-test="login-site"] >> text=测试镇便民服务中心').waitFor()
    await uiLogin(page, 'admin', ADMIN_PASSWORD)
    await page.locator('[data-test="welcome"]').waitFor()
  })

  it('the display comes back by itself and hears events again', async () => {
    await display
      .locator('[data-test="display-offline"]')
      .waitFor({ state: 'hidden', timeout: 40_000 })
    const before = (await display.textContent('[data-test="display-line-A"]')) ?? ''
    const token = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    const issued = await api<{ number: string }>(
      server,
      'POST',
      '/api/v1/tickets',
      { line: 'A', priority: false },
      token,
    )
    expect(issued.status).toBe(201)
    await expect
      .poll(() => display.textContent('[data-test="display-line-A"]'), { timeout: 5000 })
      .not.toBe(before)
  })

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
