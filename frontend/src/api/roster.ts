import { request } from './transport'

export type DayKind = 'workday_evening' | 'weekend' | 'holiday' | 'market_day'

export interface Shift {
  id: string
  name: string
  days: DayKind[]
  start: string
  end: string
  people: number
  role: string
  weight: number
}

export interface RosterRules {
  max_per_day: number
  min_rest_hours: number
  max_consecutive_days: number
}

export interface RosterSetup {
  shifts: Shift[]
  rules: RosterRules
  duty_phone: string
}

/** One place on one shift on one date; staff_id '' is a vacant place. */
export interface Assignment {
  id: string
  date: string
  shift_id: string
  start: string
  end: string
  staff_id: string
  weight: number
}

export interface Unfilled {
  date: string
  shift_id: string
  missing: number
  reason: string
}

export interface Load {
  staff_id: string
  weight: number
  carried: number
}

export interface PlanEvent {
  at: string
  actor: string
  action: string
  detail: string
}

export interface PlanSummary {
  id: string
  status: 'draft' | 'published'
  from: string
  to: string
  created_at: string
  published_at?: string
}

export interface Plan extends PlanSummary {
  assignments: Assignment[]
  unfilled: Unfilled[]
  load: Load[]
  history: PlanEvent[]
}

export const rosterSetup = () => request<RosterSetup>('GET', '/api/v1/roster/shifts')
/** Replaces the shifts, rules and duty phone; a shift without id or weight gets the defaults. */
export const saveRosterSetup = (setup: RosterSetup) =>
  request<RosterSetup>('PUT', '/api/v1/roster/shifts', setup)
export const listPlans = () => request<{ plans: PlanSummary[] }>('GET', '/api/v1/roster/plans')
export const getPlan = (id: string) =>
  request<Plan>('GET', `/api/v1/roster/plans/${encodeURIComponent(id)}`)
/** Drafts a plan for at most a quarter; refused for a past or overlapping period. */
export const generatePlan = (from: string, to: string) =>
  request<Plan>('POST', '/api/v1/roster/plans', { from, to })
/** Gives a place to a person ('' leaves it vacant); refused naming the rule it would break. */
export const assignDuty = (planID: string, aid: string, staffID: string) =>
  request<Plan>(
    'PUT',
    `/api/v1/roster/plans/${encodeURIComponent(planID)}/assignments/${encodeURIComponent(aid)}`,
    { staff_id: staffID },
  )
/** Publishes a draft; refused naming every vacant place. */
export const publishPlan = (id: string) =>
  request<Plan>('POST', `/api/v1/roster/plans/${encodeURIComponent(id)}/publish`)

/** One person on a published duty, as the public "on duty" answer names them. */
export interface OnDuty {
  name: string
  shift: string
  shift_id: string
  start: string
  end: string
}

/** Who is on duty now and on the next duty, with the site's duty phone (public: names only). */
export interface DutyNow {
  now: OnDuty[]
  next: OnDuty[]
  duty_phone: string
}

export const dutyNow = () => request<DutyNow>('GET', '/api/v1/roster/now')
