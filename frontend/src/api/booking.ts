import type { Day } from './calendar'
import type { Ticket } from './queue'
import { deviceRequest, makeLink, request, requestText } from './transport'

export type BookingStatus = 'booked' | 'checked_in' | 'cancelled' | 'no_show'
export type SlotKind = 'office' | 'market' | 'extended'
export type Channel = 'phone' | 'proxy' | 'kiosk' | 'window'

export const bookingStatuses: BookingStatus[] = ['booked', 'checked_in', 'cancelled', 'no_show']

/** One appointment. Clerks and the administrator see the full name and phone; duty officers, assistants, the kiosk and events see them masked. */
export interface Booking {
  id: string
  line: string
  date: string
  slot_start: string
  slot_end: string
  slot_kind: SlotKind
  /** Who comes in for an extended-hours booking. */
  staff_id?: string
  citizen_name: string
  phone: string
  note?: string
  channel: Channel
  booked_by: string
  /** The check-in code; absent once used (and always to the kiosk after booking). */
  code?: string
  status: BookingStatus
  reason?: string
  reschedules: number
  ticket_id?: string
  ticket_number?: string
  checked_in_at?: string
  checked_in_late?: boolean
  /** The unserved ticket this appointment was made from. */
  from_ticket_id?: string
  created_at: string
}

export interface Slot {
  start: string
  end: string
  kind: SlotKind
  appointment_only: boolean
  name?: string
  capacity: number
  booked: number
  available: number
}

export interface SlotDay {
  line: string
  day: Day
  slots: Slot[]
  /** How many days after today the kiosk may book (the host's rule). */
  horizon_days: number
  /** The day's year has no holiday arrangement: open as a weekday for now, maybe a holiday. */
  warnings: string[]
}

export interface LineRule {
  line: string
  slot_minutes: number
  capacity: number
  extended_capacity: number
}

export interface BookingInput {
  line: string
  /** RFC 3339 start of a listed slot. */
  slot_start: string
  name: string
  phone: string
  staff_id?: string
  note?: string
  channel?: 'phone' | 'window'
}

export interface BookingFilter {
  from: string
  to: string
  line?: string
  staff_id?: string
  status?: BookingStatus
}

/** A check-in inside its window: an appointment ticket (priority) or, when accepted, a normal one. */
export interface CheckIn {
  booking: Booking
  ticket: Ticket
  priority: boolean
}

/** What a 409 check-in refusal adds to the sentence (ApiError.detail). */
export interface CheckInRefusal {
  reason: 'too_early' | 'too_late'
  offer_normal_ticket: boolean
  line: string
  opens: string
  closes: string
}

export type CallOutcome = 'reached' | 'no_answer' | 'wrong_number'
export const callOutcomes: CallOutcome[] = ['reached', 'no_answer', 'wrong_number']

export interface CallEntry {
  booking_id: string
  date: string
  slot_start: string
  line: string
  slot_kind: SlotKind
  staff_id?: string
  citizen_name: string
  phone: string
  status: BookingStatus
  /** Why to call: '' to remind, `closed_day` to tell the citizen the day closed and move it. */
  reason: '' | 'closed_day'
  outcome: CallOutcome | ''
  called_by?: string
  called_at?: string
}

export interface CallList {
  date: string
  /** False until the afternoon job has built the list for this day. */
  built: boolean
  entries: CallEntry[]
}

/** `booking:created` and `booking:changed`; the booking is masked. */
export interface BookingEvent {
  action: string
  booking: Booking
}

/** `booking:reminder`: an extended-hours booking that names `staff_id`. */
export interface BookingReminder {
  staff_id: string
  booking_id: string
  kind: 'day_before' | 'hour_before'
  line: string
  slot_start: string
  slot_end: string
  citizen_name: string
}

const enc = encodeURIComponent

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v)
  return q.toString()
}

export const getSlots = (line: string, date: string) =>
  request<SlotDay>('GET', `/api/v1/booking/slots?${query({ line, date })}`)
export const getBookingLines = () => request<LineRule[]>('GET', '/api/v1/booking/lines')
export const setBookingLine = (rule: LineRule) =>
  request<LineRule>('PUT', `/api/v1/booking/lines/${enc(rule.line)}`, {
    slot_minutes: rule.slot_minutes,
    capacity: rule.capacity,
    extended_capacity: rule.extended_capacity,
  })

export const listBookings = (f: BookingFilter) =>
  request<Booking[]>('GET', `/api/v1/bookings?${query({ ...f })}`)
export const getBooking = (id: string) => request<Booking>('GET', `/api/v1/bookings/${enc(id)}`)
export const createBooking = (input: BookingInput) =>
  request<Booking>('POST', '/api/v1/bookings', input)
export const rescheduleBooking = (
  id: string,
  move: { slot_start: string; staff_id?: string; reason?: string },
) => request<Booking>('POST', `/api/v1/bookings/${enc(id)}/reschedule`, move)
/** Fills in (or corrects) the citizen's name of an open booking; clerk and admin only. */
export const setBookingName = (id: string, name: string) =>
  request<Booking>('PUT', `/api/v1/bookings/${enc(id)}/name`, { name })
export const cancelBooking = (id: string, reason: string) =>
  request<Booking>('POST', `/api/v1/bookings/${enc(id)}/cancel`, { reason })
export const markNoShow = (id: string) =>
  request<Booking>('POST', `/api/v1/bookings/${enc(id)}/no-show`)
/** Checks in at the desk; a 409 ApiError's detail is a CheckInRefusal. */
export const checkIn = (code: string, acceptNormal = false) =>
  request<CheckIn>('POST', '/api/v1/bookings/check-in', { code, accept_normal: acceptNormal })

/** The duty officer's list; without a date, the next working day's. */
export const getCallList = (date?: string) =>
  request<CallList>('GET', `/api/v1/booking/call-list${date ? `?date=${enc(date)}` : ''}`)
export const markCalled = (date: string, bookingId: string, outcome: CallOutcome) =>
  request<void>('POST', `/api/v1/booking/call-list/${enc(date)}/${enc(bookingId)}`, { outcome })

/** The staff member's bookings as RFC 5545 text (their own, or anyone's for an admin). */
export const staffCalendarICS = (staffId: string) =>
  requestText('GET', `/api/v1/staff/${enc(staffId)}/calendar.ics`)
/**
 * A subscription link to the person's own booking calendar, for a phone or desktop calendar app
 * that polls it: read-only, long-lived, replacing the one made before.
 */
export const calendarSubscription = (staffId: string) =>
  makeLink(`/api/v1/staff/${enc(staffId)}/calendar.ics`)
/** Ends the person's calendar subscription link. */
export const revokeCalendarSubscription = () =>
  request<void>('DELETE', '/api/v1/url-tokens/calendar')

/** The kiosk (paired kiosk or staff): slots without extended hours or begun ones. */
export const kioskSlots = (line: string, date: string) =>
  deviceRequest<SlotDay>('GET', `/api/v1/kiosk/slots?${query({ line, date })}`)
/** A kiosk booking for tomorrow or later; the answer is masked but carries the code. */
export const kioskBook = (input: {
  line: string
  slot_start: string
  name: string
  phone: string
}) => deviceRequest<Booking>('POST', '/api/v1/kiosk/bookings', input)
/** What a check-in names: the code, or the phone of a booking today (a lost code). */
/** The code alone, or the phone given when booking with the code as a second factor. */
export type CheckInBy = { code: string } | { phone: string; verify: string }

/** Checks in at the kiosk; a 409 ApiError's detail is a CheckInRefusal. */
export const kioskCheckIn = (by: CheckInBy, acceptNormal = false) =>
  deviceRequest<CheckIn>('POST', '/api/v1/kiosk/check-in', { ...by, accept_normal: acceptNormal })

export interface TicketBookingInput {
  /** RFC 3339 start of a slot after the ticket's day. */
  slot_start: string
  name: string
  phone: string
  note?: string
}

/** Turns an unserved ticket into an appointment on its line (staff). */
export const ticketToBooking = (ticketId: string, input: TicketBookingInput) =>
  request<Booking>('POST', `/api/v1/tickets/${enc(ticketId)}/booking`, input)
