import { request } from './transport'

export type CountyState = 'unconfigured' | 'online' | 'offline'

export interface Status {
  version: string
  site_name: string
  setup_needed: boolean
  county: {
    state: CountyState
    last_sync: string | null
  }
}

export const getStatus = () => request<Status>('GET', '/api/v1/status')
