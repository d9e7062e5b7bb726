// The county pages against the real county server: `budayang county init`, then `county serve`
// on plain loopback HTTP, driven in headless Chromium as county staff would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { ADMIN_PASSWORD, ensureBinary, launchBrowser, shot } from './harness'

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.once('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => ok(port))
    })
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('county staff at the county pages', () => {
  let child: ChildProcess
  let dataDir: string
  let baseURL: string
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    const bin = ensureBinary()
    dataDir = mkdtempSync(join(tmpdir(), 'budayang-county-e2e-'))
    const env = { ...process.env, BUDAYANG_ADMIN_PASSWORD: ADMIN_PASSWORD }
    const init = spawnSync(bin, ['county', 'init', '--data', dataDir], { env, encoding: 'utf8' })
    if (init.status !== 0) throw new Error(`county init failed: ${init.stderr}${init.stdout}`)
    const port = await freePort()
    baseURL = `http://127.0.0.1:${port}`
    let log = ''
    child = spawn(
      bin,
      [
        'county',
        'serve',
        '--data',
        dataDir,
        '--addr',
        `127.0.0.1:${port}`,
        '--insecure-loopback-test',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
    const deadline = Date.now() + 30_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`county serve exited early:\n${log}`)
      try {
        if ((await fetch(`${baseURL}/api/v1/status`)).ok) break
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`county serve did not answer within 30 s:\n${log}`)
      await sleep(200)
    }
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.setDefaultTimeout(10_000)
  })

  afterAll(async () => {
    await browser?.close()
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, sleep(5000)])
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('opens the county login, not a site setup, and signs in', async () => {
    await page.goto(baseURL)
    await page.waitForURL(/#\/county\/login/)
    await page.fill('input[name="password"]', 'not-the-password')
    await page.press('input[name="password"]', 'Enter')
    await expect
      .poll(() => page.textContent('[data-test="county-login-error"]'))
      .toContain('密码不正确')
    await page.fill('input[name="password"]', ADMIN_PASSWORD)
    await page.press('input[name="password"]', 'Enter')
    await page.waitForURL((u) => u.hash === '#/county')
    await page.locator('[data-test="county-sites-table"]').waitFor()
  })

  it('registers a site and shows its one-time code with its expiry', async () => {
    await page.click('[data-test="new-site"]')
    await page.fill('input[name="site-name"]', '青山镇便民服务中心')
    await page.click('[data-test="new-site-submit"]')
    const code = page.locator('[data-test="site-code"]')
    await code.waitFor()
    expect((await code.textContent())?.trim()).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{1,4}){5,}$/)
    const expiry = await page.textContent('[data-test="site-code-expiry"]')
    expect(expiry).toContain('72 小时')
    expect(expiry).toContain(`https://${new URL(baseURL).host}`)
    await shot(page, 'county-01-site-code')
    await page.keyboard.press('Escape')
    const row = page.locator('[data-test="county-sites-table"] tbody tr', {
      hasText: '青山镇便民服务中心',
    })
    await expect.poll(() => row.textContent()).toContain('待接入')
  })

  it('publishes the 2027 holiday arrangement after its preview', async () => {
    await page.click('[data-test="county-menu"] >> text=数据集发布')
    await page.locator('[data-test="holidays-editor"]').waitFor()
    await page.fill('input[name="holiday-year"]', '2027')
    await page.press('input[name="holiday-year"]', 'Enter')
    await page.fill('input[name="holiday-from-0"]', '2027-01-01')
    await page.fill('input[name="holiday-to-0"]', '2027-01-01')
    await page.fill('input[name="holiday-from-1"]', '2027-02-06')
    await page.fill('input[name="holiday-to-1"]', '2027-02-12')
    await page.click('[data-test="holiday-add-workday"]')
    await page.fill('input[name="workday-date-0"]', '2027-02-20')
    await page.fill('input[name="workday-name-0"]', '春节')
    expect(await page.isDisabled('[data-test="dataset-publish"]')).toBe(true)
    await page.click('[data-test="dataset-preview-button"]')
    const year = page.locator('[data-test="preview-year-2027"]')
    await year.waitFor()
    expect(await year.locator('[data-test="year-change"]').textContent()).toContain('新增')
    expect(await year.textContent()).toContain('放假 8 天（2 个节日），调休上班 1 天')
    await shot(page, 'county-02-holidays-preview')
    await page.click('[data-test="dataset-publish"]')
    await page.locator('.n-dialog__action button', { hasText: '发布' }).click()
    await expect
      .poll(() => page.textContent('[data-test="version-holidays"]'), { timeout: 10_000 })
      .toBe('v1')
  })

  it('publishes a catalog uploaded as a file, naming the items it adds', async () => {
    await page.click('.n-tabs-tab:has-text("事项清单")')
    const catalogFile = resolve(
      dirname(fileURLToPath(import.meta.url)),
      '../../backend/catalog/data/catalog.json',
    )
    await page.setInputFiles('[data-test="file-catalog-file"]', catalogFile)
    const pane = page.locator('[data-test="tab-catalog"]')
    await pane.locator('[data-test="dataset-preview-button"]').click()
    await expect
      .poll(() => pane.locator('[data-test="preview-catalog"]').textContent())
      .toContain('清单版本 builtin-2026.1，共 75 项：新增 75 项，删除 0 项，修改 0 项。')
    await pane.locator('[data-test="dataset-publish"]').click()
    await page.locator('.n-dialog__action button', { hasText: '发布' }).click()
    await expect.poll(() => page.textContent('[data-test="version-catalog"]')).toBe('v1')
  })

  it('opens a site’s records, none yet before it enrols', async () => {
    await page.click('[data-test="county-menu"] >> text=站点总览')
    await page.click('[data-test="site-link"]')
    await page.waitForURL(/#\/county\/sites\//)
    await expect
      .poll(() => page.textContent('[data-test="records-site"]'))
      .toContain('青山镇便民服务中心')
    await page.locator('[data-test="records-table"] .n-data-table-empty').waitFor()
    expect(await page.isDisabled('[data-test="records-next"]')).toBe(true)
  })

  it('revokes the site after a confirmation, and the audit log shows the day', async () => {
    await page.click('[data-test="county-menu"] >> text=站点总览')
    const row = page.locator('[data-test="county-sites-table"] tbody tr', {
      hasText: '青山镇便民服务中心',
    })
    await row.locator('[data-test="site-revoke"]').click()
    await page.locator('.n-dialog__action button', { hasText: '停用' }).click()
    await row.locator('[data-test="revoked"]').waitFor()
    expect(await row.locator('[data-test="site-revoke"]').isDisabled()).toBe(true)
    await shot(page, 'county-03-sites')
    await page.click('[data-test="county-menu"] >> text=县平台审计日志')
    const audit = page.locator('[data-test="county-audit-table"]')
    await expect.poll(() => audit.textContent()).toContain('站点停用')
    const text = await audit.textContent()
    for (const e of ['新建站点', '发布数据集', '登录失败']) expect(text).toContain(e)
    expect(pageErrors).toEqual([])
  })
})
