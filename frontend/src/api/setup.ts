import { request } from './transport'
import type { Site, SiteKind } from './site'

export interface SetupState {
  needed: boolean
}

export interface SetupInput {
  site_name: string
  kind: SiteKind
  population: number
  floor_area_m2: number
  admin_password: string
}

export const getSetup = () => request<SetupState>('GET', '/api/v1/setup')

/** Creates the site and the admin account; allowed only while setup is needed. */
export const runSetup = (input: SetupInput) => request<Site>('POST', '/api/v1/setup', input)
