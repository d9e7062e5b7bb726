import { request } from './transport'

/** When the doors are open on one day: office hours, market hours, or extended hours. */
export interface Span {
  /** "08:30" (Asia/Shanghai) */
  start: string
  end: string
  kind: 'office' | 'market' | 'extended'
  /** Extended hours: open by appointment only. */
  appointment_only: boolean
  name?: string
  window_id?: string
}

/** A site's own closure or special opening. */
export interface Override {
  date: string
  kind: 'closed' | 'open'
  reason: string
}

/** One day of the working calendar. */
export interface Day {
  date: string
  /** 1 (Monday) … 7 (Sunday) */
  weekday: number
  lunar: string
  /** What deadlines count. */
  workday: boolean
  /** The legal holiday's name, "" on other days. */
  holiday: string
  /** 调休/补班: a weekend day that is a working day. */
  adjusted_workday: boolean
  market_day: boolean
  override?: Override
  hours: Span[]
  /** Set on every day of a year with no holiday arrangement loaded. */
  warning?: string
}

export interface CalendarRange {
  from: string
  to: string
  days: Day[]
  warnings: string[]
}

export interface WeeklySpan {
  weekday: number
  start: string
  end: string
}

export type MarketKind = 'solar' | 'lunar' | ''

export interface MarketRule {
  kind: MarketKind
  days: number[]
  /** `weekday` is ignored. */
  hours: WeeklySpan[]
  open_on_rest_days: boolean
}

export interface ExtendedWindow {
  id: string
  name: string
  weekdays: number[]
  /** "MM-DD", both empty: all year. */
  season_from: string
  season_to: string
  start: string
  end: string
  on_holidays: boolean
}

export interface HolidayPeriod {
  name: string
  from: string
  to: string
}

export interface AdjustedDay {
  date: string
  name: string
}

/** A year's holiday arrangement (the State Council notice, or the county's). */
export interface Arrangement {
  year: number
  notice: string
  holidays: HolidayPeriod[]
  workdays: AdjustedDay[]
  source?: string
}

export type ArrangementSource = 'site' | 'county' | 'builtin' | 'lunar-go'

/** A year's arrangement counted in days: `holidays` and `workdays` are days, `festivals` names. */
export interface YearSummary {
  year: number
  source: ArrangementSource
  notice: string
  holidays: number
  festivals: number
  workdays: number
}

/** How the legal calendar treats one date. */
export interface DayKind {
  workday: boolean
  holiday?: string
}

export interface DayChange {
  date: string
  before: DayKind
  after: DayKind
}

/** What saving an arrangement would change; nothing is stored. */
export interface ArrangementPreview {
  summary: YearSummary
  /** Source of the arrangement in force for the year; '' when it counts weekends only. */
  replaces: ArrangementSource | ''
  changes: DayChange[]
}

export interface CalendarSettings {
  office_hours: WeeklySpan[]
  market: MarketRule
  extended: ExtendedWindow[]
  overrides: Override[]
  arrangements: YearSummary[]
}

const enc = encodeURIComponent

/** The working calendar from `from` to `to` (YYYY-MM-DD, at most 400 days); public. */
export const getCalendar = (from: string, to: string) =>
  request<CalendarRange>('GET', `/api/v1/calendar?from=${enc(from)}&to=${enc(to)}`)

/** The n-th working day after `from` (n = 0: `from` itself if a working day, else the next). */
export const workingDayAfter = (from: string, add: number) =>
  request<{ from: string; add: number; date: string; warnings: string[] }>(
    'GET',
    `/api/v1/calendar/working-days?from=${enc(from)}&add=${add}`,
  ).then((r) => r.date)

export const getCalendarSettings = () =>
  request<CalendarSettings>('GET', '/api/v1/calendar/settings')

export const setOfficeHours = (hours: WeeklySpan[]) =>
  request<{ hours: WeeklySpan[] }>('PUT', '/api/v1/calendar/office-hours', { hours })

export const setMarketRule = (rule: MarketRule) =>
  request<MarketRule>('PUT', '/api/v1/calendar/market', rule)

export const addExtendedWindow = (w: Omit<ExtendedWindow, 'id'>) =>
  request<ExtendedWindow>('POST', '/api/v1/calendar/extended', w)

export const removeExtendedWindow = (id: string) =>
  request<void>('DELETE', `/api/v1/calendar/extended/${enc(id)}`)

/**
 * Closes or opens a day. Closing a day that holds open bookings is refused (409, naming them)
 * unless `confirm`; confirmed, the host puts them on the duty officer's call list.
 */
export const setOverride = (
  date: string,
  kind: Override['kind'],
  reason: string,
  confirm = false,
) => request<Override>('PUT', `/api/v1/calendar/overrides/${enc(date)}`, { kind, reason, confirm })

export const removeOverride = (date: string) =>
  request<void>('DELETE', `/api/v1/calendar/overrides/${enc(date)}`)

export const getArrangement = (year: number) =>
  request<Arrangement>('GET', `/api/v1/calendar/arrangements/${year}`)

/** Replaces the whole year's arrangement with the site's own. */
export const importArrangement = (a: Arrangement) =>
  request<Arrangement>('PUT', `/api/v1/calendar/arrangements/${a.year}`, a)

/** Checks an arrangement under the same rules as saving it and lists every date it would change. */
export const previewArrangement = (a: Arrangement) =>
  request<ArrangementPreview>('POST', `/api/v1/calendar/arrangements/${a.year}/preview`, a)

export const removeArrangement = (year: number) =>
  request<void>('DELETE', `/api/v1/calendar/arrangements/${year}`)
