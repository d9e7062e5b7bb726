import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import type { Case, CaseEvent, DueCases } from '@/api/cases'
import { createAppI18n } from '@/i18n'
import { calendarWarningText, caseEventDetail, caseEventName } from '@/i18n/hostText'
import CalendarWarnings from '@/components/CalendarWarnings.vue'
import DueCasesCard from '@/components/DueCasesCard.vue'
import { jsonResponse, mountView, settle } from './helpers'

/* eslint-disable vue/one-component-per-file -- each case mounts the widget with its own props */

const warn2027 = '2027年节假日安排尚未导入，暂按周末休息计算'

const fetchMock = vi.fn()

/** A running case due in January 2027, counted before 2027's arrangement was stored. */
const estimated = {
  id: 'c-1',
  number: '20261130-001',
  item_name: '最低生活保障申请（农村低保）',
  citizen_name: '张*三',
  due_date: '2027-01-11',
  due_estimated: true,
  due_warnings: [warn2027],
  overdue: false,
} as Case

let due: DueCases

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
  due = {
    date: '2027-01-08',
    overdue: [],
    due_soon: [estimated],
    moved: [
      {
        id: 'm-1',
        case_id: 'c-2',
        number: '20261130-002',
        item_name: '特困人员救助供养申请',
        year: 2027,
        old_due: '2027-01-11',
        new_due: '2027-01-12',
        at: '2026-12-01T02:00:00Z',
      },
    ],
  }
  fetchMock.mockImplementation((url: string, init?: RequestInit) => {
    if (url.endsWith('/api/v1/cases/deadline-moves/ack') && init?.method === 'POST') {
      due = { ...due, moved: [] }
      return Promise.resolve(new Response(null, { status: 204 }))
    }
    return Promise.resolve(jsonResponse(200, due))
  })
})

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const text = (sel: string) =>
  [...document.querySelectorAll(`[data-test="${sel}"]`)].map((e) => e.textContent ?? '').join('|')

describe('calendar warnings where a date is shown', () => {
  it('say a year was counted weekends-only, worded in the reader’s language', async () => {
    const warned = defineComponent({ render: () => h(CalendarWarnings, { warnings: [warn2027] }) })
    await mountView(warned, '/', 'zh-CN')
    expect(text('calendar-warnings')).toContain(warn2027)
    document.body.innerHTML = ''

    await mountView(warned, '/', 'en')
    expect(text('calendar-warnings')).toContain('No holiday arrangement for 2027 yet')
    expect(text('calendar-warnings')).not.toContain('年')
  })

  it('show nothing when the calendar had every year', async () => {
    await mountView(defineComponent({ render: () => h(CalendarWarnings, { warnings: [] }) }))
    expect(document.querySelector('[data-test="calendar-warnings"]')).toBeNull()
  })
})

describe('the home screen’s due card', () => {
  it('marks an estimated due date and lists the deadlines that moved until acknowledged', async () => {
    await mountView(DueCasesCard, '/', 'zh-CN')
    await settle()
    expect(text('home-due-due_soon')).toContain('2027-01-11')
    expect(text('due-estimated')).toBe('估算')
    expect(text('home-due-moved-row')).toContain('20261130-002')
    expect(text('home-due-moved-row')).toContain('2027-01-11 → 2027-01-12')

    document.querySelector<HTMLButtonElement>('[data-test="home-due-moved-ack"]')?.click()
    await settle()
    const ack = fetchMock.mock.calls.find(([url]) => String(url).endsWith('/deadline-moves/ack'))
    expect(JSON.parse(String(ack?.[1]?.body))).toEqual({ ids: ['m-1'] })
    expect(document.querySelector('[data-test="home-due-moved"]')).toBeNull()
  })
})

describe('the history line of a recounted deadline', () => {
  const moved: CaseEvent = {
    at: '2026-12-01T02:00:00Z',
    actor: 'system',
    actor_name: '系统',
    action: 'deadline_moved',
    action_name: '办结期限调整',
    detail: '2027年节假日安排更新，办结期限由2027-01-11调整为2027-01-12',
    params: { year: 2027, old_due: '2027-01-11', due: '2027-01-12' },
  }

  it.each([
    [
      'zh-CN',
      '按节假日安排重算办结期限',
      '2027年节假日安排更新，办结期限由2027-01-11调整为2027-01-12',
    ],
    [
      'en',
      'Deadline recounted for the holiday arrangement',
      'Holiday arrangement for 2027 stored: due date moved from 2027-01-11 to 2027-01-12',
    ],
  ] as const)('is worded from its params in %s', (locale, name, detail) => {
    const { t, te } = createAppI18n(locale).global
    const w = { t: t as (k: string, n?: Record<string, unknown>) => string, te }
    expect(caseEventName(w, moved)).toBe(name)
    expect(caseEventDetail(w, moved)).toBe(detail)
    expect(calendarWarningText(w, '其他提示')).toBe('其他提示')
  })
})
