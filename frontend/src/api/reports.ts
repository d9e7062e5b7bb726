import { request } from './transport'
import type { DutyNow } from './roster'

/** Durations in whole seconds: how many, their mean and their nearest-rank 90th percentile. */
export interface Timing {
  count: number
  avg_seconds: number
  p90_seconds: number
}

export interface TicketCounts {
  issued: number
  waiting: number
  serving: number
  held: number
  served: number
  no_show: number
  unserved: number
  transferred: number
}

export interface LineFigures {
  prefix: string
  name: string
  issued: number
  waiting: number
  served: number
  wait: Timing
  handling: Timing
}

export interface WindowFigures {
  number: number
  name: string
  served: number
  wait: Timing
  handling: Timing
}

/** The centre today (GET /api/v1/reports/dashboard); definitions in docs/api.md "Reports". */
export interface Dashboard {
  day: string
  at: string
  /** A clerk's or duty officer's view: no figures by line or by window. */
  compact: boolean
  tickets: TicketCounts
  wait: Timing
  handling: Timing
  by_line: LineFigures[]
  by_window: WindowFigures[]
  appointments: {
    today: number
    checked_in: number
    open: number
    no_show: number
    cancelled: number
  }
  cases: { running: number; due_soon: number; overdue: number; paused: number }
  ratings: { today: number; good: number; bad: number; voided: number; good_percent: number | null }
  follow_ups: { open: number; overdue: number }
  duty: DutyNow
}

export type ComplianceStatus = 'met' | 'not_met' | 'unknown'

/** One requirement of the plan and how the site stands (GET /api/v1/reports/compliance). */
export interface ComplianceLine {
  code: string
  task: number
  status: ComplianceStatus
  required: number
  actual: number
  params: Record<string, number | string>
  /** The requirement and what to do, in Chinese; the UI words them from code and params. */
  requirement: string
  advice: string
}

export interface DutyGap {
  date: string
  shift_id: string
  shift_name: string
  missing: number
}

export interface PlanCompliance {
  lines: ComplianceLine[]
  from: string
  to: string
  duty_gaps: DutyGap[]
  short_villages: string[]
}

export const getDashboard = () => request<Dashboard>('GET', '/api/v1/reports/dashboard')
export const getPlanCompliance = () => request<PlanCompliance>('GET', '/api/v1/reports/compliance')
