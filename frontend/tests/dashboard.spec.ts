import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createAppI18n } from '@/i18n'
import type { Locale } from '@/api/auth'
import type { ComplianceLine, Dashboard } from '@/api/reports'
import DashboardPanel from '@/components/reports/DashboardPanel.vue'
import { createRefresher } from '@/utils/refresher'
import { lineActual, lineAdvice, lineRequirement } from '@/views/ReportsView/complianceText'

const cjk = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/

const timing = (count: number, avg: number, p90: number) => ({
  count,
  avg_seconds: avg,
  p90_seconds: p90,
})

/** The hand-computed day of backend/report's TestComputeDashboard_HandComputedDay. */
const full: Dashboard = {
  day: '2026-11-25',
  at: '2026-11-25T03:00:00Z',
  compact: false,
  tickets: {
    issued: 9,
    waiting: 2,
    serving: 1,
    held: 1,
    served: 4,
    no_show: 1,
    unserved: 0,
    transferred: 1,
  },
  wait: timing(6, 1180, 3000),
  handling: timing(4, 510, 600),
  by_line: [
    {
      prefix: 'A',
      name: 'General',
      issued: 5,
      waiting: 2,
      served: 2,
      wait: timing(2, 600, 900),
      handling: timing(2, 420, 600),
    },
    {
      prefix: 'B',
      name: 'Social security',
      issued: 4,
      waiting: 0,
      served: 2,
      wait: timing(4, 1470, 3000),
      handling: timing(2, 600, 600),
    },
    {
      prefix: 'C',
      name: 'Property',
      issued: 0,
      waiting: 0,
      served: 0,
      wait: timing(0, 0, 0),
      handling: timing(0, 0, 0),
    },
  ],
  by_window: [
    {
      number: 1,
      name: 'Window 1',
      served: 2,
      wait: timing(2, 600, 900),
      handling: timing(2, 420, 600),
    },
  ],
  appointments: { today: 5, checked_in: 1, open: 1, no_show: 3, cancelled: 1 },
  cases: { running: 4, due_soon: 2, overdue: 1, paused: 1 },
  ratings: { today: 6, good: 3, bad: 2, voided: 1, good_percent: 60 },
  follow_ups: { open: 3, overdue: 1 },
  duty: {
    now: [
      {
        name: 'Wang',
        shift: 'Night',
        shift_id: 's',
        start: '2026-11-24T10:00:00Z',
        end: '2026-11-25T00:00:00Z',
      },
    ],
    next: [],
    duty_phone: '',
  },
}

const text = (root: Element, sel: string) =>
  root.querySelector(`[data-test="${sel}"]`)?.textContent ?? ''

function panel(dashboard: Dashboard, locale: Locale = 'zh-CN') {
  return mount(DashboardPanel, {
    props: { dashboard },
    global: { plugins: [createAppI18n(locale)] },
  })
}

describe('the dashboard panel', () => {
  it('shows the day’s figures as the host computed them', () => {
    const w = panel(full)
    expect(text(w.element, 'dash-issued')).toContain('9')
    expect(text(w.element, 'dash-waiting')).toContain('2')
    expect(text(w.element, 'dash-served')).toContain('4')
    expect(text(w.element, 'dash-avg-wait')).toContain('19分40秒')
    expect(text(w.element, 'dash-p90-wait')).toContain('50分0秒')
    expect(text(w.element, 'dash-p90-handling')).toContain('10分0秒')
    expect(text(w.element, 'dash-appointments')).toMatch(/爽约\s*3/)
    expect(text(w.element, 'dash-cases')).toMatch(/已超期\s*1/)
    expect(text(w.element, 'dash-ratings')).toContain('60%')
    expect(text(w.element, 'dash-duty')).toContain('Wang')
  })

  it('lists every line, an idle one with dashes, and the windows, for the head', () => {
    const w = panel(full)
    const byLine = text(w.element, 'dash-by-line')
    expect(byLine).toContain('B Social security')
    expect(byLine).toContain('24分30秒')
    expect(byLine).toContain('C Property')
    expect(byLine).toContain('—')
    expect(text(w.element, 'dash-by-window')).toContain('Window 1')
  })

  it('leaves the tables out of the compact answer a clerk gets', () => {
    const w = panel({ ...full, compact: true, by_line: [], by_window: [] })
    expect(w.find('[data-test="dash-by-line"]').exists()).toBe(false)
    expect(w.find('[data-test="dash-by-window"]').exists()).toBe(false)
    expect(text(w.element, 'dash-issued')).toContain('9')
  })

  it('shows a dash for the good rate and the times before any rating or ticket', () => {
    const w = panel({
      ...full,
      wait: timing(0, 0, 0),
      ratings: { today: 0, good: 0, bad: 0, voided: 0, good_percent: null },
    })
    expect(text(w.element, 'dash-avg-wait')).toContain('—')
    expect(text(w.element, 'dash-ratings')).toContain('—')
  })

  it('speaks English without Chinese', () => {
    const w = panel(full, 'en')
    expect(w.text()).toContain('19 min 40 s')
    expect(w.text()).not.toMatch(cjk)
  })
})

describe('the dashboard refresher', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('loads on the first event at once and gathers a burst into one more load', async () => {
    let loads = 0
    const r = createRefresher(async () => {
      loads++
    }, 1000)
    r.ask()
    expect(loads).toBe(1)
    await vi.advanceTimersByTimeAsync(10)
    for (let i = 0; i < 20; i++) r.ask()
    expect(loads).toBe(1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(loads).toBe(2)
    await vi.advanceTimersByTimeAsync(5000)
    expect(loads).toBe(2)
    r.ask()
    expect(loads).toBe(3)
    r.stop()
  })

  it('loads once more after a slow load when events came during it', async () => {
    let loads = 0
    let finish: () => void = () => undefined
    const r = createRefresher(
      () =>
        new Promise<void>((resolve) => {
          loads++
          finish = resolve
        }),
      0,
    )
    r.ask()
    r.ask()
    r.ask()
    expect(loads).toBe(1)
    finish()
    await vi.advanceTimersByTimeAsync(0)
    expect(loads).toBe(2)
    finish()
    await vi.advanceTimersByTimeAsync(0)
    expect(loads).toBe(2)
  })
})

const line = (
  code: string,
  status: ComplianceLine['status'],
  extra: Partial<ComplianceLine> = {},
): ComplianceLine => ({
  code,
  task: 0,
  status,
  required: 2,
  actual: 1,
  params: { min: 2, short: 1 },
  requirement: '中文要求',
  advice: status === 'met' ? '' : '中文建议',
  ...extra,
})

describe('the compliance lines', () => {
  const lines = [
    line('window_staff.pop_3_6wan', 'not_met', {
      required: 7,
      actual: 5,
      params: { min: 7, short: 2 },
    }),
    line('floor_area.area', 'met', {
      required: 500,
      actual: 520,
      params: { min: 500, short: -20 },
    }),
    line('terminals.sub_centre', 'not_met'),
    line('villages.no_data', 'unknown', { required: 0, actual: 0, params: {} }),
    line('villages.assistants', 'not_met', { required: 4, actual: 2, params: { short: 2 } }),
    line('duty.no_shifts', 'not_met', { params: {} }),
    line('duty.cover', 'not_met', { required: 40, actual: 38, params: { gaps: 2, short: 2 } }),
    line('catalog.list', 'not_met', { required: 1, actual: 0, params: { tag: 'zero-material' } }),
    line('catalog.list', 'met', { required: 1, actual: 12, params: { tag: 'high-frequency' } }),
  ]
  const { t, te } = createAppI18n('en').global
  const w = { t: t as (k: string, n?: Record<string, unknown>) => string, te }

  it('are worded in English from their codes, with what to do only where not met', () => {
    for (const l of lines) {
      const words = [lineRequirement(w, l), lineActual(w, l), lineAdvice(w, l)].join(' ')
      expect(words, l.code).not.toMatch(cjk)
      expect(lineAdvice(w, l) === '', l.code).toBe(l.status === 'met')
    }
    expect(lineAdvice(w, lines[0]!)).toContain('Add 2 full-time window staff')
    expect(lineActual(w, lines[6]!)).toBe('38 of 40 duty places')
    expect(lineRequirement(w, lines[7]!)).toContain('Zero')
    expect(lineRequirement(w, lines[8]!)).toContain('high-frequency item map')
  })

  it('fall back to the host’s Chinese for a code this build does not know', () => {
    const l = line('something.new', 'not_met')
    expect(lineRequirement(w, l)).toBe('中文要求')
    expect(lineAdvice(w, l)).toBe('中文建议')
  })
})
