import type { Booking } from './booking'
import type { Case } from './cases'
import { request } from './transport'

/** The host's fixed list of what a call was about. */
export type CallCategory = 'consult' | 'business' | 'proxy' | 'complaint' | 'urgent' | 'other'
export const callCategories: CallCategory[] = [
  'consult',
  'business',
  'proxy',
  'complaint',
  'urgent',
  'other',
]

/** Where a call was sent: nowhere, the 12345 hotline, the 办不成事 window, a catalog department. */
export type ReferralKind = 'none' | 'hotline' | 'problem_window' | 'department'
export const referralKinds: ReferralKind[] = ['none', 'hotline', 'problem_window', 'department']

/** A referral; the host fills the phone (12345, the centre's phone, the department's). */
export interface Referral {
  kind: ReferralKind
  department?: string
  office?: string
  phone?: string
}

export type CallStatus = 'open' | 'referred' | 'booked' | 'case' | 'closed'

/** One call; name and phone masked unless read one by one by the duty officer or the admin. */
export interface Call {
  id: string
  at: string
  caller_name: string
  phone: string
  masked: boolean
  village: string
  need: string
  category: CallCategory
  handling: string
  referral: Referral
  status: CallStatus
  booking_id?: string
  case_id?: string
  taken_by: string
  taken_by_name: string
  created_at: string
  updated_at: string
}

export interface CallInput {
  at?: string
  caller_name: string
  phone: string
  village: string
  need: string
  category: CallCategory
  handling: string
  referral: Referral
  close: boolean
}

export interface CallUpdate {
  handling: string
  referral: Referral
  status?: 'open' | 'closed'
}

export interface CallBookingInput {
  line: string
  slot_start: string
  name: string
  phone: string
  staff_id?: string
  note?: string
}

export interface CallCaseInput {
  item_code: string
  name: string
  phone: string
  note?: string
}

const id = (s: string) => encodeURIComponent(s)

/** Refused (400/409) with the host's sentence: a bad phone, a missing need, the same call within a minute. */
export const logCall = (input: CallInput) => request<Call>('POST', '/api/v1/duty/calls', input)
/** Masked, newest first; dates YYYY-MM-DD, the host's default the last seven days. */
export const listCalls = (from?: string, to?: string) => {
  const q = new URLSearchParams()
  if (from) q.set('from', from)
  if (to) q.set('to', to)
  const s = q.toString()
  return request<{ calls: Call[] }>('GET', `/api/v1/duty/calls${s ? `?${s}` : ''}`)
}
/** In full for the duty officer and the admin, each read audited; masked for a clerk. */
export const getCall = (callId: string) => request<Call>('GET', `/api/v1/duty/calls/${id(callId)}`)
export const updateCall = (callId: string, input: CallUpdate) =>
  request<Call>('PUT', `/api/v1/duty/calls/${id(callId)}`, input)
/** Books through the calendar's rules and links the booking; its check-in code is for the caller. */
export const callToBooking = (callId: string, input: CallBookingInput) =>
  request<{ call: Call; booking: Booking }>(
    'POST',
    `/api/v1/duty/calls/${id(callId)}/booking`,
    input,
  )
/** Opens a case held by nobody for a window clerk to take. */
export const callToCase = (callId: string, input: CallCaseInput) =>
  request<{ call: Call; case: Case }>('POST', `/api/v1/duty/calls/${id(callId)}/case`, input)
