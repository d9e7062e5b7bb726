import type { Material } from './catalog'
import { request } from './transport'

/** The states of a proxy case (代办件), in the only order a case goes through them. */
export const proxyStates = [
  'requested',
  'materials_collected',
  'handed_over',
  'accepted',
  'result_ready',
  'returned',
] as const
export type ProxyState = (typeof proxyStates)[number]

export const proxyChannels = ['phone', 'wechat', 'walk_in', 'home_visit'] as const
export type ProxyChannel = (typeof proxyChannels)[number]

export const returnMethods = ['in_person', 'delivery', 'post'] as const
export type ReturnMethod = (typeof returnMethods)[number]

/** A photo of a checklist line; the image itself comes from `getProxyPhoto`. */
export interface ProxyPhoto {
  id: string
  content_type: string
  size: number
  created_at: string
}

export interface ProxyMaterial extends Material {
  index: number
  collected: boolean
  note: string
  collected_at?: string
  collected_by?: string
  photos: ProxyPhoto[]
}

/** One step of a proxy case: who, when, where. */
export interface ProxyEvent {
  at: string
  actor: string
  actor_name: string
  action: 'open' | 'materials' | 'transition' | 'relay'
  from?: string
  to?: string
  where: string
  note?: string
}

/**
 * One proxy case. `citizen_name`, `id_number` and `phone` are masked (`masked: true`) except in
 * `getProxyCase` read by the owning assistant, which the host audits.
 */
export interface ProxyCase {
  id: string
  number: string
  owner_id: string
  owner_name: string
  village_id?: string
  village_name?: string
  citizen_name: string
  id_number: string
  phone: string
  masked: boolean
  item_code: string
  item_name: string
  department: string
  limit_days: number
  channel: ProxyChannel
  channel_name: string
  fee: string
  state: ProxyState
  state_name: string
  state_since: string
  /** The one state the case may go to; '' once returned. */
  next: ProxyState | ''
  due_date: string
  /** The calendar's sentence when a year counted through has no holiday arrangement. */
  due_warning?: string
  overdue: boolean
  stalled: boolean
  waited_days: number
  window_case_id?: string
  window_case_number?: string
  return_method?: ReturnMethod
  note?: string
  materials: ProxyMaterial[]
  missing_required: number
  history?: ProxyEvent[]
  created_at: string
  updated_at: string
}

export interface OpenProxyInput {
  item_code: string
  name: string
  id_number: string
  phone: string
  channel: ProxyChannel
  village_id?: string
  fee?: string
  note?: string
  where: string
}

export interface ProxyMove {
  to: ProxyState
  where: string
  note?: string
  return_method?: ReturnMethod
  window_case_id?: string
}

export interface Village {
  id: string
  name: string
  room: string
  /** The village's place on its room's round: the order of a day's visit route. */
  position?: number
}

/** An assistant's card as staff see and edit it. */
export interface AssistantCard {
  staff_id: string
  name: string
  room: string
  village_ids: string[]
  villages: string[]
  work_phone: string
  wechat: string
  hours: string
}

/** A card as the kiosk and the display show it: no identifiers. */
export type PublicCard = Omit<AssistantCard, 'staff_id' | 'village_ids'>

export interface CardInput {
  work_phone: string
  wechat: string
  hours: string
  /** The administrator only. */
  village_ids?: string[]
}

const id = (s: string) => encodeURIComponent(s)

export const openProxyCase = (input: OpenProxyInput) =>
  request<ProxyCase>('POST', '/api/v1/proxy/cases', input)
/** Masked, newest first: an assistant's own, every case for the centre. */
export const listProxyCases = (f: { state?: ProxyState | ''; late?: boolean } = {}) => {
  const p = new URLSearchParams()
  if (f.state) p.set('state', f.state)
  if (f.late) p.set('overdue', '1')
  const q = p.toString()
  return request<ProxyCase[]>('GET', `/api/v1/proxy/cases${q ? `?${q}` : ''}`)
}
export const getProxyCase = (caseId: string) =>
  request<ProxyCase>('GET', `/api/v1/proxy/cases/${id(caseId)}`)
export const tickProxyMaterial = (caseId: string, index: number, collected: boolean, note = '') =>
  request<ProxyCase>('POST', `/api/v1/proxy/cases/${id(caseId)}/materials`, {
    index,
    collected,
    note,
  })
export const moveProxyCase = (caseId: string, move: ProxyMove) =>
  request<ProxyCase>('POST', `/api/v1/proxy/cases/${id(caseId)}/transition`, move)

export const listVillages = () => request<Village[]>('GET', '/api/v1/villages')
export const addVillage = (v: Omit<Village, 'id'>) =>
  request<Village>('POST', '/api/v1/villages', v)
/** The administrator moves a village on its room's round (0–999). */
export const setVillagePosition = (villageId: string, position: number) =>
  request<Village>('PUT', `/api/v1/villages/${id(villageId)}/position`, { position })
export const getAssistantCard = (staffId: string) =>
  request<AssistantCard>('GET', `/api/v1/staff/${id(staffId)}/assistant-card`)
export const setAssistantCard = (staffId: string, input: CardInput) =>
  request<AssistantCard>('PUT', `/api/v1/staff/${id(staffId)}/assistant-card`, input)
/** Public: for the kiosk and the hall display. */
export const publicCards = () => request<PublicCard[]>('GET', '/api/v1/assistants/cards')
export const assistantCardsPdfPath = '/api/v1/assistants/cards.pdf'

export interface ProxyPhotoData {
  content_type: 'image/jpeg' | 'image/png'
  /** The image, base64. */
  data: string
}

/** Keeps a photo of checklist line `index`, sealed on the host; the owner only. */
export const addProxyPhoto = (caseId: string, index: number, photo: ProxyPhotoData) =>
  request<ProxyPhoto>('POST', `/api/v1/proxy/cases/${id(caseId)}/materials/${index}/photos`, photo)
/** The owner only; each read is audited. */
export const getProxyPhoto = (caseId: string, photoId: string) =>
  request<ProxyPhotoData>('GET', `/api/v1/proxy/cases/${id(caseId)}/photos/${id(photoId)}`)

export const visitOutcomes = ['done', 'not_home', 'moved', 'declined', 'rescheduled'] as const
export type VisitOutcome = (typeof visitOutcomes)[number]

/** A home visit (上门服务). `citizen_name` and `phone` are masked except on the assistant's route. */
export interface Visit {
  id: string
  owner_id: string
  owner_name: string
  village_id: string
  village_name: string
  village_position: number
  citizen_name: string
  phone: string
  masked: boolean
  date: string
  /** Booked start, HH:MM. */
  time: string
  minutes: number
  reason: string
  outcome: VisitOutcome | ''
  outcome_name: string
  outcome_note?: string
  case_id?: string
  case_number?: string
  created_at: string
  /** RFC 3339 span, for the calendar. */
  start: string
  end: string
}

export interface VisitInput {
  village_id: string
  name: string
  phone: string
  date: string
  time: string
  minutes: number
  reason: string
}

/** One visit on the day's route with the time the route plans for it. */
export interface RouteStop extends Visit {
  planned: string
  until: string
  travel_minutes: number
  late: boolean
}

export interface VisitRoute {
  date: string
  stops: RouteStop[]
  villages: string[]
  minutes: number
  /** The documented ordering rule, in Chinese. */
  rule: string
}

export interface BookedVillager {
  booking_id: string
  slot_start: string
  line: string
  status: string
  citizen_name: string
  phone: string
  cases: string[]
}

/** The assistant's market-day card; lists are empty on other days. */
export interface MarketDayHome {
  date: string
  market_day: boolean
  to_hand_over: ProxyCase[]
  booked: BookedVillager[]
  results: ProxyCase[]
  rule: string
}

export interface Handover {
  id: string
  number: string
  owner_id: string
  owner_name: string
  where: string
  created_at: string
  cases: ProxyCase[]
}

export const bookVisit = (input: VisitInput) =>
  request<Visit>('POST', '/api/v1/proxy/visits', input)
/** Masked: an assistant's own, every visit for the centre. */
export const listVisits = (date: string) =>
  request<Visit[]>('GET', `/api/v1/proxy/visits?date=${id(date)}`)
/** Masked, for the calendar: the days from through to (at most 62). */
export const listVisitsBetween = (from: string, to: string) =>
  request<Visit[]>('GET', `/api/v1/proxy/visits?from=${id(from)}&to=${id(to)}`)
/** The assistant's own route, names and phones in full (audited). */
export const visitRoute = (date: string) =>
  request<VisitRoute>('GET', `/api/v1/proxy/route?date=${id(date)}`)
export const recordVisitOutcome = (visitId: string, outcome: VisitOutcome, note = '') =>
  request<Visit>('POST', `/api/v1/proxy/visits/${id(visitId)}/outcome`, { outcome, note })
export const openCaseFromVisit = (
  visitId: string,
  input: { item_code: string; id_number: string },
) => request<ProxyCase>('POST', `/api/v1/proxy/visits/${id(visitId)}/case`, input)

export const marketDayHome = () => request<MarketDayHome>('GET', '/api/v1/proxy/market-day')
export const handOver = (caseIds: string[], where = '') =>
  request<Handover>('POST', '/api/v1/proxy/handovers', { case_ids: caseIds, where })
export const handoverPdfPath = (handoverId: string) =>
  `/api/v1/proxy/handovers/${id(handoverId)}/print.pdf`
/** The centre accepts a handed-over case into a new window case, in one step. */
export const acceptProxyCase = (caseId: string, where = '') =>
  request<ProxyCase>('POST', `/api/v1/proxy/cases/${id(caseId)}/accept`, { where })
