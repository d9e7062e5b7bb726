import { deviceRequest, request } from './transport'

/** 5 非常满意 … 1 非常不满意; 1 and 2 are bad ratings (差评). */
export type Level = 1 | 2 | 3 | 4 | 5
export const levels: Level[] = [5, 4, 3, 2, 1]
export const isBad = (level: number) => level <= 2

export interface PendingService {
  ticket_id: string
  number: string
  window: number
  staff: string
}

export interface PendingAnswer {
  pending: PendingService | null
  levels: Record<string, string>
}

export interface Submission {
  /** The pending service the pad showed; the host rates its window's pending service and refuses
   * the rating when this is no longer it. */
  ticket_id?: string
  case_id?: string
  level: Level
  attitude: number
  efficiency: number
  competence: number
  reason: string
  name: string
  phone: string
}

export interface Rectification {
  id: string
  staff_login: string
  due_date: string
  status: 'open' | 'done' | 'void'
  note: string
  overdue: boolean
}

export interface ReturnCall {
  id: string
  called_by: string
  outcome: string
  note: string
  created_at: string
}

export interface Appeal {
  id: string
  filed_by: string
  reason: string
  status: 'pending' | 'upheld' | 'rejected'
  decided_by: string
  decision: string
}

export interface Rating {
  id: string
  ticket_id: string
  ticket_number: string
  case_id?: string
  window: number
  staff_login: string
  /** The clerk's name (the login when the account no longer exists). */
  staff_name: string
  level: Level
  level_name: string
  bad: boolean
  attitude: number
  efficiency: number
  competence: number
  reason: string
  /** masked (张*三) */
  citizen_name?: string
  /** masked (138****5678) */
  phone?: string
  created_at: string
  rectification?: Rectification | null
  return_calls: ReturnCall[] | null
  appeal?: Appeal | null
  /** A named bad rating still without a return call. */
  return_call_due: boolean
}

/** The service just completed at window n that waits for a rating (the pad bound to n polls it). */
export const getPending = (n: number) => deviceRequest<PendingAnswer>('GET', `/api/v1/rate/${n}`)
/** Rates the service pending at the pad's own window (paired rating pad only). */
export const submitRating = (s: Submission) => deviceRequest<Rating>('POST', '/api/v1/ratings', s)
/** All ratings for the centre head; a clerk's own otherwise. */
export const listRatings = (badOnly: boolean) =>
  request<Rating[]>('GET', badOnly ? '/api/v1/ratings?bad=1' : '/api/v1/ratings')

const path = (id: string, rest: string) => `/api/v1/ratings/${encodeURIComponent(id)}/${rest}`

export const addReturnCall = (id: string, outcome: string, note: string) =>
  request<Rating>('POST', path(id, 'return-calls'), { outcome, note })
export const closeRectification = (id: string, note: string) =>
  request<Rating>('POST', path(id, 'rectification'), { note })
export const fileAppeal = (id: string, reason: string) =>
  request<Rating>('POST', path(id, 'appeal'), { reason })
export const decideAppeal = (id: string, upheld: boolean, decision: string) =>
  request<Rating>('POST', path(id, 'appeal/decision'), { upheld, decision })
