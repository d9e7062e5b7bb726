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

/** One published duty of the signed-in person (我的值班), for their list and calendar. */
export interface StaffDuty {
  id: string
  plan_id: string
  date: string
  shift_id: string
  shift: string
  start: string
  end: string
  weight: number
}

/** A person's duties in published plans from 30 days ago on (their own, or anyone's for the admin). */
export const staffDuties = (staffId: string) =>
  request<{ duties: StaffDuty[] }>('GET', `/api/v1/staff/${encodeURIComponent(staffId)}/duties`)

/** The plan as an Excel workbook (admin): a sheet a month and the load summary. */
export const rosterExportPath = (planId: string) =>
  `/api/v1/roster/plans/${encodeURIComponent(planId)}/export.xlsx`
/** One month of the plan as the notice board's A4 PDF. */
export const rosterPrintPath = (planId: string, month: string) =>
  `/api/v1/roster/plans/${encodeURIComponent(planId)}/print.pdf?month=${encodeURIComponent(month)}`

/** A staff member and the village whose market-day turns they share ('' for none). */
export interface VillageMember {
  id: string
  name: string
  role: string
  village: string
}

export interface MarketDuty {
  date: string
  village: string
  staff_id: string
  name: string
}

export interface MarketPlan {
  from: string
  to: string
  per_village: number
  days: string[]
  duties: MarketDuty[]
  unfilled: { date: string; village: string; missing: number; reason: string }[]
  load: { staff_id: string; name: string; village: string; count: number; carried: number }[]
}

/** Today's market-day rota by name, for the home screen; empty on other days. */
export interface MarketToday {
  date: string
  market_day: boolean
  duties: { village: string; name: string }[]
}

export const villageMembers = () =>
  request<{ staff: VillageMember[] }>('GET', '/api/v1/roster/market/villages')
export const setVillage = (staffId: string, village: string) =>
  request<{ village: string }>('PUT', `/api/v1/staff/${encodeURIComponent(staffId)}/village`, {
    village,
  })
/** Drafts the market-day rota of a period from the calendar's market rule, in force at once. */
export const planMarket = (from: string, to: string, perVillage = 1) =>
  request<MarketPlan>('POST', '/api/v1/roster/market/plans', {
    from,
    to,
    per_village: perVillage,
  })
export const marketToday = () => request<MarketToday>('GET', '/api/v1/roster/market/today')

/** The shifts' names and hours, for any staff member's month calendar. */
export const shiftNames = () =>
  request<{ shifts: { id: string; name: string; start: string; end: string }[] }>(
    'GET',
    '/api/v1/roster/shift-names',
  )
