import { request } from './transport'

export const siteKinds = ['area', 'town', 'street', 'township', 'village'] as const
export type SiteKind = (typeof siteKinds)[number]

export interface Site {
  id: string
  name: string
  kind: SiteKind
  population: number
  floor_area_m2: number
  /** Self-service terminals in the hall (plan task 6). */
  terminals: number
  /** A town, street or township centre the county named an area sub-centre. */
  sub_centre: boolean
  created_at: string
}

export interface SiteInput {
  name: string
  kind: SiteKind
  population: number
  floor_area_m2: number
  terminals: number
  sub_centre: boolean
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
  terminals: ComplianceRule
}

/** The compliance rows in display order, with the unit each counts in. */
export const complianceKeys = ['window_staff', 'floor_area', 'terminals'] as const

/** The i18n key of each row's unit, a message taking `{n}`. */
export const complianceUnits: Record<(typeof complianceKeys)[number], string> = {
  window_staff: 'site.persons',
  floor_area: 'site.area',
  terminals: 'site.terminalsN',
}

export const getSite = () => request<Site>('GET', '/api/v1/site')
export const updateSite = (input: SiteInput) => request<Site>('PUT', '/api/v1/site', input)
export const getCompliance = () => request<Compliance>('GET', '/api/v1/site/compliance')
