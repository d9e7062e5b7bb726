import type { ProxyMaterial, ProxyState } from './proxy'
import { request } from './transport'

/** The town centre a village room's proxy cases are addressed to (the administrator picks it). */
export interface RelayCentre {
  site_id: string
  name: string
  chosen_at: string
  chosen_by: string
}

/** A centre as the county lists it. */
export interface CentreChoice {
  id: string
  name: string
  kind: string
}

/**
 * A proxy case a village room handed to this centre through the county. The villager's fields are
 * masked (`masked: true`) except in `getInbound`, which the host audits.
 */
export interface InboundCase {
  id: string
  origin_site: string
  origin_name: string
  number: string
  owner_name: string
  village_name?: string
  citizen_name: string
  id_number: string
  phone: string
  masked: boolean
  item_code: string
  item_name: string
  department: string
  limit_days: number
  channel: string
  channel_name: string
  fee: string
  state: ProxyState
  state_name: string
  state_since: string
  /** accepted or result_ready; '' when nothing more is the centre's to do. */
  next: ProxyState | ''
  window_case_id?: string
  window_case_number?: string
  materials: ProxyMaterial[] | null
  received_at: string
}

export interface InboundMove {
  to: 'accepted' | 'result_ready'
  where: string
  note?: string
  window_case_id?: string
}

const id = (s: string) => encodeURIComponent(s)

export const getRelayCentre = () =>
  request<{ centre: RelayCentre | null }>('GET', '/api/v1/proxy/centre')
/** Asks the county; refused while the site is not enrolled. */
export const listRelayCentres = () => request<CentreChoice[]>('GET', '/api/v1/proxy/centres')
export const setRelayCentre = (siteId: string) =>
  request<RelayCentre>('PUT', '/api/v1/proxy/centre', { site_id: siteId })
/** Masked, newest first. */
export const listInbound = () => request<InboundCase[]>('GET', '/api/v1/proxy/inbound')
/** In full; each read is audited. */
export const getInbound = (caseId: string) =>
  request<InboundCase>('GET', `/api/v1/proxy/inbound/${id(caseId)}`)
export const moveInbound = (caseId: string, move: InboundMove) =>
  request<InboundCase>('POST', `/api/v1/proxy/inbound/${id(caseId)}/transition`, move)
