import { request } from './transport'

export const siteKinds = ['area', 'town', 'street', 'township', 'village'] as const
export type SiteKind = (typeof siteKinds)[number]

export interface Site {
  id: string
  name: string
  kind: SiteKind
  population: number
  floor_area_m2: number
  created_at: string
}

export interface SiteInput {
  name: string
  kind: SiteKind
  population: number
  floor_area_m2: number
}

export interface ComplianceRule {
  required: number
  actual: number
  ok: boolean
  /** The rule applied (`window_staff.pop_3_6wan`…); the UI words it with `params`. */
  code: string
  params: Record<string, number>
  /** The same rule in Chinese. */
  rule: string
}

export interface Compliance {
  window_staff: ComplianceRule
  floor_area: ComplianceRule
}

export const getSite = () => request<Site>('GET', '/api/v1/site')
export const updateSite = (input: SiteInput) => request<Site>('PUT', '/api/v1/site', input)
export const getCompliance = () => request<Compliance>('GET', '/api/v1/site/compliance')
