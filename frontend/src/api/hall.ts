import { request } from './transport'

/** A code a window workstation joins the hall host with; it carries the host's certificate pin. */
export interface JoinCode {
  code: string
  /** Short form of the certificate's SHA-256, as messages show it. */
  fingerprint: string
  sha256: string
  addresses: string[]
  expires_at: string
}

export const getJoinCode = () => request<JoinCode>('GET', '/api/v1/hall/join-code')
