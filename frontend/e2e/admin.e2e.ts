import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  launchBrowser,
  pickOption,
  shot,
  startServer,
  type Server,
} from './harness'

const NEW_PASSWORD = 'Admin67890'

describe('an administrator’s day', () => {
  let server: Server
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []
  const requested: string[] = []

  beforeAll(async () => {
    server = await startServer({ init: true })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('request', (r) => requested.push(r.url()))
    page.setDefaultTimeout(10_000)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  async function login(user: string, password: string) {
    await page.fill('input[name="user"]', user)
    await page.fill('input[name="password"]', password)
    await page.press('input[name="password"]', 'Enter')
  }

  it('opens on the login page with the site name', async () => {
    await page.goto(server.baseURL)
    await page.waitForURL(/#\/login/)
    await expect
      .poll(() => page.textContent('[data-test="login-site"]'))
      .toContain('测试镇便民服务中心')
    await shot(page, '01-login')
  })

  it('shows the host’s Chinese sentence for a wrong password', async () => {
    await login('admin', 'not-the-password')
    const alert = page.locator('[data-test="login-error"]')
    await alert.waitFor()
    expect(await alert.textContent()).toMatch(/密码/)
    await shot(page, '02-login-wrong-password')
  })

  it('logs in as admin and sees the site and compliance on the home page', async () => {
    await login('admin', ADMIN_PASSWORD)
    await page.waitForURL((u) => u.hash === '#/')
    await page.locator('[data-test="welcome"]').waitFor()
    expect(await page.textContent('[data-test="header-site"]')).toContain('测试镇便民服务中心')
    expect(await page.textContent('[data-test="header-role"]')).toContain('管理员')
    expect(await page.textContent('[data-test="county-tag"]')).toContain('未接入县平台')
    // This host runs on the wall clock: no 测试时钟 (the tour's host, on BUDAYANG_CLOCK, shows it).
    expect(await page.locator('[data-test="test-clock-tag"]').count()).toBe(0)
    await page.locator('[data-test="compliance-summary"] >> text=不达标').first().waitFor()
    await shot(page, '03-home')
  })

  it('opens the event stream with a link and never puts the session token in a URL', async () => {
    const token = (await page.evaluate(() => sessionStorage.getItem('budayang.token'))) ?? ''
    expect(token).not.toBe('')
    await expect
      .poll(() => requested.some((u) => /\/api\/v1\/events\?t=[0-9a-f]{64}$/.test(u)))
      .toBe(true)
    expect(requested.filter((u) => u.includes(token))).toEqual([])
    expect(requested.filter((u) => u.includes('token='))).toEqual([])
  })

  it('shows the shortcut help with F1', async () => {
    const help = page.locator('[data-test="shortcut-help"]')
    await page.keyboard.press('F1')
    await help.waitFor()
    const text = await help.innerText()
    expect(text).toContain('Ctrl + L')
    expect(text).toContain('退出登录')
    await shot(page, '04-shortcuts')
    await page.keyboard.press('F1')
    await help.waitFor({ state: 'hidden' })
    await page.keyboard.press('F1')
    await help.waitFor()
    await page.keyboard.press('Escape')
    await help.waitFor({ state: 'hidden' })
    expect(await help.isVisible()).toBe(false)
  })

  it('switches the interface to English and back', async () => {
    await pickOption(page, '[data-test="locale-switch"]', 'English')
    await page.locator('[data-test="main-menu"] >> text=Staff').waitFor()
    expect(await page.textContent('[data-test="header-role"]')).toContain('Administrator')
    await shot(page, '04b-home-english')
    await pickOption(page, '[data-test="locale-switch"]', '中文')
    await page.locator('[data-test="main-menu"] >> text=人员管理').waitFor()
  })

  it('creates a clerk from the staff view (Alt+9 opens the ninth entry, Enter submits)', async () => {
    // 首页, 叫号, 好差评, 办件, 代办, 事项清单, 预约日历, 次日回访, 值班台: Alt+9 is the duty desk
    await page.keyboard.press('Alt+9')
    await page.waitForURL(/#\/duty-desk/)
    await page.click('[data-test="main-menu"] >> text=人员管理')
    await page.waitForURL(/#\/staff/)
    await page.click('[data-test="staff-create"]')
    const modal = page.locator('[data-test="staff-modal"]')
    await modal.waitFor()
    await modal.locator('input[name="login"]').fill('clerk1')
    await modal.locator('input[name="name"]').fill('张晓梅')
    await pickOption(page, '[data-test="role-select"]', '综合窗口')
    await modal.locator('input[name="password"]').fill('Clerk12345')
    await shot(page, '05-staff-create')
    await modal.locator('input[name="password"]').press('Enter')
    await modal.waitFor({ state: 'hidden' })
    const row = page.locator('[data-test="staff-table"] tr', { hasText: 'clerk1' })
    await row.waitFor()
    expect(await row.textContent()).toContain('综合窗口')
    await shot(page, '06-staff-list')
  })

  it('asks before deactivating and keeps the clerk when cancelled', async () => {
    const row = page.locator('[data-test="staff-table"] tr', { hasText: 'clerk1' })
    await row.locator('button', { hasText: '停用' }).click()
    const dialog = page.locator('.n-dialog')
    await dialog.waitFor()
    expect(await dialog.textContent()).toContain('张晓梅')
    await shot(page, '07-staff-deactivate-confirm')
    await dialog.locator('button', { hasText: '取消' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(await row.textContent()).toContain('在岗')
  })

  it('shows compliance with the rule sentences in settings', async () => {
    await page.click('[data-test="main-menu"] >> text=站点设置')
    await page.waitForURL(/#\/settings/)
    const table = page.locator('[data-test="compliance-table"]')
    await table.locator('text=户籍人口3–6万').waitFor()
    const text = await table.textContent()
    expect(text).toContain('不达标')
    expect(text).toContain('1 人')
    await shot(page, '08-settings')
  })

  it('updates the floor area and sees it meet the standard', async () => {
    await page.fill('[data-test="site-form"] input[name="floor_area_m2"]', '320')
    await page.click('[data-test="site-save"]')
    await page.locator('.n-message', { hasText: '站点资料已保存' }).waitFor()
    const row = page.locator('[data-test="compliance-table"] tr', { hasText: '服务场所面积' })
    await expect.poll(() => row.textContent()).toContain('达标')
    expect(await row.textContent()).not.toContain('不达标')
  })

  it('runs a backup', async () => {
    await page.click('[data-test="main-menu"] >> text=数据备份')
    await page.waitForURL(/#\/backups/)
    const rows = page.locator('[data-test="backups-table"] tbody tr:not(.n-data-table-empty)')
    await page.locator('[data-test="backups-table"]').waitFor()
    const before = await rows.count()
    await page.click('[data-test="backup-now"]')
    await page.locator('.n-message', { hasText: '备份完成' }).waitFor()
    await expect.poll(() => rows.count()).toBe(before + 1)
    expect(await rows.first().textContent()).toMatch(/budayang-.*\.db/)
    await shot(page, '09-backups')
  })

  it('refreshes the backup list on a backup:created event from elsewhere', async () => {
    const rows = page.locator('[data-test="backups-table"] tbody tr:not(.n-data-table-empty)')
    const before = await rows.count()
    // Another workstation backs up: call the API directly, not through this page's UI.
    const status = await page.evaluate(async () => {
      const token = sessionStorage.getItem('budayang.token') ?? ''
      const res = await fetch('/api/v1/backups', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      })
      return res.status
    })
    expect(status).toBe(201)
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(before + 1)
  })

  it('runs a scheduled job after confirming', async () => {
    await page.click('[data-test="main-menu"] >> text=定时任务')
    await page.waitForURL(/#\/jobs/)
    // The nightly backup, never run on a fresh host.
    const row = page.locator('[data-test="jobs-table"] tbody tr', { hasText: '每晚备份数据库' })
    await row.waitFor()
    expect(await row.textContent()).toContain('从未')
    await row.locator('button', { hasText: '立即运行' }).click()
    const dialog = page.locator('.n-dialog')
    await dialog.waitFor()
    await dialog.locator('button', { hasText: '立即运行' }).click()
    await page.locator('.n-message', { hasText: '已运行' }).waitFor()
    await expect.poll(() => row.textContent()).not.toContain('从未')
    expect(await row.textContent()).toContain('每晚备份数据库')
    await shot(page, '10-jobs')
  })

  it('sees the audit entries and an intact hash chain', async () => {
    await page.click('[data-test="main-menu"] >> text=审计日志')
    await page.waitForURL(/#\/audit/)
    await page.locator('[data-test="chain-ok"]').waitFor()
    const table = page.locator('[data-test="audit-table"]')
    // Actions as sentences, staff targets by name, not codes and logins.
    const created = table.locator('tr', { hasText: '新增人员' }).first()
    await created.waitFor()
    expect(await created.textContent()).toContain('张晓梅')
    const text = await table.textContent()
    expect(text).toContain('备份数据库')
    expect(text).toContain('登录失败')
    expect(text).not.toContain('staff.create')
    await shot(page, '11-audit')
  })

  it('changes the password', async () => {
    await page.click('[data-test="main-menu"] >> text=我的账户')
    await page.waitForURL(/#\/account/)
    await page.fill('[data-test="password-form"] input[name="old"]', ADMIN_PASSWORD)
    await page.fill('[data-test="password-form"] input[name="new"]', NEW_PASSWORD)
    await page.fill('[data-test="password-form"] input[name="repeat"]', NEW_PASSWORD)
    await page.press('[data-test="password-form"] input[name="repeat"]', 'Enter')
    await page.locator('.n-message', { hasText: '密码已修改' }).waitFor()
    // The host now takes the new password.
    const status = await page.evaluate(async (password) => {
      const res = await fetch('/api/v1/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: 'admin', password }),
      })
      return res.status
    }, NEW_PASSWORD)
    expect(status).toBe(200)
    await shot(page, '12-account')
  })

  it('logs out with Ctrl+L after confirming, and back in with the new password, then with the button', async () => {
    await page.keyboard.press('Control+l')
    const confirm = page.locator('.n-dialog', { hasText: '确定退出登录吗' })
    await confirm.waitFor()
    await confirm.locator('button', { hasText: '取消' }).click()
    await confirm.waitFor({ state: 'hidden' })
    expect(page.url()).not.toMatch(/#\/login/)
    await page.keyboard.press('Control+l')
    await confirm.locator('button', { hasText: '退出登录' }).click()
    await page.waitForURL(/#\/login/)
    await login('admin', NEW_PASSWORD)
    await page.waitForURL((u) => u.hash === '#/')
    await page.click('[data-test="logout"]')
    await page.waitForURL(/#\/login/)
    expect(await page.evaluate(() => sessionStorage.getItem('budayang.token'))).toBeNull()
    await shot(page, '13-logged-out')
  })

  it('shows a clerk only the non-admin views', async () => {
    await login('clerk1', 'Clerk12345')
    await page.waitForURL((u) => u.hash === '#/')
    expect(await page.textContent('[data-test="header-role"]')).toContain('综合窗口')
    const items = page.locator('[data-test="main-menu"] .n-menu-item')
    // 首页, 叫号, 好差评, 办件, 代办, 事项清单, 预约日历, 次日回访, 值班台, 值班表, 我的值班, 我的账户
    expect(await items.count()).toBe(12)
    await page.goto(`${server.baseURL}/#/staff`)
    await page.waitForURL((u) => u.hash === '#/')
    await page.locator('.n-message', { hasText: '无权打开该页面' }).waitFor()
    await page.locator('[data-test="welcome"]').waitFor()
    await shot(page, '14-clerk-home')
  })

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
