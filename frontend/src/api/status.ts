import { request } from './transport'
import type { RecoveryState } from './recovery'

export type CountyState = 'unconfigured' | 'online' | 'offline'

export interface Status {
  version: string
  site_name: string
  setup_needed: boolean
  county: {
    state: CountyState
    last_sync: string | null
  }
  /** Present only while the database is damaged and the host serves the recovery door. */
  recovery?: RecoveryState
}

export const getStatus = () => request<Status>('GET', '/api/v1/status')
