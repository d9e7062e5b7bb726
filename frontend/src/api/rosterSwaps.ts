import { request } from './transport'
import type { Assignment } from './roster'

export type SwapStatus = 'proposed' | 'accepted' | 'approved' | 'declined' | 'cancelled'

/** A proposal that a published duty change hands: the colleague accepts, the head approves. */
export interface Swap {
  id: string
  status: SwapStatus
  assignment_id: string
  plan_id: string
  date: string
  shift_id: string
  shift: string
  start: string
  end: string
  from_staff_id: string
  from_name: string
  to_staff_id: string
  to_name: string
  created_at: string
  updated_at: string
  decided_by: string
}

/** One of my published duties not yet ended, with the swap open on it. */
export interface MyDuty extends Assignment {
  plan_id: string
  shift: string
  open_swap: Swap | null
  /** Begun by the site's clock: no more swaps, the handover note may be written. */
  begun: boolean
}

/** A handover note (交接班) for whoever is on the next duty, beginning at next_start. */
export interface Handover {
  id: string
  assignment_id: string
  date: string
  shift_id: string
  shift: string
  from_staff_id: string
  from_name: string
  next_start: string
  receivers: { staff_id: string; name: string }[]
  note: string
  created_at: string
  acked_at: string | null
  acked_by: string
}

/** The `roster:reminder` event, one per person told. */
export interface RosterReminder {
  staff_id: string
  kind: 'day_before' | 'hour_before' | 'handover' | 'vacant'
  assignment_id?: string
  handover_id?: string
  date?: string
  shift?: string
  start?: string
  end?: string
  from?: string
  vacant?: string[]
}

export const myDuties = () => request<{ duties: MyDuty[] }>('GET', '/api/v1/roster/my-duties')
/** Mine (proposed or asked of me); the head's are everyone's. */
export const listSwaps = (open = false) =>
  request<{ swaps: Swap[] }>('GET', `/api/v1/roster/swaps${open ? '?open=1' : ''}`)
/** Refused naming the hard rule the swap would break. */
export const proposeSwap = (assignmentID: string, withStaffID: string) =>
  request<Swap>('POST', '/api/v1/roster/swaps', {
    assignment_id: assignmentID,
    with_staff_id: withStaffID,
  })
export type SwapAction = 'accept' | 'approve' | 'decline' | 'cancel'
export const actOnSwap = (id: string, action: SwapAction) =>
  request<Swap>('POST', `/api/v1/roster/swaps/${encodeURIComponent(id)}/${action}`)

/** pending: those I am to acknowledge (the head: every unacknowledged one). */
export const listHandovers = (pending = false) =>
  request<{ handovers: Handover[] }>(
    'GET',
    `/api/v1/roster/handovers${pending ? '?pending=1' : ''}`,
  )
export const addHandover = (assignmentID: string, note: string) =>
  request<Handover>('POST', '/api/v1/roster/handovers', { assignment_id: assignmentID, note })
export const ackHandover = (id: string) =>
  request<Handover>('POST', `/api/v1/roster/handovers/${encodeURIComponent(id)}/ack`)
