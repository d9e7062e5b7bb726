import type { Booking } from './booking'
import { deviceRequest, request } from './transport'

/** 等候中, 办理中, 挂起, 过号 (callable again later), 已办结, 过号作废, 未办理 (day closed). */
export type TicketStatus =
  'waiting' | 'called' | 'held' | 'skipped' | 'completed' | 'no_show' | 'unserved'

export const ticketStatuses: TicketStatus[] = [
  'waiting',
  'called',
  'held',
  'skipped',
  'completed',
  'no_show',
  'unserved',
]

export interface Ticket {
  id: string
  number: string
  line: string
  status: TicketStatus
  priority: boolean
  priority_kind?: string
  appointment_id?: string
  due_at?: string | null
  /** Full to staff, masked on public calls; absent when none was given. */
  phone?: string
  source: string
  window: number | null
  target_window?: number | null
  issued_at: string
  queued_at: string
  called_at?: string | null
  completed_at?: string | null
  recalls: number
  skips: number
  served_by?: string
  /** The serving clerk's name, on the clerk's panel. */
  served_by_name?: string
  transferred?: boolean
  /** Tickets before this one in its line (the kiosk's 前面还有N人). */
  ahead: number
  day: string
}

export interface Line {
  id: string
  prefix: string
  name: string
  /** "08:30" */
  opens: string
  closes: string
  /** 0: no cap */
  daily_cap: number
  warn_wait_minutes: number
  active: boolean
}

export type LineInput = Omit<Line, 'id' | 'prefix'>

export interface ServiceWindow {
  id: string
  number: number
  name: string
  /** empty: every line */
  lines: string[]
  paused: boolean
  pause_reason: string
  staff_id?: string
  staff_name?: string
}

export interface LineView {
  prefix: string
  name: string
  waiting: number
  longest_wait_minutes: number
  warn: boolean
}

export interface WindowView extends ServiceWindow {
  current: Ticket | null
}

/** The whole hall at one moment; ticket numbers only, no personal data. */
export interface HallView {
  day: string
  lines: LineView[]
  windows: WindowView[]
  /**
   * The calls still live, newest first: tickets being served at a window that is not paused. The
   * host decides; a completed, skipped, held or transferred ticket is no longer among them.
   */
  calls: Ticket[]
}

export interface QueueSettings {
  skip_requeue_minutes: number
  max_skips: number
  priority_kinds: string[]
  rectification_days: number
  rating_minutes: number
}

export interface IssueInput {
  line: string
  priority: boolean
  priority_kind?: string
  phone?: string
}

export interface TransferTarget {
  line?: string
  window?: number
}

/** A staff action's answer: the ticket in its new state. */
interface TicketAnswer {
  ticket: Ticket
}

const id = (s: string) => encodeURIComponent(s)

/** Issues a ticket at a paired kiosk, or at the desk with a session (recorded as the desk). */
export const issueTicket = (input: IssueInput) =>
  deviceRequest<Ticket>('POST', '/api/v1/tickets', input)
/** One ticket with its place in line (paired kiosk or staff). */
export const getTicket = (ticketId: string) =>
  deviceRequest<Ticket>('GET', `/api/v1/tickets/${id(ticketId)}`)
/** Today's tickets in issue order (staff). */
export const listTickets = () => request<Ticket[]>('GET', '/api/v1/tickets')

/** Calls the next ticket at window n; null when nobody waits (204). */
export async function callNext(n: number): Promise<Ticket | null> {
  const res = await request<TicketAnswer | undefined>('POST', `/api/v1/windows/${n}/call-next`)
  return res?.ticket ?? null
}

/** Calls a chosen ticket out of order, or calls back (回呼) a held one. */
export const callTicket = (n: number, ticketId: string) =>
  request<TicketAnswer>('POST', `/api/v1/windows/${n}/call`, { ticket: ticketId }).then(
    (r) => r.ticket,
  )

export type TicketAction = 'recall' | 'hold' | 'skip' | 'complete'

export const ticketAction = (ticketId: string, action: TicketAction) =>
  request<TicketAnswer>('POST', `/api/v1/tickets/${id(ticketId)}/${action}`).then((r) => r.ticket)

export const transferTicket = (ticketId: string, to: TransferTarget) =>
  request<TicketAnswer>('POST', `/api/v1/tickets/${id(ticketId)}/transfer`, to).then(
    (r) => r.ticket,
  )

export const pauseWindow = (n: number, reason: string) =>
  request<ServiceWindow>('POST', `/api/v1/windows/${n}/pause`, { reason })
export const resumeWindow = (n: number) =>
  request<ServiceWindow>('POST', `/api/v1/windows/${n}/resume`)

export const getHall = () => request<HallView>('GET', '/api/v1/hall')
export const listLines = () => request<Line[]>('GET', '/api/v1/lines')
export const listWindows = () => request<ServiceWindow[]>('GET', '/api/v1/windows')
export const saveLine = (prefix: string, input: LineInput) =>
  request<Line>('PUT', `/api/v1/lines/${id(prefix)}`, input)
/** `lines: []` serves every line. */
export const saveWindow = (n: number, input: { name: string; lines: string[] }) =>
  request<ServiceWindow>('PUT', `/api/v1/windows/${n}`, input)

/** Closes today's queue (admin): every open ticket becomes `unserved`. */
export const closeDay = () =>
  request<{ unserved: Ticket[] }>('POST', '/api/v1/queue/close-day').then((r) => r.unserved)
/** An unserved ticket with the appointment made from it, if any (not cancelled). */
export interface UnservedTicket extends Ticket {
  booking?: Booking
}

/** A day's unserved tickets (staff, full phones); without a day, today's at the host. */
export const listUnserved = (day?: string) =>
  request<UnservedTicket[]>('GET', `/api/v1/queue/unserved${day ? `?day=${id(day)}` : ''}`)

export const getQueueSettings = () => request<QueueSettings>('GET', '/api/v1/queue/settings')
export const saveQueueSettings = (s: QueueSettings) =>
  request<QueueSettings>('PUT', '/api/v1/queue/settings', s)
