import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, pickOption, shot, startServer, type Server } from './harness'

describe('first-run setup wizard', () => {
  let server: Server
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    server = await startServer({ init: false })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' })
    page.setDefaultTimeout(10_000)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('opens the wizard on a fresh data dir, and checks the form', async () => {
    await page.goto(`${server.baseURL}/#/login`)
    await page.waitForURL(/#\/setup/)
    expect(page.url()).toMatch(/#\/setup$/)
    await page.click('[data-test="setup-submit"]')
    const feedback = page.locator('.n-form-item-feedback__line', { hasText: '请填写中心名称' })
    await feedback.waitFor()
    expect(await feedback.count()).toBe(1)
    await shot(page, '20-setup-empty')
  })

  it('sets up a village room and logs in as its admin', async () => {
    await page.fill('input[name="site_name"]', '渠县某村便民服务室')
    await pickOption(page, '[data-test="kind-select"]', '村（社区）便民服务室')
    await page.fill('input[name="population"]', '2800')
    await page.fill('input[name="floor_area_m2"]', '60')
    await page.fill('input[name="admin_password"]', 'Village123')
    await page.fill('input[name="repeat"]', 'Village123')
    await page.click('h2')
    await shot(page, '21-setup-filled')
    await page.press('input[name="repeat"]', 'Enter')
    await page.waitForURL(/#\/login/)
    await page.fill('input[name="user"]', 'admin')
    await page.fill('input[name="password"]', 'Village123')
    await page.press('input[name="password"]', 'Enter')
    await page.waitForURL((u) => u.hash === '#/')
    await page.locator('[data-test="site-profile"]').waitFor()
    expect(await page.textContent('[data-test="header-site"]')).toContain('渠县某村便民服务室')
    expect(await page.textContent('[data-test="site-profile"]')).toContain('村（社区）便民服务室')
    await shot(page, '22-setup-home')
  })
})
