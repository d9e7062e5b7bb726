import type { BookingEvent, BookingReminder } from './booking'
import type { CaseStatus } from './cases'
import type { Device } from './devices'
import type { ServiceWindow, Ticket } from './queue'
import type { Rating } from './ratings'
import type { RosterReminder } from './rosterSwaps'
import type { WhereaboutsBoard } from './whereabouts'

/** What every ticket event but `ticket:issued` carries. */
export interface TicketEvent {
  ticket: Ticket
  window: number
  window_name: string
  staff?: string
}

/** A case changed (no personal data): views showing it reload. */
export interface CaseChangedEvent {
  id: string
  number: string
  status: CaseStatus
  action: string
  responsible_id: string
  holder_id: string
}

/** The `case-due` job's list (08:30 and 14:30): overdue and due-soon cases. */
export interface CaseDueEvent {
  date: string
  overdue: number
  due_soon: number
  cases: {
    id: string
    number: string
    item_name: string
    due_date: string
    overdue: boolean
    responsible_id: string
    holder_id: string
  }[]
}

/**
 * Server events (`noun:verb`). Most are signals to reload what a view shows; the queue and rating
 * events carry the payloads docs/api.md names, which the hall display uses directly.
 */
export interface EventMap {
  'staff:changed': unknown
  'site:changed': unknown
  'job:ran': unknown
  'backup:created': unknown
  'sync:stalled': { stalled: boolean; since: string | null }
  'ticket:issued': Ticket
  'ticket:called': TicketEvent
  'ticket:recalled': TicketEvent
  'ticket:held': TicketEvent
  'ticket:skipped': TicketEvent
  'ticket:transferred': TicketEvent
  'ticket:completed': TicketEvent
  'window:paused': ServiceWindow
  'window:resumed': ServiceWindow
  'queue:changed': unknown
  'day:closed': unknown
  'rating:submitted': { window: number; ticket: string; level: number }
  'rating:bad': Rating
  'rectification:changed': Rating
  'appeal:filed': Rating
  'appeal:decided': Rating
  'return_call:saved': Rating
  'calendar:changed': { what: string; target: string }
  'roster:changed': { what: string; target: string }
  'roster:reminder': RosterReminder
  'booking:created': BookingEvent
  'booking:changed': BookingEvent
  'booking:reminder': BookingReminder
  'booking:call_list': { date: string; count: number; added: number }
  'catalog:changed': { what: 'catalog' | 'note'; version?: string; code?: string }
  'county-data:changed': { kind: string; version: number }
  'case:changed': CaseChangedEvent
  'case:due': CaseDueEvent
  'proxy:changed': { id: string; number: string; state: string; owner_id: string; action: string }
  'proxy:visits': { owner_id: string; date: string }
  'device:paired': Device
  'device:changed': Device
  'device:revoked': Device
  /** Public: the whereabouts board itself (names, windows, times; no ids). */
  'whereabouts:changed': WhereaboutsBoard
  /** A duty call was logged or changed (no name or phone): the call log reloads. */
  'call:changed': { id: string; status: string; category: string; action: string }
}

export type EventType = keyof EventMap

/** The ticket events, for views that reload on any of them. */
export const ticketEvents = [
  'ticket:issued',
  'ticket:called',
  'ticket:recalled',
  'ticket:held',
  'ticket:skipped',
  'ticket:transferred',
  'ticket:completed',
  'window:paused',
  'window:resumed',
  'queue:changed',
  'day:closed',
] as const satisfies readonly EventType[]

/** The rating follow-up events, for the ratings view. */
export const ratingEvents = [
  'rating:submitted',
  'rating:bad',
  'rectification:changed',
  'appeal:filed',
  'appeal:decided',
  'return_call:saved',
] as const satisfies readonly EventType[]

/** The booking events, for the calendar and the call list. */
export const bookingEvents = [
  'booking:created',
  'booking:changed',
  'booking:call_list',
  'calendar:changed',
] as const satisfies readonly EventType[]
