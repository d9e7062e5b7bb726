// A look at every main screen at 1280×800 (the display at 1920×1080), in Chinese and in English:
// screenshots for a person to look at, and checks that no i18n key or other language leaks through
// and that the menu marks the parent entry on sub-pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  OFFICE_HOURS,
  api,
  apiLogin,
  launchBrowser,
  pickOption,
  shot,
  startServer,
  uiLogin,
  type Server,
} from './harness'

/** An i18n key shown instead of its words: `calendar.allLines`, `queue.col.number`. */
const RAW_KEY = /\b[a-z][a-zA-Z]+\.[a-z][a-zA-Z_]+(\.[a-zA-Z_]+)*\b/g

/** The raw keys in a text; host names (github.com/6tail/lunar-go, the data source) are not. */
const rawKeys = (text: string) =>
  (text.match(RAW_KEY) ?? []).filter((m) => !/\.(com|org|net|cn)$/.test(m))

describe('a tour of the main screens', () => {
  let server: Server
  let browser: Browser
  let page: Page
  let caseId = ''
  const pageErrors: string[] = []

  /** The page's visible text without the parts that are data (catalog codes and the like). */
  const visibleText = () => page.locator('#app').innerText()

  const selectedMenu = () =>
    page.locator('[data-test="main-menu"] .n-menu-item-content--selected').innerText()

  const visit = async (hash: string, ready: string, name: string) => {
    await page.goto(`${server.baseURL}/#${hash}`)
    // A query change on the same route keeps the view as it was: load it afresh.
    await page.reload()
    await page.locator(ready).first().waitFor()
    await shot(page, name)
    const text = await visibleText()
    expect(rawKeys(text), name).toEqual([])
    return text
  }

  beforeAll(async () => {
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    const token = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    await api(server, 'POST', '/api/v1/tickets', { line: 'A', priority: false }, token)
    const opened = await api<{ id: string }>(
      server,
      'POST',
      '/api/v1/cases',
      { item_code: 'SB-001', name: '张三', phone: '13800138000' },
      token,
    )
    expect(opened.status).toBe(201)
    caseId = opened.body.id
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.setDefaultTimeout(10_000)
    await page.goto(server.baseURL)
    await page.waitForURL(/#\/login/)
    await shot(page, 't00-login')
    await uiLogin(page, 'admin', ADMIN_PASSWORD)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('home, queue and the calendar (month and week)', async () => {
    const home = await visit('/', '[data-test="main-menu"]', 't01-home')
    expect(home).toContain('测试时钟')
    const queue = await visit('/queue', '[data-test="queue-current"]', 't02-queue')
    expect(queue).toContain('A001') // the ticket issued before the tour
    await visit('/calendar?view=dayGridMonth', '.fc-daygrid-day', 't03-calendar-month')
    expect(await page.locator('.fc-daygrid-day').count()).toBeGreaterThanOrEqual(28)
    await visit('/calendar?view=timeGridWeek', '.fc-timegrid-col', 't04-calendar-week')
    expect(await page.locator('td.fc-timegrid-col[data-date]').count()).toBeGreaterThanOrEqual(5)
  })

  it('cases: the list, the case screen and a new case mark 办件 in the menu', async () => {
    await visit('/cases', '[data-test="cases-scope"]', 't05-cases')
    expect(await selectedMenu()).toContain('办件')
    await visit(`/cases/${caseId}`, '[data-test="case-title"]', 't06-case')
    expect(await selectedMenu()).toContain('办件')
    await visit('/cases/new', 'form', 't07-case-new')
    expect(await selectedMenu()).toContain('办件')
  })

  it('catalog: the search, the special lists and the map mark 事项清单 in the menu', async () => {
    await visit('/catalog', 'input', 't08-catalog')
    expect(await selectedMenu()).toContain('事项清单')
    await visit('/catalog/lists', '.n-card', 't09-catalog-lists')
    expect(await selectedMenu()).toContain('事项清单')
    await visit('/catalog/map', '.n-card', 't10-catalog-map')
    expect(await selectedMenu()).toContain('事项清单')
  })

  it('settings: each tab', async () => {
    await visit('/settings', '[data-test="settings-tabs"]', 't11-settings-site')
    await page.click('[data-test="settings-tabs"] >> text=叫号设置')
    await page.waitForTimeout(300)
    await shot(page, 't12-settings-queue')
    await page.click('[data-test="settings-tabs"] >> text=工作日历')
    await page.locator('[data-test="calendar-settings"]').waitFor()
    await shot(page, 't13-settings-calendar')
    expect(rawKeys(await visibleText())).toEqual([])
  })

  it('the kiosk at 1280×800 and the display at 1920×1080', async () => {
    await visit('/kiosk', '[data-test="kiosk-book"]', 't14-kiosk')
    await page.click('[data-test="kiosk-checkin"]')
    await shot(page, 't15-kiosk-checkin')
    await page.click('[data-test="kiosk-checkin-by-phone"]')
    await page.locator('[data-test="key-0"]').waitFor()
    expect(await page.locator('[data-test="key-9"]').isVisible()).toBe(true)
    await shot(page, 't16-kiosk-checkin-phone')
    const tv = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    tv.on('pageerror', (e) => pageErrors.push(e.message))
    await tv.goto(`${server.baseURL}/#/display`)
    await tv.locator('[data-test="display-window-1"]').waitFor()
    expect(await tv.locator('[data-test="display-window-1"]').innerText()).toContain('1')
    await shot(tv, 't17-display')
    await tv.close()
  })

  it('in English: the main screens show English words, no keys and no Chinese labels', async () => {
    await page.goto(`${server.baseURL}/#/`)
    await pickOption(page, '[data-test="locale-switch"]', 'English')
    await page.locator('[data-test="main-menu"] >> text=Staff').waitFor()
    const screens: [string, string, string][] = [
      ['/', '[data-test="main-menu"]', 'e01-home'],
      ['/queue', '[data-test="queue-current"]', 'e02-queue'],
      ['/calendar?view=timeGridWeek', '.fc-timegrid-col', 'e03-calendar-week'],
      ['/cases', '[data-test="cases-scope"]', 'e04-cases'],
      [`/cases/${caseId}`, '[data-test="case-title"]', 'e05-case'],
      ['/catalog', 'input', 'e06-catalog'],
      ['/settings', '[data-test="settings-tabs"]', 'e07-settings'],
    ]
    for (const [hash, ready, name] of screens) {
      const text = await visit(hash, ready, name)
      // The menu and the headers are the UI's own words; data (names, items) may be Chinese.
      const menu = await page.locator('[data-test="main-menu"]').innerText()
      expect(menu, name).not.toMatch(/[\u4e00-\u9fff]/)
      expect(text.length).toBeGreaterThan(0)
    }
    await pickOption(page, '[data-test="locale-switch"]', '中文')
    await page.locator('[data-test="main-menu"] >> text=人员管理').waitFor()
    expect(pageErrors).toEqual([])
  })
})
