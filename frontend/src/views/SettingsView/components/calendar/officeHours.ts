import type { WeeklySpan } from '@/api/calendar'

/** One weekday of the office-hours form: a morning and an afternoon around the lunch break. */
export interface DayRow {
  weekday: number
  open: boolean
  lunch: boolean
  amStart: string
  amEnd: string
  pmStart: string
  pmEnd: string
}

const defaults = { amStart: '08:30', amEnd: '12:00', pmStart: '13:30', pmEnd: '17:30' }

/** The seven form rows (Monday first) of the stored spans; a day with no span is closed. */
export function toRows(spans: WeeklySpan[]): DayRow[] {
  const rows: DayRow[] = []
  for (let wd = 1; wd <= 7; wd++) {
    const own = spans.filter((s) => s.weekday === wd).sort((a, b) => a.start.localeCompare(b.start))
    const first = own[0]
    const last = own[own.length - 1]
    if (!first || !last) {
      rows.push({ weekday: wd, open: false, lunch: true, ...defaults })
    } else if (own.length === 1) {
      rows.push({
        weekday: wd,
        open: true,
        lunch: false,
        ...defaults,
        amStart: first.start,
        pmEnd: first.end,
      })
    } else {
      rows.push({
        weekday: wd,
        open: true,
        lunch: true,
        amStart: first.start,
        amEnd: first.end,
        pmStart: last.start,
        pmEnd: last.end,
      })
    }
  }
  return rows
}

/** The spans the host stores for the form rows. */
export function toSpans(rows: DayRow[]): WeeklySpan[] {
  const out: WeeklySpan[] = []
  for (const r of rows) {
    if (!r.open) continue
    if (r.lunch) {
      out.push({ weekday: r.weekday, start: r.amStart, end: r.amEnd })
      out.push({ weekday: r.weekday, start: r.pmStart, end: r.pmEnd })
    } else {
      out.push({ weekday: r.weekday, start: r.amStart, end: r.pmEnd })
    }
  }
  return out
}

/** The market-day presets: 逢1、4、7 and its kin, as days of the month. */
export const solarPresets: Record<string, number[]> = {
  '147': [1, 4, 7, 11, 14, 17, 21, 24, 27, 31],
  '258': [2, 5, 8, 12, 15, 18, 22, 25, 28],
  '369': [3, 6, 9, 13, 16, 19, 23, 26, 29],
}

/** The preset a list of days matches, or "" for a custom list. */
export function presetOf(days: number[]): string {
  const key = [...days].sort((a, b) => a - b).join(',')
  return Object.entries(solarPresets).find(([, v]) => v.join(',') === key)?.[0] ?? ''
}

const lunarDigits = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十']

/** 初一 … 三十: the name of a lunar day of the month. */
export function lunarDayName(n: number): string {
  if (n <= 10) return `初${lunarDigits[n]}`
  if (n < 20) return `十${lunarDigits[n - 10]}`
  if (n === 20) return '二十'
  if (n < 30) return `廿${lunarDigits[n - 20]}`
  return '三十'
}
