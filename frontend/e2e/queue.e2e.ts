import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  OFFICE_HOURS,
  api,
  apiLogin,
  apiPairDevice,
  launchBrowser,
  pairPage,
  pickOption,
  shot,
  startServer,
  uiLogin,
  type Server,
} from './harness'

const CLERK = { login: 'clerk1', name: '王小明', password: 'Clerk12345' }

describe('the hall: kiosk, display, clerk window and rating pad', () => {
  let server: Server
  let browser: Browser
  let kiosk: Page
  let display: Page
  let clerk: Page
  let pad: Page
  let adminToken = ''
  const pageErrors: string[] = []
  const voiceRequests: string[] = []

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
    browser = await launchBrowser()
    const open = async (width: number, height: number) => {
      const p = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' })
      p.on('pageerror', (e) => pageErrors.push(e.message))
      p.setDefaultTimeout(10_000)
      return p
    }
    kiosk = await open(1280, 1024)
    display = await open(1920, 1080)
    clerk = await open(1366, 860)
    pad = await open(1280, 800)
    display.on('request', (r) => {
      if (r.url().includes('/voice/')) voiceRequests.push(r.url().split('/voice/')[1] ?? '')
    })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('kiosk: asks for a pairing code, then takes A001 with no one ahead and A002 with a phone', async () => {
    await kiosk.goto(`${server.baseURL}/#/kiosk`)
    await kiosk.locator('[data-test="device-pair"]').waitFor()
    await shot(kiosk, '29-kiosk-pairing')
    await kiosk.fill('input[name="device-code"]', 'WRONG234')
    await kiosk.click('[data-test="device-pair-submit"]')
    await kiosk.locator('[data-test="device-pair-error"]', { hasText: '配对码不正确' }).waitFor()
    await pairPage(kiosk, server, adminToken, 'kiosk', `${server.baseURL}/#/kiosk`)
    await kiosk.locator('[data-test="kiosk-line-A"]').waitFor()
    await expect
      .poll(() => kiosk.textContent('[data-test="kiosk"]'))
      .toContain('测试镇便民服务中心')
    await shot(kiosk, '30-kiosk-start')
    await kiosk.click('[data-test="kiosk-line-A"]')
    await kiosk.click('[data-test="kiosk-issue-no-phone"]')
    expect(await kiosk.textContent('[data-test="kiosk-number"]')).toBe('A001')
    expect(await kiosk.textContent('[data-test="kiosk-ahead"]')).toContain('前面还有 0 人')
    await kiosk.click('[data-test="kiosk-done"]')

    await kiosk.click('[data-test="kiosk-line-A"]')
    for (const d of '13800138000') await kiosk.click(`[data-test="key-${d}"]`)
    expect(await kiosk.textContent('[data-test="kiosk-phone"]')).toContain('13800138000')
    await shot(kiosk, '31-kiosk-phone')
    await kiosk.click('[data-test="kiosk-issue"]')
    expect(await kiosk.textContent('[data-test="kiosk-number"]')).toBe('A002')
    expect(await kiosk.textContent('[data-test="kiosk-ahead"]')).toContain('前面还有 1 人')
    expect(await kiosk.textContent('[data-test="kiosk-wait"]')).toContain('约 5 分钟')
    await shot(kiosk, '32-kiosk-issued')
    await kiosk.click('[data-test="kiosk-done"]')
  })

  it('kiosk: says in Chinese why no ticket can be taken outside the line’s hours', async () => {
    const line = {
      name: '综合受理',
      opens: '17:00',
      closes: '17:30',
      daily_cap: 0,
      warn_wait_minutes: 30,
      active: true,
    }
    expect((await api(server, 'PUT', '/api/v1/lines/A', line, adminToken)).status).toBe(200)
    await kiosk.click('[data-test="kiosk-line-A"]')
    await kiosk.click('[data-test="kiosk-issue-no-phone"]')
    const err = kiosk.locator('[data-test="kiosk-error"]')
    await err.waitFor()
    expect(await err.textContent()).toContain('取号时间为17:00至17:30')
    await shot(kiosk, '33-kiosk-closed')
    line.opens = '08:30'
    expect((await api(server, 'PUT', '/api/v1/lines/A', line, adminToken)).status).toBe(200)
    await kiosk.click('[data-test="kiosk-error-back"]')
    await kiosk.locator('[data-test="kiosk-line-A"]').waitFor()
  })

  it('display: shows the hall with the waiting count before any call', async () => {
    await display.goto(`${server.baseURL}/#/display`)
    await display.locator('[data-test="display-window-1"]').waitFor()
    const unlock = display.locator('[data-test="display-unlock"]')
    if (await unlock.isVisible()) await unlock.click()
    await unlock.waitFor({ state: 'hidden' })
    await expect.poll(() => display.textContent('[data-test="display-line-A"]')).toContain('2 人')
  })

  it('clerk: chooses window 1 and calls A001 with F2; the display flashes it within a second', async () => {
    await clerk.goto(server.baseURL)
    await clerk.waitForURL(/#\/login/)
    await uiLogin(clerk, CLERK.login, CLERK.password)
    await clerk.click('[data-test="main-menu"] >> text=叫号')
    await clerk.waitForURL(/#\/queue/)
    await pickOption(clerk, '[data-test="queue-window"]', '1号窗口')
    await clerk.locator('[data-test="queue-no-current"]').waitFor()
    await shot(clerk, '40-queue-empty')

    const flash = display.locator('[data-test="display-flash"]')
    const start = Date.now()
    await clerk.keyboard.press('F2')
    await flash.waitFor({ timeout: 1000 })
    const elapsed = Date.now() - start
    expect(await flash.textContent()).toContain('A001')
    expect(elapsed).toBeLessThan(1000)
    await shot(display, '50-display-flash')
    expect(await clerk.textContent('[data-test="queue-current-number"]')).toBe('A001')
    await flash.waitFor({ state: 'hidden', timeout: 8000 })
    expect(await display.textContent('[data-test="display-latest"]')).toContain('A001')
    expect(await display.textContent('[data-test="display-window-1"]')).toContain('A001')
    expect(await display.textContent('[data-test="display-window-1"]')).toContain(CLERK.name)
    await shot(display, '51-display')
  })

  it('display: speaks the call from the recorded clips when the browser has no Chinese voice', async () => {
    const mode = await display.evaluate(() =>
      speechSynthesis.getVoices().some((v) => v.lang.startsWith('zh')) ? 'speech' : 'clips',
    )
    if (mode === 'clips') {
      await expect.poll(() => voiceRequests.length).toBeGreaterThan(0)
      for (const clip of [
        'qing.wav',
        'A.wav',
        '0.wav',
        '1.wav',
        'hao.wav',
        'chuangkou.wav',
        'banli.wav',
      ]) {
        expect(voiceRequests).toContain(clip)
      }
    }
  })

  it('rating pad: shows A001 after F4, requires a reason for a bad rating, and thanks', async () => {
    await pairPage(pad, server, adminToken, 'rating_pad', `${server.baseURL}/#/rate/1`, 1)
    await pad.locator('[data-test="rate-waiting"]').waitFor()
    await shot(pad, '60-rate-waiting')
    await clerk.keyboard.press('F4')
    await clerk.locator('[data-test="queue-no-current"]').waitFor()
    const form = pad.locator('[data-test="rate-form"]')
    await form.waitFor({ timeout: 3000 })
    expect(await pad.textContent('[data-test="rate-service"]')).toContain('A001')
    expect(await pad.textContent('[data-test="rate-service"]')).toContain(CLERK.name)
    await pad.click('[data-test="rate-level-1"]')
    await pad.click('[data-test="rate-submit"]')
    await pad.locator('[data-test="rate-reason-error"]').waitFor()
    await shot(pad, '61-rate-bad-needs-reason')
    await pad.fill('textarea[name="reason"]', '等候时间太长，材料清单没有一次说清楚')
    await pad.fill('input[name="name"]', '张三丰')
    await pad.fill('input[name="phone"]', '13912345678')
    await shot(pad, '62-rate-filled')
    await pad.click('[data-test="rate-submit"]')
    await pad.locator('[data-test="rate-thanks"]').waitFor()
    await shot(pad, '63-rate-thanks')
    const forged = {
      ticket_id: (
        await api<{ id: string; number: string }[]>(
          server,
          'GET',
          '/api/v1/tickets',
          undefined,
          adminToken,
        )
      ).body.find((t) => t.number === 'A001')?.id,
      level: 5,
      attitude: 5,
      efficiency: 5,
      competence: 5,
      reason: '',
      name: '',
      phone: '',
    }
    // A stranger on the Wi-Fi cannot rate; the pad of the window cannot rate twice.
    expect((await api(server, 'POST', '/api/v1/ratings', forged)).status).toBe(401)
    const padCred = await apiPairDevice(server, adminToken, 'rating_pad', 1)
    expect((await api(server, 'POST', '/api/v1/ratings', forged, padCred)).status).toBe(409)
    await pad.locator('[data-test="rate-waiting"]').waitFor({ timeout: 10_000 })
  })

  it('clerk: holds A002 with F7, calls the next, transfers it with F8, and calls A002 back', async () => {
    for (let i = 0; i < 2; i++) {
      expect(
        (await api(server, 'POST', '/api/v1/tickets', { line: 'A', priority: false }, adminToken))
          .status,
      ).toBe(201)
    }
    await clerk.keyboard.press('F2')
    await expect.poll(() => clerk.textContent('[data-test="queue-current-number"]')).toBe('A002')
    await clerk.keyboard.press('F7')
    const held = clerk.locator('[data-test="queue-held"]')
    await held.locator('text=A002').waitFor()
    await clerk.locator('[data-test="queue-no-current"]').waitFor()

    await clerk.keyboard.press('F2')
    await expect.poll(() => clerk.textContent('[data-test="queue-current-number"]')).toBe('A003')
    await clerk.keyboard.press('F8')
    const dialog = clerk.locator('[data-test="transfer-dialog"]')
    await dialog.waitFor()
    await dialog.locator('.n-radio-button', { hasText: '转到指定窗口' }).click()
    await pickOption(clerk, '[data-test="transfer-window"]', '2号窗口')
    await shot(clerk, '41-queue-transfer')
    await clerk.click('[data-test="transfer-submit"]')
    await dialog.waitFor({ state: 'hidden' })
    await clerk.locator('.n-message', { hasText: 'A003 已转到 2号窗口' }).waitFor()
    await clerk.locator('[data-test="queue-no-current"]').waitFor()

    await held.locator('[data-test="queue-callback"]').click()
    await expect.poll(() => clerk.textContent('[data-test="queue-current-number"]')).toBe('A002')
    await expect.poll(() => display.textContent('[data-test="display-latest"]')).toContain('A002')
    expect(await held.textContent()).not.toContain('A002')
    await shot(clerk, '42-queue-serving')
    await clerk.keyboard.press('F4')
    await clerk.locator('[data-test="queue-no-current"]').waitFor()

    // Window 1 does not get A003 back: it waits for window 2.
    await clerk.keyboard.press('F2')
    await expect.poll(() => clerk.textContent('[data-test="queue-current-number"]')).toBe('A004')
    const history = clerk.locator('[data-test="queue-history"]')
    await expect
      .poll(() => history.locator('tr', { hasText: 'A003' }).textContent())
      .toContain('等候中')
    await expect
      .poll(() => history.locator('tr', { hasText: 'A002' }).textContent())
      .toContain('已办结')
    // The clerk who served it by name, not by login.
    expect(await history.locator('tr', { hasText: 'A002' }).textContent()).toContain(CLERK.name)
  })

  it('clerk: pauses the window with F9 and a reason the display shows, then resumes', async () => {
    await clerk.keyboard.press('F4')
    await clerk.locator('[data-test="queue-no-current"]').waitFor()
    await clerk.keyboard.press('F9')
    const dialog = clerk.locator('[data-test="pause-dialog"]')
    await dialog.waitFor()
    await dialog.locator('input[name="reason"]').fill('午休')
    await dialog.locator('input[name="reason"]').press('Enter')
    await dialog.waitFor({ state: 'hidden' })
    await clerk.locator('[data-test="queue-paused"]').waitFor()
    const win1 = display.locator('[data-test="display-window-1"]')
    await expect.poll(() => win1.textContent()).toContain('暂停服务')
    expect(await win1.textContent()).toContain('午休')
    // A new call's flash can enter while the last one leaves: wait until none is shown.
    await expect
      .poll(() => display.locator('[data-test="display-flash"]:visible').count(), { timeout: 8000 })
      .toBe(0)
    await shot(display, '52-display-paused')
    await shot(clerk, '43-queue-paused')
    await clerk.keyboard.press('F9')
    await clerk.locator('[data-test="queue-paused"]').waitFor({ state: 'hidden' })
    await expect.poll(() => win1.textContent()).not.toContain('暂停服务')
  })

  it('admin: sees the bad rating with its rectification due date and a return call due', async () => {
    // A centre head's PC is often 1366×768: 整改 and 回访 must be in view without scrolling.
    const admin = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    admin.on('pageerror', (e) => pageErrors.push(e.message))
    await admin.goto(server.baseURL)
    await admin.waitForURL(/#\/login/)
    await uiLogin(admin, 'admin', ADMIN_PASSWORD)
    await admin.click('[data-test="main-menu"] >> text=好差评')
    await admin.waitForURL(/#\/ratings/)
    const row = admin.locator('[data-test="ratings-table"] tr', { hasText: 'A001' })
    await row.waitFor()
    const text = (await row.textContent()) ?? ''
    expect(text).toContain('非常不满意')
    expect(text).toContain('整改中')
    expect(text).toMatch(/期限 \d{4}-\d{2}-\d{2}/)
    expect(text).toContain('待回访')
    const due = await row.locator('[data-test="rect-due"]').boundingBox()
    expect(due && due.x + due.width).toBeLessThanOrEqual(1366)
    // The centre head sees whom to call back; the clerk sees it masked (below).
    expect(text).toContain('13912345678')
    await shot(admin, '70-ratings-admin')
    await row.locator('[data-test="rating-returnCall"]').click()
    await pickOption(admin, '[data-test="followup-outcome"]', '已联系，群众认可整改')
    await admin.click('[data-test="followup-submit"]')
    await admin.locator('.n-message', { hasText: '回访已记录' }).waitFor()
    await expect.poll(() => row.textContent()).not.toContain('待回访')

    await admin.click('[data-test="main-menu"] >> text=站点设置')
    await admin.click('.n-tabs-tab >> text=叫号设置')
    const lines = admin.locator('[data-test="lines-table"]')
    await lines.locator('text=综合受理').waitFor()
    await admin.locator('[data-test="windows-table"] >> text=全部业务线').first().waitFor()
    await shot(admin, '72-queue-settings')
    await admin.close()
  })

  it('clerk: sees the own bad rating and closes the rectification', async () => {
    await clerk.click('[data-test="main-menu"] >> text=好差评')
    await clerk.waitForURL(/#\/ratings/)
    const row = clerk.locator('[data-test="ratings-table"] tr', { hasText: 'A001' })
    await row.waitFor()
    expect(await row.textContent()).toContain('张*丰')
    expect(await row.textContent()).not.toContain('13912345678')
    await row.locator('[data-test="rating-rectify"]').click()
    await clerk.fill(
      '[data-test="followup-dialog"] textarea[name="note"]',
      '已制作材料清单，办理前一次告知',
    )
    await clerk.click('[data-test="followup-submit"]')
    await clerk.locator('.n-message', { hasText: '整改已完成' }).waitFor()
    await expect.poll(() => row.textContent()).toContain('已整改')
    await shot(clerk, '71-ratings-clerk')
  })

  it('kiosk: issues a green-channel ticket for the chosen group', async () => {
    await kiosk.click('[data-test="kiosk-green"]')
    await kiosk.locator('[data-test="kiosk-group"]', { hasText: '70岁以上老人' }).click()
    await kiosk.click('[data-test="kiosk-issue-no-phone"]')
    expect(await kiosk.textContent('[data-test="kiosk-number"]')).toMatch(/^V\d{3}$/)
    expect(await kiosk.textContent('[data-test="kiosk-issued"]')).toContain('绿色通道')
    await shot(kiosk, '34-kiosk-green')
    await kiosk.click('[data-test="kiosk-done"]')
  })

  it('admin: Settings → 设备 adds a device with a code and a countdown, and revokes the kiosk', async () => {
    const admin = await browser.newPage({ viewport: { width: 1440, height: 860 }, locale: 'zh-CN' })
    admin.on('pageerror', (e) => pageErrors.push(e.message))
    await admin.goto(server.baseURL)
    await admin.waitForURL(/#\/login/)
    await uiLogin(admin, 'admin', ADMIN_PASSWORD)
    await admin.click('[data-test="main-menu"] >> text=站点设置')
    await admin.click('.n-tabs-tab >> text=设备')
    const list = admin.locator('[data-test="device-list"]')
    await list.locator('text=取号机').first().waitFor()
    expect(await list.textContent()).toContain('1号窗口')

    await admin.click('[data-test="device-add"]')
    await pickOption(admin, '[data-test="device-kind"]', '叫号屏')
    await admin.click('[data-test="device-create"]')
    const code = admin.locator('[data-test="device-code"]')
    await code.waitFor()
    expect(await code.textContent()).toMatch(/^[2-9A-HJKMNP-Z]{8}$/)
    expect(await admin.textContent('[data-test="device-countdown"]')).toMatch(
      /[5-9]:\d\d 后失效|10:00 后失效/,
    )
    await shot(admin, '73-settings-devices-code')
    await admin.keyboard.press('Escape')

    const kioskRow = list.locator('tr', { hasText: '取号机' }).first()
    await kioskRow.locator('[data-test="device-revoke"]').click()
    await admin.locator('.n-popconfirm .n-button--primary-type').click()
    await admin.locator('.n-message', { hasText: '设备已停用' }).waitFor()
    await shot(admin, '74-settings-devices')
    await admin.close()

    // A pad bound to another window follows it.
    const padCred = `Device ${await pad.evaluate(() => localStorage.getItem('budayang.device'))}`
    const me = await api<{ id: string; name: string }>(
      server,
      'GET',
      '/api/v1/devices/me',
      undefined,
      padCred,
    )
    const rebound = await api(
      server,
      'PUT',
      `/api/v1/devices/${me.body.id}`,
      { name: me.body.name, window: 2 },
      adminToken,
    )
    expect(rebound.status).toBe(200)
    await pad.waitForURL(/#\/rate\/2$/, { timeout: 15_000 })

    // The revoked kiosk asks for a code at the next ticket.
    await kiosk.locator('[data-test="kiosk-line-A"]').click()
    await kiosk.click('[data-test="kiosk-issue-no-phone"]')
    await kiosk.locator('[data-test="device-pair"]', { hasText: '停用' }).waitFor()
    await shot(kiosk, '37-kiosk-revoked')
  })

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
