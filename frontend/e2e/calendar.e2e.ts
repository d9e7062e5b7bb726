import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  OFFICE_HOURS,
  api,
  apiLogin,
  pairPage,
  launchBrowser,
  pickOption,
  shot,
  startServer,
  uiLogin,
  type Server,
} from './harness'

interface Booking {
  id: string
  code?: string
  slot_start: string
  status: string
  citizen_name: string
  reason: string
}

// The server's clock starts at 09:00 on Wednesday 2026-11-25. The pages keep their own clock: the
// calendar and the kiosk take today from the host's status.
const TOMORROW = '2026-11-26'
const CLERK = { login: 'clerk1', name: '王小明', password: 'Clerk12345' }

describe('the appointment calendar, call list, calendar settings and kiosk check-in', () => {
  let server: Server
  let browser: Browser
  let admin: Page
  let kiosk: Page
  let adminToken = ''
  let clerkId = ''
  const pageErrors: string[] = []

  const book = async (slotStart: string, name: string, phone: string, staffId?: string) => {
    const res = await api<Booking>(
      server,
      'POST',
      '/api/v1/bookings',
      { line: 'A', slot_start: slotStart, name, phone, staff_id: staffId },
      adminToken,
    )
    expect(res.status).toBe(201)
    return res.body
  }

  /** Points at the middle of the time-grid cell of date at HH:MM. */
  const cellPoint = async (page: Page, date: string, time: string) => {
    const col = await page.locator(`td.fc-timegrid-col[data-date="${date}"]`).boundingBox()
    const row = await page.locator(`td.fc-timegrid-slot-lane[data-time="${time}:00"]`).boundingBox()
    if (!col || !row) throw new Error(`no cell ${date} ${time}`)
    return { x: col.x + col.width / 2, y: row.y + row.height / 2 }
  }

  beforeAll(async () => {
    server = await startServer({ init: true, clock: OFFICE_HOURS })
    adminToken = await apiLogin(server, 'admin', ADMIN_PASSWORD)
    // Evenings by appointment, so a booking names the clerk who comes in and reaches their .ics.
    const ext = await api(
      server,
      'POST',
      '/api/v1/calendar/extended',
      {
        name: '晚间延时',
        weekdays: [1, 2, 3, 4, 5],
        season_from: '',
        season_to: '',
        start: '17:30',
        end: '19:00',
        on_holidays: false,
      },
      adminToken,
    )
    expect(ext.status).toBe(201)
    const clerk = await api<{ id: string }>(
      server,
      'POST',
      '/api/v1/staff',
      { login: CLERK.login, name: CLERK.name, role: 'clerk', password: CLERK.password },
      adminToken,
    )
    expect(clerk.status).toBe(201)
    clerkId = clerk.body.id
    browser = await launchBrowser()
    const open = async (width: number, height: number) => {
      const p = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' })
      p.on('pageerror', (e) => pageErrors.push(e.message))
      p.setDefaultTimeout(10_000)
      return p
    }
    admin = await open(1440, 1000)
    kiosk = await open(1280, 1024)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('month view: October 2026 shows 国庆节 and the 10/10 补班; 2027 warns it is not loaded', async () => {
    await admin.goto(server.baseURL)
    await admin.waitForURL(/#\/login/)
    await uiLogin(admin, 'admin', ADMIN_PASSWORD)
    await admin.click('[data-test="main-menu"] >> text=预约日历')
    await admin.waitForURL(/#\/calendar/)
    await admin.click('.fc-dayGridMonth-button')
    await admin.locator('.fc-toolbar-title', { hasText: '2026年11月' }).waitFor()
    await admin.click('.fc-prev-button')
    await admin.locator('.fc-toolbar-title', { hasText: '2026年10月' }).waitFor()
    await expect
      .poll(() => admin.locator('[data-test="day-label-2026-10-01"]').first().textContent())
      .toBe('国庆节')
    expect(await admin.locator('[data-test="day-label-2026-10-07"]').first().textContent()).toBe(
      '国庆节',
    )
    expect(await admin.locator('[data-test="day-label-2026-10-10"]').first().textContent()).toBe(
      '补班',
    )
    expect(
      await admin.locator('td.fc-daygrid-day[data-date="2026-10-01"]').getAttribute('class'),
    ).toContain('cal-day-holiday')
    expect(await admin.locator('[data-test="calendar-warning"]').count()).toBe(0)
    await shot(admin, '80-cal-month')

    for (let i = 0; i < 3; i++) await admin.click('.fc-next-button')
    await admin.locator('.fc-toolbar-title', { hasText: '2027年1月' }).waitFor()
    const warning = admin.locator('[data-test="calendar-warning"]')
    await warning.waitFor()
    expect(await warning.textContent()).toContain('2027年节假日安排尚未导入')
    await shot(admin, '81-cal-2027-warning')
  })

  it('week view: a click on a free slot books it with the server’s check-in code', async () => {
    await admin.click('.fc-timeGridWeek-button')
    await admin.click('.fc-today-button')
    await admin.locator(`td.fc-timegrid-col[data-date="${TOMORROW}"]`).waitFor()
    const p = await cellPoint(admin, TOMORROW, '10:00')
    await admin.mouse.click(p.x, p.y)
    const dialog = admin.locator('[data-test="booking-dialog"]')
    await dialog.waitFor()
    await expect
      .poll(() => dialog.locator('[data-test="booking-slot"]').textContent())
      .toContain('10:00–10:30')
    await admin.fill('input[name="citizen-name"]', '李四')
    await admin.fill('input[name="citizen-phone"]', '138001380')
    await admin.click('[data-test="booking-save"]')
    const refused = admin.locator('[data-test="booking-error"]')
    await refused.waitFor()
    expect(await refused.textContent()).toContain('手机号')
    await admin.fill('input[name="citizen-phone"]', '13800138000')
    await shot(admin, '82-cal-booking-dialog')
    await admin.click('[data-test="booking-save"]')
    await admin.locator('.n-message', { hasText: '已为 李四 预约，签到码' }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    await admin.locator('.fc-event', { hasText: 'A 李四' }).waitFor()
    const list = await api<Booking[]>(
      server,
      'GET',
      `/api/v1/bookings?from=${TOMORROW}&to=${TOMORROW}`,
      undefined,
      adminToken,
    )
    expect(list.body.map((b) => b.slot_start)).toEqual(['2026-11-26T02:00:00Z'])
  })

  it('week view: dragging into a full slot is refused by the server and the booking springs back', async () => {
    const rule = { slot_minutes: 30, capacity: 1, extended_capacity: 2 }
    expect((await api(server, 'PUT', '/api/v1/booking/lines/A', rule, adminToken)).status).toBe(200)
    await book('2026-11-26T11:00:00+08:00', '王五', '13900139000')
    await book('2026-11-26T17:30:00+08:00', '赵六', '13700137000', clerkId)
    await admin.locator('.fc-event', { hasText: 'A 王五' }).waitFor()
    await admin.locator('.fc-event', { hasText: 'A 赵六' }).waitFor()
    await shot(admin, '83-cal-week')

    const event = admin.locator('.fc-event', { hasText: 'A 李四' })
    const box = await event.boundingBox()
    if (!box) throw new Error('no event box')
    const to = await cellPoint(admin, TOMORROW, '11:00')
    await admin.mouse.move(box.x + box.width / 2, box.y + 6)
    await admin.mouse.down()
    await admin.mouse.move(box.x + box.width / 2, box.y + 20, { steps: 4 })
    await admin.mouse.move(to.x, to.y - 4, { steps: 10 })
    await admin.mouse.up()
    const msg = admin.locator('.n-message', { hasText: '约满' })
    await msg.waitFor()
    await shot(admin, '84-cal-drag-refused')
    const list = await api<Booking[]>(
      server,
      'GET',
      `/api/v1/bookings?from=${TOMORROW}&to=${TOMORROW}&status=booked`,
      undefined,
      adminToken,
    )
    expect(list.body.map((b) => b.slot_start)).toContain('2026-11-26T02:00:00Z')
    const after = await admin.locator('.fc-event', { hasText: 'A 李四' }).boundingBox()
    expect(Math.abs((after?.y ?? 0) - box.y)).toBeLessThan(2)

    await admin.locator('.fc-event', { hasText: 'A 李四' }).click()
    const drawer = admin.locator('[data-test="booking-drawer"]')
    await drawer.waitFor()
    expect(await drawer.locator('[data-test="booking-name"]').textContent()).toBe('李四')
    expect(await drawer.textContent()).toContain('13800138000')
    expect(await drawer.locator('[data-test="booking-code"]').textContent()).toMatch(/^\d{6}$/)
    await shot(admin, '84b-cal-drawer')
    await admin.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
  })

  it('drawer: 改约 by form moves a booking to a free slot after confirming, and says the new time', async () => {
    await admin.locator('.fc-event', { hasText: 'A 李四' }).click()
    const drawer = admin.locator('[data-test="booking-drawer"]')
    await drawer.waitFor()
    await drawer.locator('[data-test="booking-reschedule"]').click()
    await drawer.locator('[data-test="reschedule-form"]').waitFor()
    await pickOption(admin, '[data-test="reschedule-slot"]', '14:30–')
    await drawer.locator('input[name="reschedule-reason"]').fill('群众来电改到下午')
    await drawer.locator('[data-test="reschedule-submit"]').click()
    const confirm = admin.locator('.n-dialog', { hasText: '改到' })
    await confirm.waitFor()
    expect(await confirm.textContent()).toContain(`${TOMORROW} 10:00`)
    await confirm.locator('button', { hasText: '确认改约' }).click()
    await admin.locator('.n-message', { hasText: `已改约：李四 ${TOMORROW} 14:30` }).waitFor()
    const list = await api<Booking[]>(
      server,
      'GET',
      `/api/v1/bookings?from=${TOMORROW}&to=${TOMORROW}&status=booked`,
      undefined,
      adminToken,
    )
    const moved = list.body.find((b) => b.citizen_name === '李四')
    expect(moved?.slot_start).toBe('2026-11-26T06:30:00Z')
    expect(moved?.reason).toBe('群众来电改到下午')
  })

  it('the .ics export downloads the signed-in person’s bookings', async () => {
    const download = admin.waitForEvent('download')
    await admin.click('[data-test="calendar-ics"]')
    const file = await download
    expect(file.suggestedFilename()).toBe('budayang-admin.ics')
    const path = await file.path()
    const text = readFileSync(path, 'utf8')
    expect(text).toContain('BEGIN:VCALENDAR')
    // The evening booking is in the calendar of the clerk who comes in for it.
    const res = await fetch(`${server.baseURL}/api/v1/staff/${clerkId}/calendar.ics`, {
      headers: { Authorization: `Bearer ${adminToken}` },
    })
    const clerkICS = await res.text()
    expect(clerkICS).toContain('BEGIN:VEVENT')
    expect(clerkICS).toContain('DTSTART:20261126T093000Z')
  })

  it('the call list: the duty officer marks a citizen as reached', async () => {
    const run = await api(server, 'POST', '/api/v1/jobs/booking-call-list/run', {}, adminToken)
    expect(run.status).toBe(200)
    await admin.click('[data-test="main-menu"] >> text=次日回访')
    await admin.waitForURL(/#\/call-list/)
    await expect
      .poll(() => admin.textContent('[data-test="call-list-date-title"]'))
      .toContain(TOMORROW)
    const table = admin.locator('[data-test="call-list"]')
    await table.locator('tr', { hasText: '李四' }).waitFor()
    expect(await table.textContent()).toContain('13800138000')
    await table.locator('tr', { hasText: '李四' }).locator('[data-test="call-reached"]').click()
    await admin.locator('.n-message', { hasText: '已记录：李四 已接通' }).waitFor()
    await expect.poll(() => admin.textContent('[data-test="call-list"]')).toContain('admin')
    await shot(admin, '85-cal-call-list')
  })

  it('settings: the working-calendar tab shows hours, market days, extended hours and years', async () => {
    await admin.click('[data-test="main-menu"] >> text=站点设置')
    await admin.waitForURL(/#\/settings/)
    await admin.click('[data-test="settings-tabs"] >> text=工作日历')
    await admin.locator('[data-test="calendar-settings"]').waitFor()
    expect(await admin.textContent('[data-test="extended-windows"]')).toContain('晚间延时')
    expect(await admin.textContent('[data-test="arrangements"]')).toContain(
      '2027 年节假日安排尚未导入',
    )
    await admin.click('[data-test="market-kind"] >> text=按公历日期')
    await admin.click('[data-test="market-rule"] >> text=逢1、4、7')
    await admin.click('[data-test="market-save"]')
    await admin.locator('.n-message', { hasText: '已保存' }).waitFor()
    const cal = await api<{ days: { market_day: boolean }[] }>(
      server,
      'GET',
      '/api/v1/calendar?from=2026-12-01&to=2026-12-01',
    )
    expect(cal.body.days[0]?.market_day).toBe(true)
    await shot(admin, '86-cal-settings')
    await admin.locator('[data-test="arrangements"]').scrollIntoViewIfNeeded()
    await shot(admin, '86-cal-settings-years')
  })

  it('settings: next year is entered as the notice reads, previewed, then saved', async () => {
    const row = admin.locator('[data-test="arrangement-holiday-0"]')
    const [from, to] = [row.locator('input').nth(1), row.locator('input').nth(2)]
    await from.fill('2027-01-01')
    await to.fill('2027-01-03')
    await to.press('Enter')
    await admin.click('[data-test="arrangement-preview-button"]')
    const preview = admin.locator('[data-test="arrangement-preview"]')
    await preview.waitFor()
    expect(await preview.textContent()).toContain('放假 3 天（1 个节日）')
    expect(await preview.textContent()).toContain('2027-01-01')
    await shot(admin, '86b-cal-arrangement-preview')
    await admin.click('[data-test="arrangement-import"]')
    await admin.locator('.n-message', { hasText: '2027 年节假日安排已导入' }).waitFor()
    await expect
      .poll(() => admin.textContent('[data-test="arrangements"]'))
      .toContain('放假 3 天（1 个节日）')
    expect(await admin.textContent('[data-test="arrangements"]')).toContain(
      '放假 33 天（7 个节日）',
    )
    const day = await api<{ days: { workday: boolean; holiday: string }[] }>(
      server,
      'GET',
      '/api/v1/calendar?from=2027-01-01&to=2027-01-01',
    )
    expect(day.body.days[0]).toMatchObject({ workday: false, holiday: '元旦' })
  })

  it('kiosk: a check-in code inside its window becomes an appointment ticket', async () => {
    const b = await book('2026-11-25T09:30:00+08:00', '孙七', '13600136000')
    await pairPage(kiosk, server, adminToken, 'kiosk', `${server.baseURL}/#/kiosk`)
    await kiosk.locator('[data-test="kiosk-book"]').waitFor()
    await shot(kiosk, '87-cal-kiosk-start')
    await kiosk.click('[data-test="kiosk-checkin"]')
    for (const d of b.code ?? '') await kiosk.click(`[data-test="key-${d}"]`)
    await shot(kiosk, '87-cal-kiosk-checkin')
    await kiosk.click('[data-test="kiosk-checkin-submit"]')
    const number = kiosk.locator('[data-test="kiosk-number"]')
    await number.waitFor()
    expect(await number.textContent()).toMatch(/^A\d{3}$/)
    expect(await kiosk.textContent('[data-test="kiosk-issued"]')).toContain('预约')
    await shot(kiosk, '88-cal-kiosk-checked-in')
    await kiosk.click('[data-test="kiosk-done"]')
  })

  it('kiosk: too early says when check-in opens and offers a normal ticket', async () => {
    const b = await book('2026-11-26T14:00:00+08:00', '周八', '13500135000')
    await kiosk.click('[data-test="kiosk-checkin"]')
    for (const d of b.code ?? '') await kiosk.click(`[data-test="key-${d}"]`)
    await kiosk.click('[data-test="kiosk-checkin-submit"]')
    const refused = kiosk.locator('[data-test="kiosk-checkin-refused"]')
    await refused.waitFor()
    expect(await refused.textContent()).toContain('才能签到')
    await shot(kiosk, '89-cal-kiosk-too-early')
    await kiosk.click('[data-test="kiosk-accept-normal"]')
    await kiosk.locator('[data-test="kiosk-number"]').waitFor()
    expect(await kiosk.textContent('[data-test="kiosk-issued"]')).not.toContain('预约')
    await kiosk.click('[data-test="kiosk-done"]')
  })

  it('kiosk: a citizen checks in by phone with the code as second factor and gets an appointment ticket', async () => {
    const rule = { slot_minutes: 30, capacity: 3, extended_capacity: 2 }
    expect((await api(server, 'PUT', '/api/v1/booking/lines/A', rule, adminToken)).status).toBe(200)
    const b = await book('2026-11-25T09:30:00+08:00', '郑十', '13300133000')
    const code = b.code ?? ''
    await kiosk.click('[data-test="kiosk-checkin"]')
    await kiosk.click('[data-test="kiosk-checkin-by-phone"]')
    // A phone alone checks in nobody: the code is asked next, and a wrong pair says nothing of the phone.
    for (const d of '13300133001') await kiosk.click(`[data-test="key-${d}"]`)
    await kiosk.click('[data-test="kiosk-checkin-next"]')
    for (const d of code) await kiosk.click(`[data-test="key-${d}"]`)
    await kiosk.click('[data-test="kiosk-checkin-submit"]')
    const err = kiosk.locator('[data-test="kiosk-checkin-error"]')
    await err.waitFor()
    expect(await err.textContent()).toContain('没有找到与该电话和预约码相符的今日有效预约')
    // 重新输入 keeps the phone screen.
    await kiosk.click('text=重新输入')
    for (const d of '13300133000') await kiosk.click(`[data-test="key-${d}"]`)
    expect(await kiosk.textContent('[data-test="kiosk-checkin-phone"]')).toContain('13300133000')
    await shot(kiosk, '87b-cal-kiosk-checkin-phone')
    await kiosk.click('[data-test="kiosk-checkin-next"]')
    for (const d of code) await kiosk.click(`[data-test="key-${d}"]`)
    await shot(kiosk, '87c-cal-kiosk-checkin-phone-code')
    await kiosk.click('[data-test="kiosk-checkin-submit"]')
    await kiosk.locator('[data-test="kiosk-number"]').waitFor()
    expect(await kiosk.textContent('[data-test="kiosk-number"]')).toMatch(/^A\d{3}$/)
    expect(await kiosk.textContent('[data-test="kiosk-issued"]')).toContain('预约')
    const after = await api<Booking & { ticket_number?: string }>(
      server,
      'GET',
      `/api/v1/bookings/${b.id}`,
      undefined,
      adminToken,
    )
    expect(after.body.status).toBe('checked_in')
    expect(after.body.ticket_number).toBe(await kiosk.textContent('[data-test="kiosk-number"]'))
    await kiosk.click('[data-test="kiosk-done"]')
  })

  it('a clerk filters by and sees the names of colleagues from the staff directory', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.setDefaultTimeout(10_000)
    await page.goto(server.baseURL)
    await page.waitForURL(/#\/login/)
    await uiLogin(page, CLERK.login, CLERK.password)
    await page.goto(`${server.baseURL}/#/calendar?date=${TOMORROW}&view=timeGridWeek`)
    await page.locator('.fc-event', { hasText: 'A 赵六' }).waitFor()
    await page.locator('.fc-event', { hasText: 'A 赵六' }).click()
    const drawer = page.locator('[data-test="booking-drawer"]')
    await drawer.waitFor()
    expect(await drawer.locator('[data-test="booking-staff"]').textContent()).toBe('王小明')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    await page.locator('[data-test="calendar-staff"]').click()
    const options = page.locator('.n-base-select-option:visible')
    await options.filter({ hasText: '管理员（管理员）' }).waitFor()
    await options.filter({ hasText: '王小明（综合窗口）' }).click()
    await expect.poll(() => page.locator('.fc-event', { hasText: 'A 李四' }).count()).toBe(0)
    expect(await page.locator('.fc-event', { hasText: 'A 赵六' }).count()).toBe(1)
    await shot(page, '91-cal-clerk-staff-filter')
    await page.close()
  })

  it('opens on the host’s today even when the workstation’s clock is wrong; ?date= still wins', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.setDefaultTimeout(10_000)
    await page.clock.setFixedTime(new Date('2027-03-15T10:00:00+08:00'))
    await page.goto(`${server.baseURL}/#/login`)
    await uiLogin(page, CLERK.login, CLERK.password)
    await page.goto(`${server.baseURL}/#/calendar?view=dayGridMonth`)
    await page.locator('.fc-toolbar-title', { hasText: '2026年11月' }).waitFor()
    expect(await page.locator('td.fc-daygrid-day.fc-day-today').getAttribute('data-date')).toBe(
      '2026-11-25',
    )
    await page.goto(`${server.baseURL}/#/calendar?view=dayGridMonth&date=2026-10-01`)
    await page.reload()
    await page.locator('.fc-toolbar-title', { hasText: '2026年10月' }).waitFor()
    await page.close()
  })

  it('kiosk: books a later day and shows the check-in code', async () => {
    await kiosk.click('[data-test="kiosk-book"]')
    await kiosk.click('[data-test="kiosk-day-2026-11-27"]')
    await kiosk.locator('[data-test="kiosk-slot"]').first().waitFor()
    await kiosk.locator('[data-test="kiosk-slot"]', { hasText: '09:00–09:30' }).click()
    await kiosk.fill('[data-test="kiosk-name"]', '吴九')
    await kiosk.click('[data-test="kiosk-name-next"]')
    for (const d of '13400134000') await kiosk.click(`[data-test="key-${d}"]`)
    await kiosk.click('[data-test="kiosk-book-submit"]')
    const code = kiosk.locator('[data-test="kiosk-booked-code"]')
    await code.waitFor()
    expect(await code.textContent()).toMatch(/^\d{6}$/)
    await shot(kiosk, '90-cal-kiosk-booked')
    expect(pageErrors).toEqual([])
  })

  it('week view at 1366×768: a full slot shows two bookings and a “+2” link, not four slivers', async () => {
    const rule = { slot_minutes: 30, capacity: 4, extended_capacity: 2 }
    expect((await api(server, 'PUT', '/api/v1/booking/lines/A', rule, adminToken)).status).toBe(200)
    const people = [
      ['甲一', '13100131001'],
      ['乙二', '13100131002'],
      ['丙三', '13100131003'],
      ['丁四', '13100131004'],
    ]
    for (const [name, phone] of people) await book('2026-11-27T16:00:00+08:00', name!, phone!)
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await page.goto(server.baseURL)
    await page.waitForURL(/#\/login/)
    await uiLogin(page, 'admin', ADMIN_PASSWORD)
    await page.goto(`${server.baseURL}/#/calendar?date=2026-11-27&view=timeGridWeek`)
    const col = page.locator('td.fc-timegrid-col[data-date="2026-11-27"]')
    await col.locator('.fc-timegrid-more-link').waitFor()
    expect(await col.locator('.fc-timegrid-more-link').textContent()).toContain('2')
    expect(await col.locator('.fc-event', { hasText: /甲一|乙二|丙三|丁四/ }).count()).toBe(2)
    await shot(page, '93-cal-full-slot-1366')
    await page.close()
  })

  it('settings: closing a day with bookings lists them and asks; then one is moved, the other stays on the call list', async () => {
    const day = '2026-12-03'
    const first = await book('2026-12-03T01:00:00Z', '周十一', '13500135001')
    const second = await book('2026-12-03T02:00:00Z', '郑十二', '13500135002')
    const refused = await api<{ error: string }>(
      server,
      'PUT',
      `/api/v1/calendar/overrides/${day}`,
      { kind: 'closed', reason: '停电检修' },
      adminToken,
    )
    expect(refused.status).toBe(409)
    expect(refused.body.error).toContain('09:00 A线')

    await admin.click('[data-test="main-menu"] >> text=站点设置')
    await admin.waitForURL(/#\/settings/)
    await admin.click('[data-test="settings-tabs"] >> text=工作日历')
    const card = admin.locator('[data-test="overrides"]')
    await card.scrollIntoViewIfNeeded()
    const date = card.locator('.n-date-picker input')
    await date.fill(day)
    await date.press('Enter')
    await card.locator('input[name="override-reason"]').fill('停电检修')
    await card.locator('[data-test="override-add"]').click()
    const dialog = admin.locator('[data-test="close-day-dialog"]')
    await dialog.waitFor()
    expect(await dialog.locator('[data-test="close-day-booking"]').count()).toBe(2)
    expect(await dialog.textContent()).toContain('周十一')
    await dialog.locator('[data-test="close-day-confirm"]').click()
    await dialog.locator('[data-test="close-day-move"]').first().waitFor()
    await shot(admin, '91-cal-close-day')

    await dialog.locator('[data-test="close-day-move"]').first().click()
    const form = dialog.locator('[data-test="reschedule-form"]')
    await form.waitFor()
    const to = form.locator('[data-test="reschedule-date"] input')
    await to.fill('2026-12-04')
    await to.press('Enter')
    await pickOption(
      admin,
      '[data-test="close-day-dialog"] [data-test="reschedule-slot"]',
      '09:00–',
    )
    await form.locator('input[name="reschedule-reason"]').fill('当日闭馆，改到次日')
    await form.locator('[data-test="reschedule-submit"]').click()
    const confirm = admin.locator('.n-dialog', { hasText: '改到' })
    await confirm.waitFor()
    await confirm.locator('button', { hasText: '确认改约' }).click()
    await dialog.locator('[data-test="close-day-moved"]').waitFor()
    await dialog.locator('[data-test="close-day-done"]').click()

    const moved = await api<Booking>(
      server,
      'GET',
      `/api/v1/bookings/${first.id}`,
      undefined,
      adminToken,
    )
    expect(moved.body.slot_start).toBe('2026-12-04T01:00:00Z')
    const calls = await api<{ entries: { booking_id: string; reason: string }[] }>(
      server,
      'GET',
      '/api/v1/booking/call-list',
      undefined,
      adminToken,
    )
    expect(calls.body.entries.find((e) => e.booking_id === second.id)?.reason).toBe('closed_day')
    expect(pageErrors).toEqual([])
  })
})
