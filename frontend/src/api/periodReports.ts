// Period reports, the gold/silver/bronze ranking and the drill-down behind each number
// (docs/api.md "Period reports, ranking and drill-down").

import { request } from './transport'
import type { Timing } from './reports'

export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'custom'
export type GroupBy = 'staff' | 'window' | 'line' | 'item' | 'department' | 'village'

/** A period as the pages ask for it: a kind with a date inside it, or from..to for custom. */
export interface PeriodAsk {
  kind: PeriodKind
  date: string
  from: string
  to: string
}

/** The days actually counted, and the notes saying how the asked period was clipped. */
export interface Period {
  from: string
  to: string
  notes: string[]
}

export interface PeriodRow {
  key: string
  name: string
  role?: string
  served: number
  no_shows: number
  wait: Timing
  handle: Timing
  cases_accepted: number
  cases_closed: number
  on_time: number
  on_time_rate: number
  ratings: number
  good: number
  bad: number
  voided: number
  good_rate: number
  followed_up: number
  proxy_cases: number
  home_visits: number
  shifts: number
}

export interface PeriodReport {
  period: Period
  by: GroupBy
  rows: PeriodRow[]
}

export type Medal = 'gold' | 'silver' | 'bronze'

export interface Ranked {
  key: string
  name: string
  volume: number
  rated: number
  good: number
  closed: number
  on_time: number
  complaints: number
  score: number
  qualified: boolean
  rank: number
  tie: boolean
  medal?: Medal
}

export interface Ranking {
  period: Period
  min_volume: number
  window: Ranked[]
  assistants: Ranked[]
}

export type Measure =
  | 'served'
  | 'no_show'
  | 'wait'
  | 'cases_accepted'
  | 'cases_closed'
  | 'on_time'
  | 'late'
  | 'ratings'
  | 'good'
  | 'bad'
  | 'voided'
  | 'followed_up'
  | 'proxy_cases'
  | 'home_visits'
  | 'shifts'

export interface EvidenceRow {
  kind: 'ticket' | 'case' | 'rating' | 'proxy' | 'visit' | 'shift'
  id: string
  number: string
  date: string
  detail: string
  value: number
}

export interface Evidence {
  period: Period
  by: GroupBy
  key: string
  measure: Measure
  rows: EvidenceRow[]
}

/** The query string of a period: `period=…&date=…`, or `from=…&to=…` for a custom one. */
export function periodParams(p: PeriodAsk): URLSearchParams {
  const q = new URLSearchParams()
  if (p.kind === 'custom') {
    q.set('from', p.from)
    q.set('to', p.to)
  } else {
    q.set('period', p.kind)
    if (p.date) q.set('date', p.date)
  }
  return q
}

function withParams(path: string, q: URLSearchParams): string {
  return `${path}?${q.toString()}`
}

export const periodPath = (p: PeriodAsk, by: GroupBy) => {
  const q = periodParams(p)
  q.set('by', by)
  return q
}

export const getPeriodReport = (p: PeriodAsk, by: GroupBy) =>
  request<PeriodReport>('GET', withParams('/api/v1/reports/period', periodPath(p, by)))

export const getRanking = (p: PeriodAsk) =>
  request<Ranking>('GET', withParams('/api/v1/reports/ranking', periodParams(p)))

export function getEvidence(p: PeriodAsk, by: GroupBy, key: string, measure: Measure) {
  const q = periodParams(p)
  q.set('by', by)
  q.set('key', key)
  q.set('measure', measure)
  return request<Evidence>('GET', withParams('/api/v1/reports/evidence', q))
}

/** The workbooks, saved through the same path as the roster's (`downloadPdf`). */
export const periodXlsxPath = (p: PeriodAsk, by: GroupBy) =>
  withParams('/api/v1/reports/period.xlsx', periodPath(p, by))
export const rankingXlsxPath = (p: PeriodAsk) =>
  withParams('/api/v1/reports/ranking.xlsx', periodParams(p))
export const dashboardXlsxPath = () => '/api/v1/reports/dashboard.xlsx'
