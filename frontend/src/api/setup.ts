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
  /** The code the host's console shows; needed only from another computer. */
  setup_code?: string
}

/** The error code of a setup or recovery restore refused for want of the setup code. */
export const SETUP_CODE_REQUIRED = 'setup_code_required'

export const getSetup = () => request<SetupState>('GET', '/api/v1/setup')

/** Creates the site and the admin account; allowed only while setup is needed. */
export const runSetup = (input: SetupInput) => request<Site>('POST', '/api/v1/setup', input)
