import type { ServiceWindow, Ticket } from './queue'
import type { Rating } from './ratings'

/** What every ticket event but `ticket:issued` carries. */
export interface TicketEvent {
  ticket: Ticket
  window: number
  window_name: string
  staff?: string
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
  'status:changed': unknown
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
