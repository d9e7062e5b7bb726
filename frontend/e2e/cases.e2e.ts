import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Download, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  OFFICE_HOURS,
  api,
  apiLogin,
  pairPage,
  launchBrowser,
  pickOption,
  screenshotDir,
  shot,
  startServer,
  uiLogin,
  type Server,
} from './harness'

const CLERK = { login: 'clerk1', name: '王小明', password: 'Clerk12345' }
const VALID_ID = '511725198001010036'
/** The same number with a wrong check digit. */
const WRONG_CHECK_DIGIT = '511725198001010035'

/** Reads a download's bytes and keeps a copy beside the screenshots. */
async function saved(download: Download, name: string): Promise<Buffer> {
  mkdirSync(screenshotDir, { recursive: true })
  const path = join(screenshotDir, name)
  await download.saveAs(path)
  return readFileSync(path)
}

/** Waits for the toasts to fade, so a screenshot shows the page under them. */
async function quiet(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.n-message').count(), { timeout: 8000 }).toBe(0)
}

/** Renders the first page of a PDF to PNG with pdftoppm (poppler-utils), when it is installed. */
function renderPdf(pdf: string, png: string): void {
  const res = spawnSync('pdftoppm', [
    '-png',
    '-r',
    '60',
    '-singlefile',
    join(screenshotDir, pdf),
    join(screenshotDir, png),
  ])
  if (res.error) console.warn(`pdftoppm not run: ${res.error.message}`)
}

describe('catalog and window cases: from a called ticket to a printed notice', () => {
  let server: Server
  let browser: Browser
  let clerk: Page
  let kiosk: Page
  let admin: Page
  let adminToken = ''
  let caseId = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    adminToken = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    const created = await api(
      server,
      'POST',
      '/api/v1/staff',
      { login: CLERK.login, name: CLERK.name, role: 'clerk', password: CLERK.password },
      adminToken,
    )
    expect(created.status).toBe(201)
    const centre = { phone: '0818-7654321', address: '测试镇人民路1号' }
    expect((await api(server, 'PUT', '/api/v1/cases/centre', centre, adminToken)).status).toBe(200)
    browser = await launchBrowser()
    const open = async (width: number, height: number) => {
      const p = await browser.newPage({
        viewport: { width, height },
        locale: 'zh-CN',
        acceptDownloads: true,
      })
      p.on('pageerror', (e) => pageErrors.push(e.message))
      p.setDefaultTimeout(10_000)
      return p
    }
    clerk = await open(1366, 860)
    kiosk = await open(1280, 1024)
    admin = await open(1366, 860)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('catalog: "/" focuses the search, dibao finds 低保 by pinyin, Enter opens its guide', async () => {
    await clerk.goto(server.baseURL)
    await clerk.waitForURL(/#\/login/)
    await uiLogin(clerk, CLERK.login, CLERK.password)
    await clerk.click('[data-test="main-menu"] >> text=事项清单')
    await clerk.waitForURL(/#\/catalog/)
    await expect.poll(() => clerk.locator('[data-test="catalog-result"]').count()).toBe(75)

    await clerk.locator('body').click({ position: { x: 700, y: 20 } })
    await clerk.keyboard.press('/')
    expect(await clerk.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'catalog-search',
    )
    await clerk.keyboard.type('dibao')
    const first = clerk.locator('[data-test="catalog-result"]').first()
    await expect.poll(() => first.textContent()).toContain('最低生活保障申请（农村低保）')
    await shot(clerk, '90-catalog-search')

    await clerk.keyboard.press('Enter')
    const title = clerk.locator('[data-test="guide-title"]')
    await expect.poll(() => title.textContent()).toBe('最低生活保障申请（农村低保）')
    expect(clerk.url()).toContain('item=MZ-001')
    const materials = await clerk.textContent('[data-test="guide-materials"]')
    expect(materials).toContain('居民户口簿')
    expect(materials).toContain('原件和复印件')
    expect(await clerk.textContent('[data-test="guide-limit"]')).toBe('30 个工作日')
    expect(await clerk.textContent('[data-test="guide"]')).toContain('《社会救助暂行办法》')
    await shot(clerk, '91-guide')
  })

  it('catalog: the initials db find it too; the guide PDF downloads', async () => {
    await clerk.fill('input[name="catalog-search"]', '')
    await clerk.locator('input[name="catalog-search"]').pressSequentially('db')
    const results = clerk.locator('[data-test="catalog-result"]')
    // 低保 spelt whole in initials ranks first; 电表 (装电表) may follow it.
    await expect.poll(() => results.first().textContent()).toContain('农村低保')
    await clerk.keyboard.press('Enter')
    await expect
      .poll(() => clerk.textContent('[data-test="guide-title"]'))
      .toContain('最低生活保障')

    const [download] = await Promise.all([
      clerk.waitForEvent('download'),
      clerk.click('[data-test="guide-download"]'),
    ])
    expect(download.suggestedFilename()).toBe('MZ-001-最低生活保障申请（农村低保）-办事指南.pdf')
    const pdf = await saved(download, 'guide.pdf')
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
  })

  it('catalog: the special lists and the item map', async () => {
    await clerk.click('[data-test="catalog-lists-link"]')
    await clerk.waitForURL(/#\/catalog\/lists\/one-thing-once/)
    await clerk.click('[data-test="list-tab-sichuan-chongqing"]')
    await clerk.waitForURL(/#\/catalog\/lists\/sichuan-chongqing/)
    await expect
      .poll(() => clerk.locator('[data-test="list-table"] tbody tr').count())
      .toBeGreaterThan(3)
    await shot(clerk, '92-special-list')
    await clerk.goto(`${server.baseURL}/#/catalog/map`)
    const map = clerk.locator('[data-test="catalog-map"]')
    await expect.poll(() => map.textContent()).toContain('95598')
    await shot(clerk, '93-item-map')
  })

  it('case: an item handled by the county is refused with where it is handled', async () => {
    await clerk.goto(`${server.baseURL}/#/cases/new`)
    await clerk.locator('[data-test="item-picker"]').click()
    await clerk.keyboard.type('jiehun')
    await clerk.locator('.n-base-select-option:visible', { hasText: '结婚登记' }).first().click()
    await clerk.fill('input[name="citizen-name"]', '赵六')
    await clerk.click('[data-test="case-open-submit"]')
    const err = clerk.locator('[data-test="case-open-error"]')
    await err.waitFor()
    expect(await err.textContent()).toContain('“结婚登记”不在镇便民服务中心办理')
    expect(await err.textContent()).toContain('县民政局婚姻登记处')
    expect(clerk.url()).toContain('#/cases/new')
  })

  it('queue → case: a kiosk ticket, F2, 登记办件 from the ticket, a wrong then a right ID', async () => {
    await pairPage(kiosk, server, adminToken, 'kiosk', `${server.baseURL}/#/kiosk`)
    await kiosk.locator('[data-test="kiosk-line-A"]').click()
    await kiosk.click('[data-test="kiosk-issue-no-phone"]')
    expect(await kiosk.textContent('[data-test="kiosk-number"]')).toBe('A001')

    await clerk.goto(`${server.baseURL}/#/queue`)
    await pickOption(clerk, '[data-test="queue-window"]', '1号窗口')
    await clerk.locator('[data-test="queue-no-current"]').waitFor()
    await clerk.keyboard.press('F2')
    await expect.poll(() => clerk.textContent('[data-test="queue-current-number"]')).toBe('A001')
    await clerk.click('[data-test="queue-open-case"]')
    await clerk.waitForURL(/#\/cases\/new\?/)
    expect(await clerk.textContent('[data-test="case-open-ticket"]')).toContain('A001')

    await clerk.locator('[data-test="item-picker"]').click()
    await clerk.keyboard.type('dibao')
    await clerk.locator('.n-base-select-option:visible', { hasText: '农村低保' }).first().click()
    await expect
      .poll(() => clerk.textContent('[data-test="case-open-guide"]'))
      .toContain('家庭经济状况核对授权书')
    await clerk.fill('input[name="citizen-name"]', '张三丰')
    await clerk.fill('input[name="citizen-id"]', '5117251980')
    await expect
      .poll(() => clerk.textContent('[data-test="citizen-id-item"]'))
      .toContain('身份证号应为 18 位，现为 10 位')
    await clerk.fill('input[name="citizen-id"]', WRONG_CHECK_DIGIT)
    await clerk.fill('input[name="citizen-phone"]', '13800138000')
    await clerk.click('[data-test="case-open-submit"]')
    const err = clerk.locator('[data-test="case-open-error"]')
    await err.waitFor()
    expect(await err.textContent()).toContain('身份证号码校验位不正确')
    await quiet(clerk)
    await shot(clerk, '94-case-open-bad-id')

    await clerk.fill('input[name="citizen-id"]', VALID_ID)
    await clerk.click('[data-test="case-open-submit"]')
    await clerk.waitForURL(/#\/cases\/[0-9a-f-]{36}$/)
    caseId = clerk.url().split('/').pop() ?? ''
    // The holder sees the ID number in full.
    await expect.poll(() => clerk.textContent('[data-test="case-citizen-id"]')).toBe(VALID_ID)
    expect(await clerk.textContent('[data-test="case-status"]')).toContain('咨询')
    expect(await clerk.textContent('[data-test="case-responsible"]')).toBe(CLERK.name)
  })

  it('case: one click prints the one-time notice while a required material is missing', async () => {
    for (const i of [0, 1, 2, 3]) {
      await clerk.locator(`[data-test="case-material-${i}"] .n-checkbox`).click()
    }
    expect(await clerk.textContent('[data-test="case-missing"]')).toContain('缺必需材料 1 项')

    // Accepting is refused with the host's sentence, which names what is missing.
    await clerk.click('[data-test="case-action-accept"]')
    const refused = clerk.locator('[data-test="case-error"]')
    await refused.waitFor()
    expect(await refused.textContent()).toContain('还缺少必需材料：家庭收入和财产状况声明')
    await quiet(clerk)
    await shot(clerk, '95-case-missing')

    const [popup] = await Promise.all([
      clerk.waitForEvent('popup'),
      clerk.click('[data-test="case-notice"]'),
    ])
    await popup.waitForURL(/^blob:/)
    await popup.close()

    const [download] = await Promise.all([
      clerk.waitForEvent('download'),
      clerk.click('[data-test="case-doc-notice-download"]'),
    ])
    expect(download.suggestedFilename()).toContain('一次性告知单')
    const pdf = await saved(download, 'notice.pdf')
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    renderPdf('notice.pdf', '99a-notice')
  })

  it('case: all materials ticked, 受理 starts the clock and the receipt prints', async () => {
    await clerk.locator('[data-test="case-material-4"] .n-checkbox').click()
    expect(await clerk.textContent('[data-test="case-missing"]')).toContain(
      '必需材料齐全（可选材料缺 1 项）',
    )
    await clerk.click('[data-test="case-action-accept"]')
    await expect.poll(() => clerk.textContent('[data-test="case-status"]')).toContain('已受理')
    expect(await clerk.textContent('[data-test="case-due-date"]')).toMatch(/^2027-01-0\d$/)
    // 2027's holiday arrangement is not loaded: the date counts New Year's Day as worked, and the
    // page and the answer's toast say it is an estimate.
    await clerk.locator('.n-message', { hasText: '为估算' }).waitFor()
    expect(await clerk.locator('[data-test="due-estimated"]').isVisible()).toBe(true)
    expect(
      await clerk.textContent('[data-test="case-deadline"] [data-test="calendar-warnings"]'),
    ).toContain('2027年节假日安排尚未导入，暂按周末休息计算')
    await expect
      .poll(() => clerk.textContent('[data-test="case-remaining"]'))
      .toContain('剩余 30 个工作日')
    expect(await clerk.textContent('[data-test="case-citizen-id"]')).toBe(VALID_ID)
    expect(await clerk.textContent('[data-test="case-history"]')).toContain('受理')

    const [download] = await Promise.all([
      clerk.waitForEvent('download'),
      clerk.click('[data-test="case-doc-receipt-download"]'),
    ])
    expect(download.suggestedFilename()).toContain('受理回执')
    const pdf = await saved(download, 'receipt.pdf')
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    renderPdf('receipt.pdf', '99b-receipt')
    await quiet(clerk)
    await shot(clerk, '96-case-accepted')
  })

  it('case: another clerk sees it masked and is offered 接手办理', async () => {
    await admin.goto(server.baseURL)
    await admin.waitForURL(/#\/login/)
    await uiLogin(admin, 'admin', ADMIN_PASSWORD)
    await admin.goto(`${server.baseURL}/#/cases/${caseId}`)
    await admin.locator('[data-test="case-not-holder"]').waitFor()
    expect(await admin.textContent('[data-test="case-citizen-id"]')).toBe('511725********0036')
    expect(await admin.textContent('[data-test="case-citizen-name"]')).toBe('张*丰')
    expect(await admin.locator('[data-test="case-take"]').isVisible()).toBe(true)
    expect(await admin.locator('[data-test="case-action-approve"]').count()).toBe(0)
    await shot(admin, '97-case-masked')

    await admin.click('[data-test="main-menu"] >> text=办件')
    await admin.click('[data-test="cases-centre"]')
    await expect.poll(() => admin.inputValue('input[name="centre-phone"]')).toBe('0818-7654321')
    await admin.fill('input[name="centre-phone"]', '7654')
    await admin.click('[data-test="centre-save"]')
    await admin.locator('[data-test="centre-error"]').waitFor()
    expect(await admin.textContent('[data-test="centre-error"]')).toContain('7654')
    await admin.keyboard.press('Escape')
  })

  it('home: the due card lists a case due today, refreshed by case:changed', async () => {
    await clerk.goto(`${server.baseURL}/#/`)
    const card = clerk.locator('[data-test="home-due"]')
    await card.waitFor()
    await expect.poll(() => card.textContent()).toContain('没有超期或即将到期的办件')

    const token = await apiLogin(server, CLERK.login, CLERK.password)
    const opened = await api<{ id: string; due_date: string }>(
      server,
      'POST',
      '/api/v1/cases',
      {
        item_code: 'SB-001',
        name: '李四',
        id_number: VALID_ID,
        phone: '13800138000',
        received: [0],
        accept: true,
      },
      token,
    )
    expect(opened.status).toBe(201)
    expect(opened.body.due_date).toBe('2026-11-25')
    const row = clerk.locator('[data-test="home-due-due_soon"]')
    await row.waitFor({ timeout: 5000 })
    expect(await row.textContent()).toContain('城乡居民基本养老保险参保登记')
    expect(await row.textContent()).toContain('李*')
    await quiet(clerk)
    await shot(clerk, '98-home-due')
  })

  it('cases list: mine, and the search by ID number and by name', async () => {
    await clerk.click('[data-test="main-menu"] >> text=办件')
    await clerk.waitForURL(/#\/cases$/)
    await expect.poll(() => clerk.locator('[data-test="case-row"]').count()).toBe(2)
    await clerk.fill('input[name="id-search"]', VALID_ID)
    await expect.poll(() => clerk.locator('[data-test="case-row"]').count()).toBe(2)
    expect(await clerk.textContent('[data-test="cases-id-all"]')).toContain('全部办件')
    await clerk.fill('input[name="id-search"]', '11010519491231002x')
    await expect.poll(() => clerk.locator('[data-test="case-row"]').count()).toBe(0)
    await clerk.fill('input[name="id-search"]', '')
    await expect.poll(() => clerk.locator('[data-test="case-row"]').count()).toBe(2)
    // By the whole name, through its keyed hash: part of a name finds nothing.
    await clerk.fill('input[name="name-search"]', '李四')
    await expect.poll(() => clerk.locator('[data-test="case-row"]').count()).toBe(1)
    expect(await clerk.textContent('[data-test="cases-name-all"]')).toContain('全部办件')
    await clerk.fill('input[name="name-search"]', '李')
    await expect.poll(() => clerk.locator('[data-test="case-row"]').count()).toBe(0)
    await clerk.fill('input[name="name-search"]', '')
    await expect.poll(() => clerk.locator('[data-test="case-row"]').count()).toBe(2)
    expect(await clerk.textContent('[data-test="cases-table"]')).toContain('511725********0036')
    await shot(clerk, '99-cases-list')
    expect(pageErrors).toEqual([])
  })
})
