import type { Material } from './catalog'
import { request } from './transport'

export type CaseStatus =
  | 'consultation'
  | 'accepted'
  | 'awaiting_supplements'
  | 'transferred'
  | 'approved'
  | 'certificate_issued'
  | 'completed'
  | 'rejected'

export const caseStatuses: CaseStatus[] = [
  'consultation',
  'awaiting_supplements',
  'accepted',
  'transferred',
  'approved',
  'certificate_issued',
  'completed',
  'rejected',
]

export type CaseAction =
  | 'accept'
  | 'request_supplements'
  | 'supply'
  | 'approve'
  | 'issue_certificate'
  | 'complete'
  | 'reject'
  | 'transfer'

export interface CaseMaterial extends Material {
  index: number
  received: boolean
  received_at?: string
  received_by?: string
}

export interface CaseEvent {
  at: string
  actor: string
  actor_name: string
  action: string
  action_name: string
  from?: string
  to?: string
  /** The line's Chinese sentence; older lines have only this. */
  detail?: string
  /** The values the UI words the line from, by name; `{}` on older lines. */
  params?: Record<string, unknown>
}

/**
 * One case (办件). `citizen_name`, `id_number` and `phone` are masked (`masked: true`) except in
 * `getCase` read by the holder; answers to changes are masked too.
 */
export interface Case {
  id: string
  number: string
  item_code: string
  item_name: string
  department: string
  limit_days: number
  status: CaseStatus
  status_name: string
  citizen_name: string
  id_number: string
  phone: string
  masked: boolean
  ticket_id?: string
  ticket_number?: string
  /** 首问负责: the first clerk, for good. */
  responsible_id: string
  responsible_name: string
  /** Who works the case now; only the holder makes moves. */
  holder_id: string
  holder_name: string
  /** The clerks' internal note; never printed. */
  note?: string
  /** What the citizen is to correct or bring, printed on the one-time notice. */
  supplement_note?: string
  reason?: string
  result?: string
  transfer_to?: string
  accepted_at?: string
  due_date?: string
  /**
   * The due date runs through a year without a holiday arrangement, counted weekends-only; it is
   * recounted (and the holder told if it moves) once the year is stored.
   */
  due_estimated: boolean
  /** The calendar's sentence for each such year, with the single case and change answers. */
  due_warnings?: string[]
  paused_days: number
  supplement_since?: string
  closed_at?: string
  overdue: boolean
  materials: CaseMaterial[]
  missing_required: number
  missing_any: number
  /** The moves the state allows. */
  actions: CaseAction[]
  /** With the single case only. */
  history?: CaseEvent[]
  created_at: string
  updated_at: string
}

export interface OpenCaseInput {
  item_code: string
  name: string
  id_number: string
  phone: string
  ticket_id?: string
  note?: string
  received?: number[]
  accept?: boolean
}

export interface CaseActionInput {
  action: CaseAction
  /** Materials ticked as part of the move. */
  received?: number[]
  /** Materials unticked as part of the move. */
  missing?: number[]
  reason?: string
  department?: string
  result?: string
  note?: string
  /** request_supplements: the text for the citizen on the one-time notice. */
  supplement_note?: string
}

export interface CitizenInput {
  name: string
  id_number: string
  phone: string
}

export interface CaseFilter {
  status?: string
  open?: boolean
  mine?: boolean
  item?: string
  id_number?: string
  /** The whole name, found through a keyed hash. */
  name?: string
  /** Held by nobody yet: cases the duty desk opened from a call, for a clerk to take. */
  unheld?: boolean
  limit?: number
}

/** The home screen's list: running cases past their date, and those due by the next working day. */
export interface DueCases {
  /** Today at the host (its clock), YYYY-MM-DD. */
  date: string
  overdue: Case[]
  due_soon: Case[]
  /** Deadlines of the reader's cases a stored holiday arrangement moved, until acknowledged. */
  moved: DeadlineMove[]
}

/** A case deadline moved by a holiday arrangement stored after it was set. */
export interface DeadlineMove {
  id: string
  case_id: string
  number: string
  item_name: string
  year: number
  old_due: string
  new_due: string
  at: string
}

export type CaseDocument = 'notice' | 'receipt' | 'completion'

const id = (s: string) => encodeURIComponent(s)

function filterQuery(f: CaseFilter): string {
  const p = new URLSearchParams()
  if (f.status) p.set('status', f.status)
  if (f.open) p.set('open', '1')
  if (f.mine) p.set('mine', '1')
  if (f.unheld) p.set('unheld', '1')
  if (f.item) p.set('item', f.item)
  if (f.id_number) p.set('id_number', f.id_number)
  if (f.name) p.set('name', f.name)
  if (f.limit) p.set('limit', String(f.limit))
  const s = p.toString()
  return s ? `?${s}` : ''
}

export const openCase = (input: OpenCaseInput) => request<Case>('POST', '/api/v1/cases', input)
/** Masked, newest first. */
export const listCases = (f: CaseFilter = {}) =>
  request<Case[]>('GET', `/api/v1/cases${filterQuery(f)}`)
/** In full for the holder (each read is audited), masked for everyone else. */
export const getCase = (caseId: string) => request<Case>('GET', `/api/v1/cases/${id(caseId)}`)
export const actOnCase = (caseId: string, input: CaseActionInput) =>
  request<Case>('POST', `/api/v1/cases/${id(caseId)}/actions`, input)
/** The exact set of ticked materials. */
export const setMaterials = (caseId: string, received: number[]) =>
  request<Case>('PUT', `/api/v1/cases/${id(caseId)}/materials`, { received })
export const updateCitizen = (caseId: string, input: CitizenInput) =>
  request<Case>('PUT', `/api/v1/cases/${id(caseId)}/citizen`, input)
/** 接手办理: the caller becomes the holder. */
export const takeCase = (caseId: string) =>
  request<Case>('POST', `/api/v1/cases/${id(caseId)}/take`)
export const getDueCases = (scope: 'mine' | 'all' = 'mine') =>
  request<DueCases>('GET', `/api/v1/cases/due?scope=${scope}`)
/** Takes moved-deadline notices off the home screen (only those of cases the caller holds). */
export const acknowledgeMoves = (ids: string[]) =>
  request<void>('POST', '/api/v1/cases/deadline-moves/ack', { ids })

/** 一次性告知单, 受理回执, 办结通知书, for `src/api/pdf.ts`. */
export const caseDocumentPath = (caseId: string, doc: CaseDocument) =>
  `/api/v1/cases/${id(caseId)}/${doc}.pdf`

/**
 * Working days after `from` up to and including `to` by the site's calendar (negative when `to`
 * is earlier): the days left before a case's due date.
 */
export const workingDaysBetween = (from: string, to: string) =>
  request<{ from: string; to: string; working_days: number; warnings: string[] }>(
    'GET',
    `/api/v1/calendar/working-days?from=${id(from)}&to=${id(to)}`,
  ).then((r) => r.working_days)

/** The centre's phone and address printed on the documents. */
export interface Centre {
  phone: string
  address: string
}

export const getCentre = () => request<Centre>('GET', '/api/v1/cases/centre')
/** Admin; landlines are written 0818-7654321. */
export const saveCentre = (c: Centre) => request<Centre>('PUT', '/api/v1/cases/centre', c)
