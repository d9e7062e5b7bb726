import { request } from './transport'

/** A whereabouts message as the hall's public pages get it: names, window, times; no ids. */
export interface WhereaboutsNotice {
  staff_name: string
  window: number
  where: string
  back_at: string
  covered_by_name?: string
  expires_at: string
}

/** The same message as staff get it, with the ids to clear it by. */
export interface WhereaboutsMessage extends WhereaboutsNotice {
  id: string
  staff_id: string
  covered_by_id?: string
  created_at: string
}

/** The public board (`notices`, and the data of `whereabouts:changed`) or, signed in, `messages`. */
export interface WhereaboutsBoard {
  notices?: WhereaboutsNotice[]
  messages?: WhereaboutsMessage[]
}

export interface LeaveInput {
  where: string
  back_at: string
  covered_by?: string
  window?: number
  staff_id?: string
}

export const getWhereabouts = () => request<WhereaboutsBoard>('GET', '/api/v1/whereabouts')
/** Replaces the person's current message, if any. */
export const leaveWhereabouts = (input: LeaveInput) =>
  request<WhereaboutsMessage>('POST', '/api/v1/whereabouts', input)
/** Back at the post. */
export const returnWhereabouts = (messageId: string) =>
  request<void>('DELETE', `/api/v1/whereabouts/${encodeURIComponent(messageId)}`)
