// The county server's staff API (/api/v1/county/…), called with the county staff token, which is
// kept apart from a site's session: the same browser may hold both.

import { ApiError, requestWith, type Method } from './transport'
import type { DayChange, YearSummary } from './calendar'

export type SiteKind = 'area' | 'town' | 'street' | 'township' | 'village'

/** The kinds a site may be registered as, in the order the form offers them. */
export const siteKinds: SiteKind[] = ['area', 'town', 'street', 'township', 'village']

/** A site in the county's registry. */
export interface CountySite {
  id: string
  name: string
  kind: SiteKind
  enrolled_at: string | null
  last_sync_at: string | null
  records: number
  /** Rows waiting at the site, as it last reported them. */
  pending: number
  /** Rows the county rejected (the site's dead letters), as it last reported them. */
  dead: number
  skew_seconds: number
  /** The county flags a skew beyond its warning limit (60 s). */
  skew_flagged: boolean
  revoked: boolean
}

export interface NewSiteInput {
  name: string
  kind: SiteKind
  /** The county address the code names (host:port); the address this page reached when empty. */
  addr?: string
}

export interface NewSiteReply {
  site: CountySite
  code: string
  expires_at: string
  county_url: string
}

export interface CountyRecord {
  id: string
  kind: string
  version: number
  updated_at: string
  data: unknown
}

export interface RecordsPage {
  records: CountyRecord[]
  next: string | null
}

export interface CountyAuditEvent {
  at: string
  site_id: string
  event: string
  detail: string
  remote: string
}

export type DatasetKind = 'holidays' | 'catalog' | 'departments' | 'announcements'

export const datasetKinds: DatasetKind[] = ['holidays', 'catalog', 'departments', 'announcements']

/** One published version of a dataset; `payload` only when one version is read. */
export interface Dataset {
  kind: DatasetKind
  version: number
  schema: number
  checksum: string
  note: string
  published_at: string
  published_by: string
  size: number
  payload?: unknown
}

export interface YearChange {
  year: number
  change: 'added' | 'replaced' | 'removed' | 'unchanged'
  summary: YearSummary
  days: DayChange[]
}

export interface ItemRef {
  code: string
  name: string
}

export interface CatalogChange {
  version: string
  items: number
  added: ItemRef[]
  removed: ItemRef[]
  changed: ItemRef[]
}

export interface ListChange {
  entries: number
  added: number
  removed: number
}

/** What publishing a payload would change against the latest version (`base`, 0 when none). */
export interface DatasetPreview {
  kind: DatasetKind
  base: number
  /** The payload equals the latest version: publishing it is refused. */
  same: boolean
  holidays?: YearChange[]
  catalog?: CatalogChange
  list?: ListChange
}

const TOKEN_KEY = 'budayang.countyToken'

/** The county staff token of this browser tab, or "". */
export function getCountyToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

/** Keeps the county staff token for this tab (sessionStorage); "" forgets it. */
export function setCountyToken(token: string): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token)
  else sessionStorage.removeItem(TOKEN_KEY)
}

let unauthorized: (() => void) | undefined

/** Registers what to do when a county call with a token comes back 401: the session ended. */
export function onCountyUnauthorized(handler: (() => void) | undefined): void {
  unauthorized = handler
}

async function call<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const token = getCountyToken()
  try {
    return await requestWith<T>(token, method, path, body)
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && token) unauthorized?.()
    throw err
  }
}

const enc = encodeURIComponent

export const countyLogin = (login: string, password: string) =>
  requestWith<{ token: string; expires_at: string }>('', 'POST', '/api/v1/county/login', {
    login,
    password,
  })

export const listSites = () => call<CountySite[]>('GET', '/api/v1/county/sites')

export const createSite = (input: NewSiteInput) =>
  call<NewSiteReply>('POST', '/api/v1/county/sites', input)

export const revokeSite = (id: string) =>
  call<void>('POST', `/api/v1/county/sites/${enc(id)}/revoke`)

/** A page of a site's records of one kind ("" for all), after the cursor ("" for the first). */
export const listRecords = (id: string, kind: string, after: string, limit: number) =>
  call<RecordsPage>(
    'GET',
    `/api/v1/county/sites/${enc(id)}/records?kind=${enc(kind)}&after=${enc(after)}&limit=${limit}`,
  )

export const listCountyAudit = () => call<CountyAuditEvent[]>('GET', '/api/v1/county/audit')

export const listDatasets = () => call<Dataset[]>('GET', '/api/v1/county/datasets')

export const getDataset = (kind: DatasetKind, version: number) =>
  call<Dataset>('GET', `/api/v1/county/datasets/${kind}/${version}`)

export const previewDataset = (kind: DatasetKind, payload: unknown) =>
  call<DatasetPreview>('POST', '/api/v1/county/datasets/preview', { kind, payload })

export const publishDataset = (kind: DatasetKind, payload: unknown, note: string) =>
  call<Dataset>('POST', '/api/v1/county/datasets', { kind, payload, note })

/** A site's duty cover over some dates, from the roster plans it pushed. */
export interface DutyCover {
  dates: string[]
  places: number
  filled: number
  /** Every date has a published plan. */
  rostered: boolean
  covered: boolean
}

export type InspectionFlag = 'silent' | 'overdue' | 'followups' | 'duty' | 'understaffed'

/** One site's line of the county inspection (督查). */
export interface SiteInspection {
  site_id: string
  name: string
  kind: SiteKind
  revoked: boolean
  last_sync_at: string | null
  silent: boolean
  issued: number
  waiting: number
  served: number
  overdue_cases: number
  ratings: number
  bad_ratings: number
  late_followups: number
  duty_today: DutyCover
  duty_weekend: DutyCover
  profile_known: boolean
  population: number
  window_staff: number
  window_staff_min: number
  staffing_ok: boolean
  flags: InspectionFlag[]
}

export interface InspectionTotals {
  sites: number
  issued: number
  waiting: number
  served: number
  overdue_cases: number
  ratings: number
  bad_ratings: number
  late_followups: number
  silent: number
  duty_uncovered: number
  understaffed: number
}

export interface Inspection {
  date: string
  weekend: string[]
  sites: SiteInspection[]
  totals: InspectionTotals
}

/** A person's place in the county's gold, silver and bronze ranking. */
export interface CountyRanked {
  key: string
  name: string
  volume: number
  rated: number
  good: number
  closed: number
  on_time: number
  complaints: number
  score: number
  qualified: boolean
  rank: number
  tie: boolean
  medal?: 'gold' | 'silver' | 'bronze'
  site_id: string
  site_name: string
  staff_id: string
}

export interface CountyRanking {
  from: string
  to: string
  min_volume: number
  people: CountyRanked[]
}

/** The inspection of a date (YYYY-MM-DD; today when empty). */
export const getInspection = (date: string) =>
  call<Inspection>('GET', `/api/v1/county/inspection?date=${enc(date)}`)

/** The ranking over from..to inclusive (the last 30 days when both are empty). */
export const getCountyRanking = (from: string, to: string) =>
  call<CountyRanking>('GET', `/api/v1/county/ranking?from=${enc(from)}&to=${enc(to)}`)
