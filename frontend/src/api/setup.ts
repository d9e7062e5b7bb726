import { request } from './transport'
import type { Site, SiteKind } from './site'

export interface SetupState {
  needed: boolean
  /** True in this computer's own desktop window before setup: it may join a hall as a window instead. */
  join_hall: boolean
}

/** The hall host this computer joined as a window. */
export interface JoinedHall {
  /** Its https address. */
  host: string
  /** Its certificate's fingerprint, short form. */
  fingerprint: string
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

/**
 * Makes this computer, not set up yet, a window of the hall host the join code names; allowed only
 * from its own desktop window. The program then closes and opens again as the hall's window.
 */
export const joinHall = (code: string) =>
  request<JoinedHall>('POST', '/api/v1/setup/join-hall', { code })
