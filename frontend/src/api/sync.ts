import { request } from './transport'

/** A record the county refused, kept with its reason; it does not hold back the rows behind it. */
export interface DeadLetter {
  entry_id: string
  seq: number
  kind: string
  entity_id: string
  reason: string
  failed_at: string
}

/** A county dataset kind, in the order a site applies them. */
export type DatasetKind = 'holidays' | 'catalog' | 'departments' | 'announcements'

/** The version of a county dataset this site applied, and when. */
export interface DatasetState {
  kind: DatasetKind
  version: number
  applied_at: string
}

/** The site's link to the county (县平台同步). */
export interface SyncReport {
  enrolled: boolean
  county: string
  online: boolean
  last_success_at: string | null
  pending: number
  dead: number
  last_error: string
  protocol: number
  /** The county datasets applied here. */
  datasets: DatasetState[]
  /** Kinds the county publishes in a format newer than this program reads. */
  upgrade_needed: DatasetKind[]
  /** The queue made no progress for 10 minutes while the county answered (同步停滞). */
  stalled?: boolean
  stalled_since?: string | null
  /** Records a county restored from a backup lost after this site had pruned them. */
  unrecoverable?: number
  dead_letters: DeadLetter[]
}

export const getSync = () => request<SyncReport>('GET', '/api/v1/sync')
/** Pushes what waits now (立即同步); a county that does not answer shows in `last_error`. */
export const syncNow = () => request<SyncReport>('POST', '/api/v1/sync/now')
/** Exchanges the county's one-time code for this site's credential and pins the county. */
export const enrollCounty = (county: string, code: string) =>
  request<SyncReport>('POST', '/api/v1/sync/enroll', { county, code })
